//! Signing a body as a sender would: `hooksig_sign` and `hooksig_verifier_sign`, their
//! options (`hooksig_sign_options`) and result (`hooksig_signed_headers`).

use crate::prelude::*;

use hooksig::SignOptions;

use crate::scheme::hooksig_scheme;
use crate::verifier::{HOOKSIG_NOW, hooksig_verifier};

/// Shared by both: signs with `sign(options)` and writes the headers to `out` (the contract of
/// the exported functions).
unsafe fn sign_into(
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
    sign: impl FnOnce(&SignOptions<'_>) -> Result<hooksig::SignedHeaders, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from the exported functions' contracts.
    unsafe {
        ffi_new(out, err_out, || {
            let defaults = hooksig_sign_options::default();
            let headers = sign(&options.as_ref().unwrap_or(&defaults).core())?;
            Ok(hooksig_signed_headers::from(&headers))
        })
    }
}

/// Signs `body` (the exact bytes to send) as a sender of `scheme` would (for tests, and for
/// services that send webhooks). `secret` is decoded as the "auto" format does (refused →
/// `HOOKSIG_INVALID_SECRET`); `options` NULL for the defaults (now, no id, no event type).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign(
    scheme: *const hooksig_scheme,
    secret: *const c_char,
    secret_len: usize,
    body: *const c_char,
    body_len: usize,
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        sign_into(options, out, err_out, |options| {
            let scheme = handle(scheme, "scheme")?.inner();
            let secret = bytes(secret, secret_len, "secret")?;
            let body = bytes(body, body_len, "body")?;
            Ok(hooksig::sign_with(scheme, secret, body, options)?)
        })
    }
}

/// Signs with a verifier's first secret, decoded with the verifier's secret format (what a test,
/// or a service that both sends and receives, needs; `hooksig_sign` always decodes as "auto").
/// Other arguments as for `hooksig_sign`. Safe to call from several threads on one verifier.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_sign(
    verifier: *const hooksig_verifier,
    body: *const c_char,
    body_len: usize,
    options: *const hooksig_sign_options,
    out: *mut *mut hooksig_signed_headers,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        sign_into(options, out, err_out, |options| {
            let verifier = handle(verifier, "verifier")?.inner();
            let body = bytes(body, body_len, "body")?;
            Ok(verifier.sign(body, options)?)
        })
    }
}

/// Options for signing (passing NULL to `hooksig_sign` means all defaults): the system clock,
/// no message id (schemes that sign one derive it from the content), no event type. Not
/// synchronised: one thread at a time while setting; signing only reads them.
#[derive(Default)]
pub struct hooksig_sign_options {
    timestamp: Option<i64>,
    id: Option<String>,
    event_type: Option<String>,
    method: Option<String>,
    url: Option<String>,
}

impl hooksig_sign_options {
    /// The core's options, borrowing from `self`.
    pub(crate) fn core(&self) -> SignOptions<'_> {
        SignOptions {
            timestamp: self.timestamp,
            id: self.id.as_deref(),
            event_type: self.event_type.as_deref(),
            url: self.url.as_deref(),
            method: self.method.as_deref(),
        }
    }
}

/// Optional owned text (NULL and 0: `None`); the contract of [`opt_text`].
unsafe fn owned(ptr: *const c_char, len: usize, what: &str) -> Result<Option<String>, Failure> {
    // SAFETY: forwarded from this function's contract.
    Ok(unsafe { opt_text(ptr, len, what) }?.map(str::to_owned))
}

/// New options with every default.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_new(
    out: *mut *mut hooksig_sign_options,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_new(out, err_out, || Ok(hooksig_sign_options::default())) }
}

/// The timestamp to sign, Unix seconds, or `HOOKSIG_NOW` for the system clock (a negative
/// value is refused when signing: `HOOKSIG_INVALID_CONFIG`). Ignored by schemes without one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_timestamp(
    options: *mut hooksig_sign_options,
    timestamp: i64,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.timestamp = (timestamp != HOOKSIG_NOW).then_some(timestamp);
            Ok(())
        })
    }
}

/// The message id (UTF-8), or NULL (and 0) for none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_id(
    options: *mut hooksig_sign_options,
    id: *const c_char,
    id_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.id = owned(id, id_len, "id")?;
            Ok(())
        })
    }
}

/// The event type (UTF-8), or NULL (and 0) for none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_event_type(
    options: *mut hooksig_sign_options,
    event_type: *const c_char,
    event_type_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.event_type = owned(event_type, event_type_len, "event_type")?;
            Ok(())
        })
    }
}

/// The request line to sign, for the schemes that sign it (`twilio`, `square`, `hubspot`,
/// custom `{method}`/`{url}`): the method (NULL and 0 for `POST`) and the full URL the request
/// goes to (NULL and 0 for none; those schemes then refuse to sign with
/// `HOOKSIG_INVALID_ARGUMENT`). Other schemes ignore it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_set_request(
    options: *mut hooksig_sign_options,
    method: *const c_char,
    method_len: usize,
    url: *const c_char,
    url_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_set(options, "options", err_out, |o| {
            o.method = owned(method, method_len, "method")?;
            o.url = owned(url, url_len, "url")?;
            Ok(())
        })
    }
}

/// Releases options. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_options_free(options: *mut hooksig_sign_options) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(options) }
}

/// The headers a sender attaches, as `(name, value)` pairs in the order to send them.
pub struct hooksig_signed_headers(Vec<(CText, CText)>);

impl From<&hooksig::SignedHeaders> for hooksig_signed_headers {
    fn from(headers: &hooksig::SignedHeaders) -> Self {
        let headers = headers
            .iter()
            .map(|(n, v)| (CText::new(n.as_bytes()), CText::new(v.as_bytes())))
            .collect();
        hooksig_signed_headers(headers)
    }
}

/// Number of headers (0 if `h` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_count(h: *const hooksig_signed_headers) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(h, 0, |h| h.0.len()) }
}

/// The name of header `index` (exact case), or NULL when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_name(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(h, len_out, |h| Some(h.0.get(index)?.0.bytes())) }
}

/// The value of header `index`, or NULL when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_value(
    h: *const hooksig_signed_headers,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(h, len_out, |h| Some(h.0.get(index)?.1.bytes())) }
}

/// Releases signed headers and every string they returned. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_signed_headers_free(h: *mut hooksig_signed_headers) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(h) }
}
