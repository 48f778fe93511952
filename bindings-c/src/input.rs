//! Checks on caller-supplied pointers: NULL, impossible lengths and UTF-8. Slices returned here
//! borrow the caller's memory for the duration of the call only; nothing is kept afterwards.
//! Every caller buffer, text or bytes, is a `const char *` plus a `size_t` length in the
//! header: the type C strings, PHP strings (`FFI::cdef`) and .NET `byte[]` all bind to.
//!
//! # Safety
//! Every `unsafe fn` here has the contract of the exported function it serves: a non-NULL
//! pointer is valid for reads of its stated length (or is a live object of its type, not used
//! by another thread when taken mutably) for the duration of the call.

use std::ffi::c_char;

use crate::error::Failure;
use crate::status::hooksig_status::{
    HOOKSIG_INVALID_ARGUMENT, HOOKSIG_INVALID_UTF8, HOOKSIG_NULL_ARGUMENT,
};

/// An `invalid_argument` failure (an argument out of its documented range).
pub(crate) fn invalid(message: impl Into<String>) -> Failure {
    Failure::new(HOOKSIG_INVALID_ARGUMENT, message)
}

fn null(what: &str) -> Failure {
    Failure::new(HOOKSIG_NULL_ARGUMENT, format!("argument `{what}` is NULL"))
}

/// A caller array of `len` items; NULL is accepted only with `len == 0` (an empty array).
pub(crate) unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    what: &str,
) -> Result<&'a [T], Failure> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        let message = format!("argument `{what}` is NULL but its length is {len}");
        return Err(Failure::new(HOOKSIG_NULL_ARGUMENT, message));
    }
    if len.saturating_mul(size_of::<T>().max(1)) > isize::MAX as usize {
        return Err(invalid(format!(
            "the length of `{what}` is larger than PTRDIFF_MAX"
        )));
    }
    // SAFETY: non-NULL, length within isize::MAX bytes, and the caller guarantees the memory
    // is valid and unmodified for the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Bytes; NULL is accepted only with `len == 0`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    // SAFETY: forwarded.
    unsafe { slice(ptr.cast::<u8>(), len, what) }
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Failure> {
    std::str::from_utf8(bytes).map_err(|_| {
        let message = format!("argument `{what}` is not valid UTF-8");
        Failure::new(HOOKSIG_INVALID_UTF8, message)
    })
}

/// Required text: never NULL, valid UTF-8 (may be empty).
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(null(what));
    }
    // SAFETY: forwarded.
    utf8(unsafe { bytes(ptr, len, what) }?, what)
}

/// Optional text: NULL (with `len == 0`) means absent.
pub(crate) unsafe fn opt_text<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() && len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded.
    utf8(unsafe { bytes(ptr, len, what) }?, what).map(Some)
}

/// A live handle, or `null_argument`.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees `ptr` is NULL or live.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(what))
}

/// A live mutable handle, or `null_argument`.
pub(crate) unsafe fn handle_mut<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller guarantees `ptr` is NULL or live and not shared during the call.
    unsafe { ptr.as_mut() }.ok_or_else(|| null(what))
}

/// Checks an output pointer before any work is done (outputs are written only on success).
pub(crate) fn out_ptr<T>(out: *mut *mut T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(null(what));
    }
    Ok(())
}

/// Writes a new object to a checked output pointer.
///
/// # Safety
/// `out` passed [`out_ptr`] and is valid for a write of one pointer.
pub(crate) unsafe fn give<T>(out: *mut *mut T, value: T) {
    // SAFETY: see the function's contract.
    unsafe { *out = Box::into_raw(Box::new(value)) };
}
