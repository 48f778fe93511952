//! `hooksig_sign_options`: the optional settings of `hooksig_sign` and `hooksig_verifier_sign`.

use std::ffi::c_char;

use hooksig::SignOptions;

use crate::error::hooksig_error;
use crate::input::{self, handle_mut, opt_text, out_ptr};
use crate::panic::{ffi_boundary, ffi_status};
use crate::status::hooksig_status;
use crate::verifier::HOOKSIG_NOW;

/// Options for signing (passing NULL to `hooksig_sign` means all defaults): the system clock,
/// no message id (schemes that sign one derive it from the content), no event type.
///
/// Created by `hooksig_sign_options_new`, released by `hooksig_sign_options_free`. Not
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

/// New options with every default. `out` receives them on success only.
///
/// # Safety
/// `out` and `err_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_new(
    out: *mut *mut hooksig_sign_options,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            out_ptr(out, "out")?;
            input::give(out, hooksig_sign_options::default());
            Ok(())
        })
    }
}

/// The timestamp to sign, Unix seconds, or `HOOKSIG_NOW` for the system clock (a negative
/// value is refused when signing: `HOOKSIG_INVALID_CONFIG`). Ignored by schemes without one.
///
/// # Safety
/// `options` NULL or live and not used by another thread; `err_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_timestamp(
    options: *mut hooksig_sign_options,
    timestamp: i64,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            handle_mut(options, "options")?.timestamp =
                (timestamp != HOOKSIG_NOW).then_some(timestamp);
            Ok(())
        })
    }
}

/// The message id (UTF-8), or NULL (and 0) for none.
///
/// # Safety
/// `options` NULL or live and not used by another thread; `id` NULL or valid for `id_len`
/// bytes; `err_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_id(
    options: *mut hooksig_sign_options,
    id: *const c_char,
    id_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let options = handle_mut(options, "options")?;
            options.id = opt_text(id, id_len, "id")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// The event type (UTF-8), or NULL (and 0) for none.
///
/// # Safety
/// `options` NULL or live and not used by another thread; `event_type` NULL or valid for
/// `event_type_len` bytes; `err_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_event_type(
    options: *mut hooksig_sign_options,
    event_type: *const c_char,
    event_type_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let options = handle_mut(options, "options")?;
            options.event_type =
                opt_text(event_type, event_type_len, "event_type")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// The request line to sign, for the schemes that sign it (`twilio`, `square`, `hubspot`,
/// custom `{method}`/`{url}`): the method (NULL and 0 for `POST`) and the full URL the request
/// goes to (NULL and 0 for none; those schemes then refuse to sign with
/// `HOOKSIG_INVALID_ARGUMENT`). Other schemes ignore it.
///
/// # Safety
/// `options` NULL or live and not used by another thread; `method` and `url` NULL or valid for
/// their lengths; `err_out` NULL or writable.
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
        ffi_status(err_out, || {
            let options = handle_mut(options, "options")?;
            options.method = opt_text(method, method_len, "method")?.map(str::to_owned);
            options.url = opt_text(url, url_len, "url")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// Releases options. NULL is a no-op.
///
/// # Safety
/// `options` is NULL or options not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_free(options: *mut hooksig_sign_options) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(options) })
}
