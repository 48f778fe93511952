//! Custom schemes: a vendor hooksig doesn't list is one `customScheme({...})` call.

use hooksig::{Algorithm, Encoding, Scheme};
use napi::bindgen_prelude::{ClassInstance, Either, Env};
use napi_derive::napi;

use crate::error::{CoreResult, run};

/// The options of `customScheme`.
#[napi(object)]
pub struct CustomSchemeOptions {
    /// Reported as `Verified.scheme`.
    pub id: String,
    /// The signature header's name.
    pub signature_header: String,
    /// The timestamp header's name; required when the template uses `{ts}`.
    pub timestamp_header: Option<String>,
    /// The message-id header's name; required when the template uses `{id}`.
    pub id_header: Option<String>,
    /// The event-type header's name.
    pub event_header: Option<String>,
    /// The signed content over `{id}`, `{ts}` and `{body}` (default `"{body}"`).
    pub template: Option<String>,
    /// `"hex"` (default) or `"base64"`.
    #[napi(ts_type = "'hex' | 'base64'")]
    pub encoding: Option<String>,
    /// Text before the encoded MAC, such as `"sha256="`.
    pub prefix: Option<String>,
    /// `"sha256"` (default) or `"sha512"`.
    #[napi(ts_type = "'sha256' | 'sha512'")]
    pub algorithm: Option<String>,
    /// Retry a failed match on Node's `JSON.stringify(JSON.parse(body))` (default false).
    pub json_fallback: Option<bool>,
}

/// A validated custom scheme, usable wherever a scheme id is accepted.
#[napi]
pub struct CustomScheme {
    pub(crate) inner: Scheme,
}

#[napi]
impl CustomScheme {
    /// The scheme's id.
    #[napi(catch_unwind, getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The signature header's name.
    #[napi(catch_unwind, getter)]
    pub fn signature_header(&self) -> String {
        self.inner.signature_header().to_owned()
    }

    /// The timestamp header's name, or `null`.
    #[napi(catch_unwind, getter)]
    pub fn timestamp_header(&self) -> Option<String> {
        self.inner.timestamp_header().map(str::to_owned)
    }

    /// The message-id header's name, or `null`.
    #[napi(catch_unwind, getter)]
    pub fn id_header(&self) -> Option<String> {
        self.inner.id_header().map(str::to_owned)
    }

    /// The event-type header's name, or `null`.
    #[napi(catch_unwind, getter)]
    pub fn event_header(&self) -> Option<String> {
        self.inner.event_header().map(str::to_owned)
    }
}

/// Validates a custom scheme definition (`invalid_config` on any inconsistency).
#[napi(catch_unwind)]
pub fn custom_scheme(env: Env, options: CustomSchemeOptions) -> napi::Result<CustomScheme> {
    run(&env, || {
        let mut def = hooksig::CustomScheme::new(options.id, options.signature_header);
        def.timestamp_header = options.timestamp_header;
        def.id_header = options.id_header;
        def.event_header = options.event_header;
        def.template = options.template.unwrap_or(def.template);
        let encoding = options.encoding.as_deref().map(Encoding::parse);
        def.encoding = encoding.transpose()?.unwrap_or(def.encoding);
        def.prefix = options.prefix;
        let algorithm = options.algorithm.as_deref().map(Algorithm::parse);
        def.algorithm = algorithm.transpose()?.unwrap_or(def.algorithm);
        def.json_fallback = options.json_fallback.unwrap_or(false);
        Ok(CustomScheme {
            inner: def.build()?,
        })
    })
}

/// A scheme as JavaScript passes it: a built-in id or a `CustomScheme`.
pub type SchemeArg<'a> = Either<String, ClassInstance<'a, CustomScheme>>;

/// The core scheme for a [`SchemeArg`] (`unknown_scheme` for an unknown id).
pub(crate) fn resolve(scheme: &SchemeArg<'_>) -> CoreResult<Scheme> {
    Ok(match scheme {
        Either::A(id) => Scheme::named(id)?,
        Either::B(custom) => custom.inner.clone(),
    })
}
