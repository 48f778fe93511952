//! The library version.

use std::ffi::c_char;

use crate::panic::ffi_boundary;

const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(v) => v,
    Err(_) => panic!("the package version contains a NUL"),
};

/// The library version, e.g. `"0.1.0"` (static, never free it). The header's `HOOKSIG_VERSION`
/// macro is the version you compiled against; this is the one you run.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_version() -> *const c_char {
    ffi_boundary(|| VERSION.as_ptr(), || VERSION.as_ptr())
}

#[cfg(test)]
mod tests {
    #[test]
    fn c_version_is_the_core_version() {
        assert_eq!(super::VERSION.to_str(), Ok(hooksig::VERSION));
    }
}
