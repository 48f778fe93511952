//! The detailed error object: a status, the header involved and a message.

use std::ffi::{CString, c_char};

use crate::panic::{ffi_boundary, ffi_free, ffi_get};
use crate::status::{self, hooksig_status};
use crate::text::c_string;

/// A failure on its way to C.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: hooksig_status,
    header: Option<String>,
    message: String,
}

impl Failure {
    pub(crate) fn new(status: hooksig_status, message: impl Into<String>) -> Failure {
        Failure {
            status,
            header: None,
            message: message.into(),
        }
    }

    pub(crate) fn internal() -> Failure {
        Failure::new(
            hooksig_status::HOOKSIG_INTERNAL,
            "internal error: a Rust panic was caught at the C boundary (a bug in hooksig; \
             please report it)",
        )
    }
}

impl From<hooksig::Error> for Failure {
    fn from(err: hooksig::Error) -> Failure {
        Failure {
            status: err.code().into(),
            header: err.header().map(str::to_owned),
            message: err.message().to_owned(),
        }
    }
}

/// Details of a failed call: the status, the header involved (if any) and a human message
/// (never a secret or the body). Returned through `err_out`; free with `hooksig_error_free`.
pub struct hooksig_error {
    pub(crate) status: hooksig_status,
    header: Option<CString>,
    message: CString,
}

/// Stores `failure` in `*err_out` when `err_out` (NULL or writable) is not NULL.
pub(crate) unsafe fn write_error(err_out: *mut *mut hooksig_error, failure: Failure) {
    if !err_out.is_null() {
        let header = failure.header.as_deref().map(c_string);
        let message = c_string(&failure.message);
        let err = hooksig_error {
            status: failure.status,
            header,
            message,
        };
        // SAFETY: the caller guarantees a non-NULL `err_out` is writable.
        unsafe { crate::input::give(err_out, err) };
    }
}

/// The error's status (`HOOKSIG_NULL_ARGUMENT` if `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_status(err: *const hooksig_error) -> hooksig_status {
    ffi_boundary(
        || hooksig_status::HOOKSIG_INTERNAL,
        // SAFETY: forwarded from this function's contract.
        || unsafe { err.as_ref() }.map_or(hooksig_status::HOOKSIG_NULL_ARGUMENT, |e| e.status),
    )
}

/// The error's stable string code, e.g. `"signature_mismatch"` (static; NULL if `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_code(err: *const hooksig_error) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(err, std::ptr::null(), |e| status::code_ptr(e.status)) }
}

/// The canonical name of the header the error is about (e.g. `"X-Hub-Signature-256"`), or NULL
/// when the error is not about a header (configuration errors) or `err` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_header(err: *const hooksig_error) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(err, std::ptr::null(), |e| {
            e.header.as_deref().map_or(std::ptr::null(), |h| h.as_ptr())
        })
    }
}

/// A human, secret-free message (NUL-terminated; NULL if `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_message(err: *const hooksig_error) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(err, std::ptr::null(), |e| e.message.as_ptr()) }
}

/// Releases an error. NULL is a no-op. Do not use `err` or its strings afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_free(err: *mut hooksig_error) {
    // SAFETY: forwarded from this function's contract (`err` came from `write_error`).
    unsafe { ffi_free(err) }
}
