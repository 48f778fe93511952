//! The `Verifier` class: synchronous and threadpool verification.

use std::borrow::Cow;
use std::sync::Arc;

use hooksig::SecretFormat;
use hooksig::receive;
use napi::bindgen_prelude::{
    AsyncTask, Buffer, Either, Either4, Env, External, Float64ArraySlice, Null, Object, Unknown,
};
use napi::{JsValue, Task, sys};
use napi_derive::napi;

use crate::error::{CoreResult, boundary, run};
use crate::scheme::{self, SchemeArg};
use crate::{SignOptions, headers_object};

/// Options of `new Verifier(scheme, options)`. Give `secret` or `secrets` (rotation: any of
/// them may match; `keyIndex` says which did).
#[napi(object)]
pub struct VerifierOptions {
    /// The signing secret.
    pub secret: Option<String>,
    /// Several secrets (e.g. `[old, new]` during a rotation).
    pub secrets: Option<Vec<String>>,
    /// Seconds of accepted clock difference, each way (0 or more); default: the scheme's (see
    /// `Verifier.tolerance`).
    pub tolerance: Option<i64>,
    /// `"auto"` (default), `"text"`, `"base64"` or `"hex"`.
    #[napi(ts_type = "'auto' | 'text' | 'base64' | 'hex'")]
    pub secret_format: Option<String>,
    /// Override the scheme's JSON fallback (on by default for `chaindoc` only).
    pub json_fallback: Option<bool>,
}

/// Options of `verify` and `verifyAsync`.
#[napi(object)]
pub struct VerifyOptions {
    /// The clock, in Unix seconds (default: the system clock). For tests.
    pub now: Option<i64>,
    /// The full URL the sender requested (behind a proxy, the public one), for the schemes that
    /// sign it (see `signsRequestLine`; `invalid_argument` without it), ignored by the others.
    pub url: Option<String>,
    /// The request method, for the schemes that sign it (`hubspot`, custom `{method}`); `POST`
    /// when omitted or empty.
    pub method: Option<String>,
}

/// The core's request line from `url` / `method` options (none without a URL).
pub(crate) fn request_line<'a>(
    url: Option<&'a str>,
    method: Option<&'a str>,
) -> Option<hooksig::RequestLine<'a>> {
    url.map(|url| hooksig::RequestLine {
        method: method.unwrap_or_default(),
        url,
    })
}

/// A verified webhook. Act on `payload` (the authenticated bytes), not on a re-parsed body.
#[napi(object, use_nullable = true)]
pub struct Verified {
    /// The scheme id.
    pub scheme: String,
    /// The signed timestamp (Unix seconds), or `null` for schemes without one.
    pub timestamp: Option<i64>,
    /// The message / delivery / event id, or `null`.
    pub id: Option<String>,
    /// The event type, or `null`.
    pub event_type: Option<String>,
    /// Which secret matched (0 is the first configured secret).
    pub key_index: u32,
    /// The authenticated bytes: the body (from `verify`, the caller's `Buffer` or a view of its
    /// bytes, no copy: don't modify it meanwhile), or the re-serialized JSON a scheme's JSON
    /// fallback matched.
    // `null` from the addon when it is the body: lib/verifier.js or the async task sets it.
    #[napi(ts_type = "Buffer")]
    pub payload: Either<Buffer, Null>,
    /// The key a replay guard remembers: `<scheme>:id:<id>` when the scheme carries an id,
    /// otherwise `<scheme>:sig:<hex>` from the matched signature (a retry carries the same).
    pub dedupe_key: String,
}

impl From<hooksig::Verified<'_>> for Verified {
    fn from(v: hooksig::Verified<'_>) -> Self {
        Verified {
            dedupe_key: v.dedupe_key(),
            scheme: v.scheme.to_owned(),
            timestamp: v.timestamp,
            id: v.id,
            event_type: v.event_type,
            key_index: u32::try_from(v.key_index).unwrap_or(u32::MAX),
            // `null` when the payload is the body itself (the caller already holds those bytes).
            payload: match v.payload {
                Cow::Borrowed(_) => Either::B(Null),
                Cow::Owned(bytes) => Either::A(bytes.into()),
            },
        }
    }
}

/// Verifies webhooks of one scheme against one or more secrets, in constant time.
///
/// Build it once at start-up and share it; it holds no per-request state.
#[napi]
pub struct Verifier {
    inner: Arc<hooksig::Verifier>,
    /// `headerNames`, computed once: `verifyPicked` takes their values by position.
    names: Vec<String>,
    /// The core's `signs_request_line`, computed once.
    signs_request_line: bool,
}

impl Verifier {
    /// A threadpool verification (the body copied, so the caller may reuse its buffer at once).
    fn task(
        &self,
        headers: Vec<String>,
        body: &[u8],
        now: Option<i64>,
        url: Option<String>,
        method: Option<String>,
        handshake: bool,
    ) -> AsyncTask<VerifyTask> {
        let verifier = Arc::clone(&self.inner);
        let body = body.to_vec();
        AsyncTask::new(VerifyTask {
            verifier,
            headers,
            body,
            now,
            url,
            method,
            handshake,
        })
    }

    fn from_core(inner: hooksig::Verifier) -> Self {
        let mut names: Vec<String> = Vec::new();
        for name in inner.header_names() {
            let name = name.to_ascii_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Verifier {
            signs_request_line: inner.signs_request_line(),
            inner: Arc::new(inner),
            names,
        }
    }
}

#[napi]
impl Verifier {
    /// `scheme` is a built-in id (see `schemes()`) or a `customScheme(...)`. Throws
    /// `HooksigError` with `unknown_scheme`, `invalid_secret` (empty, whitespace-padded or
    /// undecodable secret, no secret) or `invalid_config`.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "scheme: string | CustomScheme, options: VerifierOptions"
    )]
    pub fn new(env: Env, scheme: SchemeArg, options: VerifierOptions) -> napi::Result<Self> {
        run(&env, || {
            let mut builder = hooksig::Verifier::builder(scheme::resolve(&scheme)?).secrets(
                options
                    .secret
                    .iter()
                    .chain(options.secrets.iter().flatten()),
            );
            if let Some(format) = &options.secret_format {
                builder = builder.secret_format(SecretFormat::parse(format)?);
            }
            if let Some(secs) = options.tolerance {
                builder = builder.tolerance(secs);
            }
            if let Some(on) = options.json_fallback {
                builder = builder.json_fallback(on);
            }
            Ok(Verifier::from_core(builder.build()?))
        })
    }

    /// One verifier over several (a multi-vendor endpoint): the one whose signature header a
    /// request carries answers, and `Verified.scheme` names it. Throws `invalid_config` for no
    /// verifier, more than 16, a composite or a repeated scheme. Its own `scheme` is `"any"`,
    /// and it does not `sign`.
    #[napi(catch_unwind, factory, ts_args_type = "verifiers: Verifier[]")]
    pub fn any_of(env: Env, verifiers: Vec<&Verifier>) -> napi::Result<Self> {
        run(&env, || {
            let members = verifiers.iter().map(|v| Arc::clone(&v.inner));
            Ok(Verifier::from_core(hooksig::Verifier::any_of(members)?))
        })
    }

    /// Internal: a composite's scheme ids in order (empty for one scheme), indexed by the
    /// compact result's sixth number.
    #[napi(catch_unwind, getter, skip_typescript)]
    pub fn member_schemes(&self) -> Vec<String> {
        self.inner
            .members()
            .iter()
            .map(|m| m.scheme().id().to_owned())
            .collect()
    }

    /// The scheme id.
    #[napi(catch_unwind, getter)]
    pub fn scheme(&self) -> String {
        self.inner.scheme().id().to_owned()
    }

    /// The accepted clock difference in seconds, each way: the `tolerance` given, or the
    /// scheme's default (600 for `twitch` and `box`, 60 for `linear`, 180 for `workos`, 300
    /// otherwise) when none was.
    #[napi(catch_unwind, getter)]
    pub fn tolerance(&self) -> i64 {
        crate::js_safe(self.inner.tolerance().past.unwrap_or(u64::MAX))
    }

    /// Whether verification needs the request's `url` (and `method`): `twilio`, `square`,
    /// `hubspot`, a custom `{url}` / `{method}` template, or an `anyOf` holding one.
    #[napi(catch_unwind, getter)]
    pub fn signs_request_line(&self) -> bool {
        self.signs_request_line
    }

    /// The replay guards' default `ttl` in seconds: the past tolerance plus 60 s (older fails
    /// the timestamp check anyway), or 24 h for schemes without a signed timestamp.
    #[napi(catch_unwind, getter)]
    pub fn replay_ttl(&self) -> i64 {
        crate::js_safe(hooksig::default_ttl(&self.inner))
    }

    /// Verifies a request's headers and raw body. Returns the `Verified` result or throws a
    /// `HooksigError` whose `code` says why (`missing_signature`, `signature_mismatch`,
    /// `timestamp_expired`, ...) and whose `header` names the header involved.
    #[napi(
        catch_unwind,
        ts_args_type = "headers: HeadersInput, body: BodyInput, options?: VerifyOptions"
    )]
    pub fn verify(
        &self,
        env: Env,
        headers: Vec<String>,
        body: &[u8],
        options: Option<VerifyOptions>,
    ) -> napi::Result<Verified> {
        let (now, url, method) = match &options {
            Some(o) => (o.now, o.url.as_deref(), o.method.as_deref()),
            None => (None, None, None),
        };
        run(&env, || {
            let line = request_line(url, method);
            Ok(check(&self.inner, &pairs(&headers), body, line, now)?.into())
        })
    }

    /// Internal: the lower-case names of every header this verifier can read (the core's
    /// `Scheme::header_names`); `lib/verifier.js` passes the addon only these.
    #[napi(catch_unwind, getter, skip_typescript)]
    pub fn header_names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// Internal, for `lib/verifier.js`: verification with a compact result (a napi object built
    /// property by property cost more than the verification). Writes `[keyIndex, timestamp
    /// (NaN: none), dedupeKey length, id length, eventType length (-1: none), matched member
    /// (-1: not a composite)]` (UTF-16 lengths) into `out` and returns `dedupeKey + id +
    /// eventType` as one string, or `[that string, payload]` for a JSON-fallback match. A
    /// failure is returned, not thrown (an `Error`'s stack trace made a rejection cost several
    /// acceptances): `[code, header | null, message]`. With `mode` 1 (the receivers), a vendor's
    /// endpoint handshake returns the core's `ReceiverAnswer`. `url` and `method`: the request
    /// line (`undefined`: none), read only when the verifier signs it.
    #[napi(catch_unwind, skip_typescript)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify_compact<'env>(
        &self,
        env: &'env Env,
        headers: Vec<String>,
        body: &[u8],
        now: Option<i64>,
        out: Float64ArraySlice<'_>,
        mode: u32,
        url: Option<String>,
        method: Option<String>,
    ) -> napi::Result<CompactResult<'env>> {
        compact(
            env,
            &self.inner,
            pairs(&headers).as_slice(),
            body,
            request_line(url.as_deref(), method.as_deref()),
            now,
            out,
            Mode::from(mode),
        )
    }

    /// Internal: this verifier as the handle `verifyPicked` takes (shared, no key copied).
    #[napi(catch_unwind, skip_typescript)]
    pub fn handle(&self) -> External<Handle> {
        External::new(Handle {
            verifier: Arc::clone(&self.inner),
            names: self.names.clone(),
            signs_request_line: self.signs_request_line,
        })
    }

    /// Like `verify`, but computes the MAC on the libuv threadpool and resolves (or rejects
    /// with a `HooksigError`). The body is copied before the call returns, so the caller may
    /// reuse or detach its buffer at once; worth it for large bodies only.
    #[napi(
        catch_unwind,
        ts_args_type = "headers: HeadersInput, body: BodyInput, options?: VerifyOptions",
        ts_return_type = "Promise<Verified>"
    )]
    pub fn verify_async(
        &self,
        headers: Vec<String>,
        body: &[u8],
        options: Option<VerifyOptions>,
    ) -> AsyncTask<VerifyTask> {
        let o = options.unwrap_or(VerifyOptions {
            now: None,
            url: None,
            method: None,
        });
        self.task(headers, body, o.now, o.url, o.method, false)
    }

    /// Internal, for the receivers' large bodies: `verifyAsync` resolving the core's
    /// `ReceiverAnswer` for a vendor's endpoint handshake (see `verifyCompact`).
    #[napi(catch_unwind, skip_typescript)]
    pub fn verify_receiver_async(
        &self,
        headers: Vec<String>,
        body: &[u8],
        now: Option<i64>,
        url: Option<String>,
        method: Option<String>,
    ) -> AsyncTask<VerifyTask> {
        self.task(headers, body, now, url, method, true)
    }

    /// Signs `body` with this verifier's first secret (for tests and in-process senders).
    #[napi(
        catch_unwind,
        ts_args_type = "body: BodyInput, options?: SignOptions",
        ts_return_type = "Record<string, string>"
    )]
    pub fn sign<'env>(
        &self,
        env: &'env Env,
        body: &[u8],
        options: Option<SignOptions>,
    ) -> napi::Result<Object<'env>> {
        let opts = crate::core_sign_options(&options);
        let pairs = run(env, || Ok(self.inner.sign(body, &opts)?))?;
        headers_object(env, pairs)
    }
}

/// A verifier as `verifyPicked` takes it (`Verifier::handle`).
pub struct Handle {
    verifier: Arc<hooksig::Verifier>,
    /// The verifier's `headerNames`: `verifyPicked`'s `hN` is the value of `names[N]`.
    names: Vec<String>,
    /// The verifier's `signsRequestLine`: `verifyPicked` reads `url` and `method` only then.
    signs_request_line: bool,
}

/// Internal: `verifyCompact` of a `handle()` with the headers by position (`hN`: the value of
/// `headerNames[N]`, anything but a string is absent), converted into a stack buffer: the flat
/// array's per-string cost was most of a small request's time. A function of an `External`,
/// not a method (`napi_unwrap` of `this` is a runtime property lookup); `now` (`NaN`: the
/// system clock) and `mode` always given (an optional argument costs a `napi_typeof`); `url`
/// and `method` read only when the verifier signs the request line.
#[napi(catch_unwind, skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn verify_picked<'env>(
    env: &'env Env,
    handle: &External<Handle>,
    body: &[u8],
    now: f64,
    out: Float64ArraySlice<'_>,
    mode: u32,
    url: Unknown<'_>,
    method: Unknown<'_>,
    h0: Unknown<'_>,
    h1: Unknown<'_>,
    h2: Unknown<'_>,
    h3: Unknown<'_>,
    h4: Unknown<'_>,
    h5: Unknown<'_>,
) -> napi::Result<CompactResult<'env>> {
    let values = [h0, h1, h2, h3, h4, h5];
    let mut scratch = [0u8; PICKED_SCRATCH];
    let mut heap: Vec<Vec<u8>> = Vec::new();
    let mut spans = [Span::Absent; MAX_PICKED];
    let mut used = 0;
    for ((value, span), _) in values.iter().zip(spans.iter_mut()).zip(&handle.names) {
        *span = read_string(env, value, &mut scratch, &mut used, &mut heap)?;
    }
    let (mut url_span, mut method_span) = (Span::Absent, Span::Absent);
    if handle.signs_request_line {
        url_span = read_string(env, &url, &mut scratch, &mut used, &mut heap)?;
        method_span = read_string(env, &method, &mut scratch, &mut used, &mut heap)?;
    }
    let text = |span: Span| -> napi::Result<Option<&str>> {
        let bytes: &[u8] = match span {
            Span::Absent => return Ok(None),
            Span::Scratch(from, to) => &scratch[from..to],
            Span::Heap(i) => &heap[i],
        };
        // napi writes UTF-8 (lone surrogates as U+FFFD).
        std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| napi::Error::from_reason("verifyPicked: the URL is not UTF-8"))
    };
    let line = request_line(text(url_span)?, text(method_span)?);
    let mut picked: [(&str, &[u8]); MAX_PICKED] = [("", &[]); MAX_PICKED];
    let mut len = 0;
    for (span, name) in spans.iter().zip(&handle.names) {
        let value: &[u8] = match *span {
            Span::Absent => continue,
            Span::Scratch(from, to) => &scratch[from..to],
            Span::Heap(i) => &heap[i],
        };
        picked[len] = (name.as_str(), value);
        len += 1;
    }
    // A safe integer, so exact; NaN: none.
    let now = (!now.is_nan()).then_some(now as i64);
    compact(
        env,
        &handle.verifier,
        &picked[..len],
        body,
        line,
        now,
        out,
        Mode::from(mode),
    )
}

/// Whether `verifyCompact` / `verifyPicked` answer a vendor's endpoint handshake.
#[derive(Clone, Copy)]
enum Mode {
    Plain,
    Handshake,
}

impl From<u32> for Mode {
    fn from(n: u32) -> Self {
        if n == 0 { Mode::Plain } else { Mode::Handshake }
    }
}

/// The length of `verifyCompact`'s `out` array.
const COMPACT_LEN: usize = 6;

/// How many header values `verifyPicked` takes (svix's six, the most of any built-in scheme).
const MAX_PICKED: usize = 6;

/// The stack buffer `verifyPicked` converts header values into (else a heap buffer each).
const PICKED_SCRATCH: usize = 1024;

/// Where `read_string` put one header value.
#[derive(Clone, Copy)]
enum Span {
    Absent,
    Scratch(usize, usize),
    Heap(usize),
}

/// One header value for `verifyPicked`: a JavaScript string as UTF-8 (what napi's `String`
/// conversion produces: lone surrogates become U+FFFD), written into `scratch` from `*used`
/// when it fits, else into a new buffer pushed on `heap`; anything that is not a string is an
/// absent header.
fn read_string(
    env: &Env,
    value: &Unknown<'_>,
    scratch: &mut [u8; PICKED_SCRATCH],
    used: &mut usize,
    heap: &mut Vec<Vec<u8>>,
) -> napi::Result<Span> {
    let (env, value) = (env.raw(), value.raw());
    let free = PICKED_SCRATCH - *used;
    let mut written = 0usize;
    // SAFETY: `env` and `value` are the live handles of this synchronous call; napi writes at
    // most `free` bytes (the text and a NUL) into `scratch[*used..]`, which is `free` bytes long.
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            env,
            value,
            scratch[*used..].as_mut_ptr().cast(),
            free,
            &mut written,
        )
    };
    if status == sys::Status::napi_string_expected {
        return Ok(Span::Absent);
    }
    napi_ok(status)?;
    // napi writes whole characters (at most 4 bytes each) into `free - 1` bytes: with 4 bytes
    // to spare, nothing was cut off; otherwise ask for the full length.
    let mut full = written;
    if written + 4 >= free {
        // SAFETY: as above; a null buffer only asks for the length.
        napi_ok(unsafe {
            sys::napi_get_value_string_utf8(env, value, std::ptr::null_mut(), 0, &mut full)
        })?;
    }
    if full == written {
        let span = Span::Scratch(*used, *used + written);
        *used += written;
        return Ok(span);
    }
    let mut buf = vec![0u8; full + 1];
    // SAFETY: as above; `buf` holds `full + 1` bytes, the text and its NUL.
    napi_ok(unsafe {
        sys::napi_get_value_string_utf8(
            env,
            value,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut written,
        )
    })?;
    buf.truncate(written);
    heap.push(buf);
    Ok(Span::Heap(heap.len() - 1))
}

fn napi_ok(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::from_reason(
            "verifyPicked: a header value could not be read",
        ))
    }
}

/// `parts` joined as one JavaScript string, made from a stack buffer when short (no heap
/// `String`) and as a one-byte (Latin-1) string when ASCII, which V8 copies without decoding.
fn js_text<'env>(env: &'env Env, parts: [&str; 3]) -> napi::Result<Unknown<'env>> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut inline = [0u8; 256];
    let mut heap = Vec::new();
    let buf: &mut [u8] = if len <= inline.len() {
        &mut inline[..len]
    } else {
        heap.resize(len, 0);
        &mut heap
    };
    let mut at = 0;
    for part in parts {
        buf[at..at + part.len()].copy_from_slice(part.as_bytes());
        at += part.len();
    }
    let len = isize::try_from(len)
        .map_err(|_| napi::Error::from_reason("verifyCompact: the result is too long"))?;
    let mut value = std::ptr::null_mut();
    // SAFETY: `env` is this synchronous call's live handle and `buf` holds `len` initialized
    // bytes, which napi copies; ASCII is the same text in Latin-1 and UTF-8.
    let status = unsafe {
        if buf.is_ascii() {
            sys::napi_create_string_latin1(env.raw(), buf.as_ptr().cast(), len, &mut value)
        } else {
            sys::napi_create_string_utf8(env.raw(), buf.as_ptr().cast(), len, &mut value)
        }
    };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::from_reason(
            "verifyCompact: the result could not be created",
        ));
    }
    // SAFETY: `value` is the string napi just created in this call's scope.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
}

/// `verifyCompact` and `verifyPicked`: one verification with the compact result (see
/// `verifyCompact`).
#[allow(clippy::too_many_arguments)]
fn compact<'env, H: hooksig::Headers + ?Sized>(
    env: &'env Env,
    verifier: &hooksig::Verifier,
    headers: &H,
    body: &[u8],
    line: Option<hooksig::RequestLine<'_>>,
    now: Option<i64>,
    mut out: Float64ArraySlice<'_>,
    mode: Mode,
) -> napi::Result<CompactResult<'env>> {
    // SAFETY: this call is synchronous on the JavaScript thread, so no JavaScript code can
    // touch the array's memory while the slice lives, and the array (an argument) stays
    // alive for the whole call; the slice does not outlive it.
    let out: &mut [f64] = unsafe { out.as_mut() };
    let out: &mut [f64; COMPACT_LEN] =
        out.get_mut(..COMPACT_LEN)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| napi::Error::from_reason("verifyCompact: `out` is too short"))?;
    let handshake = matches!(mode, Mode::Handshake);
    let verified = match boundary(|| Ok(checked(verifier, headers, body, line, now, handshake))) {
        Err(panic) => return Err(panic.into_napi(env)),
        Ok(Ok(Checked::Verified(v))) => v,
        Ok(Ok(Checked::Handshake(answer))) => return Ok(Either4::D(answer.into())),
        // The code alone: lib/receiver.js caches the core's answer per code (building it here
        // was half of a rejection's cost, issue 12).
        Ok(Err(err)) => {
            return Ok(Either4::C((
                err.code().as_str().to_owned(),
                err.header().map(str::to_owned),
                err.message().to_owned(),
            )));
        }
    };
    let dedupe_key = verified.dedupe_key();
    let utf16_len = |s: &str| -> f64 {
        if s.is_ascii() {
            s.len() as f64
        } else {
            s.encode_utf16().count() as f64
        }
    };
    let id = verified.id.as_deref();
    let event_type = verified.event_type.as_deref();
    let text = js_text(
        env,
        [
            &dedupe_key,
            id.unwrap_or_default(),
            event_type.unwrap_or_default(),
        ],
    )?;
    *out = [
        f64::from(u32::try_from(verified.key_index).unwrap_or(u32::MAX)),
        // The same conversion napi's i64 -> number does.
        verified.timestamp.map_or(f64::NAN, |t| t as f64),
        utf16_len(&dedupe_key),
        id.map_or(-1.0, utf16_len),
        event_type.map_or(-1.0, utf16_len),
        // A composite's match: the index of the verifier whose scheme it names.
        verifier
            .members()
            .iter()
            .position(|m| m.scheme().id() == verified.scheme)
            .map_or(-1.0, |i| i as f64),
    ];
    Ok(match verified.payload {
        Cow::Borrowed(_) => Either4::A(text),
        Cow::Owned(bytes) => Either4::B((text, bytes.into())),
    })
}

/// What `verify_compact` returns: the text fields, the text fields and a re-serialized
/// payload, a rejection as `[code, header, message]`, or a handshake's answer.
type CompactResult<'env> = Either4<
    Unknown<'env>,
    (Unknown<'env>, Buffer),
    (String, Option<String>, String),
    crate::receiver::ReceiverAnswer,
>;

/// Header pairs from the flat `[name, value, ...]` array `lib/input.js` builds.
fn pairs(flat: &[String]) -> Vec<(&str, &str)> {
    flat.chunks_exact(2)
        .map(|c| (c[0].as_str(), c[1].as_str()))
        .collect()
}

/// What a verification for a receiver found: a delivery, or a vendor's endpoint handshake
/// that the core's receiver policy answers itself.
pub enum Checked<V> {
    Verified(V),
    Handshake(receive::Answer),
}

/// `check`, then (with `handshake`) the core's `Receiver::handshake` for a verified request.
fn checked<'a, H: hooksig::Headers + ?Sized>(
    verifier: &'a hooksig::Verifier,
    headers: &H,
    body: &'a [u8],
    line: Option<hooksig::RequestLine<'_>>,
    now: Option<i64>,
    handshake: bool,
) -> hooksig::Result<Checked<hooksig::Verified<'a>>> {
    let verified = check(verifier, headers, body, line, now)?;
    if handshake {
        // The answer does not depend on the body limit: the default policy decides it.
        if let Some((_, answer)) = receive::Receiver::new().handshake(verifier, &verified, headers)
        {
            return Ok(Checked::Handshake(answer));
        }
    }
    Ok(Checked::Verified(verified))
}

/// One verification (with the request line, if any), at `now` or at the system clock.
fn check<'a, H: hooksig::Headers + ?Sized>(
    verifier: &'a hooksig::Verifier,
    headers: &H,
    body: &'a [u8],
    line: Option<hooksig::RequestLine<'_>>,
    now: Option<i64>,
) -> hooksig::Result<hooksig::Verified<'a>> {
    match now {
        Some(now) => verifier.verify_request_at(headers, body, line, now),
        None => verifier.verify_request(headers, body, line),
    }
}

/// `verifyAsync`'s work item, owning all it reads: the threadpool never touches JS memory.
pub struct VerifyTask {
    verifier: Arc<hooksig::Verifier>,
    headers: Vec<String>,
    body: Vec<u8>,
    now: Option<i64>,
    /// The request line (`url`, `method`), when given.
    url: Option<String>,
    method: Option<String>,
    /// Answer a vendor's endpoint handshake (`verifyReceiverAsync`); `verifyAsync` does not.
    handshake: bool,
}

impl Task for VerifyTask {
    type Output = CoreResult<Checked<Verified>>;
    type JsValue = Either<Verified, crate::receiver::ReceiverAnswer>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let line = request_line(self.url.as_deref(), self.method.as_deref());
        let (headers, body) = (pairs(&self.headers), &self.body);
        Ok(boundary(|| {
            Ok(
                match checked(
                    &self.verifier,
                    &headers,
                    body,
                    line,
                    self.now,
                    self.handshake,
                )? {
                    Checked::Verified(v) => Checked::Verified(v.into()),
                    Checked::Handshake(answer) => Checked::Handshake(answer),
                },
            )
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let mut verified = match output.map_err(|e| e.into_napi(&env))? {
            Checked::Verified(verified) => verified,
            Checked::Handshake(answer) => return Ok(Either::B(answer.into())),
        };
        // The payload is this task's own copy of the body: hand it over instead of copying.
        if let Either::B(Null) = verified.payload {
            verified.payload = Either::A(std::mem::take(&mut self.body).into());
        }
        Ok(Either::A(verified))
    }
}
