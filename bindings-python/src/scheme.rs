//! `hooksig.Scheme` and the functions that make one: `scheme(id)` for a built-in scheme,
//! `custom_scheme(...)` for the core's custom-scheme builder, and `schemes()` (the built-in ids).

use hooksig::{CustomScheme, Scheme};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::boundary::boundary;
use crate::convert::{self, Arg};
use crate::errors;

/// A webhook signature scheme: a built-in one (by id) or one made with `custom_scheme(...)`.
#[pyclass(frozen, module = "hooksig", name = "Scheme")]
pub(crate) struct PyScheme {
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
pub(crate) fn scheme_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Scheme> {
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

/// The ids of the built-in schemes.
#[pyfunction]
pub(crate) fn schemes() -> Vec<&'static str> {
    hooksig::SCHEME_IDS.to_vec()
}

/// The built-in scheme with this id (`UnknownScheme` otherwise).
#[pyfunction]
pub(crate) fn scheme(py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<PyScheme> {
    if !id.is_instance_of::<PyString>() {
        return Err(errors::invalid_argument(py, "the scheme id must be a str"));
    }
    Ok(PyScheme {
        inner: scheme_arg(py, id)?,
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
pub(crate) fn custom_scheme(
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
    let template = template.or("template", "{body}")?;
    let encoding = encoding.or::<String>("encoding", "hex")?;
    let prefix = convert::opt(prefix, "prefix")?;
    let algorithm = algorithm.or::<String>("algorithm", "sha256")?;
    let timestamp_header = convert::opt(timestamp_header, "timestamp_header")?;
    let id_header = convert::opt(id_header, "id_header")?;
    let event_header = convert::opt(event_header, "event_header")?;
    let json_fallback = json_fallback.or("json_fallback", false)?;
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
