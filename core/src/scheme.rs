//! Scheme definitions: where each vendor puts its signature, what it signs and how it encodes it.
//!
//! A scheme is plain data; the verifier and signer interpret it. The built-in schemes are
//! statics, a custom scheme is the same struct built from [`CustomScheme`].

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::error::{Error, ErrorCode, Result};
use crate::request_line::UrlRule;
use crate::timestamp::{TimestampFormat, Tolerance};

/// How the MAC bytes are written in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Hexadecimal; lowercase when signing, either case accepted when verifying.
    Hex,
    /// Standard base64; padding written when signing, optional when verifying.
    Base64,
}

impl Encoding {
    /// `"hex"` or `"base64"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
        }
    }

    /// Parses `"hex"` or `"base64"`.
    pub fn parse(name: &str) -> Result<Encoding> {
        match name {
            "hex" => Ok(Encoding::Hex),
            "base64" => Ok(Encoding::Base64),
            other => Err(Error::config(
                ErrorCode::InvalidConfig,
                format!(
                    "the encoding argument is not `hex` or `base64` ({})",
                    undisclosed(other)
                ),
            )),
        }
    }
}

/// The HMAC hash function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA1: only for the built-in schemes of vendors that still sign with it (`intercom`,
    /// `vercel`); [`Algorithm::parse`] does not offer it to custom schemes.
    Sha1,
    /// HMAC-SHA256 (every other built-in scheme).
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Algorithm {
    /// `"sha1"`, `"sha256"` or `"sha512"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Parses `"sha256"` or `"sha512"` (a custom scheme's choices; SHA-1 is not offered).
    pub fn parse(name: &str) -> Result<Algorithm> {
        match name {
            "sha256" => Ok(Algorithm::Sha256),
            "sha512" => Ok(Algorithm::Sha512),
            other => Err(Error::config(
                ErrorCode::InvalidConfig,
                format!(
                    "the algorithm argument is not `sha256` or `sha512` ({})",
                    undisclosed(other)
                ),
            )),
        }
    }

    /// Length of the MAC in bytes.
    pub const fn mac_len(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha512 => 64,
        }
    }
}

/// The layout of the signature header's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureFormat {
    /// One encoded MAC, optionally behind a prefix such as `sha256=`.
    Plain {
        /// Text before the MAC (matched case-insensitively).
        prefix: Option<Cow<'static, str>>,
        /// Hex or base64.
        encoding: Encoding,
    },
    /// A `key=value` list carrying the timestamp and one or more hex MACs (Stripe's
    /// `t=..,v1=..`, Paddle's `ts=..;h1=..`, WorkOS's `t=.., v1=..`). Keys other than these two
    /// are ignored.
    KeyValueList {
        /// Separator between items (items are trimmed when parsing, so `, ` reads as `,`).
        separator: char,
        /// What `sign` writes between the timestamp item and the signature item: the separator,
        /// plus a space where the vendor's SDK expects one (WorkOS splits on `", "` exactly).
        joiner: &'static str,
        /// Key of the timestamp item.
        timestamp_key: &'static str,
        /// Key of each signature item.
        signature_key: &'static str,
    },
    /// Standard Webhooks: space-separated `v1,<base64>` (HMAC) and `v1a,<base64>` (ed25519)
    /// entries; other versions are ignored.
    VersionedList,
}

/// Where the timestamp comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimestampSource {
    /// The scheme carries no timestamp.
    None,
    /// A header of its own.
    Header(Cow<'static, str>),
    /// Inside the signature header (see [`SignatureFormat::KeyValueList`]).
    InSignature,
    /// A top-level JSON number of the body (Linear's `webhookTimestamp`, Pusher's `time_ms`,
    /// both milliseconds), read from the authenticated payload after the signature matched.
    BodyField(Cow<'static, str>),
}

/// The signature algorithm of a scheme whose verification key is a public key (the vendor
/// keeps the private key): the signature header then holds one signature, not a MAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicKeyAlgorithm {
    /// Ed25519 over the signed content; the key is 32 bytes written as 64 hex characters
    /// (Discord's application public key), the signature 64 bytes.
    Ed25519,
    /// ECDSA P-256 with SHA-256 over the signed content; the key is a base64 SubjectPublicKeyInfo
    /// (DER), the signature base64 DER (SendGrid's Event Webhook).
    EcdsaP256Sha256,
}

/// Where a message id or event type comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldSource {
    /// Not provided by the scheme.
    None,
    /// A header.
    Header(Cow<'static, str>),
    /// A top-level string (or number) field of the JSON body, read from the authenticated bytes.
    BodyField(Cow<'static, str>),
}

/// One piece of the signed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    /// Fixed bytes, e.g. `.` or `v0:`.
    Literal(Cow<'static, str>),
    /// The message id as received.
    Id,
    /// The timestamp digits exactly as received.
    Timestamp,
    /// The body bytes.
    Body,
    /// The request method (`{method}` in a custom template; HubSpot).
    Method,
    /// The request URL the sender used (`{url}` in a custom template; Square, HubSpot, Twilio).
    Url,
    /// Twilio's form parameters: decoded, sorted, concatenated (empty when the URL carries
    /// `bodySHA256`).
    FormParams,
}

/// A complete description of a webhook signature scheme.
///
/// ```
/// use hooksig::Scheme;
/// let stripe = Scheme::named("stripe").unwrap();
/// assert_eq!(stripe.id(), "stripe");
/// assert_eq!(stripe.signature_header(), "Stripe-Signature");
/// assert!(Scheme::named("nope").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheme {
    pub(crate) id: Cow<'static, str>,
    pub(crate) signature_header: Cow<'static, str>,
    pub(crate) format: SignatureFormat,
    pub(crate) timestamp: TimestampSource,
    pub(crate) message_id: FieldSource,
    pub(crate) id_required: bool,
    pub(crate) event_type: FieldSource,
    pub(crate) template: Cow<'static, [TemplatePart]>,
    pub(crate) algorithm: Algorithm,
    /// Secrets are `whsec_`-prefixed base64 (Standard Webhooks), not text.
    pub(crate) whsec_secrets: bool,
    pub(crate) json_fallback: bool,
    /// A built-in scheme whose header names are accepted when this scheme's signature header
    /// is absent (same signed content and keys).
    pub(crate) header_fallback: Option<&'static str>,
    /// How the timestamp text reads as Unix seconds (and how `sign` writes it).
    pub(crate) timestamp_format: TimestampFormat,
    /// More signature headers whose values are candidates too (Box sends one signature per
    /// signing key, in `box-signature-primary` and `box-signature-secondary`; DocuSign numbers
    /// them `X-DocuSign-Signature-1`…`-8`). Errors name the main signature header; `sign`
    /// writes only the main one.
    pub(crate) more_signature_headers: &'static [&'static str],
    /// A header whose presence means the request carries more signature headers than the
    /// bound (DocuSign's `X-DocuSign-Signature-9`): `malformed_signature`, unread.
    pub(crate) overflow_signature_header: Option<&'static str>,
    /// `Some` when the key is a public key and the signature an asymmetric one (`discord`,
    /// `sendgrid`); `None` for HMAC schemes.
    pub(crate) public_key: Option<PublicKeyAlgorithm>,
    /// The replay window the vendor documents, in seconds each way: what a verifier uses when
    /// the caller sets no tolerance (300; Twitch and Box document 600, Linear's SDK uses 60,
    /// WorkOS's 180).
    pub(crate) default_tolerance: u64,
    /// A header the receiver policy reads to recognise the vendor's endpoint handshake
    /// (Twitch's `Twitch-Eventsub-Message-Type`); listed in [`Scheme::header_names`] so that
    /// bindings pass it across.
    pub(crate) handshake_header: Option<&'static str>,
    /// How a signed URL is read (Twilio's port variants, HubSpot's decoded escapes).
    pub(crate) url_rule: UrlRule,
    /// A query parameter that, when the URL carries it, holds the body's hex SHA-256 and
    /// replaces the form parameters in the signed content (Twilio's `bodySHA256`).
    pub(crate) body_hash_query: Option<&'static str>,
}

const fn lit(s: &'static str) -> TemplatePart {
    TemplatePart::Literal(Cow::Borrowed(s))
}
const fn header(s: &'static str) -> FieldSource {
    FieldSource::Header(Cow::Borrowed(s))
}
const fn field(s: &'static str) -> FieldSource {
    FieldSource::BodyField(Cow::Borrowed(s))
}
const fn ts_header(s: &'static str) -> TimestampSource {
    TimestampSource::Header(Cow::Borrowed(s))
}
const fn plain(prefix: Option<&'static str>, encoding: Encoding) -> SignatureFormat {
    SignatureFormat::Plain {
        prefix: match prefix {
            Some(p) => Some(Cow::Borrowed(p)),
            None => None,
        },
        encoding,
    }
}

const BODY: &[TemplatePart] = &[TemplatePart::Body];
const TS_DOT_BODY: &[TemplatePart] = &[TemplatePart::Timestamp, lit("."), TemplatePart::Body];
const ID_TS_BODY: &[TemplatePart] = &[
    TemplatePart::Id,
    lit("."),
    TemplatePart::Timestamp,
    lit("."),
    TemplatePart::Body,
];

/// `v0:{ts}:{body}`: Slack's, and Zoom's.
const SLACK_TEMPLATE: &[TemplatePart] = &[
    lit("v0:"),
    TemplatePart::Timestamp,
    lit(":"),
    TemplatePart::Body,
];
/// Twitch EventSub: `{id}{ts}{body}`, no separators.
const ID_TS_BODY_CONCAT: &[TemplatePart] = &[
    TemplatePart::Id,
    TemplatePart::Timestamp,
    TemplatePart::Body,
];
/// Square: `{url}{body}`.
const URL_BODY: &[TemplatePart] = &[TemplatePart::Url, TemplatePart::Body];
/// HubSpot v3: `{method}{url}{body}{ts}`.
const METHOD_URL_BODY_TS: &[TemplatePart] = &[
    TemplatePart::Method,
    TemplatePart::Url,
    TemplatePart::Body,
    TemplatePart::Timestamp,
];
/// Twilio: the URL, then the sorted form parameters.
const URL_FORM: &[TemplatePart] = &[TemplatePart::Url, TemplatePart::FormParams];
/// Box: `{body}{ts}`, no separator.
const BODY_TS_CONCAT: &[TemplatePart] = &[TemplatePart::Body, TemplatePart::Timestamp];
/// Zendesk: `{ts}{body}`, no separator.
const TS_BODY_CONCAT: &[TemplatePart] = &[TemplatePart::Timestamp, TemplatePart::Body];
const PADDLE_TEMPLATE: &[TemplatePart] = &[TemplatePart::Timestamp, lit(":"), TemplatePart::Body];

/// Stripe's `t=<ts>,v1=<hex>[,v1=..]` layout, which Mux and Calendly copy.
const T_V1_LIST: SignatureFormat = SignatureFormat::KeyValueList {
    separator: ',',
    joiner: ",",
    timestamp_key: "t",
    signature_key: "v1",
};

/// The tolerance, in seconds each way, of every scheme whose vendor documents no other window
/// (custom schemes included).
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// Fields shared by the simple HMAC-SHA256 schemes; each built-in overrides what differs.
fn base(id: &'static str) -> Scheme {
    Scheme {
        id: Cow::Borrowed(id),
        signature_header: Cow::Borrowed(""),
        format: plain(None, Encoding::Hex),
        timestamp: TimestampSource::None,
        message_id: FieldSource::None,
        id_required: false,
        event_type: FieldSource::None,
        template: Cow::Borrowed(BODY),
        algorithm: Algorithm::Sha256,
        whsec_secrets: false,
        json_fallback: false,
        header_fallback: None,
        timestamp_format: TimestampFormat::UnixSeconds,
        more_signature_headers: &[],
        overflow_signature_header: None,
        public_key: None,
        default_tolerance: DEFAULT_TOLERANCE_SECS,
        handshake_header: None,
        url_rule: UrlRule::AsGiven,
        body_hash_query: None,
    }
}

fn standard_webhooks_like(id: &'static str, prefix_header: [&'static str; 3]) -> Scheme {
    Scheme {
        signature_header: Cow::Borrowed(prefix_header[0]),
        format: SignatureFormat::VersionedList,
        timestamp: ts_header(prefix_header[1]),
        message_id: header(prefix_header[2]),
        id_required: true,
        template: Cow::Borrowed(ID_TS_BODY),
        whsec_secrets: true,
        ..base(id)
    }
}

/// Builds a built-in scheme from its id.
type Build = fn(&'static str) -> Scheme;

/// The built-in schemes, in documentation order: each id with the function that builds the
/// scheme from it. [`SCHEME_IDS`] and [`BUILTIN`] are both derived from this one list.
const BUILTIN_TABLE: [(&str, Build); 43] = [
    ("algoguard", |id| Scheme {
        signature_header: Cow::Borrowed("X-AlgoGuard-Signature"),
        format: plain(Some("sha256="), Encoding::Hex),
        timestamp: ts_header("X-AlgoGuard-Timestamp"),
        message_id: field("id"),
        event_type: field("event"),
        template: Cow::Borrowed(TS_DOT_BODY),
        ..base(id)
    }),
    ("chaindoc", |id| Scheme {
        signature_header: Cow::Borrowed("X-Webhook-Signature"),
        event_type: header("X-Webhook-Event"),
        json_fallback: true,
        ..base(id)
    }),
    ("certifylize", |id| Scheme {
        signature_header: Cow::Borrowed("X-Certifylize-Signature"),
        format: plain(Some("sha256="), Encoding::Hex),
        message_id: header("X-Certifylize-Delivery-Id"),
        event_type: header("X-Certifylize-Event-Type"),
        ..base(id)
    }),
    ("easycart", |id| Scheme {
        signature_header: Cow::Borrowed("X-Webhook-Signature"),
        ..base(id)
    }),
    ("aghanim", |id| Scheme {
        signature_header: Cow::Borrowed("x-aghanim-signature"),
        timestamp: ts_header("x-aghanim-signature-timestamp"),
        message_id: field("event_id"),
        event_type: field("event_type"),
        template: Cow::Borrowed(TS_DOT_BODY),
        ..base(id)
    }),
    ("standard-webhooks", |id| {
        standard_webhooks_like(id, ["webhook-signature", "webhook-timestamp", "webhook-id"])
    }),
    ("svix", |id| Scheme {
        header_fallback: Some("standard-webhooks"),
        ..standard_webhooks_like(id, ["svix-signature", "svix-timestamp", "svix-id"])
    }),
    ("stripe", |id| Scheme {
        signature_header: Cow::Borrowed("Stripe-Signature"),
        format: T_V1_LIST,
        timestamp: TimestampSource::InSignature,
        message_id: field("id"),
        event_type: field("type"),
        template: Cow::Borrowed(TS_DOT_BODY),
        ..base(id)
    }),
    ("github", |id| Scheme {
        signature_header: Cow::Borrowed("X-Hub-Signature-256"),
        format: plain(Some("sha256="), Encoding::Hex),
        message_id: header("X-GitHub-Delivery"),
        event_type: header("X-GitHub-Event"),
        ..base(id)
    }),
    ("slack", |id| Scheme {
        signature_header: Cow::Borrowed("X-Slack-Signature"),
        format: plain(Some("v0="), Encoding::Hex),
        timestamp: ts_header("X-Slack-Request-Timestamp"),
        template: Cow::Borrowed(SLACK_TEMPLATE),
        ..base(id)
    }),
    ("shopify", |id| Scheme {
        signature_header: Cow::Borrowed("X-Shopify-Hmac-Sha256"),
        format: plain(None, Encoding::Base64),
        message_id: header("X-Shopify-Webhook-Id"),
        event_type: header("X-Shopify-Topic"),
        ..base(id)
    }),
    ("paddle", |id| Scheme {
        signature_header: Cow::Borrowed("Paddle-Signature"),
        format: SignatureFormat::KeyValueList {
            separator: ';',
            joiner: ";",
            timestamp_key: "ts",
            signature_key: "h1",
        },
        timestamp: TimestampSource::InSignature,
        message_id: field("event_id"),
        event_type: field("event_type"),
        template: Cow::Borrowed(PADDLE_TEMPLATE),
        ..base(id)
    }),
    ("razorpay", |id| Scheme {
        signature_header: Cow::Borrowed("X-Razorpay-Signature"),
        message_id: header("X-Razorpay-Event-Id"),
        event_type: field("event"),
        ..base(id)
    }),
    ("coinbase-commerce", |id| Scheme {
        signature_header: Cow::Borrowed("X-CC-Webhook-Signature"),
        ..base(id)
    }),
    ("lemon-squeezy", |id| Scheme {
        signature_header: Cow::Borrowed("X-Signature"),
        event_type: header("X-Event-Name"),
        ..base(id)
    }),
    ("woocommerce", |id| Scheme {
        signature_header: Cow::Borrowed("X-WC-Webhook-Signature"),
        format: plain(None, Encoding::Base64),
        message_id: header("X-WC-Webhook-Delivery-ID"),
        event_type: header("X-WC-Webhook-Topic"),
        ..base(id)
    }),
    ("typeform", |id| Scheme {
        signature_header: Cow::Borrowed("Typeform-Signature"),
        format: plain(Some("sha256="), Encoding::Base64),
        message_id: field("event_id"),
        event_type: field("event_type"),
        ..base(id)
    }),
    ("mux", |id| Scheme {
        signature_header: Cow::Borrowed("Mux-Signature"),
        format: T_V1_LIST,
        timestamp: TimestampSource::InSignature,
        message_id: field("id"),
        event_type: field("type"),
        template: Cow::Borrowed(TS_DOT_BODY),
        ..base(id)
    }),
    ("calendly", |id| Scheme {
        signature_header: Cow::Borrowed("Calendly-Webhook-Signature"),
        format: T_V1_LIST,
        timestamp: TimestampSource::InSignature,
        event_type: field("event"),
        template: Cow::Borrowed(TS_DOT_BODY),
        ..base(id)
    }),
    ("zoom", |id| Scheme {
        signature_header: Cow::Borrowed("x-zm-signature"),
        format: plain(Some("v0="), Encoding::Hex),
        timestamp: ts_header("x-zm-request-timestamp"),
        event_type: field("event"),
        template: Cow::Borrowed(SLACK_TEMPLATE),
        ..base(id)
    }),
    ("intercom", |id| Scheme {
        signature_header: Cow::Borrowed("X-Hub-Signature"),
        format: plain(Some("sha1="), Encoding::Hex),
        message_id: field("id"),
        event_type: field("topic"),
        algorithm: Algorithm::Sha1,
        ..base(id)
    }),
    ("vercel", |id| Scheme {
        signature_header: Cow::Borrowed("x-vercel-signature"),
        message_id: field("id"),
        event_type: field("type"),
        algorithm: Algorithm::Sha1,
        ..base(id)
    }),
    ("dropbox", |id| Scheme {
        signature_header: Cow::Borrowed("X-Dropbox-Signature"),
        ..base(id)
    }),
    ("sentry", |id| Scheme {
        signature_header: Cow::Borrowed("Sentry-Hook-Signature"),
        message_id: header("Request-ID"),
        event_type: header("Sentry-Hook-Resource"),
        ..base(id)
    }),
    ("pagerduty", |id| Scheme {
        // `v1=<hex>,v1=<hex>`: one entry per signing secret during a rotation; the plain
        // format already splits a value on `,` and skips parts without the prefix.
        signature_header: Cow::Borrowed("X-PagerDuty-Signature"),
        format: plain(Some("v1="), Encoding::Hex),
        ..base(id)
    }),
    ("twitch", |id| Scheme {
        signature_header: Cow::Borrowed("Twitch-Eventsub-Message-Signature"),
        format: plain(Some("sha256="), Encoding::Hex),
        timestamp: ts_header("Twitch-Eventsub-Message-Timestamp"),
        timestamp_format: TimestampFormat::Rfc3339,
        message_id: header("Twitch-Eventsub-Message-Id"),
        id_required: true,
        event_type: header("Twitch-Eventsub-Subscription-Type"),
        template: Cow::Borrowed(ID_TS_BODY_CONCAT),
        // "Make sure the value of the timestamp in the Twitch-Eventsub-Message-Timestamp
        // header isn't older than 10 minutes" (EventSub docs, "Handling webhook events").
        default_tolerance: 600,
        handshake_header: Some("Twitch-Eventsub-Message-Type"),
        ..base(id)
    }),
    ("zendesk", |id| Scheme {
        signature_header: Cow::Borrowed("X-Zendesk-Webhook-Signature"),
        format: plain(None, Encoding::Base64),
        timestamp: ts_header("X-Zendesk-Webhook-Signature-Timestamp"),
        timestamp_format: TimestampFormat::Rfc3339,
        message_id: header("X-Zendesk-Webhook-Invocation-Id"),
        template: Cow::Borrowed(TS_BODY_CONCAT),
        ..base(id)
    }),
    ("box", |id| Scheme {
        signature_header: Cow::Borrowed("box-signature-primary"),
        more_signature_headers: &["box-signature-secondary"],
        format: plain(None, Encoding::Base64),
        timestamp: ts_header("box-delivery-timestamp"),
        timestamp_format: TimestampFormat::Rfc3339,
        message_id: field("id"),
        event_type: field("trigger"),
        template: Cow::Borrowed(BODY_TS_CONCAT),
        // Box's signature verification guide rejects deliveries older than 10 minutes.
        default_tolerance: 600,
        ..base(id)
    }),
    // Vendors that send Standard Webhooks / Svix deliveries under their own name: the same
    // rows as `standard-webhooks`/`svix`, reported (and dedupe-keyed) as the vendor.
    ("replicate", |id| {
        standard_webhooks_like(id, ["webhook-signature", "webhook-timestamp", "webhook-id"])
    }),
    ("clerk", |id| Scheme {
        header_fallback: Some("standard-webhooks"),
        ..standard_webhooks_like(id, ["svix-signature", "svix-timestamp", "svix-id"])
    }),
    ("resend", |id| Scheme {
        header_fallback: Some("standard-webhooks"),
        ..standard_webhooks_like(id, ["svix-signature", "svix-timestamp", "svix-id"])
    }),
    ("polar", |id| Scheme {
        // Polar's secret is used as text: its SDKs base64-encode it before handing it to a
        // Standard Webhooks verifier, so the HMAC key is the secret's UTF-8 bytes.
        whsec_secrets: false,
        ..standard_webhooks_like(id, ["webhook-signature", "webhook-timestamp", "webhook-id"])
    }),
    ("discord", |id| Scheme {
        // Interactions (and Webhook Events): ed25519 over `{timestamp}{body}`, verified with the
        // application's public key (hex). Discord documents no window: 300 s, as every scheme.
        signature_header: Cow::Borrowed("X-Signature-Ed25519"),
        timestamp: ts_header("X-Signature-Timestamp"),
        message_id: field("id"),
        event_type: field("type"),
        template: Cow::Borrowed(TS_BODY_CONCAT),
        public_key: Some(PublicKeyAlgorithm::Ed25519),
        ..base(id)
    }),
    ("sendgrid", |id| Scheme {
        // Event Webhook signature verification: ECDSA P-256/SHA-256 over `{timestamp}{body}`,
        // base64 DER signature, base64 SPKI public key as SendGrid's settings page shows it.
        signature_header: Cow::Borrowed("X-Twilio-Email-Event-Webhook-Signature"),
        format: plain(None, Encoding::Base64),
        timestamp: ts_header("X-Twilio-Email-Event-Webhook-Timestamp"),
        template: Cow::Borrowed(TS_BODY_CONCAT),
        public_key: Some(PublicKeyAlgorithm::EcdsaP256Sha256),
        ..base(id)
    }),
    ("docusign", |id| Scheme {
        // Connect HMAC: one base64 HMAC-SHA256 of the body per active Connect key, in
        // `X-DocuSign-Signature-1`, `-2`, ...; any header matching any configured key verifies.
        signature_header: Cow::Borrowed("X-DocuSign-Signature-1"),
        more_signature_headers: &DOCUSIGN_HEADERS[1..],
        overflow_signature_header: Some(DOCUSIGN_OVERFLOW_HEADER),
        format: plain(None, Encoding::Base64),
        event_type: field("event"),
        ..base(id)
    }),
    ("linear", |id| Scheme {
        // Hex HMAC-SHA256 of the body; the timestamp is the body's `webhookTimestamp`
        // (milliseconds), which @linear/sdk checks to within 60 s either way.
        signature_header: Cow::Borrowed("Linear-Signature"),
        timestamp: TimestampSource::BodyField(Cow::Borrowed("webhookTimestamp")),
        timestamp_format: TimestampFormat::UnixMillis,
        event_type: field("type"),
        default_tolerance: 60,
        ..base(id)
    }),
    ("openai", |id| Scheme {
        // Standard Webhooks under OpenAI's name (the `openai` SDK's `webhooks.unwrap`): `webhook-*`
        // headers, `{id}.{ts}.{body}`, a `whsec_` base64 secret, 300 s both ways. The event type
        // is the body's `type` (`response.completed`, ...).
        event_type: field("type"),
        ..standard_webhooks_like(id, ["webhook-signature", "webhook-timestamp", "webhook-id"])
    }),
    ("workos", |id| Scheme {
        // `WorkOS-Signature: t=<unix ms>, v1=<hex>`: hex HMAC-SHA256 of `{t}.{body}`, `t` signed
        // as the millisecond text. The SDK splits the header on `", "` exactly, hence the joiner;
        // its `DEFAULT_TOLERANCE` is 180 s, either way.
        signature_header: Cow::Borrowed("WorkOS-Signature"),
        format: SignatureFormat::KeyValueList {
            separator: ',',
            joiner: ", ",
            timestamp_key: "t",
            signature_key: "v1",
        },
        timestamp: TimestampSource::InSignature,
        timestamp_format: TimestampFormat::UnixMillis,
        message_id: field("id"),
        event_type: field("event"),
        template: Cow::Borrowed(TS_DOT_BODY),
        default_tolerance: 180,
        ..base(id)
    }),
    ("gocardless", |id| Scheme {
        // Hex HMAC-SHA256 of the body. The webhook id is nested (`meta.webhook_id`) and the
        // events are a list, so neither an id nor an event type is reported.
        signature_header: Cow::Borrowed("Webhook-Signature"),
        ..base(id)
    }),
    ("pusher", |id| Scheme {
        // Hex HMAC-SHA256 of the body with the app secret; the SDK's `validate_webhook` also
        // rejects a body whose `time_ms` is more than 300 s from now (the unsigned `X-Pusher-Key`
        // header it compares with the app key is not read: route by it instead).
        signature_header: Cow::Borrowed("X-Pusher-Signature"),
        timestamp: TimestampSource::BodyField(Cow::Borrowed("time_ms")),
        timestamp_format: TimestampFormat::UnixMillis,
        ..base(id)
    }),
    ("twilio", |id| Scheme {
        // Base64 HMAC-SHA1, keyed with the Auth Token, of the URL Twilio requested followed by
        // the form parameters (names sorted, values sorted, each once); a JSON body is instead
        // covered by the URL's `bodySHA256` (its hex SHA-256). Twilio's validators accept the
        // URL with and without its port, and so does hooksig.
        signature_header: Cow::Borrowed("X-Twilio-Signature"),
        format: plain(None, Encoding::Base64),
        algorithm: Algorithm::Sha1,
        template: Cow::Borrowed(URL_FORM),
        url_rule: UrlRule::PortVariants,
        body_hash_query: Some("bodySHA256"),
        ..base(id)
    }),
    ("square", |id| Scheme {
        // Base64 HMAC-SHA256, keyed with the subscription's signature key, of the notification
        // URL followed by the body.
        signature_header: Cow::Borrowed("x-square-hmacsha256-signature"),
        format: plain(None, Encoding::Base64),
        template: Cow::Borrowed(URL_BODY),
        message_id: field("event_id"),
        event_type: field("type"),
        ..base(id)
    }),
    ("hubspot", |id| Scheme {
        // Signature v3: base64 HMAC-SHA256, keyed with the app's client secret, of method, URI
        // (a fixed set of escapes decoded), body and the millisecond timestamp; 300 s.
        signature_header: Cow::Borrowed("X-HubSpot-Signature-v3"),
        format: plain(None, Encoding::Base64),
        timestamp: ts_header("X-HubSpot-Request-Timestamp"),
        timestamp_format: TimestampFormat::UnixMillis,
        template: Cow::Borrowed(METHOD_URL_BODY_TS),
        url_rule: UrlRule::HubSpotDecoded,
        ..base(id)
    }),
];

/// DocuSign's numbered signature headers hooksig reads: one per active Connect HMAC key, at
/// most [`DOCUSIGN_MAX_SIGNATURES`] (the request-wide bound on signature entries).
const DOCUSIGN_HEADERS: [&str; 8] = [
    "X-DocuSign-Signature-1",
    "X-DocuSign-Signature-2",
    "X-DocuSign-Signature-3",
    "X-DocuSign-Signature-4",
    "X-DocuSign-Signature-5",
    "X-DocuSign-Signature-6",
    "X-DocuSign-Signature-7",
    "X-DocuSign-Signature-8",
];

/// Present on a DocuSign request signed with more keys than hooksig reads: refused as
/// `malformed_signature` (a sender with that many active keys should retire some).
const DOCUSIGN_OVERFLOW_HEADER: &str = "X-DocuSign-Signature-9";

/// The most `X-DocuSign-Signature-N` headers one request may carry.
pub const DOCUSIGN_MAX_SIGNATURES: usize = DOCUSIGN_HEADERS.len();

static BUILTIN: LazyLock<[Scheme; 43]> =
    LazyLock::new(|| BUILTIN_TABLE.map(|(id, scheme)| scheme(id)));

/// The ids of the built-in schemes, in documentation order.
///
/// ```
/// use hooksig::{SCHEME_IDS, Scheme};
/// assert_eq!(SCHEME_IDS[0], "algoguard");
/// for id in SCHEME_IDS {
///     assert_eq!(Scheme::named(id).unwrap().id(), id);
/// }
/// ```
pub const SCHEME_IDS: [&str; 43] = {
    let mut ids = [""; 43];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = BUILTIN_TABLE[i].0;
        i += 1;
    }
    ids
};

impl Scheme {
    /// The placeholder scheme of a composite verifier ([`crate::Verifier::any_of`]): id
    /// [`crate::ANY_OF_SCHEME_ID`] (`"any"`), no header, no timestamp; it is not a built-in,
    /// so nothing scheme-specific (handshakes, signing) applies to it.
    pub(crate) fn any_of_placeholder() -> Scheme {
        base(crate::verifier::ANY_OF_SCHEME_ID)
    }

    /// The built-in scheme with this id, or `unknown_scheme`.
    pub fn named(id: &str) -> Result<Scheme> {
        Scheme::builtin(id).cloned().ok_or_else(|| {
            Error::config(
                ErrorCode::UnknownScheme,
                format!(
                    "the scheme name is not a known scheme ({}{}); known schemes: {}",
                    undisclosed(id),
                    did_you_mean(id),
                    SCHEME_IDS.join(", ")
                ),
            )
        })
    }

    /// A reference to the built-in scheme with this id.
    pub fn builtin(id: &str) -> Option<&'static Scheme> {
        BUILTIN.iter().find(|s| s.id == id)
    }

    /// All built-in schemes.
    pub fn all() -> &'static [Scheme] {
        BUILTIN.as_slice()
    }

    /// The scheme id (`"stripe"`, or a custom scheme's own id).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The canonical name of the signature header.
    pub fn signature_header(&self) -> &str {
        &self.signature_header
    }

    /// The canonical name of the timestamp header, if the scheme has one of its own.
    pub fn timestamp_header(&self) -> Option<&str> {
        match &self.timestamp {
            TimestampSource::Header(h) => Some(h),
            TimestampSource::None
            | TimestampSource::InSignature
            | TimestampSource::BodyField(_) => None,
        }
    }

    /// Whether the scheme carries a timestamp at all.
    pub fn has_timestamp(&self) -> bool {
        !matches!(self.timestamp, TimestampSource::None)
    }

    /// The canonical name of the message-id header, if the id is sent as a header.
    pub fn id_header(&self) -> Option<&str> {
        match &self.message_id {
            FieldSource::Header(h) => Some(h),
            FieldSource::None | FieldSource::BodyField(_) => None,
        }
    }

    /// Whether the signed content includes the request's method, URL or form parameters
    /// (`twilio`, `square`, `hubspot`, custom `{method}`/`{url}`).
    ///
    /// ```
    /// use hooksig::Scheme;
    /// assert!(Scheme::named("square").unwrap().signs_request_line());
    /// assert!(!Scheme::named("github").unwrap().signs_request_line());
    /// ```
    pub fn signs_request_line(&self) -> bool {
        self.template.iter().any(|p| {
            matches!(
                p,
                TemplatePart::Method | TemplatePart::Url | TemplatePart::FormParams
            )
        })
    }

    /// Whether the message id is covered by the signature: read from the (authenticated) body,
    /// or from a header that the signed content includes (Standard Webhooks, Svix, custom
    /// templates with `{id}`). GitHub's, Shopify's and Certifylize's delivery-id headers are
    /// not: [`crate::Verified::dedupe_key`] then keys on the signed content instead.
    ///
    /// ```
    /// use hooksig::Scheme;
    /// assert!(Scheme::named("svix").unwrap().id_is_signed());
    /// assert!(Scheme::named("stripe").unwrap().id_is_signed());
    /// assert!(!Scheme::named("github").unwrap().id_is_signed());
    /// ```
    pub fn id_is_signed(&self) -> bool {
        match &self.message_id {
            FieldSource::BodyField(_) => true,
            FieldSource::Header(_) => self.template.contains(&TemplatePart::Id),
            FieldSource::None => false,
        }
    }

    /// The canonical name of the event-type header, if the event type is sent as a header.
    pub fn event_header(&self) -> Option<&str> {
        match &self.event_type {
            FieldSource::Header(h) => Some(h),
            FieldSource::None | FieldSource::BodyField(_) => None,
        }
    }

    /// Every header name a verifier of this scheme may read (canonical spelling), including
    /// those of its header fallback (Svix also reads `webhook-*`). A binding can pass only these
    /// across its language boundary instead of converting every request header.
    ///
    /// ```
    /// let svix = hooksig::Scheme::named("svix").unwrap();
    /// let names = svix.header_names();
    /// assert!(names.contains(&"svix-signature") && names.contains(&"webhook-id"));
    /// ```
    pub fn header_names(&self) -> Vec<&str> {
        fn own(s: &Scheme) -> impl Iterator<Item = &str> {
            [Some(s.signature_header())]
                .into_iter()
                .chain(s.more_signature_headers.iter().copied().map(Some))
                .chain([
                    s.overflow_signature_header,
                    s.timestamp_header(),
                    s.id_header(),
                    s.event_header(),
                    s.handshake_header,
                ])
                .flatten()
        }
        let mut names: Vec<&str> = own(self).collect();
        if let Some(fallback) = self.header_fallback.and_then(Scheme::builtin) {
            names.extend(own(fallback));
        }
        names
    }

    /// The header that an error about the timestamp names (`None` when the timestamp is a
    /// body field: no header is involved).
    pub(crate) fn timestamp_error_header(&self) -> Option<&str> {
        match &self.timestamp {
            TimestampSource::BodyField(_) => None,
            _ => Some(self.timestamp_header().unwrap_or(&self.signature_header)),
        }
    }

    /// Where the timestamp is read, for error messages: a header name or the body field.
    pub(crate) fn timestamp_origin(&self) -> String {
        match &self.timestamp {
            TimestampSource::BodyField(name) => format!("the body's {name} field"),
            _ => self
                .timestamp_header()
                .unwrap_or(&self.signature_header)
                .to_owned(),
        }
    }

    /// The public-key algorithm of the scheme, `None` for HMAC schemes.
    pub fn public_key_algorithm(&self) -> Option<PublicKeyAlgorithm> {
        self.public_key
    }

    /// The tolerance a verifier of this scheme uses when the caller sets none: the window the
    /// vendor documents (10 minutes for `twitch` and `box`, 60 s for `linear`, 180 s for
    /// `workos`, 5 minutes for every other scheme, custom schemes included).
    ///
    /// ```
    /// use hooksig::{Scheme, Tolerance};
    /// assert_eq!(Scheme::named("twitch").unwrap().default_tolerance(), Tolerance::symmetric(600));
    /// assert_eq!(Scheme::named("stripe").unwrap().default_tolerance(), Tolerance::symmetric(300));
    /// ```
    pub fn default_tolerance(&self) -> Tolerance {
        Tolerance::symmetric(self.default_tolerance)
    }

    /// Whether the scheme retries a failed match on Node's re-serialization of a JSON body.
    pub fn json_fallback(&self) -> bool {
        self.json_fallback
    }

    /// The hash function.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

/// The options of a custom scheme, so that a vendor hooksig doesn't list is one line.
///
/// ```
/// use hooksig::{CustomScheme, Encoding, Verifier, sign, SignOptions};
/// let acme = CustomScheme {
///     timestamp_header: Some("X-Acme-Timestamp".into()),
///     template: "{ts}.{body}".into(),
///     prefix: Some("sha256=".into()),
///     ..CustomScheme::new("acme", "X-Acme-Signature")
/// }
/// .build()
/// .unwrap();
/// let headers = hooksig::sign_with(&acme, b"k3y", b"{}", &SignOptions::at(1_700_000_000)).unwrap();
/// let v = Verifier::builder(acme).secret("k3y").build().unwrap();
/// assert!(v.verify_at(&headers, b"{}", 1_700_000_000).is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomScheme {
    /// Reported as `Verified::scheme`.
    pub id: String,
    /// The signature header's name.
    pub signature_header: String,
    /// The timestamp header's name; required when the template uses `{ts}`.
    pub timestamp_header: Option<String>,
    /// The message-id header's name; required when the template uses `{id}`.
    pub id_header: Option<String>,
    /// The event-type header's name.
    pub event_header: Option<String>,
    /// The signed content over `{id}`, `{ts}` and `{body}` (exactly one `{body}`).
    pub template: String,
    /// Hex or base64.
    pub encoding: Encoding,
    /// Optional prefix before the encoded MAC, such as `sha256=`.
    pub prefix: Option<String>,
    /// SHA-256 or SHA-512.
    pub algorithm: Algorithm,
    /// Retry a failed match on Node's `JSON.stringify(JSON.parse(body))`.
    pub json_fallback: bool,
}

impl CustomScheme {
    /// A body-only, hex, HMAC-SHA256 scheme; adjust the other fields with struct update syntax.
    pub fn new(id: impl Into<String>, signature_header: impl Into<String>) -> CustomScheme {
        CustomScheme {
            id: id.into(),
            signature_header: signature_header.into(),
            timestamp_header: None,
            id_header: None,
            event_header: None,
            template: "{body}".into(),
            encoding: Encoding::Hex,
            prefix: None,
            algorithm: Algorithm::Sha256,
            json_fallback: false,
        }
    }

    /// Validates the options and builds the scheme (`invalid_config` on any inconsistency).
    pub fn build(self) -> Result<Scheme> {
        let invalid = |msg: String| Error::config(ErrorCode::InvalidConfig, msg);
        let check_name = |what: &str, name: &str| {
            if name.is_empty() {
                Err(invalid(format!(
                    "custom scheme {what} is empty: give a header name"
                )))
            } else if let Some(at) = name.bytes().position(|b| !is_token_byte(b)) {
                Err(invalid(format!(
                    "custom scheme {what} is not a valid header name: character {} is not \
                     allowed in a header name ({})",
                    at + 1,
                    undisclosed(name)
                )))
            } else if has_secret_prefix(name) {
                // It would be echoed in every error about that header: refuse it instead.
                Err(invalid(format!(
                    "custom scheme {what} starts like a secret key (whsec_/whpk_/whsk_): was a \
                     secret passed in its place? ({})",
                    undisclosed(name)
                )))
            } else {
                Ok(())
            }
        };
        if self.id.trim().is_empty() {
            return Err(invalid("custom scheme id is empty".into()));
        }
        if has_secret_prefix(&self.id) {
            // The id is reported in every result and dedupe key.
            return Err(invalid(format!(
                "custom scheme id starts like a secret key (whsec_/whpk_/whsk_): was a secret \
                 passed in its place? ({})",
                undisclosed(&self.id)
            )));
        }
        check_name("signature header", &self.signature_header)?;
        for (what, name) in [
            ("timestamp header", &self.timestamp_header),
            ("id header", &self.id_header),
            ("event header", &self.event_header),
        ] {
            if let Some(name) = name {
                check_name(what, name)?;
            }
        }
        let template = parse_template(&self.template).map_err(invalid)?;
        if template.contains(&TemplatePart::Timestamp) && self.timestamp_header.is_none() {
            return Err(invalid(
                "the template uses {ts} but no timestamp header is set".into(),
            ));
        }
        if template.contains(&TemplatePart::Id) && self.id_header.is_none() {
            return Err(invalid(
                "the template uses {id} but no id header is set".into(),
            ));
        }
        let id_required = template.contains(&TemplatePart::Id);
        let opt_header =
            |h: Option<String>| h.map_or(FieldSource::None, |h| FieldSource::Header(h.into()));
        Ok(Scheme {
            id: self.id.into(),
            signature_header: self.signature_header.into(),
            format: SignatureFormat::Plain {
                prefix: self.prefix.filter(|p| !p.is_empty()).map(Cow::Owned),
                encoding: self.encoding,
            },
            timestamp: self
                .timestamp_header
                .map_or(TimestampSource::None, |h| TimestampSource::Header(h.into())),
            message_id: opt_header(self.id_header),
            id_required,
            event_type: opt_header(self.event_header),
            template: Cow::Owned(template),
            algorithm: self.algorithm,
            whsec_secrets: false,
            json_fallback: self.json_fallback,
            header_fallback: None,
            timestamp_format: TimestampFormat::UnixSeconds,
            more_signature_headers: &[],
            overflow_signature_header: None,
            public_key: None,
            default_tolerance: DEFAULT_TOLERANCE_SECS,
            handshake_header: None,
            url_rule: UrlRule::AsGiven,
            body_hash_query: None,
        })
    }
}

/// Splits `"{id}.{ts}.{body}"` into parts; `{body}` must occur exactly once.
fn parse_template(template: &str) -> std::result::Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    let mut bodies = 0;
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            parts.push(TemplatePart::Literal(rest.to_owned().into()));
            break;
        };
        if open > 0 {
            parts.push(TemplatePart::Literal(rest[..open].to_owned().into()));
        }
        let after = &rest[open..];
        let (part, len) = if after.starts_with("{body}") {
            bodies += 1;
            (TemplatePart::Body, 6)
        } else if after.starts_with("{ts}") {
            (TemplatePart::Timestamp, 4)
        } else if after.starts_with("{id}") {
            (TemplatePart::Id, 4)
        } else if after.starts_with("{method}") {
            (TemplatePart::Method, 8)
        } else if after.starts_with("{url}") {
            (TemplatePart::Url, 5)
        } else {
            return Err(format!(
                "the template has a `{{` at character {} that does not start {{id}}, {{ts}}, \
                 {{body}}, {{method}} or {{url}}: only these may appear in braces ({})",
                template.len() - rest.len() + open + 1,
                undisclosed(template)
            ));
        };
        parts.push(part);
        rest = &after[len..];
    }
    if bodies != 1 {
        return Err(format!(
            "the template must contain {{body}} exactly once, found it {bodies} times ({})",
            undisclosed(template)
        ));
    }
    Ok(parts)
}

/// RFC 9110 token characters: what a header name may contain.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Describes a caller's value for an error message without showing it: any argument may hold a
/// secret passed in the wrong place (`Verifier::new("whsec_…", …)`, `sign(SECRET, …)`), and an
/// error message ends up in logs. So messages name the argument and give only its length, plus a
/// hint when it looks like a secret. The value itself is never echoed, whatever it looks like:
/// a plain-text secret can be any short word.
pub(crate) fn undisclosed(value: &str) -> String {
    let chars = value.chars().count();
    let plural = if chars == 1 { "" } else { "s" };
    let mut out =
        format!("the value, {chars} character{plural} long, is not shown in case it is a secret");
    if looks_like_secret(value) {
        out.push_str("; it looks like a secret key: was a secret passed in this argument's place?");
    }
    out
}

/// `whsec_`/`whpk_`/`whsk_` keys and long unbroken tokens (over 32 characters, no spaces).
fn looks_like_secret(value: &str) -> bool {
    has_secret_prefix(value) || (value.len() > 32 && !value.contains(' '))
}

/// Starts with `whsec_`, `whpk_` or `whsk_` (any case).
fn has_secret_prefix(value: &str) -> bool {
    ["whsec_", "whpk_", "whsk_"].iter().any(|p| {
        value
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })
}

/// `; did you mean `stripe`?` when the value is a known scheme id up to case, surrounding
/// space, `_` for `-`, or one edit away; echoes only the known id, never the value.
fn did_you_mean(value: &str) -> String {
    let norm = value.trim().to_ascii_lowercase().replace('_', "-");
    if norm.len() > 32 {
        return String::new();
    }
    SCHEME_IDS
        .iter()
        .find(|id| **id == norm || (norm.len() >= 4 && within_one_edit(id, &norm)))
        .map_or_else(String::new, |id| format!("; did you mean `{id}`?"))
}

/// Levenshtein distance ≤ 1 (short ASCII strings only).
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    if short.len() == long.len() {
        return short.iter().zip(long).filter(|(x, y)| x != y).count() <= 1;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    short[prefix..] == long[prefix + 1..]
}

#[cfg(test)]
mod message_tests {
    use super::*;
    use crate::{CustomScheme, SignOptions, Verifier};

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn a_secret_in_the_scheme_argument_is_never_echoed() {
        let plain = "my-plain-text-secret";
        for value in [SECRET, plain, "s3cr3t", "q7", "It's a Secret to Everybody"] {
            let errs = [
                Verifier::new(value, ["x"]).unwrap_err(),
                crate::sign(value, b"x", b"{}", &SignOptions::default()).unwrap_err(),
                Scheme::named(value).unwrap_err(),
                Encoding::parse(value).unwrap_err(),
                Algorithm::parse(value).unwrap_err(),
                crate::SecretFormat::parse(value).unwrap_err(),
            ];
            for err in errs {
                assert!(!err.message().contains(value), "{value}: {err}");
                assert!(err.message().contains("not shown"), "{err}");
            }
        }
        let err = Verifier::new(SECRET, ["x"]).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::UnknownScheme);
        assert!(err.message().contains("looks like a secret"), "{err}");
        assert!(!err.message().contains("MfKQ9r8"), "{err}");
    }

    #[test]
    fn custom_scheme_values_are_not_echoed() {
        let custom = |header: &str, template: &str| {
            CustomScheme {
                template: template.into(),
                ..CustomScheme::new("acme", header)
            }
            .build()
            .unwrap_err()
        };
        // A secret that is also a valid header name (or id) is refused, not echoed later.
        for err in [
            custom(SECRET, "{body}"),
            CustomScheme::new(SECRET, "X-Sig").build().unwrap_err(),
        ] {
            assert!(err.message().contains("starts like a secret key"), "{err}");
            assert!(!err.message().contains("MfKQ9r8"), "{err}");
        }
        let bad_header = format!("{SECRET} x");
        let err = custom(&bad_header, "{body}");
        assert!(
            !err.message().contains("MfKQ9r8") && err.message().contains("character 39"),
            "{err}"
        );
        let err = custom("X-Sig", &format!("{{body}}{{{SECRET}}}"));
        assert!(
            !err.message().contains("MfKQ9r8") && err.message().contains("character 7"),
            "{err}"
        );
        let err = custom("X-Sig", SECRET);
        assert!(
            !err.message().contains("MfKQ9r8") && err.message().contains("0 times"),
            "{err}"
        );
    }

    #[test]
    fn near_misses_get_a_suggestion_that_names_only_the_known_id() {
        for (typo, id) in [
            ("Stripe", "stripe"),
            ("standard_webhooks", "standard-webhooks"),
            ("githb", "github"),
            ("slackk", "slack"),
        ] {
            let err = Scheme::named(typo).unwrap_err();
            assert!(
                err.message().contains(&format!("did you mean `{id}`")),
                "{typo}: {err}"
            );
        }
        assert!(
            !Scheme::named("zzzzzz")
                .unwrap_err()
                .message()
                .contains("did you mean")
        );
        assert!(
            !Scheme::named(SECRET)
                .unwrap_err()
                .message()
                .contains("did you mean")
        );
    }
}
