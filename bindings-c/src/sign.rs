//! `hooksig_sign`, `hooksig_sign_custom` and `hooksig_signed_headers`.

use std::ffi::c_char;

use hooksig::{Scheme, SignOptions};

use crate::error::{Failure, hooksig_error};
use crate::input::{self, bytes, handle, opt_text, out_ptr, text};
use crate::panic::{ffi_boundary, ffi_status};
use crate::status::hooksig_status;
use crate::text::CText;
use crate::verifier::{HOOKSIG_NOW, hooksig_custom_scheme, hooksig_verifier};

/// The headers a sender attaches, as `(name, value)` pairs in the order to send them.
///
/// Created by `hooksig_sign` / `hooksig_sign_custom`, released (with every string it
/// returned) by `hooksig_signed_headers_free`. Safe to read from several threads.
pub struct hooksig_signed_headers {
    headers: Vec<(CText, CText)>,
}

/// Who signs: a scheme plus one secret (decoded as "auto"), or a verifier's first key.
enum Signer<'a> {
    Secret(Box<Scheme>, &'a [u8]),
    Verifier(&'a hooksig::Verifier),
}

/// # Safety
/// Pointers as documented on `hooksig_sign`.
#[allow(clippy::too_many_arguments)]
unsafe fn sign_impl<'a>(
    signer: impl FnOnce() -> Result<Signer<'a>, Failure>,
    body: *const u8,
    body_len: usize,
    timestamp: i64,
    id: *const u8,
    id_len: usize,
    event_type: *const u8,
    event_type_len: usize,
    out: *mut *mut hooksig_signed_headers,
) -> Result<(), Failure> {
    out_ptr(out, "out")?;
    let signer = signer()?;
    // SAFETY (whole block): forwarded from the exported function's contract.
    let (body, id, event_type) = unsafe {
        (
            bytes(body, body_len, "body")?,
            opt_text(id, id_len, "id")?,
            opt_text(event_type, event_type_len, "event_type")?,
        )
    };
    let options = SignOptions {
        timestamp: (timestamp != HOOKSIG_NOW).then_some(timestamp),
        id,
        event_type,
    };
    let headers = match signer {
        Signer::Secret(scheme, secret) => hooksig::sign_with(&scheme, secret, body, &options)?,
        Signer::Verifier(v) => v.sign(body, &options)?,
    };
    let headers = headers
        .iter()
        .map(|(n, v)| (CText::new(n.as_bytes()), CText::new(v.as_bytes())))
        .collect();
    // SAFETY: `out` was checked above.
    unsafe { input::give(out, hooksig_signed_headers { headers }) };
    Ok(())
}

/// Signs a body as a sender of a built-in scheme would (for tests, and for services that send
/// webhooks).
///
/// - `scheme`, `scheme_len`: the scheme id (UTF-8).
/// - `secret`, `secret_len`: the secret, decoded as the "auto" format does; refused →
///   `HOOKSIG_INVALID_SECRET`.
/// - `body`, `body_len`: the exact bytes to send.
/// - `timestamp`: Unix seconds, or `HOOKSIG_NOW` for the system clock (negative →
///   `HOOKSIG_INVALID_CONFIG`). Ignored by schemes without a timestamp.
/// - `id`, `id_len`: the message id (UTF-8), or NULL (and 0) for none; schemes that sign an
///   id derive one from the content when none is given.
/// - `event_type`, `event_type_len`: the event type (UTF-8), or NULL (and 0) for none.
/// - `out`: receives the headers on success only (free with `hooksig_signed_headers_free`).
///
/// # Safety
/// Every non-NULL pointer is valid for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign(
    scheme: *const u8,
    scheme_len: usize,
    secret: *const u8,
    secret_len: usize,
    body: *const u8,
    body_len: usize,
    timestamp: i64,
    id: *const u8,
    id_len: usize,
    event_type: *const u8,
    event_type_len: usize,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let signer = || {
                let scheme = Scheme::named(text(scheme, scheme_len, "scheme")?)?;
                Ok(Signer::Secret(
                    Box::new(scheme),
                    bytes(secret, secret_len, "secret")?,
                ))
            };
            sign_impl(
                signer,
                body,
                body_len,
                timestamp,
                id,
                id_len,
                event_type,
                event_type_len,
                out,
            )
        })
    }
}

/// `hooksig_sign` for a custom scheme (validated here; `HOOKSIG_INVALID_CONFIG` if
/// inconsistent).
///
/// # Safety
/// `scheme` is NULL or a live `hooksig_custom_scheme`; every other non-NULL pointer is valid
/// for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_custom(
    scheme: *const hooksig_custom_scheme,
    secret: *const u8,
    secret_len: usize,
    body: *const u8,
    body_len: usize,
    timestamp: i64,
    id: *const u8,
    id_len: usize,
    event_type: *const u8,
    event_type_len: usize,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let signer = || {
                let scheme = handle(scheme, "scheme")?.build()?;
                Ok(Signer::Secret(
                    Box::new(scheme),
                    bytes(secret, secret_len, "secret")?,
                ))
            };
            sign_impl(
                signer,
                body,
                body_len,
                timestamp,
                id,
                id_len,
                event_type,
                event_type_len,
                out,
            )
        })
    }
}

/// Signs with a verifier's first secret, decoded with the verifier's secret format (what a test,
/// or a service that both sends and receives, needs; `hooksig_sign` always decodes as "auto").
/// Other arguments as for `hooksig_sign`. Safe to call from several threads on one verifier.
///
/// # Safety
/// `verifier` is NULL or live; every other non-NULL pointer is valid for its stated length for
/// the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_sign(
    verifier: *const hooksig_verifier,
    body: *const u8,
    body_len: usize,
    timestamp: i64,
    id: *const u8,
    id_len: usize,
    event_type: *const u8,
    event_type_len: usize,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let signer = || Ok(Signer::Verifier(handle(verifier, "verifier")?.inner()));
            sign_impl(
                signer,
                body,
                body_len,
                timestamp,
                id,
                id_len,
                event_type,
                event_type_len,
                out,
            )
        })
    }
}

/// # Safety
/// `h` is NULL or a live `hooksig_signed_headers`.
unsafe fn pair<'a>(h: *const hooksig_signed_headers, index: usize) -> Option<&'a (CText, CText)> {
    // SAFETY: see the function's contract.
    unsafe { h.as_ref() }.and_then(|h| h.headers.get(index))
}

/// Number of headers (0 if `h` is NULL).
///
/// # Safety
/// `h` is NULL or a live `hooksig_signed_headers`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_count(h: *const hooksig_signed_headers) -> usize {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(
        || 0,
        || unsafe { h.as_ref() }.map_or(0, |h| h.headers.len()),
    )
}

/// The name of header `index` (NUL-terminated, exact case), or NULL when `index` is out of
/// range or `h` is NULL. `len_out` (optional) receives the length. Valid until the headers
/// are freed.
///
/// # Safety
/// `h` is NULL or a live `hooksig_signed_headers`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_name(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        pair(h, index).map_or(std::ptr::null(), |(n, _)| n.give(len_out))
    })
}

/// The value of header `index` (NUL-terminated), or NULL when `index` is out of range or `h`
/// is NULL. `len_out` (optional) receives the length. Valid until the headers are freed.
///
/// # Safety
/// `h` is NULL or a live `hooksig_signed_headers`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_value(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        pair(h, index).map_or(std::ptr::null(), |(_, v)| v.give(len_out))
    })
}

/// Releases signed headers and every string they returned. NULL is a no-op.
///
/// # Safety
/// `h` is NULL or a `hooksig_signed_headers` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_free(h: *mut hooksig_signed_headers) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(h) })
}
