//! `hooksig_signed_headers`: the headers `hooksig_sign` and `hooksig_verifier_sign` produce.

use std::ffi::c_char;

use crate::input;
use crate::panic::ffi_boundary;
use crate::text::CText;

/// The headers a sender attaches, as `(name, value)` pairs in the order to send them.
///
/// Created by `hooksig_sign` / `hooksig_verifier_sign`, released (with every string it
/// returned) by `hooksig_signed_headers_free`. Safe to read from several threads.
pub struct hooksig_signed_headers {
    headers: Vec<(CText, CText)>,
}

impl From<&hooksig::SignedHeaders> for hooksig_signed_headers {
    fn from(headers: &hooksig::SignedHeaders) -> Self {
        let headers = headers
            .iter()
            .map(|(n, v)| (CText::new(n.as_bytes()), CText::new(v.as_bytes())))
            .collect();
        hooksig_signed_headers { headers }
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
