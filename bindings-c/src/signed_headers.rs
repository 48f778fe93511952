//! `hooksig_signed_headers`: the headers `hooksig_sign` and `hooksig_verifier_sign` produce.

use std::ffi::c_char;

use crate::panic::{ffi_free, ffi_get, ffi_text};
use crate::text::CText;

/// The headers a sender attaches, as `(name, value)` pairs in the order to send them.
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

/// Number of headers (0 if `h` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_count(h: *const hooksig_signed_headers) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(h, 0, |h| h.headers.len()) }
}

/// The name of header `index` (exact case), or NULL when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_name(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(h, len_out, |h| Some(h.headers.get(index)?.0.bytes())) }
}

/// The value of header `index`, or NULL when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_value(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(h, len_out, |h| Some(h.headers.get(index)?.1.bytes())) }
}

/// Releases signed headers and every string they returned. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_free(h: *mut hooksig_signed_headers) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(h) }
}
