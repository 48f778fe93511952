//! `hooksig_verifier` and `hooksig_verify`, with the request structs they take, and
//! `hooksig_verifier_options`, the optional settings of `hooksig_verifier_new`.

use crate::prelude::*;
use std::sync::Arc;

use hooksig::{RequestLine, SecretFormat, Verifier};
use smallvec::SmallVec;

use crate::scheme::hooksig_scheme;
use crate::verified::hooksig_verified;

/// Pass as `now` to `hooksig_verify` (or to `hooksig_sign_options_set_timestamp`) to use the
/// system clock.
pub const HOOKSIG_NOW: i64 = i64::MIN;

/// A borrowed byte buffer (a secret).
#[repr(C)]
pub struct hooksig_bytes {
    /// The bytes; may be NULL only when `len` is 0.
    pub ptr: *const c_char,
    /// Number of bytes.
    pub len: usize,
}

/// One request header as received: name and raw value bytes (not necessarily UTF-8). Names
/// match case-insensitively; a name may appear several times.
#[repr(C)]
pub struct hooksig_header {
    /// The header name; may be NULL only when `name_len` is 0.
    pub name: *const c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The header value; may be NULL only when `value_len` is 0.
    pub value: *const c_char,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// A configured verifier: one scheme, one or more secrets (rotation), a tolerance window.
/// Immutable: build it once and share it between threads. Its copies of the secrets are wiped
/// when it is freed (by the last of it and the any-of composites that share it).
pub struct hooksig_verifier(Arc<Verifier>);

impl hooksig_verifier {
    pub(crate) fn from_core(inner: Verifier) -> Self {
        hooksig_verifier(Arc::new(inner))
    }

    pub(crate) fn inner(&self) -> &Verifier {
        &self.0
    }
}

/// Builds a verifier of `scheme` (copied). `secrets`: one or more; any may match (rotation);
/// none, an empty one or one with surrounding whitespace → `HOOKSIG_INVALID_SECRET`.
/// `options`: NULL for the defaults (copied); a negative tolerance → `HOOKSIG_INVALID_CONFIG`,
/// none → the scheme's default (`hooksig_scheme_default_tolerance`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new(
    scheme: *const hooksig_scheme,
    secrets: *const hooksig_bytes,
    n_secrets: usize,
    options: *const hooksig_verifier_options,
    out: *mut *mut hooksig_verifier,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let scheme = handle(scheme, "scheme")?.inner().clone();
            let defaults = hooksig_verifier_options::default();
            let options = options.as_ref().unwrap_or(&defaults);
            let list = slice(secrets, n_secrets, "secrets")?;
            let mut builder = Verifier::builder(scheme).secret_format(options.secret_format);
            if let Some(t) = options.tolerance_s {
                builder = builder.tolerance(t);
            }
            for (i, s) in list.iter().enumerate() {
                builder = builder.secret(bytes(s.ptr, s.len, &format!("secrets[{i}]"))?);
            }
            if let Some(on) = options.json_fallback {
                builder = builder.json_fallback(on);
            }
            Ok(hooksig_verifier::from_core(builder.build()?))
        })
    }
}

/// One verifier over `n` (1 to 16, of distinct schemes, none a composite; else
/// `HOOKSIG_INVALID_CONFIG`), for a multi-vendor endpoint: the verifiers whose signature header
/// a request carries try it in order; the first success wins, else the first one's error; none
/// → `HOOKSIG_MISSING_SIGNATURE`. `hooksig_verified_scheme` names the scheme that matched. The
/// members are shared (each may be freed afterwards); the composite does not sign.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_any_of(
    verifiers: *const *const hooksig_verifier,
    n: usize,
    out: *mut *mut hooksig_verifier,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let list = slice(verifiers, n, "verifiers")?;
            let mut members = Vec::with_capacity(list.len().min(hooksig::MAX_ANY_OF + 1));
            for (i, &v) in list.iter().enumerate() {
                // The core refuses more than MAX_ANY_OF: no need to read past one more.
                if i > hooksig::MAX_ANY_OF {
                    break;
                }
                let v = handle(v, &format!("verifiers[{i}]"))?;
                members.push(Arc::clone(&v.0));
            }
            Ok(hooksig_verifier::from_core(Verifier::any_of(members)?))
        })
    }
}

/// The verifier's tolerance into the past, in seconds (the one set in its options, or its
/// scheme's default); -1 if `verifier` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_tolerance(verifier: *const hooksig_verifier) -> i64 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(verifier, -1, |v| {
            let past = v.0.tolerance().past;
            past.map_or(i64::MAX, |t| i64::try_from(t).unwrap_or(i64::MAX))
        })
    }
}

/// Whether this verifier's scheme signs the request line (`twilio`, `square`, `hubspot`,
/// custom `{method}`/`{url}`, or an any-of holding one): integrations build the request's URL
/// for `hooksig_verify_request` only then. False for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_signs_request(verifier: *const hooksig_verifier) -> bool {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(verifier, false, |v| v.0.signs_request_line()) }
}

/// Releases a verifier and wipes its secrets. NULL is a no-op. No other thread may still be
/// using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_free(verifier: *mut hooksig_verifier) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(verifier) }
}

/// Borrowed request headers as (name, value) pairs, 16 inline: a typical request's fit without
/// an allocation (malloc and free were a tenth of the C API's cost over the core at 64 B).
pub(crate) type HeaderPairs<'a> = SmallVec<[(&'a [u8], &'a [u8]); 16]>;

/// `ptr`/`len` as bytes when they are valid (NULL only with 0, within `isize::MAX`): the
/// per-header fast path; [`bytes`] builds the error with the argument's name when not.
#[inline]
unsafe fn valid_bytes<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return (len == 0).then_some(&[][..]);
    }
    // SAFETY: non-NULL, length within isize::MAX, and the caller guarantees the memory.
    (len <= isize::MAX as usize).then(|| unsafe { std::slice::from_raw_parts(ptr.cast(), len) })
}

/// The request headers as byte pairs, into `pairs` (filled in place: the inline array is not
/// moved on return). `headers` NULL or valid for `n_headers` entries.
pub(crate) unsafe fn header_pairs<'a>(
    headers: *const hooksig_header,
    n_headers: usize,
    pairs: &mut HeaderPairs<'a>,
) -> Result<(), crate::error::Failure> {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        let raw = slice(headers, n_headers, "headers")?;
        pairs.reserve(raw.len());
        for (i, h) in raw.iter().enumerate() {
            match (
                valid_bytes(h.name, h.name_len),
                valid_bytes(h.value, h.value_len),
            ) {
                (Some(name), Some(value)) => pairs.push((name, value)),
                // The label with the index is built only when a check fails: formatting it
                // on every call was a third of a small verification in the profile.
                _ => {
                    bytes(h.name, h.name_len, &format!("headers[{i}].name"))?;
                    bytes(h.value, h.value_len, &format!("headers[{i}].value"))?;
                }
            }
        }
        Ok(())
    }
}

/// The request line of a webhook request, for the schemes that sign it (`twilio`, `square`,
/// `hubspot`, custom templates with `{method}`/`{url}`): the method and the full URL the
/// **sender** requested (behind a proxy: the public base URL joined with the path and query).
/// Text is UTF-8 with explicit lengths; a NULL `method` (length 0) means `POST`.
#[repr(C)]
pub struct hooksig_request {
    /// The HTTP method, e.g. `POST`; NULL (and 0) for `POST`.
    pub method: *const c_char,
    /// Length of `method` in bytes.
    pub method_len: usize,
    /// The full URL, e.g. `https://example.com/hooks/twilio?x=1`.
    pub url: *const c_char,
    /// Length of `url` in bytes.
    pub url_len: usize,
}

/// Verifies one webhook request: `headers` as received (at least the scheme's), `body` the raw
/// bytes exactly as received, `now` Unix seconds or `HOOKSIG_NOW`. Returns `HOOKSIG_OK`, a
/// request error (1 to 8; answer `hooksig_status_http_status(status)`) or a usage error. The
/// comparison is constant-time. Schemes that sign the request URL need
/// `hooksig_verify_request` (here they fail with `HOOKSIG_INVALID_ARGUMENT`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verify(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    n_headers: usize,
    body: *const c_char,
    body_len: usize,
    now: i64,
    out: *mut *mut hooksig_verified,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hooksig_verify_request(
            verifier,
            headers,
            n_headers,
            body,
            body_len,
            std::ptr::null(),
            now,
            out,
            err_out,
        )
    }
}

/// `hooksig_verify` with the request line (`request` NULL: none; other schemes ignore it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verify_request(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    n_headers: usize,
    body: *const c_char,
    body_len: usize,
    request: *const hooksig_request,
    now: i64,
    out: *mut *mut hooksig_verified,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let verifier = &handle(verifier, "verifier")?.0;
            let mut pairs = HeaderPairs::new();
            header_pairs(headers, n_headers, &mut pairs)?;
            let body = bytes(body, body_len, "body")?;
            let line = match request.as_ref() {
                None => None,
                Some(r) => Some(RequestLine {
                    method: opt_text(r.method, r.method_len, "request.method")?.unwrap_or(""),
                    url: text(r.url, r.url_len, "request.url")?,
                }),
            };
            let verified = if now == HOOKSIG_NOW {
                verifier.verify_request(&pairs[..], body, line)
            } else {
                verifier.verify_request_at(&pairs[..], body, line, now)
            }?;
            Ok(hooksig_verified::from(verified))
        })
    }
}

/// The tolerance, in seconds both ways, of every scheme whose vendor documents no other window
/// (not of every scheme: see `hooksig_scheme_default_tolerance`).
pub const HOOKSIG_DEFAULT_TOLERANCE: i64 = 300;

/// Pass to `hooksig_verifier_options_set_tolerance` for "not given": the verifier uses
/// `hooksig_scheme_default_tolerance`. This is also what new options hold.
pub const HOOKSIG_TOLERANCE_SCHEME_DEFAULT: i64 = i64::MIN;

/// Pass to `hooksig_verifier_options_set_json_fallback` to keep the scheme's default (on for
/// `chaindoc` only).
pub const HOOKSIG_JSON_FALLBACK_DEFAULT: i32 = -1;

/// Options for `hooksig_verifier_new` (NULL there: these defaults): the scheme's tolerance,
/// secret format `"auto"`, the scheme's JSON fallback.
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
