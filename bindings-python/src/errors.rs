//! The one place where core errors become Python exceptions.
//!
//! Hierarchy (every class lives in `hooksig`, every one is a `ValueError`):
//!
//! ```text
//! HooksigError(ValueError)            .code .header .http_status
//! ├── VerificationError               a request failed verification (code "internal" if bare)
//! │   ├── MissingSignature, MissingTimestamp, MissingId,
//! │   ├── MalformedSignature, MalformedTimestamp,
//! │   └── TimestampExpired, TimestampInFuture, SignatureMismatch
//! └── ConfigError                     the verifier (or a sign call) was configured wrongly
//!     └── InvalidSecret, UnknownScheme, InvalidConfig
//! ```
//!
//! `code` and `http_status` are class attributes copied from the core's `ErrorCode` when the
//! module loads, so the Flask and FastAPI integrations read the status from the core's one table.
//! `class_of` is an exhaustive match: a new core code does not compile until it has a class.

use hooksig::{Error, ErrorCode};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

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
create_exception!(hooksig, MissingSignature, VerificationError);
create_exception!(hooksig, MissingTimestamp, VerificationError);
create_exception!(hooksig, MissingId, VerificationError);
create_exception!(hooksig, MalformedSignature, VerificationError);
create_exception!(hooksig, MalformedTimestamp, VerificationError);
create_exception!(hooksig, TimestampExpired, VerificationError);
create_exception!(hooksig, TimestampInFuture, VerificationError);
create_exception!(hooksig, SignatureMismatch, VerificationError);
create_exception!(hooksig, InvalidSecret, ConfigError);
create_exception!(hooksig, UnknownScheme, ConfigError);
create_exception!(hooksig, InvalidConfig, ConfigError);

/// The code of a failure that is not the caller's: a panic caught at the boundary.
const INTERNAL: &str = "internal";
const INTERNAL_STATUS: u16 = 500;
const INTERNAL_DESCRIPTION: &str = "an unexpected failure inside hooksig";

fn class_of(py: Python<'_>, code: ErrorCode) -> Bound<'_, PyType> {
    match code {
        ErrorCode::MissingSignature => py.get_type::<MissingSignature>(),
        ErrorCode::MissingTimestamp => py.get_type::<MissingTimestamp>(),
        ErrorCode::MissingId => py.get_type::<MissingId>(),
        ErrorCode::MalformedSignature => py.get_type::<MalformedSignature>(),
        ErrorCode::MalformedTimestamp => py.get_type::<MalformedTimestamp>(),
        ErrorCode::TimestampExpired => py.get_type::<TimestampExpired>(),
        ErrorCode::TimestampInFuture => py.get_type::<TimestampInFuture>(),
        ErrorCode::SignatureMismatch => py.get_type::<SignatureMismatch>(),
        ErrorCode::InvalidSecret => py.get_type::<InvalidSecret>(),
        ErrorCode::UnknownScheme => py.get_type::<UnknownScheme>(),
        ErrorCode::InvalidConfig => py.get_type::<InvalidConfig>(),
    }
}

/// Builds the Python exception for a core error. The message is the core's, which never holds
/// a secret or the body.
pub fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let err_type = class_of(py, err.code());
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

/// `invalid_config`, for options the binding itself refuses before calling the core.
pub fn invalid_config(py: Python<'_>, message: &str) -> PyErr {
    let err_type = class_of(py, ErrorCode::InvalidConfig);
    match err_type.call1((message,)) {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// Adds the classes to the module and stamps `code`, `http_status` and `description` on them.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let config = ErrorCode::InvalidConfig;
    let bases = [
        (
            py.get_type::<HooksigError>(),
            INTERNAL,
            INTERNAL_STATUS,
            INTERNAL_DESCRIPTION,
        ),
        (
            py.get_type::<VerificationError>(),
            INTERNAL,
            INTERNAL_STATUS,
            INTERNAL_DESCRIPTION,
        ),
        (
            py.get_type::<ConfigError>(),
            config.as_str(),
            config.http_status(),
            config.description(),
        ),
    ];
    for (base, code, status, description) in bases {
        base.setattr("code", code)?;
        base.setattr("header", py.None())?;
        base.setattr("http_status", status)?;
        base.setattr("description", description)?;
        m.add(base.name()?, &base)?;
    }
    for code in ErrorCode::ALL {
        let class = class_of(py, code);
        class.setattr("code", code.as_str())?;
        class.setattr("http_status", code.http_status())?;
        class.setattr("description", code.description())?;
        m.add(class.name()?, &class)?;
    }
    Ok(())
}
