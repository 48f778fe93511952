//! Turning the secrets a user configures into keys, refusing the ones that would silently fail.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::b64;
use crate::error::{Error, ErrorCode, Result};
use crate::mac::MacKey;
use crate::scheme::{PublicKeyAlgorithm, Scheme};

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
                    "the secret format argument is not auto, text, base64 or hex ({})",
                    crate::scheme::undisclosed(other)
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
    EcdsaP256Public(Box<p256::ecdsa::VerifyingKey>),
    EcdsaP256Secret(Box<p256::ecdsa::SigningKey>),
}

impl Key {
    pub(crate) fn verifying_key(&self) -> Option<VerifyingKey> {
        match self {
            Key::Hmac(_) | Key::EcdsaP256Public(_) | Key::EcdsaP256Secret(_) => None,
            Key::Ed25519Public(k) => Some(*k),
            Key::Ed25519Secret(k) => Some(k.verifying_key()),
        }
    }

    pub(crate) fn ecdsa_verifying_key(&self) -> Option<p256::ecdsa::VerifyingKey> {
        match self {
            Key::EcdsaP256Public(k) => Some(**k),
            Key::EcdsaP256Secret(k) => Some(*k.verifying_key()),
            Key::Hmac(_) | Key::Ed25519Public(_) | Key::Ed25519Secret(_) => None,
        }
    }

    /// A public or private key of a public-key scheme (no HMAC).
    pub(crate) fn is_public_key(&self) -> bool {
        !matches!(self, Key::Hmac(_))
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
    if let Some(algorithm) = scheme.public_key {
        return public_key(secret, format, algorithm, scheme.id(), position);
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

/// The key of a public-key scheme. `discord`: the application's public key, 64 hex characters
/// (or, to sign, the 128-hex-character seed‖public-key form libsodium and tweetnacl print).
/// `sendgrid`: the base64 SubjectPublicKeyInfo DER SendGrid shows (or, to sign, a base64 PKCS#8
/// DER private key). PEM armour (`-----BEGIN PUBLIC KEY-----`) is accepted around the base64.
fn public_key(
    secret: &[u8],
    format: SecretFormat,
    algorithm: PublicKeyAlgorithm,
    scheme: &str,
    position: usize,
) -> Result<Key> {
    let (natural, what) = match algorithm {
        PublicKeyAlgorithm::Ed25519 => (
            SecretFormat::Hex,
            "the application's ed25519 public key as 64 hex characters (or a 128-hex-character \
             seed and public key, to sign)",
        ),
        PublicKeyAlgorithm::EcdsaP256Sha256 => (
            SecretFormat::Base64,
            "the P-256 public key as base64 SubjectPublicKeyInfo DER, as SendGrid shows it (or a \
             base64 PKCS#8 private key, to sign)",
        ),
    };
    if format != SecretFormat::Auto && format != natural {
        return Err(refuse(
            position,
            &format!(
                "the {scheme} scheme takes a public key, not a shared secret: {what}; leave the \
                 secret format at auto"
            ),
        ));
    }
    match algorithm {
        PublicKeyAlgorithm::Ed25519 => {
            let bytes = Zeroizing::new(hex::decode(secret).map_err(|_| {
                refuse(
                    position,
                    &format!(
                        "it is not hex ({} characters): the {scheme} key is {what}",
                        secret.len()
                    ),
                )
            })?);
            match bytes.len() {
                32 => {
                    let array: [u8; 32] = bytes.as_slice().try_into().unwrap_or([0; 32]);
                    let key = VerifyingKey::from_bytes(&array).map_err(|_| {
                        refuse(
                            position,
                            "the 64 hex characters are not an ed25519 public key",
                        )
                    })?;
                    Ok(Key::Ed25519Public(key))
                }
                64 => signing_key(&bytes, position),
                n => Err(refuse(
                    position,
                    &format!(
                        "it decodes to {n} bytes, not 32: the {scheme} key is {what} (copied \
                         from the developer portal's \"Public Key\" field)"
                    ),
                )),
            }
        }
        PublicKeyAlgorithm::EcdsaP256Sha256 => {
            use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
            let text = strip_pem(secret);
            let der = decode_base64(&text, position, "base64").map_err(|e| {
                // Keep the decoder's reason (which character, trailing bits), say what is wanted.
                let why = e.message().split_once(": ").map_or("", |(_, why)| why);
                let why = why.split(" (use secret format").next().unwrap_or(why);
                refuse(position, &format!("{why}: the {scheme} key is {what}"))
            })?;
            if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(&der) {
                return Ok(Key::EcdsaP256Public(Box::new(key)));
            }
            if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(&der) {
                return Ok(Key::EcdsaP256Secret(Box::new(key)));
            }
            Err(refuse(
                position,
                &format!(
                    "its base64 decodes to {} bytes that are not a P-256 key: the {scheme} key \
                     is {what}",
                    der.len()
                ),
            ))
        }
    }
}

/// The base64 inside PEM armour (`-----BEGIN …-----` lines dropped, line breaks removed), or
/// the text as given when it has no armour.
fn strip_pem(text: &[u8]) -> Zeroizing<Vec<u8>> {
    if !text.starts_with(b"-----BEGIN ") {
        return Zeroizing::new(text.to_vec());
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len()));
    for line in text.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.starts_with(b"-----") {
            out.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
        }
    }
    out
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
    use base64::DecodeError;
    b64::LENIENT_PADDING
        .decode(text)
        .map(Zeroizing::new)
        .map_err(|e| {
            let why = match e {
                DecodeError::InvalidLastSymbol(..) => match canonical_last_char(text) {
                    Some(c) => format!(
                        "its {what} is not canonical: the last character carries non-zero \
                         trailing bits (bits past the end of the key); the canonical form of this \
                         key ends in `{c}` (copy the key again from the sender's dashboard)"
                    ),
                    None => format!(
                        "its {what} is not canonical: the last character carries non-zero \
                         trailing bits"
                    ),
                },
                DecodeError::InvalidByte(at, _) => format!(
                    "it is not valid {what}: character {} is not in the standard base64 \
                     alphabet (A-Z a-z 0-9 + /, `=` padding at the end)",
                    at + 1
                ),
                DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => {
                    format!("it is not valid {what}: its length is not that of base64 text")
                }
            };
            let hint = if what == "base64" {
                " (use secret format `text` if the vendor's key is meant as plain text)"
            } else {
                ""
            };
            refuse(position, &format!("{why}{hint}"))
        })
}

/// The last character of the canonical encoding of a base64 text whose final character has
/// non-zero trailing bits (the same bytes, re-encoded without padding).
fn canonical_last_char(text: &[u8]) -> Option<char> {
    let lenient = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true)
            .with_encode_padding(false),
    );
    let bytes = Zeroizing::new(lenient.decode(text).ok()?);
    let encoded = Zeroizing::new(lenient.encode(bytes.as_slice()));
    encoded.chars().last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(secret: &str) -> String {
        let scheme = Scheme::named("standard-webhooks").expect("scheme");
        match parse_key(secret.as_bytes(), SecretFormat::Auto, &scheme, 0) {
            Ok(_) => panic!("{secret} was accepted"),
            Err(e) => e.message().to_owned(),
        }
    }

    #[test]
    fn non_canonical_trailing_bits_are_named_and_the_canonical_last_character_shown() {
        // 16 bytes: 22 characters, the last holding 2 bits of data and 4 trailing bits.
        let canonical = "whsec_MfKQ9r8GKYqrTwjUPD8ILA";
        assert!(
            parse_key(
                canonical.as_bytes(),
                SecretFormat::Auto,
                &Scheme::named("standard-webhooks").expect("scheme"),
                0
            )
            .is_ok()
        );
        for (bad, last) in [
            ("whsec_MfKQ9r8GKYqrTwjUPD8ILB", 'A'),
            ("whsec_MfKQ9r8GKYqrTwjUPD8ILP==", 'A'),
            ("whsec_MfKQ9r8GKYqrTwjUPD8ILR", 'Q'),
        ] {
            let msg = refusal(bad);
            assert!(msg.contains("non-zero trailing bits"), "{msg}");
            assert!(msg.contains(&format!("ends in `{last}`")), "{msg}");
            assert!(!msg.contains("secret format `text`"), "{msg}");
            assert!(!msg.contains("MfKQ9r8"), "{msg}");
        }
    }

    #[test]
    fn other_base64_faults_say_what_is_wrong_without_the_text_hint() {
        let msg = refusal("whsec_MfKQ9r8GKY!rTwjUPD8ILA");
        assert!(
            msg.contains("character 11 is not in the standard base64"),
            "{msg}"
        );
        assert!(!msg.contains("format `text`"), "{msg}");
        let msg = refusal("whsec_MfKQ9r8GKYqrTwjUPD8IL");
        assert!(msg.contains("length"), "{msg}");
        let github = Scheme::named("github").expect("scheme");
        let msg = match parse_key(b"plain text!", SecretFormat::Base64, &github, 0) {
            Err(e) => e.message().to_owned(),
            Ok(_) => panic!("accepted"),
        };
        assert!(msg.contains("secret format `text`"), "{msg}");
    }
}
