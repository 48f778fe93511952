//! `hooksig_sign` and `hooksig_verifier_sign`: signing a body as a sender would.

use std::ffi::c_char;

use crate::error::{Failure, hooksig_error};
use crate::input::{self, bytes, handle, out_ptr};
use crate::panic::ffi_status;
use crate::scheme::hooksig_scheme;
use crate::sign_options::hooksig_sign_options;
use crate::signed_headers::hooksig_signed_headers;
use crate::status::hooksig_status;
use crate::verifier::hooksig_verifier;

/// Shared by both: checks `out`, signs with `sign(options)` and writes the headers.
///
/// # Safety
/// `options` NULL or live; `out` NULL or writable.
unsafe fn sign_into(
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    sign: impl FnOnce(&hooksig::SignOptions<'_>) -> Result<hooksig::SignedHeaders, Failure>,
) -> Result<(), Failure> {
    out_ptr(out, "out")?;
    let defaults = hooksig_sign_options::default();
    // SAFETY: forwarded from the exported function's contract.
    let options = unsafe { options.as_ref() }.unwrap_or(&defaults);
    let headers = sign(&options.core())?;
    // SAFETY: `out` was checked above.
    unsafe { input::give(out, hooksig_signed_headers::from(&headers)) };
    Ok(())
}

/// Signs a body as a sender of `scheme` would (for tests, and for services that send
/// webhooks).
///
/// - `scheme`: from `hooksig_scheme_from_name` or `hooksig_custom_scheme_builder_build`.
/// - `secret`, `secret_len`: the secret, decoded as the "auto" format does; refused →
///   `HOOKSIG_INVALID_SECRET`.
/// - `body`, `body_len`: the exact bytes to send.
/// - `options`: NULL for the defaults (now, no id, no event type), or from
///   `hooksig_sign_options_new`.
/// - `out`: receives the headers on success only (free with `hooksig_signed_headers_free`).
///
/// # Safety
/// `scheme` and `options` NULL or live; every other non-NULL pointer is valid for its stated
/// length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign(
    scheme: *const hooksig_scheme,
    secret: *const c_char,
    secret_len: usize,
    body: *const c_char,
    body_len: usize,
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            sign_into(options, out, |options| {
                let scheme = handle(scheme, "scheme")?.inner();
                let secret = bytes(secret, secret_len, "secret")?;
                let body = bytes(body, body_len, "body")?;
                Ok(hooksig::sign_with(scheme, secret, body, options)?)
            })
        })
    }
}

/// Signs with a verifier's first secret, decoded with the verifier's secret format (what a test,
/// or a service that both sends and receives, needs; `hooksig_sign` always decodes as "auto").
/// Other arguments as for `hooksig_sign`. Safe to call from several threads on one verifier.
///
/// # Safety
/// `verifier` and `options` NULL or live; every other non-NULL pointer is valid for its stated
/// length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_sign(
    verifier: *const hooksig_verifier,
    body: *const c_char,
    body_len: usize,
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            sign_into(options, out, |options| {
                let verifier = handle(verifier, "verifier")?.inner();
                let body = bytes(body, body_len, "body")?;
                Ok(verifier.sign(body, options)?)
            })
        })
    }
}
