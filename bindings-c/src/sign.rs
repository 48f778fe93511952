//! `hooksig_sign` and `hooksig_verifier_sign`: signing a body as a sender would.

use std::ffi::c_char;

use crate::error::{Failure, hooksig_error};
use crate::input::{bytes, handle};
use crate::panic::ffi_new;
use crate::scheme::hooksig_scheme;
use crate::sign_options::hooksig_sign_options;
use crate::signed_headers::hooksig_signed_headers;
use crate::status::hooksig_status;
use crate::verifier::hooksig_verifier;

/// Shared by both: signs with `sign(options)` and writes the headers to `out`.
///
/// # Safety
/// `options` NULL or live; `out`, `err_out` NULL or writable.
unsafe fn sign_into(
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
    sign: impl FnOnce(&hooksig::SignOptions<'_>) -> Result<hooksig::SignedHeaders, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from the exported functions' contracts.
    unsafe {
        ffi_new(out, err_out, || {
            let defaults = hooksig_sign_options::default();
            let headers = sign(&options.as_ref().unwrap_or(&defaults).core())?;
            Ok(hooksig_signed_headers::from(&headers))
        })
    }
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
        sign_into(options, out, err_out, |options| {
            let scheme = handle(scheme, "scheme")?.inner();
            let secret = bytes(secret, secret_len, "secret")?;
            let body = bytes(body, body_len, "body")?;
            Ok(hooksig::sign_with(scheme, secret, body, options)?)
        })
    }
}

/// Signs with a verifier's first secret, decoded with the verifier's secret format (what a test,
/// or a service that both sends and receives, needs; `hooksig_sign` always decodes as "auto").
/// Other arguments as for `hooksig_sign`. Safe to call from several threads on one verifier.
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
        sign_into(options, out, err_out, |options| {
            let verifier = handle(verifier, "verifier")?.inner();
            let body = bytes(body, body_len, "body")?;
            Ok(verifier.sign(body, options)?)
        })
    }
}
