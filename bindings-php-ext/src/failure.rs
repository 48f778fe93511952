//! How a failure reaches PHP: a `Hooksig\Ext\Failure` exception whose code is the C binding's
//! numeric status (so `HooksigException::getCode()` is the same number either way) and whose
//! message is the core's (never a secret). The header involved is read right after the catch
//! with `Failure::header()`: PHP runs one request per thread, so the last failure of this
//! thread is the one just caught.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::ce;

use crate::status;

/// The exception every fallible `Hooksig\Ext` call throws; the composer package turns it into
/// its own exception classes (`ErrorMapper`), as it does a C status.
#[php_class]
#[php(name = "Hooksig\\Ext\\Failure")]
#[php(extends(ce = ce::exception, stub = "\\Exception"))]
#[derive(Default)]
pub struct Failure;

#[php_impl]
impl Failure {
    /// The canonical name of the header the last failure of this thread was about, or null.
    pub fn header() -> Option<String> {
        LAST_HEADER.with(|h| h.borrow().clone())
    }
}

thread_local! {
    static LAST_HEADER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A failure on its way to PHP: the C status number, the header, the message.
#[derive(Debug)]
pub struct Fail {
    status: i32,
    header: Option<String>,
    message: String,
}

impl Fail {
    pub fn new(status: i32, message: impl Into<String>) -> Fail {
        Fail {
            status,
            header: None,
            message: message.into(),
        }
    }

    /// `HOOKSIG_INVALID_ARGUMENT` with a message.
    pub fn invalid_argument(message: impl Into<String>) -> Fail {
        Fail::new(status::INVALID_ARGUMENT, message)
    }

    /// The C binding's words for a caught panic.
    fn internal() -> Fail {
        Fail::new(
            status::INTERNAL,
            "internal error: a Rust panic was caught at the C boundary (a bug in hooksig; \
             please report it)",
        )
    }

    fn into_exception(self) -> PhpException {
        // NUL bytes become U+FFFD, as the C library's messages do.
        let clean = |s: &str| s.replace('\0', "\u{FFFD}");
        LAST_HEADER.with(|h| *h.borrow_mut() = self.header.as_deref().map(clean));
        PhpException::new(
            clean(&self.message),
            self.status,
            <Failure as ext_php_rs::class::RegisteredClass>::get_metadata().ce(),
        )
    }
}

impl From<hooksig::Error> for Fail {
    fn from(err: hooksig::Error) -> Fail {
        Fail {
            status: status::of(err.code()),
            header: err.header().map(str::to_owned),
            message: err.message().to_owned(),
        }
    }
}

/// Runs one entry point: a panic becomes the `internal` failure (no panic crosses into PHP,
/// whatever ext-php-rs does with one), a `Fail` becomes the exception.
pub fn guard<T>(f: impl FnOnce() -> Result<T, Fail>) -> PhpResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(fail)) => Err(fail.into_exception()),
        Err(_) => Err(Fail::internal().into_exception()),
    }
}
