//! Keyed MAC computation over a scheme's signed content, without concatenating it.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::scheme::{Algorithm, TemplatePart};

/// A precomputed HMAC key state: the key's inner and outer pads are hashed once, when the
/// verifier is built, and each verification clones the state. The state is zeroized on drop
/// (the `zeroize` feature of `hmac`/`sha2`).
#[derive(Clone)]
pub(crate) enum MacKey {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

/// A MAC value on the stack (64 bytes covers SHA-512).
pub(crate) struct MacBytes {
    bytes: [u8; 64],
    len: usize,
}

impl MacBytes {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl MacKey {
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> MacKey {
        // HMAC accepts keys of any length, so `new_from_slice` cannot fail here; the fallback
        // keeps the crate panic-free all the same.
        match algorithm {
            Algorithm::Sha1 => MacKey::Sha1(
                Hmac::<Sha1>::new_from_slice(key)
                    .unwrap_or_else(|_| Hmac::<Sha1>::new(&Default::default())),
            ),
            Algorithm::Sha256 => MacKey::Sha256(
                Hmac::<Sha256>::new_from_slice(key)
                    .unwrap_or_else(|_| Hmac::<Sha256>::new(&Default::default())),
            ),
            Algorithm::Sha512 => MacKey::Sha512(
                Hmac::<Sha512>::new_from_slice(key)
                    .unwrap_or_else(|_| Hmac::<Sha512>::new(&Default::default())),
            ),
        }
    }

    pub(crate) fn compute(&self, content: &SignedContent<'_>) -> MacBytes {
        let mut out = MacBytes {
            bytes: [0; 64],
            len: 0,
        };
        match self {
            MacKey::Sha1(key) => {
                let mut mac = key.clone();
                content.for_each_piece(|piece| mac.update(piece));
                let tag = mac.finalize().into_bytes();
                out.bytes[..20].copy_from_slice(&tag);
                out.len = 20;
            }
            MacKey::Sha256(key) => {
                let mut mac = key.clone();
                content.for_each_piece(|piece| mac.update(piece));
                let tag = mac.finalize().into_bytes();
                out.bytes[..32].copy_from_slice(&tag);
                out.len = 32;
            }
            MacKey::Sha512(key) => {
                let mut mac = key.clone();
                content.for_each_piece(|piece| mac.update(piece));
                let tag = mac.finalize().into_bytes();
                out.bytes.copy_from_slice(&tag);
                out.len = 64;
            }
        }
        out
    }
}

/// The signed content of one message, described by a template and fed to the MAC piece by piece
/// so that the body is never copied.
pub(crate) struct SignedContent<'a> {
    pub(crate) template: &'a [TemplatePart],
    pub(crate) id: &'a [u8],
    pub(crate) timestamp: &'a [u8],
    pub(crate) body: &'a [u8],
    /// More of the body, right after `body`: the unchanged rest of the body that the JSON
    /// fallback's re-serialization leaves in place (`js_json::Changed`); empty otherwise.
    pub(crate) body_tail: &'a [u8],
    /// The request method, URL (in the form being tried) and canonical form parameters, for
    /// the schemes that sign them; empty otherwise.
    pub(crate) request: SignedRequest<'a>,
}

/// The request-line pieces of [`SignedContent`].
#[derive(Clone, Copy, Default)]
pub(crate) struct SignedRequest<'a> {
    pub(crate) method: &'a [u8],
    pub(crate) url: &'a [u8],
    pub(crate) form: &'a [u8],
}

impl SignedContent<'_> {
    pub(crate) fn for_each_piece(&self, mut f: impl FnMut(&[u8])) {
        for part in self.template {
            match part {
                TemplatePart::Literal(text) => f(text.as_bytes()),
                TemplatePart::Id => f(self.id),
                TemplatePart::Timestamp => f(self.timestamp),
                TemplatePart::Body => {
                    f(self.body);
                    f(self.body_tail);
                }
                TemplatePart::Method => f(self.request.method),
                TemplatePart::Url => f(self.request.url),
                TemplatePart::FormParams => f(self.request.form),
            }
        }
    }

    /// The content as one buffer, for ed25519, which needs the whole message.
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        let (body, url) = (
            self.body.len() + self.body_tail.len(),
            self.request.url.len(),
        );
        let mut out = Vec::with_capacity(body + self.id.len() + url + 24);
        self.for_each_piece(|piece| out.extend_from_slice(piece));
        out
    }
}
