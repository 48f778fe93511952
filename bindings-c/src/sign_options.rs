//! `hooksig_sign_options`: the optional settings of `hooksig_sign` and `hooksig_verifier_sign`.

use std::ffi::c_char;

use hooksig::SignOptions;

use crate::error::{Failure, hooksig_error};
use crate::input::opt_text;
use crate::panic::{ffi_free, ffi_new, ffi_set};
use crate::status::hooksig_status;
use crate::verifier::HOOKSIG_NOW;

/// Options for signing (passing NULL to `hooksig_sign` means all defaults): the system clock,
/// no message id (schemes that sign one derive it from the content), no event type. Not
/// synchronised: one thread at a time while setting; signing only reads them.
#[derive(Default)]
pub struct hooksig_sign_options {
    timestamp: Option<i64>,
    id: Option<String>,
    event_type: Option<String>,
    method: Option<String>,
    url: Option<String>,
}

impl hooksig_sign_options {
    /// The core's options, borrowing from `self`.
    pub(crate) fn core(&self) -> SignOptions<'_> {
        SignOptions {
            timestamp: self.timestamp,
            id: self.id.as_deref(),
            event_type: self.event_type.as_deref(),
            url: self.url.as_deref(),
            method: self.method.as_deref(),
        }
    }
}

/// Optional owned text (NULL and 0: `None`).
///
/// # Safety
/// As for [`opt_text`].
unsafe fn owned(ptr: *const c_char, len: usize, what: &str) -> Result<Option<String>, Failure> {
    // SAFETY: forwarded from this function's contract.
    Ok(unsafe { opt_text(ptr, len, what) }?.map(str::to_owned))
}

/// New options with every default.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_new(
    out: *mut *mut hooksig_sign_options,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_new(out, err_out, || Ok(hooksig_sign_options::default())) }
}

/// The timestamp to sign, Unix seconds, or `HOOKSIG_NOW` for the system clock (a negative
/// value is refused when signing: `HOOKSIG_INVALID_CONFIG`). Ignored by schemes without one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_timestamp(
    options: *mut hooksig_sign_options,
    timestamp: i64,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.timestamp = (timestamp != HOOKSIG_NOW).then_some(timestamp);
            Ok(())
        })
    }
}

/// The message id (UTF-8), or NULL (and 0) for none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_id(
    options: *mut hooksig_sign_options,
    id: *const c_char,
    id_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.id = owned(id, id_len, "id")?;
            Ok(())
        })
    }
}

/// The event type (UTF-8), or NULL (and 0) for none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_event_type(
    options: *mut hooksig_sign_options,
    event_type: *const c_char,
    event_type_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.event_type = owned(event_type, event_type_len, "event_type")?;
            Ok(())
        })
    }
}

/// The request line to sign, for the schemes that sign it (`twilio`, `square`, `hubspot`,
/// custom `{method}`/`{url}`): the method (NULL and 0 for `POST`) and the full URL the request
/// goes to (NULL and 0 for none; those schemes then refuse to sign with
/// `HOOKSIG_INVALID_ARGUMENT`). Other schemes ignore it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_request(
    options: *mut hooksig_sign_options,
    method: *const c_char,
    method_len: usize,
    url: *const c_char,
    url_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.method = owned(method, method_len, "method")?;
            o.url = owned(url, url_len, "url")?;
            Ok(())
        })
    }
}

/// Releases options. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_free(options: *mut hooksig_sign_options) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(options) }
}
