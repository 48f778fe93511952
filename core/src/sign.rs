//! Producing the headers a sender attaches, exactly as the verifier expects them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};
use crate::mac::{SignedContent, SignedRequest};
use crate::request_line::{self, RequestLine};
use crate::scheme::{
    Encoding, FieldSource, PublicKeyAlgorithm, Scheme, SignatureFormat, TemplatePart,
    TimestampSource,
};
use crate::secret::{Key, SecretFormat, parse_key};
use crate::timestamp::unix_now;
use crate::verifier::Verifier;

/// What to sign besides the body. Fields a scheme does not use are ignored.
///
/// ```
/// use hooksig::SignOptions;
/// let o = SignOptions { id: Some("msg_1"), ..SignOptions::at(1_700_000_000) };
/// assert_eq!(o.timestamp, Some(1_700_000_000));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignOptions<'a> {
    /// Unix seconds; the current time when `None`.
    pub timestamp: Option<i64>,
    /// The message id; derived from the content when the scheme needs one and none is given.
    pub id: Option<&'a str>,
    /// The event type, for schemes that send it as a header.
    pub event_type: Option<&'a str>,
    /// The URL the request goes to, for the schemes that sign it (`twilio`, `square`,
    /// `hubspot`, custom `{url}`): required by them, ignored by the others.
    pub url: Option<&'a str>,
    /// The request method for schemes that sign it (`hubspot`, custom `{method}`); `POST`
    /// when `None`.
    pub method: Option<&'a str>,
}

impl SignOptions<'_> {
    /// Options with a fixed timestamp.
    pub fn at(timestamp: i64) -> Self {
        SignOptions {
            timestamp: Some(timestamp),
            ..SignOptions::default()
        }
    }
}

/// Signed headers as `(name, value)` pairs, in the order a sender should send them.
pub type SignedHeaders = Vec<(String, String)>;

/// Signs `body` for a built-in scheme with one secret (decoded as [`SecretFormat::Auto`]).
///
/// ```
/// use hooksig::SignOptions;
/// let h = hooksig::sign("github", b"It's a Secret to Everybody", b"Hello, World!", &SignOptions::default()).unwrap();
/// assert_eq!(h[0].0, "X-Hub-Signature-256");
/// assert_eq!(h[0].1, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
/// ```
pub fn sign(
    scheme: &str,
    secret: &[u8],
    body: &[u8],
    options: &SignOptions<'_>,
) -> Result<SignedHeaders> {
    sign_with(&Scheme::named(scheme)?, secret, body, options)
}

/// Signs `body` for any scheme, including custom ones.
pub fn sign_with(
    scheme: &Scheme,
    secret: &[u8],
    body: &[u8],
    options: &SignOptions<'_>,
) -> Result<SignedHeaders> {
    sign_with_format(scheme, secret, SecretFormat::Auto, body, options)
}

/// Signs `body` with a secret decoded as `format` (hex, base64, text, or the scheme's own).
///
/// ```
/// use hooksig::{Scheme, SecretFormat, SignOptions, sign_with_format};
/// let github = Scheme::named("github").unwrap();
/// let a = sign_with_format(&github, b"6b6579", SecretFormat::Hex, b"x", &SignOptions::default()).unwrap();
/// let b = hooksig::sign("github", b"key", b"x", &SignOptions::default()).unwrap();
/// assert_eq!(a, b);
/// ```
pub fn sign_with_format(
    scheme: &Scheme,
    secret: &[u8],
    format: SecretFormat,
    body: &[u8],
    options: &SignOptions<'_>,
) -> Result<SignedHeaders> {
    let key = parse_key(secret, format, scheme, 0)?;
    sign_with_key(scheme, &key, body, options)
}

impl Verifier {
    /// Signs `body` with this verifier's first secret (what a test or a sender in the same
    /// process needs). A composite ([`Verifier::any_of`]) does not sign (`invalid_config`):
    /// sign with one of its verifiers.
    pub fn sign(&self, body: &[u8], options: &SignOptions<'_>) -> Result<SignedHeaders> {
        if self.is_any_of() {
            return Err(Error::config(
                ErrorCode::InvalidConfig,
                "an any_of verifier does not sign: sign with one of its verifiers",
            ));
        }
        let key = self
            .keys()
            .first()
            .ok_or_else(|| Error::config(ErrorCode::InvalidSecret, "the verifier has no secret"))?;
        sign_with_key(self.scheme(), key, body, options)
    }
}

fn sign_with_key(
    scheme: &Scheme,
    key: &Key,
    body: &[u8],
    options: &SignOptions<'_>,
) -> Result<SignedHeaders> {
    let ts = options.timestamp.unwrap_or_else(unix_now);
    if ts < 0 {
        return Err(Error::config(
            ErrorCode::InvalidConfig,
            format!("cannot sign with a negative timestamp ({ts})"),
        ));
    }
    for (what, value) in [("id", options.id), ("event type", options.event_type)] {
        // These become header values: CR/LF would split headers, NUL is refused by HTTP stacks.
        if value.is_some_and(|v| v.bytes().any(|b| b < 0x20 || b == 0x7f)) {
            return Err(Error::config(
                ErrorCode::InvalidConfig,
                format!("the {what} contains a control character and cannot be sent as a header"),
            ));
        }
    }
    let ts_text = scheme.timestamp_format.format(ts).ok_or_else(|| {
        Error::config(
            ErrorCode::InvalidConfig,
            format!(
                "cannot sign with timestamp {ts}: the scheme's RFC 3339 timestamps end at year 9999"
            ),
        )
    })?;
    let uses_id = scheme.template.contains(&TemplatePart::Id);
    let derived_id;
    let id = match options.id {
        Some(id) => Some(id),
        None if uses_id => {
            derived_id = derive_id(&ts_text, body);
            Some(derived_id.as_str())
        }
        None => None,
    };
    let line = options.url.map(|url| RequestLine {
        method: options.method.unwrap_or_default(),
        url,
    });
    // A missing URL stays `invalid_argument`; a URL that contradicts the body (Twilio's
    // `bodySHA256`) or an oversized form is the caller's configuration.
    let prepared = request_line::prepare(scheme, line, body, true).map_err(|e| {
        if e.code() == ErrorCode::InvalidArgument {
            e
        } else {
            Error::config(ErrorCode::InvalidConfig, e.message())
        }
    })?;
    let content = SignedContent {
        template: &scheme.template,
        id: id.unwrap_or_default().as_bytes(),
        timestamp: ts_text.as_bytes(),
        body,
        body_tail: b"",
        request: SignedRequest {
            method: prepared.method.as_bytes(),
            url: prepared.urls[0].as_deref().unwrap_or_default().as_bytes(),
            form: &prepared.form,
        },
    };

    let signature = match (&scheme.format, key) {
        (_, Key::Ed25519Public(_) | Key::EcdsaP256Public(_)) => {
            return Err(Error::config(
                ErrorCode::InvalidSecret,
                "a public key can verify but not sign; sign with the private key (whsk_ for \
                 Standard Webhooks, the 128-hex-character seed and public key for discord, a \
                 base64 PKCS#8 private key for sendgrid)",
            ));
        }
        (SignatureFormat::Plain { encoding, .. }, Key::Ed25519Secret(k))
            if scheme.public_key == Some(PublicKeyAlgorithm::Ed25519) =>
        {
            let sig = k.sign(&content.to_vec()).to_bytes();
            match encoding {
                Encoding::Hex => hex::encode(sig),
                Encoding::Base64 => STANDARD.encode(sig),
            }
        }
        (SignatureFormat::Plain { encoding, .. }, Key::EcdsaP256Secret(k)) => {
            // RFC 6979 deterministic nonces: the same content and key give the same signature.
            let sig: p256::ecdsa::Signature =
                p256::ecdsa::signature::Signer::sign(k.as_ref(), &content.to_vec());
            let der = sig.to_der();
            match encoding {
                Encoding::Hex => hex::encode(der.as_bytes()),
                Encoding::Base64 => STANDARD.encode(der.as_bytes()),
            }
        }
        (_, Key::EcdsaP256Secret(_)) => {
            return Err(Error::config(
                ErrorCode::InvalidSecret,
                "ECDSA keys sign only the sendgrid scheme",
            ));
        }
        (SignatureFormat::VersionedList, Key::Ed25519Secret(k)) => {
            format!(
                "v1a,{}",
                STANDARD.encode(k.sign(&content.to_vec()).to_bytes())
            )
        }
        (_, Key::Ed25519Secret(_)) => {
            return Err(Error::config(
                ErrorCode::InvalidSecret,
                "ed25519 keys sign only Standard Webhooks (v1a) and discord signatures",
            ));
        }
        (format, Key::Hmac(mac)) => {
            let tag = mac.compute(&content);
            let tag = tag.as_slice();
            match format {
                SignatureFormat::Plain { prefix, encoding } => {
                    let encoded = match encoding {
                        Encoding::Hex => hex::encode(tag),
                        Encoding::Base64 => STANDARD.encode(tag),
                    };
                    format!("{}{encoded}", prefix.as_deref().unwrap_or_default())
                }
                SignatureFormat::KeyValueList {
                    joiner,
                    timestamp_key,
                    signature_key,
                    ..
                } => format!(
                    "{timestamp_key}={ts_text}{joiner}{signature_key}={}",
                    hex::encode(tag)
                ),
                SignatureFormat::VersionedList => format!("v1,{}", STANDARD.encode(tag)),
            }
        }
    };

    let mut headers = Vec::with_capacity(4);
    let sig = (scheme.signature_header().to_owned(), signature);
    let ts_header = match &scheme.timestamp {
        TimestampSource::Header(name) => Some((name.to_string(), ts_text.clone())),
        // Linear's and Pusher's timestamps are inside the body: the caller writes them there.
        TimestampSource::None | TimestampSource::InSignature | TimestampSource::BodyField(_) => {
            None
        }
    };
    let id_header = match (&scheme.message_id, id) {
        (FieldSource::Header(name), Some(id)) => Some((name.to_string(), id.to_owned())),
        _ => None,
    };
    let event_header = match (&scheme.event_type, options.event_type) {
        (FieldSource::Header(name), Some(ev)) => Some((name.to_string(), ev.to_owned())),
        _ => None,
    };
    if matches!(scheme.format, SignatureFormat::VersionedList) {
        // Standard Webhooks documents its headers as id, timestamp, signature.
        headers.extend(id_header);
        headers.extend(ts_header);
        headers.push(sig);
    } else {
        headers.push(sig);
        headers.extend(ts_header);
        headers.extend(id_header);
    }
    headers.extend(event_header);
    Ok(headers)
}

/// A deterministic id for schemes that sign one: the same message gets the same id, so a
/// receiver's duplicate check still works when the caller gives none.
fn derive_id(ts: &str, body: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(ts.as_bytes())
        .chain_update(b".")
        .chain_update(body)
        .finalize();
    format!("msg_{}", &hex::encode(digest)[..24])
}
