//! `hooksig.sign(...)`, and what it shares with `Verifier.sign`: the optional arguments and the
//! signed headers as a dict. A big immutable body is signed with the GIL released, as `verify`
//! does.

use hooksig::{SignOptions, SignedHeaders};
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyDict};

use crate::boundary::{DETACH_THRESHOLD, on_body};
use crate::convert;
use crate::scheme::scheme_arg;

/// The optional arguments of both `sign`s: `timestamp`, `id`, `event_type`, `url`, `method`.
pub(crate) type SignArgs<'a, 'py> = [Option<&'a Bound<'py, PyAny>>; 5];

/// Converts the optional arguments and the body, runs `sign` on the body's bytes through the
/// boundary (with the GIL released for a body of [`DETACH_THRESHOLD`] bytes or more)
/// and returns the signed headers as a dict, in the order a sender should send them.
pub(crate) fn signed<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    [timestamp, id, event_type, url, method]: SignArgs<'_, 'py>,
    sign: impl FnOnce(&[u8], &SignOptions<'_>) -> hooksig::Result<SignedHeaders> + Send,
) -> PyResult<Bound<'py, PyDict>> {
    let timestamp = convert::opt::<i64>(timestamp, "timestamp")?;
    let id = convert::opt_text(id, "id")?;
    let event_type = convert::opt_text(event_type, "event_type")?;
    let url = convert::opt_text(url, "url")?;
    let method = convert::opt_text(method, "method")?;
    let options = SignOptions {
        timestamp,
        id: id.as_deref(),
        event_type: event_type.as_deref(),
        url: url.as_deref(),
        method: method.as_deref(),
    };
    let body = convert::body(body)?;
    let long = body.as_slice().len() >= DETACH_THRESHOLD;
    let body = (&body, &mut Vec::new());
    on_body(py, body, long, |bytes| sign(bytes, &options))?.into_py_dict(py)
}

/// Signs `body` for a scheme with one secret (decoded the scheme's `auto` way). `url` and
/// `method` (`POST` when `None`) are the request line, required (`url`) by the schemes that
/// sign it (`twilio`, `square`, `hubspot`, custom `{url}`) and ignored by the others.
#[pyfunction]
#[pyo3(signature = (
    scheme, secret, body, timestamp = None, id = None, event_type = None, *, url = None,
    method = None
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign<'py>(
    py: Python<'py>,
    scheme: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    timestamp: Option<&Bound<'py, PyAny>>,
    id: Option<&Bound<'py, PyAny>>,
    event_type: Option<&Bound<'py, PyAny>>,
    url: Option<&Bound<'py, PyAny>>,
    method: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let scheme = scheme_arg(py, scheme)?;
    let secret = convert::secret(secret)?;
    signed(
        py,
        body,
        [timestamp, id, event_type, url, method],
        |bytes, options| hooksig::sign_with(&scheme, &secret, bytes, options),
    )
}

/// Joins a public base URL (`https://hooks.example.com`, or with a path prefix) and a request's
/// path and query with exactly one `/` between them (the core's `RequestLine::public_url`): the
/// URL a sender behind a proxy requested, which the integrations' `public_url=` option builds.
#[pyfunction]
pub(crate) fn public_url(
    base: &Bound<'_, PyAny>,
    path_and_query: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let base = convert::text(base, "base")?;
    let path = convert::text(path_and_query, "path_and_query")?;
    Ok(hooksig::RequestLine::public_url(&base, &path))
}
