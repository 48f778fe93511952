//! `hooksig_verifier_options`: the optional settings of `hooksig_verifier_new`.

use std::ffi::c_char;

use hooksig::SecretFormat;

use crate::error::hooksig_error;
use crate::input::{invalid, opt_text};
use crate::panic::{ffi_free, ffi_new, ffi_set};
use crate::status::hooksig_status;

/// The tolerance, in seconds both ways, of every scheme whose vendor documents no other window.
/// Not the default of every scheme: `twitch` and `box` default to 600, `linear` to 60, `workos`
/// to 180 (see `hooksig_scheme_default_tolerance`). Options that set no tolerance use the
/// scheme's own.
pub const HOOKSIG_DEFAULT_TOLERANCE: i64 = 300;

/// Pass to `hooksig_verifier_options_set_tolerance` for "not given": the verifier uses the
/// scheme's default tolerance (`hooksig_scheme_default_tolerance`; 600 for `twitch` and `box`,
/// 60 for `linear`, 180 for `workos`, 300 otherwise). This is also what new options hold.
pub const HOOKSIG_TOLERANCE_SCHEME_DEFAULT: i64 = i64::MIN;

/// Pass to `hooksig_verifier_options_set_json_fallback` to keep the scheme's default (on for
/// `chaindoc` only).
pub const HOOKSIG_JSON_FALLBACK_DEFAULT: i32 = -1;

/// Options for `hooksig_verifier_new` (passing NULL there means all defaults): the scheme's
/// default tolerance (`HOOKSIG_TOLERANCE_SCHEME_DEFAULT`), secret format `"auto"`, the
/// scheme's JSON fallback. Verifiers copy them. Not synchronised: one thread at a time while
/// setting.
#[derive(Default)]
pub struct hooksig_verifier_options {
    /// `None`: the scheme's default tolerance.
    pub(crate) tolerance_s: Option<i64>,
    pub(crate) secret_format: SecretFormat,
    pub(crate) json_fallback: Option<bool>,
}

/// New options with every default.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_options_new(
    out: *mut *mut hooksig_verifier_options,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_new(out, err_out, || Ok(hooksig_verifier_options::default())) }
}

/// Accepted clock skew in seconds, both ways, or `HOOKSIG_TOLERANCE_SCHEME_DEFAULT` for the
/// scheme's default (what options hold until this is called). Any other negative value is
/// refused by `hooksig_verifier_new` (`HOOKSIG_INVALID_CONFIG`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_options_set_tolerance(
    options: *mut hooksig_verifier_options,
    tolerance_s: i64,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.tolerance_s =
                (tolerance_s != HOOKSIG_TOLERANCE_SCHEME_DEFAULT).then_some(tolerance_s);
            Ok(())
        })
    }
}

/// How secrets are decoded: `"auto"` (the scheme's convention), `"text"`, `"base64"` or
/// `"hex"`, or NULL (and 0) for `"auto"`; anything else → `HOOKSIG_INVALID_CONFIG`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_options_set_secret_format(
    options: *mut hooksig_verifier_options,
    format: *const c_char,
    format_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.secret_format = match opt_text(format, format_len, "secret_format")? {
                Some(name) => SecretFormat::parse(name)?,
                None => SecretFormat::default(),
            };
            Ok(())
        })
    }
}

/// Retry a failed match on Node's `JSON.stringify(JSON.parse(body))`: 1 on, 0 off,
/// `HOOKSIG_JSON_FALLBACK_DEFAULT` (-1) the scheme's default; other values →
/// `HOOKSIG_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_options_set_json_fallback(
    options: *mut hooksig_verifier_options,
    json_fallback: i32,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.json_fallback = match json_fallback {
                HOOKSIG_JSON_FALLBACK_DEFAULT => None,
                0 | 1 => Some(json_fallback == 1),
                n => {
                    return Err(invalid(format!(
                        "json_fallback must be -1, 0 or 1, not {n}"
                    )));
                }
            };
            Ok(())
        })
    }
}

/// Releases options. NULL is a no-op. Verifiers built with them keep working.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_options_free(options: *mut hooksig_verifier_options) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(options) }
}
