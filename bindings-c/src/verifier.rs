//! `hooksig_verifier`, `hooksig_verify`, `hooksig_verified` and `hooksig_custom_scheme`.

use std::ffi::c_char;

use hooksig::{Algorithm, CustomScheme, Encoding, Scheme, SecretFormat, Verified, Verifier};

use crate::error::{Failure, hooksig_error};
use crate::input::{self, bytes, handle, opt_text, out_ptr, slice, text};
use crate::panic::{ffi_boundary, ffi_status};
use crate::status::hooksig_status;
use crate::status::hooksig_status::{HOOKSIG_INVALID_ARGUMENT, HOOKSIG_INVALID_CONFIG};
use crate::text::CText;

/// Pass as `now` to `hooksig_verify` (or as `timestamp` to `hooksig_sign`) to use the system
/// clock.
pub const HOOKSIG_NOW: i64 = i64::MIN;

/// Pass as `json_fallback` to keep the scheme's default (on for `chaindoc` only).
pub const HOOKSIG_JSON_FALLBACK_DEFAULT: i32 = -1;

/// The default tolerance, in seconds, both into the past and the future.
pub const HOOKSIG_DEFAULT_TOLERANCE: i64 = 300;

/// A borrowed byte buffer (a secret). hooksig copies what it needs during the call and never
/// keeps the pointer.
#[repr(C)]
pub struct hooksig_bytes {
    /// The bytes; may be NULL only when `len` is 0.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// One request header as received: name and raw value bytes (not necessarily NUL-terminated,
/// not necessarily UTF-8). Names match case-insensitively; a name may appear several times.
/// Borrowed for the duration of the call only.
#[repr(C)]
pub struct hooksig_header {
    /// The header name; may be NULL only when `name_len` is 0.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The header value; may be NULL only when `value_len` is 0.
    pub value: *const u8,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// A configured verifier: one scheme, one or more secrets (rotation), a tolerance window.
///
/// Created by `hooksig_verifier_new`, `hooksig_verifier_new_ex` or
/// `hooksig_verifier_new_custom`; released by `hooksig_verifier_free`. Immutable once built:
/// build it once at start-up and share it between threads; concurrent `hooksig_verify` calls
/// on one verifier are safe. Its copies of the secrets are wiped when it is freed.
pub struct hooksig_verifier {
    inner: Verifier,
}

impl hooksig_verifier {
    pub(crate) fn inner(&self) -> &Verifier {
        &self.inner
    }
}

/// The definition of a custom scheme (a vendor hooksig has no built-in entry for).
///
/// Created by `hooksig_custom_scheme_new`, adjusted with `hooksig_custom_scheme_set`, used by
/// `hooksig_verifier_new_custom` and `hooksig_sign_custom` (which copy it), released by
/// `hooksig_custom_scheme_free`. Not synchronised: do not call `hooksig_custom_scheme_set`
/// while another thread uses the same object.
pub struct hooksig_custom_scheme {
    def: CustomScheme,
}

impl hooksig_custom_scheme {
    pub(crate) fn build(&self) -> Result<Scheme, Failure> {
        Ok(self.def.clone().build()?)
    }
}

/// The result of a successful `hooksig_verify`: owned copies of the scheme id, timestamp,
/// message id, event type, matching key index and authenticated payload.
///
/// The caller owns it and releases it with `hooksig_verified_free`; every pointer its accessors
/// return stays valid until then (they do not point into the request body you passed). Safe to
/// read from several threads.
pub struct hooksig_verified {
    scheme: CText,
    timestamp: Option<i64>,
    id: Option<CText>,
    event_type: Option<CText>,
    key_index: usize,
    payload: CText,
    dedupe_key: CText,
}

impl From<Verified<'_>> for hooksig_verified {
    fn from(v: Verified<'_>) -> Self {
        hooksig_verified {
            scheme: CText::new(v.scheme.as_bytes()),
            timestamp: v.timestamp,
            id: v.id.as_deref().map(|s| CText::new(s.as_bytes())),
            event_type: v.event_type.as_deref().map(|s| CText::new(s.as_bytes())),
            key_index: v.key_index,
            dedupe_key: CText::new(v.dedupe_key().as_bytes()),
            payload: CText::new(&v.payload),
        }
    }
}

impl hooksig_verified {
    /// The core's canonical success answer for this delivery (`Receiver::received`).
    pub(crate) fn received(&self) -> hooksig::receive::Answer {
        let text = |t: &CText| String::from_utf8_lossy(t.bytes()).into_owned();
        let scheme = text(&self.scheme);
        let v = Verified {
            scheme: &scheme,
            timestamp: self.timestamp,
            id: self.id.as_ref().map(text),
            event_type: self.event_type.as_ref().map(text),
            key_index: self.key_index,
            payload: std::borrow::Cow::Borrowed(&[]),
            id_signed: false,
            signature_fingerprint: [0; 16],
        };
        hooksig::receive::Receiver::received(&v)
    }
}

/// Shared by the three constructors.
///
/// # Safety
/// Pointers as documented on `hooksig_verifier_new_ex`.
#[allow(clippy::too_many_arguments)]
unsafe fn new_verifier(
    scheme: Result<Scheme, Failure>,
    secrets: *const hooksig_bytes,
    n_secrets: usize,
    tolerance_s: i64,
    secret_format: *const u8,
    secret_format_len: usize,
    json_fallback: i32,
    out: *mut *mut hooksig_verifier,
) -> Result<(), Failure> {
    out_ptr(out, "out")?;
    let scheme = scheme?;
    // SAFETY: forwarded from the exported function's contract.
    let list = unsafe { slice(secrets, n_secrets, "secrets") }?;
    let mut builder = Verifier::builder(scheme).tolerance(tolerance_s);
    for (i, s) in list.iter().enumerate() {
        // SAFETY: each element's buffer is valid per the contract.
        builder = builder.secret(unsafe { bytes(s.ptr, s.len, &format!("secrets[{i}]")) }?);
    }
    // SAFETY: forwarded.
    if let Some(format) = unsafe { opt_text(secret_format, secret_format_len, "secret_format") }? {
        builder = builder.secret_format(SecretFormat::parse(format)?);
    }
    builder = match json_fallback {
        HOOKSIG_JSON_FALLBACK_DEFAULT => builder,
        0 => builder.json_fallback(false),
        1 => builder.json_fallback(true),
        other => {
            return Err(Failure::new(
                HOOKSIG_INVALID_ARGUMENT,
                format!("json_fallback must be -1, 0 or 1, not {other}"),
            ));
        }
    };
    let verifier = hooksig_verifier {
        inner: builder.build()?,
    };
    // SAFETY: `out` was checked above and is writable per the contract.
    unsafe { input::give(out, verifier) };
    Ok(())
}

/// # Safety
/// `scheme` valid for `scheme_len` bytes.
unsafe fn named_scheme(scheme: *const u8, scheme_len: usize) -> Result<Scheme, Failure> {
    // SAFETY: forwarded.
    Ok(Scheme::named(unsafe {
        text(scheme, scheme_len, "scheme")
    }?)?)
}

/// Builds a verifier for a built-in scheme with default options (secret format "auto", the
/// scheme's JSON fallback).
///
/// - `scheme`, `scheme_len`: the scheme id, UTF-8, e.g. `"stripe"` (not NUL-terminated:
///   `strlen` it). Unknown → `HOOKSIG_UNKNOWN_SCHEME`.
/// - `secrets`, `n_secrets`: one or more secrets; any may match (rotation). Zero secrets, an
///   empty secret or one with surrounding whitespace → `HOOKSIG_INVALID_SECRET`.
/// - `tolerance_s`: accepted clock skew in seconds, both ways (`HOOKSIG_DEFAULT_TOLERANCE` is
///   300); negative → `HOOKSIG_INVALID_CONFIG`.
/// - `out`: receives the new verifier on success only (free with `hooksig_verifier_free`).
/// - `err_out`: NULL, or receives a `hooksig_error` on failure only (free it).
///
/// hooksig copies the secrets; the caller's buffers may be reused as soon as this returns.
///
/// # Safety
/// Every non-NULL pointer is valid for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new(
    scheme: *const u8,
    scheme_len: usize,
    secrets: *const hooksig_bytes,
    n_secrets: usize,
    tolerance_s: i64,
    out: *mut *mut hooksig_verifier,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            new_verifier(
                named_scheme(scheme, scheme_len),
                secrets,
                n_secrets,
                tolerance_s,
                std::ptr::null(),
                0,
                HOOKSIG_JSON_FALLBACK_DEFAULT,
                out,
            )
        })
    }
}

/// `hooksig_verifier_new` with every option.
///
/// - `secret_format`, `secret_format_len`: NULL (and 0) for `"auto"`, or one of `"auto"`,
///   `"text"`, `"base64"`, `"hex"`; anything else → `HOOKSIG_INVALID_CONFIG`.
/// - `json_fallback`: `HOOKSIG_JSON_FALLBACK_DEFAULT` (-1) for the scheme's default, 0 off,
///   1 on (retry a failed match on Node's `JSON.stringify(JSON.parse(body))`); other values →
///   `HOOKSIG_INVALID_ARGUMENT`.
///
/// # Safety
/// Every non-NULL pointer is valid for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new_ex(
    scheme: *const u8,
    scheme_len: usize,
    secrets: *const hooksig_bytes,
    n_secrets: usize,
    tolerance_s: i64,
    secret_format: *const u8,
    secret_format_len: usize,
    json_fallback: i32,
    out: *mut *mut hooksig_verifier,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            new_verifier(
                named_scheme(scheme, scheme_len),
                secrets,
                n_secrets,
                tolerance_s,
                secret_format,
                secret_format_len,
                json_fallback,
                out,
            )
        })
    }
}

/// `hooksig_verifier_new_ex` for a custom scheme. The definition is validated here (an
/// inconsistent one → `HOOKSIG_INVALID_CONFIG`) and copied: `scheme` may be freed afterwards.
///
/// # Safety
/// `scheme` is NULL or a live `hooksig_custom_scheme`; every other non-NULL pointer is valid
/// for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new_custom(
    scheme: *const hooksig_custom_scheme,
    secrets: *const hooksig_bytes,
    n_secrets: usize,
    tolerance_s: i64,
    secret_format: *const u8,
    secret_format_len: usize,
    json_fallback: i32,
    out: *mut *mut hooksig_verifier,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let scheme = handle(scheme, "scheme").and_then(hooksig_custom_scheme::build);
            new_verifier(
                scheme,
                secrets,
                n_secrets,
                tolerance_s,
                secret_format,
                secret_format_len,
                json_fallback,
                out,
            )
        })
    }
}

/// Releases a verifier and wipes its secrets. NULL is a no-op. No other thread may still be
/// using it.
///
/// # Safety
/// `verifier` is NULL or a verifier not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_free(verifier: *mut hooksig_verifier) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(verifier) })
}

/// Verifies one webhook request.
///
/// - `verifier`: from `hooksig_verifier_new*`; may be shared by any number of threads.
/// - `headers`, `n_headers`: the request headers as received (all of them, or at least the
///   scheme's); NULL only when `n_headers` is 0.
/// - `body`, `body_len`: the raw request body bytes, exactly as received (not re-serialized);
///   NULL only when `body_len` is 0.
/// - `now`: the current Unix time in seconds, or `HOOKSIG_NOW` for the system clock.
/// - `out`: receives a `hooksig_verified` on success only (free with `hooksig_verified_free`).
/// - `err_out`: NULL, or receives a `hooksig_error` on failure only (free it).
///
/// Returns `HOOKSIG_OK`, one of the request errors (1 to 8; answer
/// `hooksig_status_http_status(status)`), or a usage error. The comparison is constant-time.
/// No pointer into `headers` or `body` is kept after the call.
///
/// # Safety
/// `verifier` is NULL or live; every other non-NULL pointer is valid for its stated length for
/// the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verify(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    n_headers: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    out: *mut *mut hooksig_verified,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            out_ptr(out, "out")?;
            let verifier = &handle(verifier, "verifier")?.inner;
            let raw = slice(headers, n_headers, "headers")?;
            let mut pairs: Vec<(&[u8], &[u8])> = Vec::with_capacity(raw.len());
            for (i, h) in raw.iter().enumerate() {
                // The label with the index is built only when the check fails: formatting it
                // on every call was a third of a small verification in the profile.
                let name = bytes(h.name, h.name_len, "header name")
                    .or_else(|_| bytes(h.name, h.name_len, &format!("headers[{i}].name")))?;
                let value = bytes(h.value, h.value_len, "header value")
                    .or_else(|_| bytes(h.value, h.value_len, &format!("headers[{i}].value")))?;
                pairs.push((name, value));
            }
            let body = bytes(body, body_len, "body")?;
            let verified = if now == HOOKSIG_NOW {
                verifier.verify(&pairs, body)
            } else {
                verifier.verify_at(&pairs, body, now)
            }?;
            input::give(out, hooksig_verified::from(verified));
            Ok(())
        })
    }
}

/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
unsafe fn verified<'a>(v: *const hooksig_verified) -> Option<&'a hooksig_verified> {
    // SAFETY: see the function's contract.
    unsafe { v.as_ref() }
}

/// # Safety
/// `text` outlives the returned pointer's use; `len_out` NULL or writable.
unsafe fn give_opt(text: Option<&CText>, len_out: *mut usize) -> *const c_char {
    match text {
        // SAFETY: forwarded.
        Some(t) => unsafe { t.give(len_out) },
        None => std::ptr::null(),
    }
}

/// The scheme id (NUL-terminated; for a custom scheme, its own id). NULL if `v` is NULL.
/// `len_out` (optional, may be NULL) receives the length without the NUL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_scheme(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.scheme), len_out)
    })
}

/// 1 when the scheme carries a signed timestamp (then `hooksig_verified_timestamp` is it), 0
/// when it has none (or `v` is NULL).
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_has_timestamp(v: *const hooksig_verified) -> i32 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(
        || 0,
        || i32::from(unsafe { verified(v) }.is_some_and(|v| v.timestamp.is_some())),
    )
}

/// The signed timestamp in Unix seconds; 0 when there is none (check
/// `hooksig_verified_has_timestamp`) or `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_timestamp(v: *const hooksig_verified) -> i64 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(
        || 0,
        || {
            unsafe { verified(v) }
                .and_then(|v| v.timestamp)
                .unwrap_or(0)
        },
    )
}

/// The message / delivery / event id (NUL-terminated UTF-8), or NULL when the scheme or the
/// request has none (or `v` is NULL). `len_out` (optional) receives the length without the NUL.
/// Use it to reject replays.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_id(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).and_then(|v| v.id.as_ref()), len_out)
    })
}

/// The event type (NUL-terminated UTF-8), or NULL when the scheme or the request has none (or
/// `v` is NULL). `len_out` (optional) receives the length without the NUL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_event_type(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).and_then(|v| v.event_type.as_ref()), len_out)
    })
}

/// The delivery's replay key (NUL-terminated ASCII): `"<scheme>:id:<id>"` when the scheme
/// carries a message id, else `"<scheme>:sig:<hex>"` (a fingerprint of the verified
/// signature). Give it to `hooksig_replay_guard_check_and_remember` (or your shared store).
/// Owned by `v`, valid until `hooksig_verified_free(v)`; `len_out` (optional) receives the
/// length without the NUL. NULL if `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_dedupe_key(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.dedupe_key), len_out)
    })
}

/// Which secret matched (0-based index into the secrets given to the constructor); 0 if `v`
/// is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_key_index(v: *const hooksig_verified) -> usize {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| 0, || unsafe { verified(v) }.map_or(0, |v| v.key_index))
}

/// The authenticated payload: a copy of the body, or — when a scheme's JSON fallback matched —
/// the re-serialized JSON the sender actually signed. Parse this, not the raw body.
/// `len_out` (optional) receives its length; the bytes are followed by a NUL that is not
/// counted. NULL only if `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_payload(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const u8 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.payload), len_out).cast()
    })
}

/// Releases a verification result and every string it returned. NULL is a no-op.
///
/// # Safety
/// `v` is NULL or a `hooksig_verified` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_free(v: *mut hooksig_verified) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(v) })
}

/// Starts a custom scheme definition: body-only content (`"{body}"`), hex, HMAC-SHA256, no
/// prefix, no timestamp/id/event headers, no JSON fallback. Adjust it with
/// `hooksig_custom_scheme_set`. `id` and `signature_header` are UTF-8 text (not
/// NUL-terminated); they are checked when the scheme is used.
///
/// # Safety
/// Every non-NULL pointer is valid for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_new(
    id: *const u8,
    id_len: usize,
    signature_header: *const u8,
    signature_header_len: usize,
    out: *mut *mut hooksig_custom_scheme,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            out_ptr(out, "out")?;
            let id = text(id, id_len, "id")?;
            let sig = text(signature_header, signature_header_len, "signature_header")?;
            let def = CustomScheme::new(id, sig);
            input::give(out, hooksig_custom_scheme { def });
            Ok(())
        })
    }
}

/// Sets one option of a custom scheme. `key` names it, as in the shared vector files:
///
/// | key | value |
/// |---|---|
/// | `id`, `signature_header` | text (required: NULL → `HOOKSIG_NULL_ARGUMENT`) |
/// | `timestamp_header`, `id_header`, `event_header`, `prefix` | text, or NULL to unset |
/// | `template` | signed content over `{id}`, `{ts}`, `{body}`, e.g. `"{ts}.{body}"` |
/// | `encoding` | `"hex"` or `"base64"` |
/// | `algorithm` | `"sha256"` or `"sha512"` |
/// | `json_fallback` | `"true"` or `"false"` |
///
/// An unknown key or value → `HOOKSIG_INVALID_CONFIG` (the scheme is left unchanged).
/// Consistency between options (e.g. `{ts}` needs a timestamp header) is checked when the
/// scheme is used. Keys and values are UTF-8 text, not NUL-terminated.
///
/// # Safety
/// `scheme` is NULL or a live `hooksig_custom_scheme` no other thread is using; every other
/// non-NULL pointer is valid for its stated length for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_set(
    scheme: *mut hooksig_custom_scheme,
    key: *const u8,
    key_len: usize,
    value: *const u8,
    value_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let def = &mut input::handle_mut(scheme, "scheme")?.def;
            let key = text(key, key_len, "key")?;
            let value = opt_text(value, value_len, "value")?;
            let required = || {
                value.ok_or_else(|| {
                    Failure::new(
                        hooksig_status::HOOKSIG_NULL_ARGUMENT,
                        format!("argument `value` is NULL but `{key}` requires a value"),
                    )
                })
            };
            let owned = value.map(str::to_owned);
            match key {
                "id" => def.id = required()?.to_owned(),
                "signature_header" => def.signature_header = required()?.to_owned(),
                "timestamp_header" => def.timestamp_header = owned,
                "id_header" => def.id_header = owned,
                "event_header" => def.event_header = owned,
                "prefix" => def.prefix = owned,
                "template" => def.template = required()?.to_owned(),
                "encoding" => def.encoding = Encoding::parse(required()?)?,
                "algorithm" => def.algorithm = Algorithm::parse(required()?)?,
                "json_fallback" => {
                    def.json_fallback = match required()? {
                        "true" => true,
                        "false" => false,
                        other => {
                            return Err(Failure::new(
                                HOOKSIG_INVALID_CONFIG,
                                format!(
                                    "json_fallback must be `true` or `false`, not `{}`",
                                    other.escape_debug()
                                ),
                            ));
                        }
                    }
                }
                other => {
                    return Err(Failure::new(
                        HOOKSIG_INVALID_CONFIG,
                        format!(
                            "unknown custom scheme option `{}`; known: id, signature_header, \
                             timestamp_header, id_header, event_header, template, encoding, \
                             prefix, algorithm, json_fallback",
                            other.escape_debug()
                        ),
                    ));
                }
            }
            Ok(())
        })
    }
}

/// Releases a custom scheme definition. NULL is a no-op. Verifiers built from it keep working.
///
/// # Safety
/// `scheme` is NULL or a `hooksig_custom_scheme` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_custom_scheme_free(scheme: *mut hooksig_custom_scheme) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(scheme) })
}
