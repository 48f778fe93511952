//! `hooksig_custom_scheme_builder`: a custom scheme (a vendor hooksig has no built-in entry
//! for) from the key/value settings of the shared vector files, validated by the core.

use crate::prelude::*;

use hooksig::CustomScheme;

use crate::scheme::hooksig_scheme;

/// Collects the settings of a custom scheme; `hooksig_custom_scheme_builder_build` validates
/// them into a `hooksig_scheme`. Not synchronised: one thread at a time.
pub struct hooksig_custom_scheme_builder(CustomScheme);

/// Starts a custom scheme: no id or signature header yet (both required: set them), body-only
/// content (`"{body}"`), hex, HMAC-SHA256, no prefix, no timestamp/id/event headers, no JSON
/// fallback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_builder_new(
    out: *mut *mut hooksig_custom_scheme_builder,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let def = CustomScheme::new("", "");
            Ok(hooksig_custom_scheme_builder(def))
        })
    }
}

/// Sets one setting. `key` names it, as in the shared vector files (the core's
/// `CustomScheme::set` reads it, so every binding takes the same keys and values):
///
/// | key | value |
/// |---|---|
/// | `id`, `signature_header` | text (required: NULL → `HOOKSIG_INVALID_CONFIG`) |
/// | `timestamp_header`, `id_header`, `event_header`, `prefix` | text, or NULL to unset |
/// | `template` | signed content over `{id}`, `{ts}`, `{body}`, e.g. `"{ts}.{body}"` |
/// | `encoding` | `"hex"` or `"base64"` |
/// | `algorithm` | `"sha256"` or `"sha512"` |
/// | `json_fallback` | `"true"` or `"false"` |
///
/// An unknown key, a bad value or NULL for a setting that needs one → `HOOKSIG_INVALID_CONFIG`
/// (the builder is left unchanged). Consistency between settings is checked by `_build`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_builder_set(
    builder: *mut hooksig_custom_scheme_builder,
    key: *const c_char,
    key_len: usize,
    value: *const c_char,
    value_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(builder, "builder", err_out, |b| {
            let key = text(key, key_len, "key")?;
            Ok(b.0.set(key, opt_text(value, value_len, "value")?)?)
        })
    }
}

/// Validates the settings (any inconsistency → `HOOKSIG_INVALID_CONFIG`) into a scheme. The
/// builder is unchanged and may be adjusted and built again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_builder_build(
    builder: *const hooksig_custom_scheme_builder,
    out: *mut *mut hooksig_scheme,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let scheme = handle(builder, "builder")?.0.clone().build()?;
            Ok(hooksig_scheme::new(scheme))
        })
    }
}

/// Releases a builder. NULL is a no-op. Schemes built from it keep working.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_builder_free(
    builder: *mut hooksig_custom_scheme_builder,
) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(builder) }
}
