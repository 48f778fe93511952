//! `hooksig.sign(...)`, and what it shares with `Verifier.sign`: the optional arguments and the
//! signed headers as a dict. A big immutable body is signed with the GIL released, as `verify`
//! does.

use hooksig::{SignOptions, SignedHeaders};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::boundary::{DETACH_THRESHOLD, boundary, boundary_detached};
use crate::convert::{self, Body};
use crate::scheme::scheme_arg;

/// The optional arguments of both `sign`s (`timestamp`, `id`, `event_type`), converted.
pub(crate) struct SignArgs {
    timestamp: Option<i64>,
    id: Option<String>,
    event_type: Option<String>,
}

impl SignArgs {
    pub(crate) fn new(
        timestamp: Option<&Bound<'_, PyAny>>,
        id: Option<&Bound<'_, PyAny>>,
        event_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(SignArgs {
            timestamp: convert::opt_int(timestamp, "timestamp")?,
            id: convert::opt_text(id, "id")?,
            event_type: convert::opt_text(event_type, "event_type")?,
        })
    }

    fn options(&self) -> SignOptions<'_> {
        SignOptions {
            timestamp: self.timestamp,
            id: self.id.as_deref(),
            event_type: self.event_type.as_deref(),
            ..Default::default()
        }
    }
}

/// Runs `sign` on the body's bytes through the boundary (with the GIL released for an immutable
/// body of [`DETACH_THRESHOLD`] bytes or more) and returns the headers as a dict.
pub(crate) fn signed<'py>(
    py: Python<'py>,
    body: &Body<'_>,
    args: &SignArgs,
    sign: impl FnOnce(&[u8], &SignOptions<'_>) -> hooksig::Result<SignedHeaders> + Send,
) -> PyResult<Bound<'py, PyDict>> {
    let options = args.options();
    let bytes = body.as_slice();
    let sign = || sign(bytes, &options);
    let headers = if body.is_immutable() && bytes.len() >= DETACH_THRESHOLD {
        boundary_detached(py, sign)
    } else {
        boundary(py, sign)
    }?;
    headers_dict(py, headers)
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
pub(crate) fn sign<'py>(
    py: Python<'py>,
    scheme: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    timestamp: Option<&Bound<'py, PyAny>>,
    id: Option<&Bound<'py, PyAny>>,
    event_type: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let args = SignArgs::new(timestamp, id, event_type)?;
    let scheme = scheme_arg(py, scheme)?;
    let secret = convert::secret(secret)?;
    let body = convert::body(body)?;
    signed(py, &body, &args, |bytes, options| {
        hooksig::sign_with(&scheme, &secret, bytes, options)
    })
}
