//! Library-owned byte strings handed to C: always NUL-terminated, with an exact length.

use std::ffi::CString;

/// Bytes plus a trailing NUL, so C can use the pointer as a C string and still learn the exact
/// length (the bytes may, in theory, contain a NUL of their own).
#[derive(Clone, Debug)]
pub(crate) struct CText(Box<[u8]>);

impl CText {
    pub(crate) fn new(bytes: &[u8]) -> CText {
        let mut v = Vec::with_capacity(bytes.len() + 1);
        v.extend_from_slice(bytes);
        v.push(0);
        CText(v.into_boxed_slice())
    }

    /// The bytes without the trailing NUL (which follows them in memory).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0[..self.0.len() - 1]
    }
}

/// A C string from Rust text, with any NUL byte replaced (our messages never contain one, but a
/// caller-supplied name echoed in a message could).
pub(crate) fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default()
}
