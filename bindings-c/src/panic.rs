//! The boundary every exported function runs in: no Rust panic ever unwinds into C, and the
//! shared shapes of the exported functions (constructor, setter, accessor, free), each written
//! once here.
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

/// [`ffi_boundary`] for functions returning a status: runs `body`; on failure (or panic) stores
/// a `hooksig_error` in `*err_out` when `err_out` is not NULL, and returns the status.
///
/// # Safety
/// `err_out` is NULL or valid for a write of one pointer.
pub(crate) unsafe fn ffi_status(
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> hooksig_status {
    let result = ffi_boundary(|| Err(Failure::internal()), body);
    match result {
        Ok(()) => hooksig_status::HOOKSIG_OK,
        Err(failure) => {
            let status = failure.status;
            // SAFETY: forwarded from this function's contract.
            ffi_boundary(|| (), || unsafe { write_error(err_out, failure) });
            status
        }
    }
}

/// [`ffi_status`] for a function with an object output: checks `out` (named `what`) before
/// anything else, runs `body`, and on success writes its object (or NULL for `None`) to `*out`.
///
/// # Safety
/// `out` and `err_out` are NULL or valid for a write of one pointer.
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

/// [`ffi_out`] for a constructor: `out` receives the new object on success only.
///
/// # Safety
/// As for [`ffi_out`].
pub(crate) unsafe fn ffi_new<T>(
    out: *mut *mut T,
    err_out: *mut *mut hooksig_error,
    body: impl FnOnce() -> Result<T, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_out(out, "out", err_out, || body().map(Some)) }
}

/// [`ffi_status`] for a setter: runs `body` on the mutable handle `ptr` (named `what`).
///
/// # Safety
/// `ptr` is NULL or live and not used by another thread meanwhile; `err_out` as for
/// [`ffi_status`].
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
///
/// # Safety
/// `ptr` is NULL or points to a live object of its type.
pub(crate) unsafe fn ffi_get<T, R: Copy>(
    ptr: *const T,
    default: R,
    read: impl FnOnce(&T) -> R,
) -> R {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| default, || unsafe { ptr.as_ref() }.map_or(default, read))
}

/// A text accessor: the bytes `pick` chooses from `*ptr` (which must be followed by a NUL in
/// memory), their length into `*len_out` when `len_out` is not NULL; NULL when `ptr` is NULL
/// or `pick` gives `None`.
///
/// # Safety
/// `ptr` is NULL or live; `len_out` is NULL or valid for a write.
pub(crate) unsafe fn ffi_text<T>(
    ptr: *const T,
    len_out: *mut usize,
    pick: impl FnOnce(&T) -> Option<&[u8]>,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        match ptr.as_ref().and_then(pick) {
            Some(bytes) => {
                if !len_out.is_null() {
                    *len_out = bytes.len();
                }
                bytes.as_ptr().cast()
            }
            None => std::ptr::null(),
        }
    })
}

/// A `_free` function: releases an object written by [`give`]; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from [`give`] with the same `T` and was not freed yet.
pub(crate) unsafe fn ffi_free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: see the function's contract.
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
