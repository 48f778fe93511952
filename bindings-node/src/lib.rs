//! Node.js binding for hooksig (napi-rs): it only converts types and maps errors; every check
//! and every MAC lives in the core. `lib/*.js` turns JavaScript's header and body shapes into
//! what these functions take (a flat `[name, value, ...]` string array and a `Uint8Array`); the
//! `ts_args_type`s describe the public surface, written into `generated/index.d.ts`.
#![deny(clippy::all)]

/// A `#[napi(string_enum = "snake_case")]` mirror of a core enum with `From` both ways,
/// exhaustive: a new core variant breaks this build until the binding knows it. The enum's doc
/// is a plain string (napi's typings read no raw string, which a `///` becomes in a macro).
macro_rules! mirror_enum {
    ($doc:literal $name:ident = $core:ident { $($(#[$vdoc:meta])* $v:ident),+ $(,)? }) => {
        #[doc = $doc]
        #[napi_derive::napi(string_enum = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $v),+ }
        impl From<$core> for $name {
            fn from(c: $core) -> Self { match c { $($core::$v => $name::$v),+ } }
        }
        impl From<$name> for $core {
            fn from(c: $name) -> Self { match c { $($name::$v => $core::$v),+ } }
        }
    };
}

mod error;
// `pub`: its constants are used only from JavaScript (via #[napi]), never from Rust.
pub mod receiver;
mod replay;
mod scheme;
pub mod shared_store;
pub mod sql_store;
mod verifier;

use hooksig::ErrorCode as CoreCode;
use napi::bindgen_prelude::{Env, JsObjectValue, Object};
use napi_derive::napi;

pub use error::{PanicTask, panic_through_boundary};
pub use receiver::{GuardAnswer, KeyAction, ReceivedFields, Receiver, ReceiverAnswer};
pub use replay::{ReplayCheckOptions, ReplayGuard};
pub use scheme::{CustomScheme, CustomSchemeOptions, SchemeArg, custom_scheme};
pub use verifier::{Handle, Verified, Verifier, VerifierOptions, VerifyOptions, verify_picked};

use crate::error::run;

/// The hooksig version (the same as the Rust core's).
// Lower-case on purpose: napi-rs 3.4 registers a const under its Rust name even when
// `js_name` is given, so the Rust name must already be the JavaScript one.
#[napi]
#[allow(non_upper_case_globals)]
pub const version: &str = hooksig::VERSION;

/// The `error` code (HTTP 500) of a failure that is no verification outcome: `"internal"`.
#[napi]
pub const INTERNAL_ERROR_CODE: &str = hooksig::INTERNAL_ERROR_CODE;

/// The HTTP status for `INTERNAL_ERROR_CODE` (500).
#[napi]
pub const INTERNAL_ERROR_STATUS: u32 = hooksig::INTERNAL_ERROR_STATUS as u32;

/// A `u64` as a JavaScript number, capped at `Number.MAX_SAFE_INTEGER`.
pub(crate) fn js_safe(n: u64) -> i64 {
    const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
    i64::try_from(n.min(MAX_SAFE_INTEGER)).unwrap_or(i64::MAX)
}

/// What `sign` signs besides the body. Fields a scheme does not use are ignored.
#[napi(object)]
pub struct SignOptions {
    /// Unix seconds; the current time when omitted.
    pub timestamp: Option<i64>,
    /// The message id; derived from the content when the scheme needs one and none is given.
    pub id: Option<String>,
    /// The event type, for schemes that send it as a header.
    pub event_type: Option<String>,
    /// The full URL the request goes to, for the schemes that sign it (as `VerifyOptions.url`).
    pub url: Option<String>,
    /// The request method, for the schemes that sign it (`hubspot`, custom `{method}`); `POST`
    /// when omitted.
    pub method: Option<String>,
}

/// The core's signing options, borrowing `options` (the defaults without them).
pub(crate) fn core_sign_options(options: &Option<SignOptions>) -> hooksig::SignOptions<'_> {
    options
        .as_ref()
        .map_or_else(Default::default, |o| hooksig::SignOptions {
            timestamp: o.timestamp,
            id: o.id.as_deref(),
            event_type: o.event_type.as_deref(),
            url: o.url.as_deref(),
            method: o.method.as_deref(),
        })
}

/// Signs `body` for `scheme` (a built-in id or a `customScheme(...)`) with one secret: the
/// headers a sender attaches, name → value, in sending order. Throws `HooksigError`.
#[napi(
    catch_unwind,
    ts_args_type = "scheme: string | CustomScheme, secret: string, body: BodyInput, options?: SignOptions",
    ts_return_type = "Record<string, string>"
)]
pub fn sign<'env>(
    env: &'env Env,
    scheme: SchemeArg,
    secret: String,
    body: &[u8],
    options: Option<SignOptions>,
) -> napi::Result<Object<'env>> {
    let pairs = run(env, || {
        let scheme = scheme::resolve(&scheme)?;
        let opts = core_sign_options(&options);
        Ok(hooksig::sign_with(&scheme, secret.as_bytes(), body, &opts)?)
    })?;
    headers_object(env, pairs)
}

/// Headers as a JS object whose keys keep the given order (string keys keep insertion order).
pub(crate) fn headers_object(env: &Env, pairs: Vec<(String, String)>) -> napi::Result<Object<'_>> {
    let mut obj = Object::new(env)?;
    for (name, value) in pairs {
        obj.set_named_property(&name, value)?;
    }
    Ok(obj)
}

mirror_enum! {
    " The stable error codes (`HooksigError.code`), generated from the core's `ErrorCode`."
    ErrorCode = CoreCode {
        MissingSignature, MissingTimestamp, MissingId, MalformedSignature, MalformedTimestamp,
        TimestampExpired, TimestampInFuture, SignatureMismatch, InvalidSecret, UnknownScheme,
        InvalidConfig, MethodNotAllowed, BodyTooLarge, BodyReadFailed, DeliveryInProgress,
        ReplayStoreUnavailable, InvalidArgument,
    }
}

/// The ids of the built-in schemes, in documentation order.
#[napi(catch_unwind)]
pub fn schemes() -> Vec<&'static str> {
    hooksig::SCHEME_IDS.to_vec()
}

/// Every stable error code, in the core's order.
#[napi(catch_unwind)]
pub fn error_codes() -> Vec<ErrorCode> {
    CoreCode::ALL.into_iter().map(ErrorCode::from).collect()
}

/// The HTTP status a receiver should answer for an error code; `null` for an unknown code.
#[napi(catch_unwind, ts_args_type = "code: ErrorCode | string")]
pub fn http_status(code: String) -> Option<u32> {
    CoreCode::parse(&code).map(|c| u32::from(c.http_status()))
}

/// A one-sentence, secret-free description of an error code; `null` for an unknown code.
#[napi(catch_unwind, ts_args_type = "code: ErrorCode | string")]
pub fn describe_error(code: String) -> Option<&'static str> {
    CoreCode::parse(&code).map(CoreCode::description)
}
