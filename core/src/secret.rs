//! Turning the secrets a user configures into keys, refusing the ones that would silently fail.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::mac::MacKey;
use crate::scheme::Scheme;

/// Standard-alphabet base64 that accepts input with or without padding but nothing else
/// (no whitespace, no URL-safe characters, no non-canonical trailing bits).
pub(crate) const BASE64_LENIENT_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Shortest `whsec_` key accepted: anything shorter is a truncated copy-paste, not a secret.
const MIN_WHSEC_KEY_LEN: usize = 8;

/// How a configured secret string becomes key bytes.
///
/// ```
/// use hooksig::{SecretFormat, Verifier, Scheme};
/// assert_eq!(SecretFormat::parse("hex").unwrap(), SecretFormat::Hex);
/// let v = Verifier::builder(Scheme::named("github").unwrap())
///     .secret("6b6579")            // the bytes "key"
///     .secret_format(SecretFormat::Hex)
///     .build();
/// assert!(v.is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SecretFormat {
    /// The scheme's own convention: `whsec_` base64 for Standard Webhooks and Svix (and
    /// `whpk_`/`whsk_` ed25519 keys), the UTF-8 bytes for every other scheme.
    #[default]
    Auto,
    /// The secret's bytes as given.
    Text,
    /// Standard base64, padding optional.
    Base64,
    /// Hex digits, either case.
    Hex,
}

impl SecretFormat {
    /// Parses `"auto"`, `"text"`, `"base64"` or `"hex"`.
    pub fn parse(name: &str) -> Result<SecretFormat> {
        match name {
            "auto" => Ok(SecretFormat::Auto),
            "text" | "raw" => Ok(SecretFormat::Text),
            "base64" => Ok(SecretFormat::Base64),
            "hex" => Ok(SecretFormat::Hex),
            other => Err(Error::config(
                ErrorCode::InvalidConfig,
                format!(
                    "unknown secret format `{}`: expected auto, text, base64 or hex",
                    crate::scheme::printable(other)
                ),
            )),
        }
    }
}

/// A key ready for verification (and, except for public keys, signing).
#[derive(Clone)]
pub(crate) enum Key {
    Hmac(MacKey),
    Ed25519Public(VerifyingKey),
    Ed25519Secret(Box<SigningKey>),
}

impl Key {
    pub(crate) fn verifying_key(&self) -> Option<VerifyingKey> {
        match self {
            Key::Hmac(_) => None,
            Key::Ed25519Public(k) => Some(*k),
            Key::Ed25519Secret(k) => Some(k.verifying_key()),
        }
    }
}

fn refuse(position: usize, why: &str) -> Error {
    Error::config(
        ErrorCode::InvalidSecret,
        format!("secret #{position} was refused: {why}"),
    )
}

/// Builds the key for secret number `position` (0-based, used in messages instead of the
/// secret itself).
pub(crate) fn parse_key(
    secret: &[u8],
    format: SecretFormat,
    scheme: &Scheme,
    position: usize,
) -> Result<Key> {
    if secret.is_empty() {
        return Err(refuse(position, "it is empty"));
    }
    if secret.first().is_some_and(u8::is_ascii_whitespace)
        || secret.last().is_some_and(u8::is_ascii_whitespace)
    {
        return Err(refuse(
            position,
            "it starts or ends with whitespace (often a newline copied from an environment \
             file); strip it, or the signatures will never match",
        ));
    }
    let hmac = |bytes: &[u8]| Ok(Key::Hmac(MacKey::new(scheme.algorithm, bytes)));
    match format {
        SecretFormat::Text => hmac(secret),
        SecretFormat::Auto if !scheme.whsec_secrets => hmac(secret),
        SecretFormat::Base64 => hmac(&decode_base64(secret, position, "base64")?),
        SecretFormat::Hex => {
            let bytes = Zeroizing::new(
                hex::decode(secret).map_err(|_| refuse(position, "it is not valid hex"))?,
            );
            hmac(&bytes)
        }
        SecretFormat::Auto => {
            if let Some(rest) = secret.strip_prefix(b"whpk_") {
                let bytes = decode_base64(rest, position, "whpk_ base64")?;
                let array: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| refuse(position, "a whpk_ public key must decode to 32 bytes"))?;
                let key = VerifyingKey::from_bytes(&array)
                    .map_err(|_| refuse(position, "the whpk_ key is not an ed25519 public key"))?;
                Ok(Key::Ed25519Public(key))
            } else if let Some(rest) = secret.strip_prefix(b"whsk_") {
                let bytes = decode_base64(rest, position, "whsk_ base64")?;
                signing_key(&bytes, position)
            } else {
                let rest = secret.strip_prefix(b"whsec_").unwrap_or(secret);
                let bytes = decode_base64(rest, position, "whsec_ base64")?;
                if bytes.len() < MIN_WHSEC_KEY_LEN {
                    return Err(refuse(
                        position,
                        "the whsec_ key decodes to fewer than 8 bytes (truncated?)",
                    ));
                }
                hmac(&bytes)
            }
        }
    }
}

fn signing_key(bytes: &[u8], position: usize) -> Result<Key> {
    let seed: [u8; 32] = bytes
        .get(..32)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| refuse(position, "a whsk_ key must decode to 32 or 64 bytes"))?;
    let key = SigningKey::from_bytes(&seed);
    match bytes.len() {
        32 => {}
        64 if key.verifying_key().as_bytes() == &bytes[32..] => {}
        64 => {
            return Err(refuse(
                position,
                "the whsk_ key's public half does not belong to its seed",
            ));
        }
        _ => {
            return Err(refuse(
                position,
                "a whsk_ key must decode to 32 or 64 bytes",
            ));
        }
    }
    Ok(Key::Ed25519Secret(Box::new(key)))
}

fn decode_base64(text: &[u8], position: usize, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    BASE64_LENIENT_PADDING
        .decode(text)
        .map(Zeroizing::new)
        .map_err(|_| {
            refuse(
                position,
                &format!(
                    "it is not valid {what} (use secret format `text` if the vendor's key is meant \
                     as plain text)"
                ),
            )
        })
}
