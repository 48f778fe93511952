//! # hooksig
//!
//! Verifies (and signs) webhook signatures in constant time for every common scheme — the
//! vendor schemes AlgoGuard, Chaindoc, Certifylize, Easycart and Aghanim, plus Standard
//! Webhooks (including ed25519 `v1a`), Svix, Stripe, GitHub, Slack, Shopify, Paddle, the
//! public-key schemes of Discord (ed25519) and SendGrid (ECDSA P-256), the URL-signing schemes of
//! Twilio, Square and HubSpot ([`RequestLine`]), and custom schemes (the full list is
//! [`SCHEME_IDS`]) — with one error vocabulary shared by every language binding.
//!
//! The crate does no I/O and never panics on any input. Bodies are `&[u8]` (never copied on the
//! success path), headers any [`Headers`] source such as a slice of `(name, value)` pairs.
//!
//! ```
//! use hooksig::{ErrorCode, SignOptions, Verifier};
//!
//! let body = br#"{"event":"license.created"}"#;
//! let now = 1_767_225_600;
//! let headers = hooksig::sign("algoguard", b"whsec_demo", body, &SignOptions::at(now)).unwrap();
//!
//! let verifier = Verifier::new("algoguard", ["whsec_demo"]).unwrap();
//! let ok = verifier.verify_at(&headers, body, now).unwrap();
//! assert_eq!(ok.event_type.as_deref(), Some("license.created"));
//!
//! let late = verifier.verify_at(&headers, body, now + 301).unwrap_err();
//! assert_eq!(late.code(), ErrorCode::TimestampExpired);
//! assert_eq!(late.code().as_str(), "timestamp_expired");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod b64;
mod body_fields;
mod custom_setting;
mod error;
mod form_params;
mod headers;
mod js_json;
mod mac;
pub mod receive;
mod replay;
mod request_line;
mod scheme;
mod secret;
pub mod shared_store;
mod sign;
mod signature;
pub mod sql_store;
mod timestamp;
mod verifier;

pub use error::{
    Error, ErrorCode, INTERNAL_ERROR_CODE, INTERNAL_ERROR_DESCRIPTION, INTERNAL_ERROR_STATUS,
    Result,
};
pub use form_params::MAX_FORM_PARAMS;
pub use headers::Headers;
pub use receive::{
    Answer, DEFAULT_BODY_LIMIT, GuardAnswer, HandlerOutcome, KeyAction, RETRY_AFTER_SECS, Receiver,
    Refusal,
};
pub use replay::{DEFAULT_REPLAY_CAPACITY, ReplayGuard, default_ttl};
pub use request_line::RequestLine;
pub use scheme::{
    Algorithm, CustomScheme, DEFAULT_TOLERANCE_SECS, DOCUSIGN_MAX_SIGNATURES, Encoding,
    FieldSource, PublicKeyAlgorithm, SCHEME_IDS, Scheme, SignatureFormat, TemplatePart,
    TimestampSource,
};
pub use secret::SecretFormat;
pub use shared_store::{SharedStore, StoreCommand};
pub use sign::{SignOptions, SignedHeaders, sign, sign_with, sign_with_format};
pub use signature::{MAX_ECDSA_ENTRIES, MAX_ED25519_ENTRIES, MAX_SIGNATURE_ENTRIES};
pub use sql_store::{SqlStatement, SqlStore};
pub use timestamp::Tolerance;
pub use verifier::{
    ANY_OF_SCHEME_ID, DEDUPE_KEY_EXTRA, MAX_ANY_OF, Verified, Verifier, VerifierBuilder,
    dedupe_key, dedupe_key_into,
};

/// The library version (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// JSON re-serialization as Node's `JSON.stringify(JSON.parse(text))` produces it, exposed for
/// the fuzz and differential tests. `None` when `JSON.parse` would throw.
#[doc(hidden)]
pub fn js_restringify(body: &[u8]) -> Option<Vec<u8>> {
    js_json::restringify(body)
}

/// The work units the Chaindoc fallback spends on `body` (its budget: `max(body bytes, 2048)`,
/// `js_json::budget`), for the `forged_cost` example. `None` when `JSON.parse` would throw.
#[doc(hidden)]
pub fn js_work_units(body: &[u8]) -> Option<usize> {
    js_json::work_units(body)
}

/// The README's Rust snippets, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
