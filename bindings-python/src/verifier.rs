//! `hooksig.Verifier` and `hooksig.Verified`: the core's verifier, and its result converted.
//! `verify` releases the GIL as `boundary::on_body` says: for a body of [`DETACH_THRESHOLD`]
//! bytes or more, and for every body when the verifier holds ed25519 (`whpk_`/`whsk_`) keys,
//! whose `v1a` checks cost tens of µs each.

use std::borrow::Cow;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::boundary::{DETACH_THRESHOLD, boundary, on_body};
use crate::convert::{self, Arg, Body};
use crate::errors;
use crate::scheme::scheme_arg;
use crate::sign::signed;

/// A successfully verified webhook.
#[pyclass(frozen, module = "hooksig", name = "Verified")]
pub(crate) struct PyVerified {
    /// The scheme id.
    scheme: Arc<str>,
    /// The signed timestamp (Unix seconds), for schemes that carry one.
    #[pyo3(get)]
    timestamp: Option<i64>,
    /// The message / delivery / event id, when the scheme provides one.
    #[pyo3(get)]
    id: Option<String>,
    /// The event type, when the scheme provides one.
    #[pyo3(get)]
    event_type: Option<String>,
    /// Index of the secret that matched (0 is the first configured secret).
    #[pyo3(get)]
    key_index: usize,
    /// The authenticated bytes: parse these, not the raw body.
    #[pyo3(get)]
    payload: Py<PyBytes>,
    /// Whether `id` is covered by the signature (the core's `Verified::id_signed`).
    id_signed: bool,
    /// The core's fingerprint of the signed content, for `dedupe_key`.
    fingerprint: [u8; 16],
}

#[pymethods]
impl PyVerified {
    /// The scheme id.
    #[getter]
    fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The key to deduplicate retries on, built from signed material only: `scheme:id:<id>`
    /// when the id is signed (long or unusual ids as `scheme:id-sha256:<hex>`), otherwise
    /// `scheme:sig:<hex>` from the signed content. Pass it to a replay guard.
    #[getter]
    fn dedupe_key(&self) -> String {
        // Computed on access (not on every verify) by the core's own function.
        hooksig::dedupe_key(
            &self.scheme,
            self.id.as_deref(),
            self.id_signed,
            &self.fingerprint,
        )
    }

    /// The payload decoded as JSON (`json.loads`); raises `json.JSONDecodeError` (a
    /// `ValueError`) when it is not JSON. The payload is what was signed, so this is the parsed
    /// event: `event = verified.json()`.
    fn json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .getattr("loads")?
            .call1((self.payload.bind(py),))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Verified(scheme={:?}, timestamp={}, id={}, event_type={}, key_index={}, payload=<{} bytes>)",
            self.scheme,
            self.timestamp.map_or("None".into(), |t| t.to_string()),
            self.id.as_ref().map_or("None".into(), |s| format!("{s:?}")),
            self.event_type
                .as_ref()
                .map_or("None".into(), |s| format!("{s:?}")),
            self.key_index,
            self.payload.bind(py).as_bytes().len(),
        )
    }
}

impl PyVerified {
    /// The core's success answer for this delivery (`Receiver::received`).
    pub(crate) fn received(&self) -> hooksig::receive::Answer {
        hooksig::receive::Receiver::received_fields(
            &self.scheme,
            self.id.as_deref(),
            self.event_type.as_deref(),
        )
    }
}

/// Verifies webhooks of one scheme against one or more secrets, in constant time. Thread-safe:
/// build it once at start-up and share it.
#[pyclass(frozen, module = "hooksig", name = "Verifier")]
pub(crate) struct PyVerifier {
    /// Shared (not copied) by the `any_of` composites built from this verifier.
    inner: Arc<hooksig::Verifier>,
    /// The scheme id, shared with every `Verified` (no allocation per verification).
    scheme_id: Arc<str>,
    /// Every header name the core may look up for this verifier ([`header_names`]).
    header_names: Box<[Box<str>]>,
}

/// The lower-case names of every header this verifier can read (the core's
/// `Scheme::header_names`, which includes a scheme's header fallback such as Svix's
/// `webhook-*`); only headers with these names are handed to the core.
fn header_names(verifier: &hooksig::Verifier) -> Box<[Box<str>]> {
    let mut names: Vec<Box<str>> = Vec::new();
    for name in verifier.header_names() {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_ascii_lowercase().into());
        }
    }
    names.into_boxed_slice()
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (
        scheme, secret = None, secrets = None, tolerance = None,
        secret_format = Arg::omitted(), json_fallback = None
    ))]
    #[pyo3(
        text_signature = "(scheme, secret=None, secrets=None, tolerance=None, \
        secret_format='auto', json_fallback=None)"
    )]
    fn new(
        py: Python<'_>,
        scheme: &Bound<'_, PyAny>,
        secret: Option<&Bound<'_, PyAny>>,
        secrets: Option<&Bound<'_, PyAny>>,
        tolerance: Option<&Bound<'_, PyAny>>,
        secret_format: Arg<'_>,
        json_fallback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let scheme = scheme_arg(py, scheme)?;
        // None (or omitted): the scheme's default, which the core decides (600 for twitch and
        // box, 60 for linear, 180 for workos, 300 otherwise).
        let tolerance = convert::opt::<i64>(tolerance, "tolerance")?;
        let secret_format = secret_format.or::<String>("secret_format", "auto")?;
        let json_fallback = convert::opt(json_fallback, "json_fallback")?;
        let keys = match (secret, secrets) {
            (Some(_), Some(_)) => {
                return Err(errors::invalid_config(
                    py,
                    "pass either secret=... or secrets=[...], not both",
                ));
            }
            (Some(one), None) => vec![convert::secret(one)?],
            (None, Some(many)) => convert::secrets(many)?,
            // The core refuses an empty list with invalid_secret.
            (None, None) => Vec::new(),
        };
        let inner = boundary(py, || {
            let mut builder = hooksig::Verifier::builder(scheme)
                .secrets(keys.iter().map(|k| k.as_slice()))
                .secret_format(hooksig::SecretFormat::parse(&secret_format)?);
            if let Some(t) = tolerance {
                builder = builder.tolerance(t);
            }
            if let Some(on) = json_fallback {
                builder = builder.json_fallback(on);
            }
            builder.build()
        })?;
        Ok(PyVerifier::from_core(inner))
    }

    /// One verifier over several (a multi-vendor endpoint): the verifier whose signature
    /// header a request carries answers, and `Verified.scheme` names the scheme that matched.
    /// The core decides everything (see the core's `Verifier::any_of`); a composite's own
    /// `scheme` is `"any"`, and it does not `sign`.
    #[staticmethod]
    #[pyo3(text_signature = "(verifiers)")]
    fn any_of(py: Python<'_>, verifiers: &Bound<'_, PyAny>) -> PyResult<Self> {
        const TYPES: &str = "verifiers must be a list of hooksig.Verifier";
        let not_list = |obj: &Bound<'_, PyAny>| {
            errors::invalid_argument(py, format!("{TYPES}, not {}", convert::type_name(obj)))
        };
        if verifiers.is_instance_of::<PyVerifier>() {
            return Err(not_list(verifiers));
        }
        let mut members: Vec<Arc<hooksig::Verifier>> = Vec::new();
        for item in verifiers.try_iter().map_err(|_| not_list(verifiers))? {
            let item = item?;
            let one = item.cast::<PyVerifier>().map_err(|_| {
                errors::invalid_argument(
                    py,
                    format!(
                        "{TYPES}; item {} is {}",
                        members.len(),
                        convert::type_name(&item)
                    ),
                )
            })?;
            members.push(Arc::clone(&one.get().inner));
            // The core refuses more than MAX_ANY_OF: stop reading a long iterable there.
            if members.len() > hooksig::MAX_ANY_OF {
                break;
            }
        }
        let inner = boundary(py, || hooksig::Verifier::any_of(members))?;
        Ok(PyVerifier::from_core(inner))
    }

    /// The scheme id.
    #[getter]
    fn scheme(&self) -> &str {
        self.inner.scheme().id()
    }

    /// The accepted clock skew in seconds, both ways: the `tolerance` given, or the scheme's
    /// default (600 for `twitch` and `box`, 60 for `linear`, 180 for `workos`, 300 otherwise) when
    /// none was.
    #[getter]
    fn tolerance(&self) -> Option<u64> {
        self.inner.tolerance().past
    }

    /// How long a replay guard should remember this verifier's deliveries (seconds): the past
    /// plus future tolerance plus 60 s, or 24 h for schemes without timestamps (the core's
    /// `default_ttl`).
    #[getter]
    pub(crate) fn replay_ttl(&self) -> u64 {
        hooksig::default_ttl(&self.inner)
    }

    /// Whether this verifier's scheme (or one of an `any_of`'s members) signs the request
    /// line (`twilio`, `square`, `hubspot`, custom `{url}`/`{method}`): `verify` then needs
    /// `url=` (and `method=`). The integrations build the URL only when this is true.
    #[getter]
    fn signs_request_line(&self) -> bool {
        self.inner.signs_request_line()
    }

    /// Verifies a request; returns `Verified` or raises a `VerificationError` subclass. `url`
    /// (the URL the sender requested; behind a proxy, built from the public base URL) and
    /// `method` (`POST` when `None`) are read by the schemes that sign them, ignored by the
    /// others.
    #[pyo3(signature = (headers, body, now = None, *, url = None, method = None))]
    fn verify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        url: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyVerified> {
        match self.check(py, headers, body, now, [url, method], None)? {
            Ok(Checked::Verified(v)) => Ok(v),
            // Only asked for with a receiver.
            Ok(Checked::Handshake(_)) => unreachable!("no receiver, no handshake"),
            Err(err) => Err(errors::to_pyerr(py, &err)),
        }
    }

    /// Signs `body` with the first secret (decoded with this verifier's `secret_format`).
    /// `url` and `method` are the request line, for the schemes that sign it.
    #[pyo3(signature = (
        body, timestamp = None, id = None, event_type = None, *, url = None, method = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        timestamp: Option<&Bound<'py, PyAny>>,
        id: Option<&Bound<'py, PyAny>>,
        event_type: Option<&Bound<'py, PyAny>>,
        url: Option<&Bound<'py, PyAny>>,
        method: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let verifier = &self.inner;
        signed(
            py,
            body,
            [timestamp, id, event_type, url, method],
            |bytes, options| verifier.sign(bytes, options),
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Verifier(scheme={:?}, secrets=<{} redacted>)",
            self.inner.scheme().id(),
            self.inner.secret_count()
        )
    }
}

impl PyVerifier {
    fn from_core(inner: hooksig::Verifier) -> Self {
        PyVerifier {
            scheme_id: inner.scheme().id().into(),
            header_names: header_names(&inner),
            inner: Arc::new(inner),
        }
    }

    /// [`PyVerifier::verify`] with the core's error returned rather than raised (what
    /// `Receiver.verify` answers from). The outer `PyResult` holds argument errors and a panic.
    pub(crate) fn check(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        [url, method]: [Option<&Bound<'_, PyAny>>; 2],
        receiver: Option<&hooksig::receive::Receiver>,
    ) -> PyResult<hooksig::Result<Checked>> {
        let url = convert::opt_text(url, "url")?;
        let method = convert::opt_text(method, "method")?;
        let now = convert::opt::<i64>(now, "now")?;
        let header_objects = convert::headers(headers, &self.header_names)?;
        let headers = header_objects.pairs();
        let body = convert::body(body)?;
        let verifier = &self.inner;
        // Work that can be long runs with the GIL released: a big body (HMAC, the Chaindoc
        // fallback), or any body when the verifier holds public keys (ed25519 `v1a`, discord,
        // sendgrid: each signature entry costs a signature verification per key).
        let long = body.as_slice().len() >= DETACH_THRESHOLD || verifier.has_public_keys();
        // The core's error is kept (Ok(Err(..))): only a panic leaves through the boundary.
        // An empty method is `POST`, an empty URL a missing one; neither given: no request line.
        let request = (url.is_some() || method.is_some()).then(|| hooksig::RequestLine {
            method: method.as_deref().unwrap_or(""),
            url: url.as_deref().unwrap_or(""),
        });
        let mut copy = Vec::new();
        let result = on_body(py, (&body, &mut copy), long, |bytes| {
            Ok(match now {
                Some(now) => verifier.verify_request_at(&headers, bytes, request, now),
                None => verifier.verify_request(&headers, bytes, request),
            })
        })?;
        let result = match result {
            Ok(result) => result,
            Err(err) => return Ok(Err(err)),
        };
        // The receiver policy answers a vendor's endpoint handshake itself (Slack, Zoom,
        // Twitch): the adapters write the Answer, the handler does not run.
        if let Some(r) = receiver {
            if let Some((_, answer)) =
                boundary(py, || Ok(r.handshake(verifier, &result, &headers)))?
            {
                return Ok(Ok(Checked::Handshake(answer)));
            }
        }
        let payload = match (&result.payload, &body) {
            // The authenticated bytes are the whole body: hand back the caller's own object.
            (Cow::Borrowed(p), Body::Bytes(b)) if p.len() == b.as_bytes().len() => {
                b.clone().unbind()
            }
            (p, _) => PyBytes::new(py, p).unbind(),
        };
        // A composite's answer names the scheme that matched, not the composite's "any".
        let scheme = if result.scheme == &*self.scheme_id {
            Arc::clone(&self.scheme_id)
        } else {
            result.scheme.into()
        };
        Ok(Ok(Checked::Verified(PyVerified {
            scheme,
            timestamp: result.timestamp,
            id: result.id,
            event_type: result.event_type,
            key_index: result.key_index,
            payload,
            id_signed: result.id_signed,
            fingerprint: result.signature_fingerprint,
        })))
    }
}

/// What [`PyVerifier::check`] found in a request that verified.
pub(crate) enum Checked {
    Verified(PyVerified),
    /// A vendor's endpoint handshake, answered by the receiver policy.
    Handshake(hooksig::receive::Answer),
}
