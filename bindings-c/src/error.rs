//! The detailed error object: a status, the header involved and a message.

use std::ffi::{CString, c_char};

use crate::panic::ffi_boundary;
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

/// Details of a failed call: the status, the header involved (if any) and a human message.
///
/// Returned through the optional `hooksig_error **err_out` argument of every function that can
/// fail; pass NULL there when you only need the status. The caller owns it: release it with
/// `hooksig_error_free`. Strings returned by its accessors live as long as the object.
/// Messages never contain a secret or the body. Safe to read from several threads.
pub struct hooksig_error {
    status: hooksig_status,
    header: Option<CString>,
    message: CString,
}

impl hooksig_error {
    /// The error's status (for `hooksig_receiver_rejected`).
    pub(crate) fn status(&self) -> hooksig_status {
        self.status
    }
}

/// Stores `failure` in `*err_out` when `err_out` is not NULL.
///
/// # Safety
/// `err_out` is NULL or valid for a write of one pointer.
pub(crate) unsafe fn write_error(err_out: *mut *mut hooksig_error, failure: Failure) {
    if err_out.is_null() {
        return;
    }
    let err = Box::new(hooksig_error {
        status: failure.status,
        header: failure.header.as_deref().map(c_string),
        message: c_string(&failure.message),
    });
    // SAFETY: the caller guarantees a non-NULL `err_out` is writable.
    unsafe { *err_out = Box::into_raw(err) };
}

/// # Safety
/// `err` is NULL or a live `hooksig_error`.
unsafe fn get<'a>(err: *const hooksig_error) -> Option<&'a hooksig_error> {
    // SAFETY: the caller guarantees `err` is NULL or live.
    unsafe { err.as_ref() }
}

/// The error's status (`HOOKSIG_NULL_ARGUMENT` if `err` is NULL).
///
/// # Safety
/// `err` is NULL or a live `hooksig_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_status(err: *const hooksig_error) -> hooksig_status {
    ffi_boundary(
        || hooksig_status::HOOKSIG_INTERNAL,
        // SAFETY: forwarded from this function's contract.
        || unsafe { get(err) }.map_or(hooksig_status::HOOKSIG_NULL_ARGUMENT, |e| e.status),
    )
}

/// The error's stable string code, e.g. `"signature_mismatch"` (static; NULL if `err` is NULL).
///
/// # Safety
/// `err` is NULL or a live `hooksig_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_code(err: *const hooksig_error) -> *const c_char {
    ffi_boundary(std::ptr::null, || {
        // SAFETY: forwarded from this function's contract.
        unsafe { get(err) }.map_or(std::ptr::null(), |e| status::code_ptr(e.status))
    })
}

/// The canonical name of the header the error is about (e.g. `"X-Hub-Signature-256"`), or NULL
/// when the error is not about a header (configuration errors) or `err` is NULL. Valid until
/// `hooksig_error_free(err)`.
///
/// # Safety
/// `err` is NULL or a live `hooksig_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_header(err: *const hooksig_error) -> *const c_char {
    ffi_boundary(std::ptr::null, || {
        // SAFETY: forwarded from this function's contract.
        unsafe { get(err) }
            .and_then(|e| e.header.as_deref())
            .map_or(std::ptr::null(), |h| h.as_ptr())
    })
}

/// A human, secret-free message (NUL-terminated; NULL if `err` is NULL). Valid until
/// `hooksig_error_free(err)`.
///
/// # Safety
/// `err` is NULL or a live `hooksig_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_message(err: *const hooksig_error) -> *const c_char {
    ffi_boundary(std::ptr::null, || {
        // SAFETY: forwarded from this function's contract.
        unsafe { get(err) }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// Releases an error. NULL is a no-op. Do not use `err` or its strings afterwards.
///
/// # Safety
/// `err` is NULL or a `hooksig_error` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_error_free(err: *mut hooksig_error) {
    ffi_boundary(
        || (),
        || {
            if !err.is_null() {
                // SAFETY: `err` came from `Box::into_raw` in `write_error` and is freed once.
                drop(unsafe { Box::from_raw(err) });
            }
        },
    )
}
