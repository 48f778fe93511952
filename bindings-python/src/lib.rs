//! `hooksig._native`: the private extension module behind the `hooksig` Python package.
//!
//! It converts Python values to core types, calls the core, and maps errors in one place
//! (`errors.rs`). Nothing here verifies or signs anything itself. The public, documented API is
//! `python/hooksig/__init__.py`; the types are in `python/hooksig/_native.pyi`.
//!
//! Arguments: every option is taken as `&Bound<PyAny>` (or `convert::Arg`) and converted in
//! `convert.rs`, so a wrong type or an out-of-range number raises `hooksig.InvalidArgument`
//! (an `InvalidConfig` and a `TypeError`), never pyo3's plain `TypeError`/`OverflowError`.
//!
//! Panics: every core call runs inside [`boundary`], which catches a panic and raises
//! `hooksig.VerificationError` with code `"internal"` instead of pyo3's `PanicException`
//! (a `BaseException` that `except Exception` would miss).
//!
//! GIL: `verify` releases the GIL while the core works on a body of [`DETACH_THRESHOLD`] bytes or
//! more, and for every body when the verifier holds ed25519 (`whpk_`/`whsk_`) keys, whose `v1a`
//! checks cost tens of µs each. Immutable bodies (`bytes`, `str`, a memoryview of bytes) are read
//! in place; a `bytearray` is copied first in that case (Python code could resize it while the
//! GIL is released), and read in place with the GIL held otherwise. `sign` releases the GIL for
//! an immutable body of [`DETACH_THRESHOLD`] bytes or more.

mod convert;
mod errors;
mod receive;
mod shared_store;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use std::borrow::Cow;

use hooksig::{CustomScheme, Scheme, SignOptions, SignedHeaders};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::convert::{Arg, Body};

/// Bodies at least this long are verified with the GIL released. Below it, releasing and
/// re-taking the GIL costs about as much as the HMAC itself.
const DETACH_THRESHOLD: usize = 4096;

/// Runs `f`, turning a core error into its Python exception and a panic into
/// `VerificationError(code="internal")`.
fn boundary<T>(py: Python<'_>, f: impl FnOnce() -> hooksig::Result<T>) -> PyResult<T> {
    finish(py, catch_unwind(AssertUnwindSafe(f)))
}

/// [`boundary`] with the GIL released while `f` runs (it must not touch Python objects, which
/// the `Send` bounds enforce).
fn boundary_detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> hooksig::Result<T> + Send,
) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    finish(py, outcome)
}

fn finish<T>(py: Python<'_>, outcome: std::thread::Result<hooksig::Result<T>>) -> PyResult<T> {
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(errors::to_pyerr(py, &err)),
        Err(_panic) => Err(errors::internal(py)),
    }
}

/// A webhook signature scheme: a built-in one (by id) or one made with `custom_scheme(...)`.
#[pyclass(frozen, module = "hooksig", name = "Scheme")]
struct PyScheme {
    inner: Scheme,
}

#[pymethods]
impl PyScheme {
    /// The scheme id, reported as `Verified.scheme`.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The signature header's canonical name.
    #[getter]
    fn signature_header(&self) -> &str {
        self.inner.signature_header()
    }

    /// The timestamp header's name, if the scheme sends the timestamp in a header of its own.
    #[getter]
    fn timestamp_header(&self) -> Option<&str> {
        self.inner.timestamp_header()
    }

    /// The message-id header's name, if the id is sent as a header.
    #[getter]
    fn id_header(&self) -> Option<&str> {
        self.inner.id_header()
    }

    /// The event-type header's name, if the event type is sent as a header.
    #[getter]
    fn event_header(&self) -> Option<&str> {
        self.inner.event_header()
    }

    /// Whether a failed match is retried on Node's `JSON.stringify(JSON.parse(body))`.
    #[getter]
    fn json_fallback(&self) -> bool {
        self.inner.json_fallback()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scheme(id={:?}, signature_header={:?})",
            self.inner.id(),
            self.inner.signature_header()
        )
    }
}

/// A scheme id (`str`) or a `Scheme` object.
fn scheme_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Scheme> {
    if let Ok(s) = obj.cast::<PyScheme>() {
        return Ok(s.get().inner.clone());
    }
    if let Ok(id) = obj.cast::<PyString>() {
        let id = id.to_string_lossy();
        return boundary(py, || Scheme::named(&id));
    }
    Err(errors::invalid_argument(
        py,
        format!(
            "scheme must be a scheme id (str) or a hooksig.Scheme, not {}",
            obj.get_type().name()?
        ),
    ))
}

/// The built-in scheme with this id (`UnknownScheme` otherwise).
#[pyfunction]
fn scheme(py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<PyScheme> {
    let id = id
        .cast::<PyString>()
        .map_err(|_| errors::invalid_argument(py, "the scheme id must be a str"))?;
    let id = id.to_string_lossy();
    Ok(PyScheme {
        inner: boundary(py, || Scheme::named(&id))?,
    })
}

/// The core's custom-scheme builder; every option is validated (`InvalidConfig`).
#[pyfunction]
#[pyo3(signature = (
    id, signature_header, template = Arg::omitted(), encoding = Arg::omitted(), prefix = None,
    algorithm = Arg::omitted(), timestamp_header = None, id_header = None, event_header = None,
    json_fallback = Arg::omitted()
))]
// The defaults above are Rust expressions, which pyo3 renders as `...`: spell them out for
// `inspect.signature` (and stubtest).
#[pyo3(
    text_signature = "(id, signature_header, template='{body}', encoding='hex', prefix=None, \
    algorithm='sha256', timestamp_header=None, id_header=None, event_header=None, \
    json_fallback=False)"
)]
#[allow(clippy::too_many_arguments)]
fn custom_scheme(
    py: Python<'_>,
    id: &Bound<'_, PyAny>,
    signature_header: &Bound<'_, PyAny>,
    template: Arg<'_>,
    encoding: Arg<'_>,
    prefix: Option<&Bound<'_, PyAny>>,
    algorithm: Arg<'_>,
    timestamp_header: Option<&Bound<'_, PyAny>>,
    id_header: Option<&Bound<'_, PyAny>>,
    event_header: Option<&Bound<'_, PyAny>>,
    json_fallback: Arg<'_>,
) -> PyResult<PyScheme> {
    let id = convert::text(id, "id")?.into_owned();
    let signature_header = convert::text(signature_header, "signature_header")?.into_owned();
    let template = convert::text_or(&template, "template", "{body}")?;
    let encoding = convert::text_or(&encoding, "encoding", "hex")?;
    let prefix = convert::opt_text(prefix, "prefix")?;
    let algorithm = convert::text_or(&algorithm, "algorithm", "sha256")?;
    let timestamp_header = convert::opt_text(timestamp_header, "timestamp_header")?;
    let id_header = convert::opt_text(id_header, "id_header")?;
    let event_header = convert::opt_text(event_header, "event_header")?;
    let json_fallback = convert::flag_or(&json_fallback, "json_fallback", false)?;
    let inner = boundary(py, || {
        CustomScheme {
            id,
            signature_header,
            timestamp_header,
            id_header,
            event_header,
            template,
            encoding: hooksig::Encoding::parse(&encoding)?,
            prefix,
            algorithm: hooksig::Algorithm::parse(&algorithm)?,
            json_fallback,
        }
        .build()
    })?;
    Ok(PyScheme { inner })
}

/// A successfully verified webhook.
#[pyclass(frozen, module = "hooksig", name = "Verified")]
struct PyVerified {
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

/// Verifies webhooks of one scheme against one or more secrets, in constant time. Thread-safe:
/// build it once at start-up and share it.
#[pyclass(frozen, module = "hooksig", name = "Verifier")]
struct PyVerifier {
    inner: hooksig::Verifier,
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
    for name in verifier.scheme().header_names() {
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
        scheme, secret = None, secrets = None, tolerance = Arg::omitted(),
        secret_format = Arg::omitted(), json_fallback = None
    ))]
    #[pyo3(text_signature = "(scheme, secret=None, secrets=None, tolerance=300, \
        secret_format='auto', json_fallback=None)")]
    fn new(
        py: Python<'_>,
        scheme: &Bound<'_, PyAny>,
        secret: Option<&Bound<'_, PyAny>>,
        secrets: Option<&Bound<'_, PyAny>>,
        tolerance: Arg<'_>,
        secret_format: Arg<'_>,
        json_fallback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let scheme = scheme_arg(py, scheme)?;
        let tolerance = convert::int_or(&tolerance, "tolerance", 300)?;
        let secret_format = convert::text_or(&secret_format, "secret_format", "auto")?;
        let json_fallback = convert::opt_flag(json_fallback, "json_fallback")?;
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
                .secret_format(hooksig::SecretFormat::parse(&secret_format)?)
                .tolerance(tolerance);
            if let Some(on) = json_fallback {
                builder = builder.json_fallback(on);
            }
            builder.build()
        })?;
        Ok(PyVerifier {
            scheme_id: inner.scheme().id().into(),
            header_names: header_names(&inner),
            inner,
        })
    }

    /// The scheme id.
    #[getter]
    fn scheme(&self) -> &str {
        self.inner.scheme().id()
    }

    /// How long a replay guard should remember this verifier's deliveries (seconds): the past
    /// plus future tolerance plus 60 s, or 24 h for schemes without timestamps (the core's
    /// `default_ttl`).
    #[getter]
    fn replay_ttl(&self) -> u64 {
        hooksig::default_ttl(&self.inner)
    }

    /// Verifies a request; returns `Verified` or raises a `VerificationError` subclass.
    #[pyo3(signature = (headers, body, now = None))]
    fn verify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyVerified> {
        self.check(py, headers, body, now)?
            .map_err(|err| errors::to_pyerr(py, &err))
    }

    /// Signs `body` with the first secret (decoded with this verifier's `secret_format`).
    #[pyo3(signature = (body, timestamp = None, id = None, event_type = None))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        timestamp: Option<&Bound<'py, PyAny>>,
        id: Option<&Bound<'py, PyAny>>,
        event_type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let timestamp = convert::opt_int(timestamp, "timestamp")?;
        let id = convert::opt_text(id, "id")?;
        let event_type = convert::opt_text(event_type, "event_type")?;
        let body = convert::body(body)?;
        let options = SignOptions {
            timestamp,
            id: id.as_deref(),
            event_type: event_type.as_deref(),
        };
        let bytes = body.as_slice();
        let sign = || self.inner.sign(bytes, &options);
        let headers = if body.is_immutable() && bytes.len() >= DETACH_THRESHOLD {
            boundary_detached(py, sign)
        } else {
            boundary(py, sign)
        }?;
        headers_dict(py, headers)
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
    /// [`PyVerifier::verify`] with the core's error returned rather than raised (what
    /// `Receiver.verify` answers from). The outer `PyResult` holds argument errors and a panic.
    fn check(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<hooksig::Result<PyVerified>> {
        let now = convert::opt_int(now, "now")?;
        let header_objects = convert::headers(headers, &self.header_names)?;
        let headers = header_objects.pairs();
        let body = convert::body(body)?;
        let verifier = &self.inner;
        // Work that can be long runs with the GIL released: a big body (HMAC, the Chaindoc
        // fallback), or any body when the verifier holds ed25519 keys (each `v1a` entry costs
        // a signature verification per key, up to MAX_SIGNATURE_ENTRIES × keys of them).
        let long = body.as_slice().len() >= DETACH_THRESHOLD || verifier.has_ed25519_keys();
        let copy: Vec<u8>;
        let bytes: &[u8] = if long && !body.is_immutable() {
            // A bytearray could be resized by other threads once the GIL is released: verify
            // a copy (one memcpy, cheaper than the MAC that follows).
            copy = body.as_slice().to_vec();
            &copy
        } else {
            body.as_slice()
        };
        // The core's error is kept (Ok(Err(..))): only a panic leaves through the boundary.
        let run = || {
            Ok(match now {
                Some(now) => verifier.verify_at(&headers, bytes, now),
                None => verifier.verify(&headers, bytes),
            })
        };
        let result = if long {
            // `bytes` borrows an immutable `bytes` object we hold a reference to, or our own
            // Vec: it stays valid and unchanged while other threads run Python code.
            boundary_detached(py, run)
        } else {
            boundary(py, run)
        }?;
        let result = match result {
            Ok(result) => result,
            Err(err) => return Ok(Err(err)),
        };
        let payload = match (&result.payload, &body) {
            // The authenticated bytes are the whole body: hand back the caller's own object.
            (std::borrow::Cow::Borrowed(p), Body::Bytes(b)) if p.len() == bytes.len() => {
                b.clone().unbind()
            }
            (p, _) => PyBytes::new(py, p).unbind(),
        };
        Ok(Ok(PyVerified {
            scheme: Arc::clone(&self.scheme_id),
            timestamp: result.timestamp,
            id: result.id,
            event_type: result.event_type,
            key_index: result.key_index,
            payload,
            id_signed: result.id_signed,
            fingerprint: result.signature_fingerprint,
        }))
    }
}

/// Signed headers as a dict, in the order a sender should send them.
fn headers_dict(py: Python<'_>, headers: SignedHeaders) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in headers {
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

/// Signs `body` for a scheme with one secret (decoded the scheme's `auto` way).
#[pyfunction]
#[pyo3(signature = (scheme, secret, body, timestamp = None, id = None, event_type = None))]
fn sign<'py>(
    py: Python<'py>,
    scheme: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    timestamp: Option<&Bound<'py, PyAny>>,
    id: Option<&Bound<'py, PyAny>>,
    event_type: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let timestamp = convert::opt_int(timestamp, "timestamp")?;
    let id = convert::opt_text(id, "id")?;
    let event_type = convert::opt_text(event_type, "event_type")?;
    let scheme = scheme_arg(py, scheme)?;
    let secret = convert::secret(secret)?;
    let body = convert::body(body)?;
    let options = SignOptions {
        timestamp,
        id: id.as_deref(),
        event_type: event_type.as_deref(),
    };
    let bytes = body.as_slice();
    let sign = || hooksig::sign_with(&scheme, &secret, bytes, &options);
    // A big immutable body is signed with the GIL released, as `verify` does.
    let headers = if body.is_immutable() && bytes.len() >= DETACH_THRESHOLD {
        boundary_detached(py, sign)
    } else {
        boundary(py, sign)
    }?;
    headers_dict(py, headers)
}

/// Remembers verified deliveries for a while so that a retry or a replay is answered without
/// running the handler twice: the core's in-memory `ReplayGuard` (atomic check-and-remember,
/// entries expire after `ttl` seconds, at most `capacity` entries, oldest evicted first).
/// Thread-safe; one process only (see `RedisReplayGuard` for several).
#[pyclass(frozen, module = "hooksig", name = "ReplayGuard")]
struct PyReplayGuard {
    inner: hooksig::ReplayGuard,
}

/// A replay key: a `str` (lone surrogates refused).
fn guard_key<'a>(key: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    convert::text(key, "key")
}

#[pymethods]
impl PyReplayGuard {
    #[new]
    #[pyo3(signature = (ttl = None, capacity = Arg::omitted(), verifier = None))]
    #[pyo3(text_signature = "(ttl=None, capacity=100000, verifier=None)")]
    fn new(
        py: Python<'_>,
        ttl: Option<&Bound<'_, PyAny>>,
        capacity: Arg<'_>,
        verifier: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let verifier = match verifier {
            Some(v) if !v.is_none() => Some(v.cast::<PyVerifier>().map_err(|_| {
                errors::invalid_argument(py, "verifier must be a hooksig.Verifier")
            })?),
            _ => None,
        };
        let ttl = match (convert::opt_int(ttl, "ttl")?, verifier) {
            (Some(ttl), _) => u64::try_from(ttl)
                .ok()
                .filter(|&t| t >= 1)
                .ok_or_else(|| errors::invalid_argument(py, "ttl must be at least 1 second"))?,
            (None, Some(v)) => hooksig::default_ttl(&v.get().inner),
            (None, None) => {
                return Err(errors::invalid_argument(
                    py,
                    "ReplayGuard needs ttl=SECONDS or verifier=... (whose replay_ttl is used)",
                ));
            }
        };
        let default_capacity = i64::try_from(hooksig::DEFAULT_REPLAY_CAPACITY).unwrap_or(i64::MAX);
        let capacity = convert::int_or(&capacity, "capacity", default_capacity)?;
        let capacity = usize::try_from(capacity)
            .ok()
            .filter(|&c| c >= 1)
            .ok_or_else(|| errors::invalid_argument(py, "capacity must be at least 1"))?;
        Ok(PyReplayGuard {
            inner: hooksig::ReplayGuard::new(ttl, capacity),
        })
    }

    /// `True` if `key` is new (it is now remembered for `ttl` seconds), `False` if it is a
    /// duplicate. Atomic. `now` (Unix seconds) replaces the system clock, for tests.
    #[pyo3(signature = (key, now = None))]
    fn check_and_remember(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let key = guard_key(key)?;
        let now = convert::opt_int(now, "now")?;
        let guard = &self.inner;
        boundary(py, || {
            Ok(match now {
                Some(now) => guard.check_and_remember(&key, now),
                None => guard.remember(&key),
            })
        })
    }

    /// Forgets `key` (call it when the handler failed, so that the sender's retry runs it).
    fn forget(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let key = guard_key(key)?;
        boundary(py, || {
            self.inner.forget(&key);
            Ok(())
        })
    }

    /// Seconds a key is remembered.
    #[getter]
    fn ttl(&self) -> u64 {
        self.inner.ttl()
    }

    /// The most keys remembered at once.
    #[getter]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// Keys currently remembered (expired ones included until purged).
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "ReplayGuard(ttl={}, capacity={}, len={})",
            self.inner.ttl(),
            self.inner.capacity(),
            self.inner.len()
        )
    }
}

/// The ids of the built-in schemes.
#[pyfunction]
fn schemes() -> Vec<&'static str> {
    hooksig::SCHEME_IDS.to_vec()
}

/// Test hook: runs a panicking closure through [`boundary`] (or, with `detached`, through
/// [`boundary_detached`], the path `verify` takes for large bodies), so the tests can prove that
/// a panic surfaces as `VerificationError(code="internal")` and not as a crash.
#[pyfunction]
#[pyo3(signature = (detached = false))]
fn _panic_through_boundary(py: Python<'_>, detached: bool) -> PyResult<()> {
    let panics = || -> hooksig::Result<()> {
        panic!("deliberate panic from hooksig._native._panic_through_boundary (a test)")
    };
    if detached {
        boundary_detached(py, panics)
    } else {
        boundary(py, panics)
    }
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", hooksig::VERSION)?;
    m.add("DETACH_THRESHOLD", DETACH_THRESHOLD)?;
    m.add("DEFAULT_REPLAY_CAPACITY", hooksig::DEFAULT_REPLAY_CAPACITY)?;
    m.add_class::<PyVerifier>()?;
    m.add_class::<PyVerified>()?;
    m.add_class::<PyScheme>()?;
    m.add_class::<PyReplayGuard>()?;
    m.add_class::<receive::PyReceiver>()?;
    m.add_class::<receive::PyAnswer>()?;
    m.add_class::<shared_store::PySharedStore>()?;
    m.add_class::<shared_store::PyStoreCommand>()?;
    m.add("STORE_PREFIX", hooksig::shared_store::STORE_PREFIX)?;
    m.add("PROCESSING_TTL", hooksig::shared_store::PROCESSING_TTL_SECS)?;
    m.add("STORE_TIMEOUT_MS", hooksig::shared_store::STORE_TIMEOUT_MS)?;
    m.add("DEFAULT_BODY_LIMIT", hooksig::receive::DEFAULT_BODY_LIMIT)?;
    m.add("RETRY_AFTER", hooksig::receive::RETRY_AFTER_SECS)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(schemes, m)?)?;
    m.add_function(wrap_pyfunction!(scheme, m)?)?;
    m.add_function(wrap_pyfunction!(custom_scheme, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_through_boundary, m)?)?;
    errors::register(m)?;
    Ok(())
}
