//! The one way into the core: [`boundary`] runs a core call, turns its error into the Python
//! exception (`errors.rs`) and a panic into `hooksig.VerificationError` with code `"internal"`
//! instead of pyo3's `PanicException` (a `BaseException` that `except Exception` would miss).
//! [`boundary_detached`] does the same with the GIL released.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::prelude::*;

use crate::convert::Body;
use crate::errors;

/// Bodies at least this long are verified with the GIL released. Below it, releasing and
/// re-taking the GIL costs about as much as the HMAC itself.
pub(crate) const DETACH_THRESHOLD: usize = 4096;

/// Runs `f`, turning a core error into its Python exception and a panic into
/// `VerificationError(code="internal")`.
pub(crate) fn boundary<T>(py: Python<'_>, f: impl FnOnce() -> hooksig::Result<T>) -> PyResult<T> {
    finish(py, catch_unwind(AssertUnwindSafe(f)))
}

/// [`boundary`] with the GIL released while `f` runs (it must not touch Python objects, which
/// the `Send` bounds enforce).
pub(crate) fn boundary_detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> hooksig::Result<T> + Send,
) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    finish(py, outcome)
}

/// [`boundary`] for work on a request body: with the GIL released when `long` (from
/// [`DETACH_THRESHOLD`] bytes on, or whatever the caller counts as long), else held. Immutable
/// bodies (`bytes`, `str`, a memoryview of bytes) are read in place either way; a `bytearray` is
/// copied before the GIL is released (Python code could resize it meanwhile: one memcpy, cheaper
/// than the MAC that follows, kept in `copy`), and read in place with the GIL held otherwise.
pub(crate) fn on_body<'a, T: Send>(
    py: Python<'_>,
    (body, copy): (&'a Body<'_>, &'a mut Vec<u8>),
    long: bool,
    f: impl FnOnce(&'a [u8]) -> hooksig::Result<T> + Send,
) -> PyResult<T> {
    if !long {
        return boundary(py, || f(body.as_slice()));
    }
    let bytes = if body.is_immutable() {
        body.as_slice()
    } else {
        *copy = body.as_slice().to_vec();
        let copy: &'a Vec<u8> = copy;
        copy
    };
    boundary_detached(py, || f(bytes))
}

fn finish<T>(py: Python<'_>, outcome: std::thread::Result<hooksig::Result<T>>) -> PyResult<T> {
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(errors::to_pyerr(py, &err)),
        Err(_panic) => Err(errors::internal(py)),
    }
}

/// Test hook: runs a panicking closure through [`boundary`] (or, with `detached`, through
/// [`boundary_detached`], the path `verify` takes for large bodies), so the tests can prove that
/// a panic surfaces as `VerificationError(code="internal")` and not as a crash.
#[pyfunction]
#[pyo3(signature = (detached = false))]
pub(crate) fn _panic_through_boundary(py: Python<'_>, detached: bool) -> PyResult<()> {
    let panics = || -> hooksig::Result<()> {
        panic!("deliberate panic from hooksig._native._panic_through_boundary (a test)")
    };
    if detached {
        boundary_detached(py, panics)
    } else {
        boundary(py, panics)
    }
}
