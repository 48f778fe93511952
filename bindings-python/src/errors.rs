//! The one place where core errors become Python exceptions.
//!
//! Hierarchy (every class lives in `hooksig`, every one is a `ValueError`):
//!
//! ```text
//! HooksigError(ValueError)            .code .header .http_status
//! ├── VerificationError               a request failed verification (code "internal" if bare)
//! │   ├── MissingSignature, MissingTimestamp, MissingId,
//! │   ├── MalformedSignature, MalformedTimestamp,
//! │   ├── TimestampExpired, TimestampInFuture, SignatureMismatch
//! │   └── MethodNotAllowed, BodyTooLarge, BodyReadFailed   refused before verification
//! ├── ConfigError                     the verifier (or a sign call) was configured wrongly
//! │   ├── InvalidSecret, UnknownScheme
//! │   └── InvalidConfig
//! │       └── InvalidArgument(InvalidConfig, TypeError)   a wrong type or out-of-range argument
//! └── ReplayStoreError                (hooksig._replay, Python: they carry `retry_after`)
//!     └── DeliveryInProgress, ReplayStoreUnavailable
//! ```
//!
//! `InvalidArgument` also derives from `TypeError`, so `except TypeError` keeps working for the
//! mistakes Python code conventionally reports that way; it is built at import time with
//! `type(...)` because `create_exception!` takes a single base.
//!
//! `code` and `http_status` are class attributes copied from the core's `ErrorCode` when the
//! module loads, so the Flask and FastAPI integrations read the status from the core's one table.

use hooksig::{Error, ErrorCode, INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS};
use pyo3::create_exception;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

create_exception!(
    hooksig,
    HooksigError,
    PyValueError,
    "Base class of every hooksig error: `.code` (stable string), `.header` (canonical header \
     name or None) and `.http_status` (what a receiver should answer)."
);
create_exception!(
    hooksig,
    VerificationError,
    HooksigError,
    "A received webhook failed verification; one subclass per code. A bare VerificationError \
     has code \"internal\" (an unexpected failure inside hooksig, never a crash)."
);
create_exception!(
    hooksig,
    ConfigError,
    HooksigError,
    "A verifier or signing call was configured wrongly (invalid_secret, unknown_scheme, \
     invalid_config)."
);
/// One class per core code, and `class_of`: an exhaustive match, so a new core code does not
/// compile until it has a class. `InvalidArgument` has two bases (built at import time); the
/// replay-store classes are Python's (`hooksig._replay`: they carry `retry_after`), imported when
/// first needed, never while this module initializes.
macro_rules! code_classes {
    ($($code:ident($base:ident)),* $(,)?) => {
        $(create_exception!(hooksig, $code, $base);)*

        fn class_of(py: Python<'_>, code: ErrorCode) -> PyResult<Bound<'_, PyType>> {
            Ok(match code {
                $(ErrorCode::$code => py.get_type::<$code>(),)*
                ErrorCode::InvalidArgument => invalid_argument_type(py)?.clone(),
                ErrorCode::DeliveryInProgress => replay_class(py, "DeliveryInProgress")?,
                ErrorCode::ReplayStoreUnavailable => replay_class(py, "ReplayStoreUnavailable")?,
            })
        }
    };
}

code_classes!(
    MissingSignature(VerificationError),
    MissingTimestamp(VerificationError),
    MissingId(VerificationError),
    MalformedSignature(VerificationError),
    MalformedTimestamp(VerificationError),
    TimestampExpired(VerificationError),
    TimestampInFuture(VerificationError),
    SignatureMismatch(VerificationError),
    InvalidSecret(ConfigError),
    UnknownScheme(ConfigError),
    InvalidConfig(ConfigError),
    MethodNotAllowed(VerificationError),
    BodyTooLarge(VerificationError),
    BodyReadFailed(VerificationError),
);

/// `hooksig.InvalidArgument(InvalidConfig, TypeError)`, created once per interpreter.
static INVALID_ARGUMENT: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn invalid_argument_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let ty = INVALID_ARGUMENT.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let bases = PyTuple::new(
            py,
            [
                py.get_type::<InvalidConfig>().into_any(),
                py.get_type::<PyTypeError>().into_any(),
            ],
        )?;
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "hooksig")?;
        namespace.set_item(
            "__doc__",
            "An argument has the wrong type or is out of range (a programming mistake, not \
             request content). Code invalid_argument; also an InvalidConfig and a TypeError.",
        )?;
        let class = py
            .get_type::<PyType>()
            .call1(("InvalidArgument", bases, namespace))?;
        Ok(class.cast_into::<PyType>()?.unbind())
    })?;
    Ok(ty.bind(py))
}

fn replay_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    Ok(py
        .import("hooksig._replay")?
        .getattr(name)?
        .cast_into::<PyType>()?)
}

/// `(http_status, description)` of a code, for the classes defined in Python
/// (`hooksig._replay`): `_native._error_info("delivery_in_progress")`.
#[pyfunction]
pub fn _error_info(py: Python<'_>, code: &Bound<'_, PyAny>) -> PyResult<(u16, &'static str)> {
    let code = code
        .cast::<pyo3::types::PyString>()
        .ok()
        .and_then(|s| ErrorCode::parse(&s.to_string_lossy()))
        .ok_or_else(|| invalid_argument(py, "code must be a hooksig error code (str)"))?;
    Ok((code.http_status(), code.description()))
}

/// Builds the Python exception for a core error. The message is the core's, which never holds
/// a secret or the body.
pub fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let err_type = match class_of(py, err.code()) {
        Ok(ty) => ty,
        Err(e) => return e,
    };
    match err_type.call1((err.message(),)) {
        Ok(value) => {
            // The class carries `code` and `http_status`; the instance adds the header.
            if let Err(e) = value.setattr("header", err.header()) {
                return e;
            }
            PyErr::from_value(value)
        }
        Err(e) => e,
    }
}

/// A `VerificationError` with code "internal", for a panic caught at the boundary.
pub fn internal(py: Python<'_>) -> PyErr {
    let err_type = py.get_type::<VerificationError>();
    match err_type.call1(("internal error in hooksig (a bug: please report it)",)) {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// The exception of `code`'s class with `message`, raised by the binding itself.
fn raised(py: Python<'_>, code: ErrorCode, message: String) -> PyErr {
    match class_of(py, code).and_then(|ty| ty.call1((message,))) {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// `invalid_config`, for options the binding itself refuses before calling the core.
pub fn invalid_config(py: Python<'_>, message: &str) -> PyErr {
    raised(py, ErrorCode::InvalidConfig, message.to_owned())
}

/// `InvalidArgument` with `message`: a wrong argument type or an out-of-range number. The
/// message names the argument and the type received, never the value (it could be a secret).
pub fn invalid_argument(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raised(py, ErrorCode::InvalidArgument, message.into())
}

/// `InvalidSecret` raised by the binding itself (a secret the core would never see intact).
pub fn invalid_secret(py: Python<'_>, message: &str) -> PyErr {
    raised(py, ErrorCode::InvalidSecret, message.to_owned())
}

/// A plain `TypeError`/`OverflowError` raised while reading an argument (by Python itself or
/// by the caller's own objects, e.g. a mapping whose `items` is not callable) becomes
/// `InvalidArgument` with `context` in front and the original as `__cause__`. Every other
/// exception (our own, or any other raised by the caller's code) passes through unchanged.
pub fn retype(py: Python<'_>, err: PyErr, context: &str) -> PyErr {
    let already = invalid_argument_type(py).is_ok_and(|ty| err.is_instance(py, ty));
    if already
        || !(err.is_instance_of::<PyTypeError>(py) || err.is_instance_of::<PyOverflowError>(py))
    {
        return err;
    }
    let new = invalid_argument(py, format!("{context}: {}", err.value(py)));
    new.set_cause(py, Some(err));
    new
}

/// Adds the classes to the module and stamps `code`, `http_status` and `description` on them.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let info = |c: ErrorCode| (c.as_str(), c.http_status(), c.description());
    let internal = (
        INTERNAL_ERROR_CODE,
        INTERNAL_ERROR_STATUS,
        hooksig::INTERNAL_ERROR_DESCRIPTION,
    );
    let mut classes = vec![
        (py.get_type::<HooksigError>(), internal),
        (py.get_type::<VerificationError>(), internal),
        (py.get_type::<ConfigError>(), info(ErrorCode::InvalidConfig)),
    ];
    for code in ErrorCode::ALL {
        // The replay-store classes are stamped in `hooksig._replay`, from `_error_info`.
        if !matches!(
            code,
            ErrorCode::DeliveryInProgress | ErrorCode::ReplayStoreUnavailable
        ) {
            classes.push((class_of(py, code)?, info(code)));
        }
    }
    for (class, (code, status, description)) in classes {
        class.setattr("code", code)?;
        class.setattr("header", py.None())?;
        class.setattr("http_status", status)?;
        class.setattr("description", description)?;
        m.add(class.name()?, &class)?;
    }
    m.add_function(wrap_pyfunction!(_error_info, m)?)?;
    Ok(())
}
