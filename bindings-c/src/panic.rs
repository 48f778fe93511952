//! The boundary every exported function runs in, and the shapes of those functions
//! (constructor, setter, accessor, free), each written once here. Every `unsafe fn` here has
//! the contract of the exported function it serves (see the crate's `# Safety`).
//!
//! Policy (also in the README): a panic would be a bug in hooksig. It is caught here; functions
//! that return a `hooksig_status` return `HOOKSIG_INTERNAL` and, when asked, a `hooksig_error`
//! saying so; functions that return a pointer or a number return their documented default
//! (NULL, 0, ...). Nothing is written to `*_out` pointers. Rust's default panic hook still
//! prints one line on stderr, which is what you want for a bug report.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{Failure, hooksig_error, write_error};
use crate::input::{give, handle_mut, out_ptr};
use crate::status::hooksig_status;

/// Runs `body`, returning `on_panic()` instead if it panics.
///
/// `AssertUnwindSafe` is sound here: after a panic no state touched by `body` is observed
/// again; the function returns at once with a default, and hooksig keeps no global mutable
/// state apart from the `OnceLock` tables, which stay consistent under unwinding.
pub(crate) fn ffi_boundary<T>(on_panic: impl FnOnce() -> T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(_) => on_panic(),
    }
}

/// For functions returning a status: runs `body`; on failure (or panic) stores a
/// `hooksig_error` in `*err_out` when `err_out` is not NULL, and returns the status.
pub(crate) unsafe fn ffi_status(
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> hooksig_status {
    match ffi_boundary(|| Err(Failure::internal()), body) {
        Ok(()) => hooksig_status::HOOKSIG_OK,
        Err(failure) => {
            let status = failure.status;
            // SAFETY: `err_out` is NULL or writable (this function's contract).
            ffi_boundary(|| (), || unsafe { write_error(err_out, failure) });
            status
        }
    }
}

/// [`ffi_status`] with an object output: checks `out` (named `what`) before anything else, runs
/// `body`, and on success writes its object (or NULL for `None`) to `*out`.
pub(crate) unsafe fn ffi_out<T>(
    out: *mut *mut T,
    what: &str,
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce() -> Result<Option<T>, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract; `out` is checked before the write.
    unsafe {
        ffi_status(err_out, || {
            out_ptr(out, what)?;
            match body()? {
                Some(value) => give(out, value),
                None => *out = std::ptr::null_mut(),
            }
            Ok(())
        })
    }
}

/// A constructor: `out` receives the new object on success only.
pub(crate) unsafe fn ffi_new<T>(
    out: *mut *mut T,
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce() -> Result<T, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_out(out, "out", err_out, || body().map(Some)) }
}

/// A setter: runs `body` on the mutable handle `ptr` (named `what`).
pub(crate) unsafe fn ffi_set<T>(
    ptr: *mut T,
    what: &str,
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce(&mut T) -> Result<(), Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_status(err_out, || body(handle_mut(ptr, what)?)) }
}

/// An accessor: `read(&*ptr)`, or `default` when `ptr` is NULL (or on a panic).
pub(crate) unsafe fn ffi_get<T, R: Copy>(
    ptr: *const T,
    default: R,
    read: impl FnOnce(&T) -> R,
) -> R {
    // SAFETY: `ptr` is NULL or live (this function's contract).
    ffi_boundary(|| default, || unsafe { ptr.as_ref() }.map_or(default, read))
}

/// A text accessor: the bytes `pick` chooses from `*ptr` (followed by a NUL in memory), their
/// length into `*len_out` when `len_out` is not NULL; NULL when `ptr` is NULL or `pick` gives
/// `None`.
pub(crate) unsafe fn ffi_text<T>(
    ptr: *const T,
    len_out: *mut usize,
    pick: impl FnOnce(&T) -> Option<&[u8]>,
) -> *const c_char {
    // SAFETY: `ptr` is NULL or live, `len_out` NULL or writable (this function's contract).
    ffi_boundary(std::ptr::null, || unsafe {
        let Some(bytes) = ptr.as_ref().and_then(pick) else {
            return std::ptr::null();
        };
        if !len_out.is_null() {
            *len_out = bytes.len();
        }
        bytes.as_ptr().cast()
    })
}

/// A `_free` function: releases an object written by [`give`]; NULL is a no-op.
pub(crate) unsafe fn ffi_free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: `ptr` came from `give` with the same `T` and is freed once (the contract).
        ffi_boundary(|| (), || drop(unsafe { Box::from_raw(ptr) }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{hooksig_error_code, hooksig_error_free, hooksig_error_message};
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_internal_with_an_error_object() {
        let mut err: *mut hooksig_error = std::ptr::null_mut();
        // SAFETY: `err` is a valid out pointer.
        let status = unsafe { ffi_status(&mut err, || panic!("boom (expected by this test)")) };
        assert_eq!(status, hooksig_status::HOOKSIG_INTERNAL);
        assert!(!err.is_null());
        // SAFETY: `err` was just produced by hooksig and is freed once below.
        unsafe {
            assert_eq!(
                CStr::from_ptr(hooksig_error_code(err)).to_str(),
                Ok("internal")
            );
            let msg = CStr::from_ptr(hooksig_error_message(err)).to_str().unwrap();
            assert!(msg.contains("panic"), "{msg}");
            hooksig_error_free(err);
        }
    }

    #[test]
    fn a_panic_in_a_value_function_returns_the_default() {
        assert_eq!(ffi_boundary(|| 7, || -> i32 { panic!("expected") }), 7);
        assert_eq!(ffi_boundary(|| 7, || 1), 1);
    }
}
