//! `hooksig_scheme`: a validated scheme, built-in (by name) or custom (from a
//! `hooksig_custom_scheme_builder`), and the list of built-in ids.

use crate::prelude::*;
use std::ffi::CString;
use std::sync::OnceLock;

use hooksig::Scheme;

/// A signature scheme: what a verifier checks and what `hooksig_sign` produces. Verifiers copy
/// what they need: a scheme may be freed as soon as they are built. Immutable.
pub struct hooksig_scheme {
    inner: Scheme,
    id: CText,
}

impl hooksig_scheme {
    pub(crate) fn new(inner: Scheme) -> hooksig_scheme {
        let id = CText::new(inner.id().as_bytes());
        hooksig_scheme { inner, id }
    }

    pub(crate) fn inner(&self) -> &Scheme {
        &self.inner
    }
}

/// The built-in scheme `name` (UTF-8, e.g. `"stripe"`; `hooksig_scheme_builtin_id` lists them).
/// Unknown → `HOOKSIG_UNKNOWN_SCHEME`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_scheme_from_name(
    name: *const c_char,
    name_len: usize,
    out: *mut *mut hooksig_scheme,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let scheme = Scheme::named(text(name, name_len, "scheme")?)?;
            Ok(hooksig_scheme::new(scheme))
        })
    }
}

/// The scheme's id (UTF-8), or NULL if `scheme` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_scheme_id(
    scheme: *const hooksig_scheme,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(scheme, len_out, |s| Some(s.id.bytes())) }
}

/// The tolerance, in seconds both ways, a verifier of this scheme uses when its options set
/// none: the window the vendor documents (600 for `twitch` and `box`, 60 for `linear`, 180 for
/// `workos`, 300 for every other scheme, custom ones included); -1 if `scheme` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_scheme_default_tolerance(scheme: *const hooksig_scheme) -> i64 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(scheme, -1, |s| {
            let t = s.inner.default_tolerance().past.unwrap_or(0);
            i64::try_from(t).unwrap_or(i64::MAX)
        })
    }
}

/// Releases a scheme. NULL is a no-op. Verifiers built from it keep working.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_scheme_free(scheme: *mut hooksig_scheme) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(scheme) }
}

fn builtin_ids() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| {
        hooksig::SCHEME_IDS
            .iter()
            .map(|id| crate::text::c_string(id))
            .collect()
    })
}

/// Number of built-in schemes.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_scheme_builtin_count() -> usize {
    ffi_boundary(|| 0, || builtin_ids().len())
}

/// The id of built-in scheme `index` (static, e.g. `"stripe"`), or NULL when out of range.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_scheme_builtin_id(index: usize) -> *const c_char {
    ffi_boundary(std::ptr::null, || {
        builtin_ids()
            .get(index)
            .map_or(std::ptr::null(), |n| n.as_ptr())
    })
}
