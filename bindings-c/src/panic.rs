//! The boundary every exported function runs in: no Rust panic ever unwinds into C.
//!
//! Policy (also in the README): a panic would be a bug in hooksig. It is caught here; functions
//! that return a `hooksig_status` return `HOOKSIG_INTERNAL` and, when asked, a `hooksig_error`
//! saying so; functions that return a pointer or a number return their documented default
//! (NULL, 0, ...). Nothing is written to `*_out` pointers. Rust's default panic hook still
//! prints one line on stderr, which is what you want for a bug report.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{Failure, hooksig_error, write_error};
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
