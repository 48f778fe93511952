//! The verifier: one scheme, one or more secrets, a tolerance window.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use ed25519_dalek::Signature;
use sha2::{Digest, Sha256};
use smallvec::SmallVec;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::body_fields;
use crate::error::{Error, ErrorCode, Result};
use crate::headers::{Headers, first_value, split, trim};
use crate::js_json::{self, Restrung};
use crate::mac::{SignedContent, SignedRequest};
use crate::request_line::{self, RequestLine};
use crate::scheme::{FieldSource, PublicKeyAlgorithm, Scheme, SignatureFormat, TimestampSource};
use crate::secret::{Key, SecretFormat, parse_key};
use crate::signature::{self, Candidates, EmbeddedTimestamp, Kind};
use crate::timestamp::{self, Tolerance};

/// A successfully verified webhook.
///
/// `payload` is the authenticated bytes: the body itself, or — when a scheme's JSON fallback
/// matched — the re-serialized JSON that the sender actually signed. Parse `payload`, not the
/// raw body, so that the application acts on what was signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified<'a> {
    /// The scheme id.
    pub scheme: &'a str,
    /// The signed timestamp (Unix seconds), for schemes that carry one.
    pub timestamp: Option<i64>,
    /// The message / delivery / event id, when the scheme provides one. For `github`, `shopify`
    /// and `certifylize` (and custom schemes whose template lacks `{id}`) it comes from a header
    /// the signature does not cover: informational, not authenticated (see `id_signed`).
    pub id: Option<String>,
    /// The event type, when the scheme provides one.
    pub event_type: Option<String>,
    /// Index of the secret that matched (rotation: 0 is the first configured secret).
    pub key_index: usize,
    /// The authenticated bytes.
    pub payload: Cow<'a, [u8]>,
    /// Whether `id` is covered by the signature: read from the authenticated body, or from a
    /// header that the signed content includes (`{id}` in the template).
    pub id_signed: bool,
    /// 16 bytes identifying the signed content (not which signature a request carried): the
    /// HMAC of the first configured secret over the content that matched, or, for a verifier
    /// whose keys are all public-key ones (ed25519, ECDSA), the start of the SHA-256 of that
    /// content (a signature's bytes can vary for the same content). Used by
    /// [`Verified::dedupe_key`] when there is no signed id.
    pub signature_fingerprint: [u8; 16],
}

impl Verified<'_> {
    /// The key a receiver deduplicates retries on, built from signed material only (so that a
    /// replayed delivery with an edited header gets the same key):
    ///
    /// - `scheme:id:<id>` when the id is signed: Standard Webhooks and Svix (`webhook-id` is in
    ///   the signed content), AlgoGuard, Aghanim, Stripe and Paddle (id read from the
    ///   authenticated body), custom schemes with `{id}` in the template. An id that is not
    ///   1–64 bytes of printable ASCII (`!`–`~`) is replaced by its SHA-256:
    ///   `scheme:id-sha256:<64 hex>`, so a key is never longer than the scheme id + 75 bytes.
    /// - `scheme:sig:<32 hex>` otherwise, from [`signature_fingerprint`](Self::signature_fingerprint):
    ///   GitHub, Shopify and Certifylize (their delivery-id headers are not signed), Chaindoc,
    ///   Easycart, Slack, custom schemes without `{id}`. It depends only on the signed content,
    ///   so a retry of the same delivery (same signed bytes) has the same key, whatever id
    ///   header or extra signatures the request carries.
    ///
    /// ```
    /// use hooksig::{SignOptions, Verifier};
    /// let v = Verifier::new("github", ["s"]).unwrap();
    /// let h = v.sign(b"{}", &SignOptions { id: Some("d-1"), ..SignOptions::default() }).unwrap();
    /// let ok = v.verify_at(&h, b"{}", 0).unwrap();
    /// assert_eq!(ok.id.as_deref(), Some("d-1")); // reported, but not signed:
    /// assert_eq!(ok.dedupe_key(), "github:sig:143ca8d517ba1b181025d732b1cf275d");
    /// let edited = [(h[0].0.as_str(), h[0].1.as_str()), ("X-GitHub-Delivery", "d-2")];
    /// assert_eq!(v.verify_at(&edited, b"{}", 0).unwrap().dedupe_key(), ok.dedupe_key());
    /// ```
    pub fn dedupe_key(&self) -> String {
        dedupe_key(
            self.scheme,
            self.id.as_deref(),
            self.id_signed,
            &self.signature_fingerprint,
        )
    }
}

/// Constant-time equality of two MACs, eight bytes at a time: `subtle`'s `u64` comparison
/// behind one optimisation barrier per word instead of one per byte (a quarter of a 64-byte
/// verification went to per-byte barriers in the profile). Lengths are public.
fn ct_eq_words(a: &[u8], b: &[u8]) -> Choice {
    if a.len() != b.len() {
        return Choice::from(0);
    }
    let mut equal = Choice::from(1);
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let rest = a_words.remainder().ct_eq(b_words.remainder());
    for (x, y) in a_words.zip(b_words) {
        let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
        equal &= word(x).ct_eq(&word(y));
    }
    equal & rest
}

/// [`Verified::dedupe_key`] from its parts, for bindings that keep a verified result in their
/// own types. `id` is used only when `id_signed` (and is not empty); otherwise the key is built
/// from `signature_fingerprint`.
///
/// ```
/// let fp = [0xab; 16];
/// assert_eq!(hooksig::dedupe_key("svix", Some("msg_1"), true, &fp), "svix:id:msg_1");
/// assert_eq!(hooksig::dedupe_key("github", Some("d-1"), false, &fp), format!("github:sig:{}", "ab".repeat(16)));
/// let long = "x".repeat(65);
/// assert!(hooksig::dedupe_key("svix", Some(&long), true, &fp).starts_with("svix:id-sha256:"));
/// ```
pub fn dedupe_key(
    scheme: &str,
    id: Option<&str>,
    id_signed: bool,
    signature_fingerprint: &[u8; 16],
) -> String {
    let mut key = String::with_capacity(scheme.len() + DEDUPE_KEY_EXTRA);
    dedupe_key_into(&mut key, scheme, id, id_signed, signature_fingerprint);
    key
}

/// The most bytes [`dedupe_key`] adds to the scheme id (`:id-sha256:` and 64 hex digits).
pub const DEDUPE_KEY_EXTRA: usize = 11 + 64;

/// [`dedupe_key`] appended to `out`, without formatting machinery or an intermediate string
/// (the C API writes the key into its result's one buffer).
///
/// ```
/// let mut out = String::from("key=");
/// hooksig::dedupe_key_into(&mut out, "svix", Some("msg_1"), true, &[0; 16]);
/// assert_eq!(out, "key=svix:id:msg_1");
/// ```
pub fn dedupe_key_into(
    out: &mut String,
    scheme: &str,
    id: Option<&str>,
    id_signed: bool,
    signature_fingerprint: &[u8; 16],
) {
    out.push_str(scheme);
    let mut digits = [0u8; 64];
    let mut hex = |bytes: &[u8]| {
        let n = 2 * bytes.len();
        // The buffer is sized for SHA-256; a size mismatch is impossible here.
        let _ = hex::encode_to_slice(bytes, &mut digits[..n]);
        n
    };
    let n = match id.filter(|id| id_signed && !id.is_empty()) {
        Some(id) if is_plain_id(id) => {
            out.push_str(":id:");
            out.push_str(id);
            return;
        }
        Some(id) => {
            out.push_str(":id-sha256:");
            hex(&Sha256::digest(id))
        }
        None => {
            out.push_str(":sig:");
            hex(signature_fingerprint)
        }
    };
    // Hex digits are ASCII.
    out.push_str(std::str::from_utf8(&digits[..n]).unwrap_or_default());
}

/// The longest id used verbatim in a dedupe key.
const MAX_PLAIN_ID_LEN: usize = 64;

/// 1–64 bytes of printable ASCII without spaces: safe to embed in a key as it is.
fn is_plain_id(id: &str) -> bool {
    (1..=MAX_PLAIN_ID_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic())
}

/// Verifies webhooks of one scheme against one or more secrets, in constant time.
///
/// Thread-safe (`Send + Sync`): build it once at start-up and share it.
///
/// ```
/// use hooksig::{Verifier, SignOptions, ErrorCode};
/// let now = 1_767_225_600;
/// let headers = hooksig::sign("algoguard", b"whsec_demo", b"{\"id\":\"evt_1\"}", &SignOptions::at(now)).unwrap();
/// let v = Verifier::new("algoguard", ["whsec_old", "whsec_demo"]).unwrap();
/// let ok = v.verify_at(&headers, b"{\"id\":\"evt_1\"}", now).unwrap();
/// assert_eq!((ok.key_index, ok.id.as_deref()), (1, Some("evt_1")));
/// let err = v.verify_at(&headers, b"{\"id\":\"evt_2\"}", now).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::SignatureMismatch);
/// ```
#[derive(Clone)]
pub struct Verifier {
    scheme: Scheme,
    keys: Vec<Key>,
    tolerance: Tolerance,
    json_fallback: bool,
    json_fallback_max_bytes: usize,
    /// The verifiers of a composite ([`Verifier::any_of`]); empty for a single-scheme one.
    /// Shared, not copied: a composite holds no key of its own.
    members: Vec<Arc<Verifier>>,
}

/// The scheme id a composite verifier ([`Verifier::any_of`]) reports from
/// [`Verifier::scheme`]. A verification never reports it: [`Verified::scheme`] names the
/// configured scheme that matched.
pub const ANY_OF_SCHEME_ID: &str = "any";

/// The most verifiers one [`Verifier::any_of`] composite holds (a request costs at most one
/// verification per configured verifier).
pub const MAX_ANY_OF: usize = 16;

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("scheme", &self.scheme.id())
            .field("secrets", &format_args!("<{} redacted>", self.keys.len()))
            .field("tolerance", &self.tolerance)
            .field("json_fallback", &self.json_fallback)
            .field("json_fallback_max_bytes", &self.json_fallback_max_bytes)
            .field("members", &self.members)
            .finish()
    }
}

/// Options for [`Verifier::builder`].
pub struct VerifierBuilder {
    scheme: Scheme,
    secrets: Vec<Zeroizing<Vec<u8>>>,
    format: SecretFormat,
    /// `None`: the scheme's [`default_tolerance`](Scheme::default_tolerance).
    tolerance: Option<Result<Tolerance>>,
    json_fallback: Option<bool>,
    json_fallback_max_bytes: usize,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.scheme.id())
            .field(
                "secrets",
                &format_args!("<{} redacted>", self.secrets.len()),
            )
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    /// Adds a secret (call again, or use [`secrets`](Self::secrets), for rotation).
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.secrets.push(Zeroizing::new(secret.as_ref().to_vec()));
        self
    }

    /// Adds several secrets; any of them may match.
    pub fn secrets<S: AsRef<[u8]>>(mut self, secrets: impl IntoIterator<Item = S>) -> Self {
        for s in secrets {
            self = self.secret(s);
        }
        self
    }

    /// How the secrets are decoded (default [`SecretFormat::Auto`]).
    pub fn secret_format(mut self, format: SecretFormat) -> Self {
        self.format = format;
        self
    }

    /// The same tolerance into the past and the future, in seconds (default: the scheme's
    /// [`default_tolerance`](Scheme::default_tolerance): 300, or 600 for `twitch` and `box`, 60
    /// for `linear`, 180 for `workos`; negative is `invalid_config`).
    pub fn tolerance(mut self, secs: i64) -> Self {
        self.tolerance = Some(Tolerance::from_secs(secs));
        self
    }

    /// Separate bounds into the past and the future.
    pub fn tolerance_window(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = Some(Ok(tolerance));
        self
    }

    /// Back to the scheme's [`default_tolerance`](Scheme::default_tolerance), as if no
    /// tolerance had been set (bindings map their "not given" to this).
    pub fn scheme_default_tolerance(mut self) -> Self {
        self.tolerance = None;
        self
    }

    /// Overrides the scheme's JSON fallback (on by default for `chaindoc` only).
    pub fn json_fallback(mut self, on: bool) -> Self {
        self.json_fallback = Some(on);
        self
    }

    /// The default of [`json_fallback_max_bytes`](Self::json_fallback_max_bytes): 1 MiB.
    ///
    /// Chaindoc events carry a document's metadata (ids, status, signers), a few KiB; 1 MiB
    /// leaves two orders of magnitude of headroom while bounding what one forged request can
    /// make the fallback do (a re-serialization pass and a second MAC over at most 1 MiB).
    pub const DEFAULT_JSON_FALLBACK_MAX_BYTES: usize = 1 << 20;

    /// Bodies longer than this many bytes skip the JSON fallback: only the raw body is
    /// verified (default [`DEFAULT_JSON_FALLBACK_MAX_BYTES`](Self::DEFAULT_JSON_FALLBACK_MAX_BYTES)).
    /// The fallback re-serializes the body on every wrong-signature request, so the cap bounds
    /// what a forged request costs; `usize::MAX` removes it. Under the cap, the fallback's work
    /// budget bounds the cost relative to the body: over 16 KiB, a re-serialization that differs
    /// from the body is checked only when that costs at most two HMACs of the body (SCHEMES.md,
    /// rule 5), so a large body re-serialized into compact JSON is refused; its raw bytes, as
    /// the sender signed them, verify.
    pub fn json_fallback_max_bytes(mut self, max: usize) -> Self {
        self.json_fallback_max_bytes = max;
        self
    }

    /// Validates everything and precomputes the key states.
    pub fn build(self) -> Result<Verifier> {
        let tolerance = match self.tolerance {
            Some(t) => t?,
            None => self.scheme.default_tolerance(),
        };
        if self.secrets.is_empty() {
            return Err(Error::config(
                ErrorCode::InvalidSecret,
                "no secret was given: pass at least one",
            ));
        }
        let keys = self
            .secrets
            .iter()
            .enumerate()
            .map(|(i, s)| parse_key(s, self.format, &self.scheme, i))
            .collect::<Result<Vec<_>>>()?;
        let json_fallback = self.json_fallback.unwrap_or(self.scheme.json_fallback);
        Ok(Verifier {
            scheme: self.scheme,
            keys,
            tolerance,
            json_fallback,
            json_fallback_max_bytes: self.json_fallback_max_bytes,
            members: Vec::new(),
        })
    }
}

impl Verifier {
    /// A verifier for a built-in scheme with default options.
    pub fn new<S: AsRef<[u8]>>(
        scheme: &str,
        secrets: impl IntoIterator<Item = S>,
    ) -> Result<Verifier> {
        Verifier::builder(Scheme::named(scheme)?)
            .secrets(secrets)
            .build()
    }

    /// Starts a verifier with options.
    pub fn builder(scheme: Scheme) -> VerifierBuilder {
        VerifierBuilder {
            scheme,
            secrets: Vec::new(),
            format: SecretFormat::Auto,
            tolerance: None,
            json_fallback: None,
            json_fallback_max_bytes: VerifierBuilder::DEFAULT_JSON_FALLBACK_MAX_BYTES,
        }
    }

    /// The scheme. For a composite ([`Verifier::any_of`]), a placeholder whose id is
    /// [`ANY_OF_SCHEME_ID`] (`"any"`) and which names no header: use
    /// [`header_names`](Self::header_names) and [`members`](Self::members) instead.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The tolerance window. For a composite, the widest of its verifiers' windows in each
    /// direction (`None`, no bound, if any of them has none); each verifier still applies its
    /// own.
    pub fn tolerance(&self) -> Tolerance {
        self.tolerance
    }

    /// Number of configured secrets (for a composite, the total over its verifiers).
    pub fn secret_count(&self) -> usize {
        if self.is_any_of() {
            return self.members.iter().map(|m| m.secret_count()).sum();
        }
        self.keys.len()
    }

    /// Every header name this verifier may read (canonical spelling): its scheme's
    /// [`Scheme::header_names`], or for a composite the union of its verifiers' (first
    /// spelling kept, compared case-insensitively). Bindings pass only these across their
    /// language boundary.
    ///
    /// ```
    /// use hooksig::Verifier;
    /// let any = Verifier::any_of([
    ///     Verifier::new("stripe", ["whsec_a"]).unwrap(),
    ///     Verifier::new("github", ["b"]).unwrap(),
    /// ]).unwrap();
    /// assert_eq!(any.header_names(), ["Stripe-Signature", "X-Hub-Signature-256", "X-GitHub-Delivery", "X-GitHub-Event"]);
    /// ```
    pub fn header_names(&self) -> Vec<&str> {
        if !self.is_any_of() {
            return self.scheme.header_names();
        }
        let mut names: Vec<&str> = Vec::new();
        for name in self.members.iter().flat_map(|m| m.scheme.header_names()) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name);
            }
        }
        names
    }

    /// Whether this is a composite built by [`Verifier::any_of`].
    pub fn is_any_of(&self) -> bool {
        !self.members.is_empty()
    }

    /// The verifiers of a composite, in configured order (empty for a single-scheme verifier).
    pub fn members(&self) -> &[Arc<Verifier>] {
        &self.members
    }

    /// One verifier over several configured ones (a multi-vendor endpoint): each request is
    /// verified by the verifiers whose signature header it carries, and
    /// [`Verified::scheme`] names the scheme that matched (so do the dedupe key and the
    /// receivers' handshake answers).
    ///
    /// Selection, for each request:
    /// - the candidates are the verifiers whose signature header (including a scheme's further
    ///   signature headers and its header fallback, Svix's `webhook-*`) is present and not
    ///   empty, in configured order;
    /// - no candidate: `missing_signature` naming the first configured verifier's signature
    ///   header, the message listing every header looked for;
    /// - one candidate: its answer, success or error, unchanged;
    /// - several (schemes sharing headers: `svix`, `clerk` and `resend` send `svix-*`;
    ///   `standard-webhooks`, `replicate` and `polar` send `webhook-*`): tried in
    ///   order, the first success wins; if all fail, the first candidate's error.
    ///
    /// A request costs at most one verification per configured verifier. Refused with
    /// `invalid_config`: no verifier, more than [`MAX_ANY_OF`] (16), a composite among them,
    /// or two with the same scheme id (the id must say which one matched: give one verifier
    /// both secrets instead).
    ///
    /// Takes `Verifier`s or `Arc<Verifier>`s; the keys are shared, not copied. The composite's
    /// own [`scheme`](Self::scheme) is a placeholder with id `"any"`, and it does not
    /// [`sign`](Self::sign) (`invalid_config`: sign with one of its verifiers).
    ///
    /// ```
    /// use hooksig::{ErrorCode, SignOptions, Verifier};
    /// let now = 1_767_225_600;
    /// let stripe = Verifier::new("stripe", ["whsec_stripe"]).unwrap();
    /// let github = Verifier::new("github", ["gh_secret"]).unwrap();
    /// let h_stripe = stripe.sign(br#"{"id":"evt_1"}"#, &SignOptions::at(now)).unwrap();
    /// let h_github = github.sign(b"{}", &SignOptions::at(now)).unwrap();
    ///
    /// let any = Verifier::any_of([stripe, github]).unwrap();
    /// assert_eq!(any.verify_at(&h_stripe, br#"{"id":"evt_1"}"#, now).unwrap().scheme, "stripe");
    /// assert_eq!(any.verify_at(&h_github, b"{}", now).unwrap().scheme, "github");
    /// let err = any.verify_at(&h_github, b"{ }", now).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::SignatureMismatch); // GitHub's own error
    /// let none: [(&str, &str); 0] = [];
    /// assert_eq!(any.verify_at(&none, b"{}", now).unwrap_err().code(), ErrorCode::MissingSignature);
    /// ```
    pub fn any_of<V: Into<Arc<Verifier>>>(
        verifiers: impl IntoIterator<Item = V>,
    ) -> Result<Verifier> {
        let refuse = |message: String| Error::config(ErrorCode::InvalidConfig, message);
        let mut members: Vec<Arc<Verifier>> = Vec::new();
        for v in verifiers {
            if members.len() == MAX_ANY_OF {
                return Err(refuse(format!(
                    "any_of takes at most {MAX_ANY_OF} verifiers (each request may cost one \
                     verification per verifier)"
                )));
            }
            let v: Arc<Verifier> = v.into();
            let position = members.len() + 1;
            if v.is_any_of() {
                return Err(refuse(format!(
                    "verifier {position} of any_of is itself an any_of composite: list its \
                     verifiers instead"
                )));
            }
            if let Some(i) = members.iter().position(|m| m.scheme.id() == v.scheme.id()) {
                return Err(refuse(format!(
                    "verifiers {} and {position} of any_of have the same scheme id, so a \
                     verification could not say which matched: give one verifier both secrets",
                    i + 1
                )));
            }
            members.push(v);
        }
        if members.is_empty() {
            return Err(refuse(
                "any_of was given no verifier: pass at least one".to_owned(),
            ));
        }
        let widest = |bound: fn(&Tolerance) -> Option<u64>| {
            members
                .iter()
                .map(|m| bound(&m.tolerance))
                .try_fold(0u64, |acc, b| b.map(|b| acc.max(b)))
        };
        let tolerance = Tolerance {
            past: widest(|t| t.past),
            future: widest(|t| t.future),
        };
        Ok(Verifier {
            scheme: Scheme::any_of_placeholder(),
            keys: Vec::new(),
            tolerance,
            json_fallback: false,
            json_fallback_max_bytes: 0,
            members,
        })
    }

    /// The verifier whose answer `verified` is: the member of a composite whose scheme id it
    /// names, or `self` (receivers use its scheme and keys for the handshakes).
    pub(crate) fn matched(&self, verified: &Verified<'_>) -> &Verifier {
        self.members
            .iter()
            .find(|m| m.scheme.id() == verified.scheme)
            .map_or(self, |m| m)
    }

    /// The names of the signature headers this (single-scheme) verifier reads: the main one,
    /// the further ones, and those of its header fallback.
    fn signature_header_names(&self) -> impl Iterator<Item = &str> {
        fn own(s: &Scheme) -> impl Iterator<Item = &str> {
            std::iter::once(s.signature_header()).chain(s.more_signature_headers.iter().copied())
        }
        own(&self.scheme).chain(
            self.scheme
                .header_fallback
                .and_then(Scheme::builtin)
                .into_iter()
                .flat_map(own),
        )
    }

    /// Whether a request carries one of this verifier's signature headers, non-empty.
    fn signature_present<H: Headers + ?Sized>(&self, headers: &H) -> bool {
        self.signature_header_names().any(|name| {
            let mut any = false;
            headers.for_each_value(name, &mut |v| any |= !trim(v).is_empty());
            any
        })
    }

    /// [`Verifier::verify_at`] of a composite: the selection rules of [`Verifier::any_of`].
    fn verify_any_of_at<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &H,
        body: &'a [u8],
        request: Option<RequestLine<'_>>,
        now: i64,
    ) -> Result<Verified<'a>> {
        let mut first_error: Option<Error> = None;
        for member in &self.members {
            if !member.signature_present(headers) {
                continue;
            }
            match member.verify_request_at(headers, body, request, now) {
                Ok(verified) => return Ok(verified),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| {
            let mut looked_for: Vec<&str> = Vec::new();
            for name in self.members.iter().flat_map(|m| m.signature_header_names()) {
                if !looked_for.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    looked_for.push(name);
                }
            }
            let first = looked_for.first().copied();
            Error::new(
                ErrorCode::MissingSignature,
                first,
                format!(
                    "none of the signature headers this endpoint accepts is present and \
                     non-empty (looked for: {})",
                    looked_for.join(", ")
                ),
            )
        }))
    }

    /// Whether any secret is an ed25519 key (`whpk_`/`whsk_`). A `v1a` signature then costs a
    /// signature verification (tens of µs, hashing the whole body) per key and entry, whatever
    /// the body size: bindings use this to release their interpreter lock around `verify`.
    pub fn has_ed25519_keys(&self) -> bool {
        self.members.iter().any(|m| m.has_ed25519_keys())
            || self
                .keys
                .iter()
                .any(|k| matches!(k, Key::Ed25519Public(_) | Key::Ed25519Secret(_)))
    }

    /// Whether any key is a public-key one (ed25519 or ECDSA P-256: `whpk_`/`whsk_`, `discord`,
    /// `sendgrid`). Each then costs a signature verification (tens to a hundred µs) per key:
    /// bindings use this to release their interpreter lock around `verify`.
    pub fn has_public_keys(&self) -> bool {
        self.members.iter().any(|m| m.has_public_keys()) || self.keys.iter().any(Key::is_public_key)
    }

    /// Whether verification needs the request line (`twilio`, `square`, `hubspot`, custom
    /// `{method}`/`{url}` templates, or an [`Verifier::any_of`] holding one): integrations use
    /// it to build the request's URL only when it is signed.
    ///
    /// ```
    /// use hooksig::Verifier;
    /// assert!(Verifier::new("twilio", ["token"]).unwrap().signs_request_line());
    /// assert!(!Verifier::new("stripe", ["whsec_x"]).unwrap().signs_request_line());
    /// ```
    pub fn signs_request_line(&self) -> bool {
        self.members.iter().any(|m| m.signs_request_line()) || self.scheme.signs_request_line()
    }

    pub(crate) fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// Verifies against the system clock.
    pub fn verify<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>> {
        self.verify_at(headers, body, timestamp::unix_now())
    }

    /// Verifies with an explicit clock (`now` in Unix seconds).
    pub fn verify_at<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &H,
        body: &'a [u8],
        now: i64,
    ) -> Result<Verified<'a>> {
        self.verify_request_at(headers, body, None, now)
    }

    /// Verifies a request whose signature may cover its method and URL (`twilio`, `square`,
    /// `hubspot`, custom templates with `{method}`/`{url}`), against the system clock. Other
    /// schemes ignore `request`; these refuse its absence with `invalid_argument`.
    ///
    /// ```
    /// use hooksig::{RequestLine, SignOptions, Verifier};
    /// let url = "https://example.com/hooks/square";
    /// let body = br#"{"event_id":"e1","type":"payment.created"}"#;
    /// let opts = SignOptions { url: Some(url), ..SignOptions::default() };
    /// let headers = hooksig::sign("square", b"sig-key", body, &opts).unwrap();
    /// let v = Verifier::new("square", ["sig-key"]).unwrap();
    /// assert!(v.verify_request(&headers, body, Some(RequestLine::post(url))).is_ok());
    /// let other = RequestLine::post("https://example.com/elsewhere");
    /// assert!(v.verify_request(&headers, body, Some(other)).is_err());
    /// assert_eq!(v.verify(&headers, body).unwrap_err().code().as_str(), "invalid_argument");
    /// ```
    pub fn verify_request<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &H,
        body: &'a [u8],
        request: Option<RequestLine<'_>>,
    ) -> Result<Verified<'a>> {
        self.verify_request_at(headers, body, request, timestamp::unix_now())
    }

    /// [`Verifier::verify_request`] with an explicit clock (`now` in Unix seconds).
    pub fn verify_request_at<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &H,
        body: &'a [u8],
        request: Option<RequestLine<'_>>,
        now: i64,
    ) -> Result<Verified<'a>> {
        if self.is_any_of() {
            return self.verify_any_of_at(headers, body, request, now);
        }
        let scheme = self.effective_scheme(headers);
        let sig_header = scheme.signature_header();

        let mut values: SmallVec<[&[u8]; 2]> = SmallVec::new();
        for name in [sig_header]
            .into_iter()
            .chain(scheme.more_signature_headers.iter().copied())
        {
            headers.for_each_value(name, &mut |v| {
                let v = trim(v);
                if !v.is_empty() {
                    values.push(v);
                }
            });
        }
        if values.is_empty() {
            return Err(Error::new(
                ErrorCode::MissingSignature,
                Some(sig_header),
                format!("the {sig_header} header is missing or empty"),
            ));
        }
        let (kind, len) = match scheme.public_key {
            None => (Kind::Mac, scheme.algorithm.mac_len()),
            Some(PublicKeyAlgorithm::Ed25519) => (Kind::Ed25519, 64),
            Some(PublicKeyAlgorithm::EcdsaP256Sha256) => (Kind::EcdsaP256, 64),
        };
        let mut parsed = signature::parse(&scheme.format, &values, kind, len);
        if let Some(name) = scheme.overflow_signature_header {
            // DocuSign numbers one header per active key; past the bound the request is refused
            // like any other over-long signature list.
            headers.for_each_value(name, &mut |v| parsed.too_many |= !trim(v).is_empty());
        }

        let ts_text = self.read_timestamp(scheme, headers, &parsed.timestamp)?;
        let ts = match ts_text {
            Some(text) => Some(
                scheme
                    .timestamp_format
                    .parse(text)
                    .ok_or_else(|| Self::malformed_timestamp(scheme))?,
            ),
            None => None,
        };

        let header_id = match &scheme.message_id {
            FieldSource::Header(name) => first_value(headers, name),
            FieldSource::None | FieldSource::BodyField(_) => None,
        };
        if scheme.id_required && header_id.is_none() {
            let name = scheme.id_header().unwrap_or_default();
            return Err(Error::new(
                ErrorCode::MissingId,
                Some(name),
                format!("the {name} header is missing or empty"),
            ));
        }

        if parsed.too_many {
            return Err(Error::new(
                ErrorCode::MalformedSignature,
                Some(sig_header),
                format!(
                    "the {sig_header} header holds more than {} signatures (or more than {} \
                     ed25519 ones, or more than {} ECDSA one); a sender signs once per active \
                     secret, so the request was refused unread (each signature costs a \
                     verification)",
                    signature::MAX_SIGNATURE_ENTRIES,
                    signature::MAX_ED25519_ENTRIES,
                    signature::MAX_ECDSA_ENTRIES
                ),
            ));
        }
        if parsed.candidates.is_empty() {
            return Err(Error::new(
                ErrorCode::MalformedSignature,
                Some(sig_header),
                format!(
                    "the {sig_header} header holds no signature of the expected form ({})",
                    Self::expected_form(scheme)
                ),
            ));
        }

        let prepared = request_line::prepare(scheme, request, body, false)?;
        let mut content = SignedContent {
            template: &scheme.template,
            id: header_id.unwrap_or_default(),
            timestamp: ts_text.unwrap_or_default(),
            body,
            body_tail: b"",
            request: SignedRequest {
                method: prepared.method.as_bytes(),
                url: b"",
                form: &prepared.form,
            },
        };
        let mut payload = Cow::Borrowed(body);
        let mut matched = None;
        // Twilio's two URL forms are each tried (which one matched is public); every other
        // scheme has one form, or none when it signs no URL.
        for url in prepared.urls.iter().flatten() {
            content.request.url = url.as_bytes();
            matched = self.find_key(&content, &parsed.candidates);
            if matched.is_some() {
                break;
            }
        }
        if prepared.urls[0].is_none() {
            matched = self.find_key(&content, &parsed.candidates);
        }
        // The fallback costs one streaming pass over the body (see `js_json`), and a second
        // MAC only when the re-serialized bytes differ from the body and that MAC fits the
        // pass's allowance (`js_json::budget::second_mac_fits`); bodies over the cap skip it.
        if matched.is_none() && self.json_fallback && body.len() <= self.json_fallback_max_bytes {
            if let Some(Restrung::Changed(alt)) = js_json::restringify_bounded(body) {
                (content.body, content.body_tail) = (&alt.head, alt.tail);
                matched = self.find_key(&content, &parsed.candidates);
                if matched.is_some() {
                    payload = Cow::Owned(alt.into_vec());
                }
            }
        }
        let Some((key_index, signature_fingerprint)) = matched else {
            return Err(Error::new(
                ErrorCode::SignatureMismatch,
                Some(sig_header),
                format!(
                    "the {sig_header} signature does not match any configured secret; usual \
                     causes: the body was parsed and re-serialized instead of verifying the raw \
                     request bytes, the wrong secret (or one with stray whitespace), or a body \
                     altered in transit"
                ),
            ));
        };

        // A body-field timestamp (Linear) is read from the authenticated payload, so its errors
        // come after the signature's: a forged body is a mismatch whatever its timestamp says.
        let ts = match &scheme.timestamp {
            TimestampSource::BodyField(name) => Some(Self::body_timestamp(scheme, name, &payload)?),
            _ => ts,
        };
        if let Some(ts) = ts {
            self.tolerance.check(
                ts,
                now,
                scheme.timestamp_error_header(),
                &scheme.timestamp_origin(),
            )?;
        }

        let [id, event_type] = Self::read_fields(scheme, headers, header_id, &payload);
        Ok(Verified {
            scheme: self.scheme.id(),
            timestamp: ts,
            id,
            event_type,
            key_index,
            payload,
            id_signed: scheme.id_is_signed(),
            signature_fingerprint,
        })
    }

    /// The scheme whose header names apply to this request: Svix receivers also get Standard
    /// Webhooks' unbranded `webhook-*` headers (Svix's own libraries accept both), so when our
    /// signature header is absent and the fallback's is present, the fallback's names are used.
    fn effective_scheme<H: Headers + ?Sized>(&self, headers: &H) -> &Scheme {
        let present = |name: &str| {
            let mut any = false;
            headers.for_each_value(name, &mut |v| any |= !trim(v).is_empty());
            any
        };
        match self.scheme.header_fallback.and_then(Scheme::builtin) {
            Some(fallback)
                if !present(self.scheme.signature_header())
                    && present(fallback.signature_header()) =>
            {
                fallback
            }
            _ => &self.scheme,
        }
    }

    /// The timestamp in a top-level JSON number field of the authenticated payload: absent or
    /// `null` → `missing_timestamp`, anything but an integer of digits → `malformed_timestamp`.
    fn body_timestamp(scheme: &Scheme, name: &str, payload: &[u8]) -> Result<i64> {
        match body_fields::number_field(payload, name) {
            body_fields::NumberField::Absent => Err(Error::new(
                ErrorCode::MissingTimestamp,
                None,
                format!("the body has no top-level {name} field"),
            )),
            body_fields::NumberField::Number(text) => scheme
                .timestamp_format
                .parse(text)
                .ok_or_else(|| Self::malformed_timestamp(scheme)),
            body_fields::NumberField::NotNumber => Err(Self::malformed_timestamp(scheme)),
        }
    }

    /// Finds the timestamp text (not yet parsed), applying the missing/conflict rules.
    fn read_timestamp<'h, H: Headers + ?Sized>(
        &self,
        scheme: &Scheme,
        headers: &'h H,
        embedded: &EmbeddedTimestamp<'h>,
    ) -> Result<Option<&'h [u8]>> {
        let name = scheme.timestamp_origin();
        let missing = || {
            Error::new(
                ErrorCode::MissingTimestamp,
                scheme.timestamp_error_header(),
                match scheme.timestamp {
                    TimestampSource::InSignature => {
                        format!("the {name} header carries no timestamp")
                    }
                    _ => format!("the {name} header is missing or empty"),
                },
            )
        };
        match &scheme.timestamp {
            // Read after the signature matched (see `body_timestamp`).
            TimestampSource::None | TimestampSource::BodyField(_) => Ok(None),
            TimestampSource::InSignature => match embedded {
                EmbeddedTimestamp::Absent => Err(missing()),
                // `t=` with nothing after it is present but not a number.
                EmbeddedTimestamp::Present([]) => Err(Self::malformed_timestamp(scheme)),
                EmbeddedTimestamp::Present(t) => Ok(Some(t)),
                EmbeddedTimestamp::Conflicting => Err(Self::malformed_timestamp(scheme)),
            },
            TimestampSource::Header(header) => {
                let mut seen: Option<&[u8]> = None;
                let mut conflict = false;
                headers.for_each_value(header, &mut |v| {
                    for part in split(v, b',').map(trim).filter(|p| !p.is_empty()) {
                        match seen {
                            None => seen = Some(part),
                            Some(s) if s == part => {}
                            Some(_) => conflict = true,
                        }
                    }
                });
                match (seen, conflict) {
                    (_, true) => Err(Self::malformed_timestamp(scheme)),
                    (None, false) => Err(missing()),
                    (Some(t), false) => Ok(Some(t)),
                }
            }
        }
    }

    fn malformed_timestamp(scheme: &Scheme) -> Error {
        let name = scheme.timestamp_origin();
        Error::new(
            ErrorCode::MalformedTimestamp,
            scheme.timestamp_error_header(),
            format!(
                "the timestamp in {name} is not {}",
                scheme.timestamp_format.describe()
            ),
        )
    }

    fn expected_form(scheme: &Scheme) -> &'static str {
        match scheme.public_key {
            Some(PublicKeyAlgorithm::Ed25519) => return "one ed25519 signature as 128 hex digits",
            Some(PublicKeyAlgorithm::EcdsaP256Sha256) => {
                return "one base64 DER ECDSA signature";
            }
            None => {}
        }
        match &scheme.format {
            SignatureFormat::Plain { prefix, encoding } => match (prefix.is_some(), encoding) {
                (true, crate::Encoding::Hex) => "prefix then hex digits",
                (true, crate::Encoding::Base64) => "prefix then base64",
                (false, crate::Encoding::Hex) => "hex digits",
                (false, crate::Encoding::Base64) => "base64",
            },
            SignatureFormat::KeyValueList { .. } => "a timestamp item and hex signature items",
            SignatureFormat::VersionedList => "space-separated `v1,<base64>` entries",
        }
    }

    /// Compares every candidate with the MAC of every key, without exiting early; returns the
    /// index of the first key that matched and the content's fingerprint (see
    /// [`Verified::signature_fingerprint`]). Only public facts (how many candidates and keys,
    /// their kinds and lengths) steer the loops.
    fn find_key(
        &self,
        content: &SignedContent<'_>,
        candidates: &Candidates,
    ) -> Option<(usize, [u8; 16])> {
        let mut found = Choice::from(0);
        let mut key_index = 0u64;
        let mut message: Option<Vec<u8>> = None;
        let mut first_mac: Option<[u8; 16]> = None;
        for (i, key) in self.keys.iter().enumerate() {
            let expected = match key {
                Key::Hmac(mac) => Some(mac.compute(content)),
                _ => None,
            };
            if let (None, Some(mac)) = (first_mac, &expected) {
                let mut fp = [0u8; 16];
                fp.copy_from_slice(&mac.as_slice()[..16]);
                first_mac = Some(fp);
            }
            let verifying = key.verifying_key();
            let ecdsa = key.ecdsa_verifying_key();
            let mut hit = Choice::from(0);
            for c in candidates.iter() {
                let this = match (&expected, c.kind) {
                    (Some(mac), Kind::Mac) => ct_eq_words(c.as_slice(), mac.as_slice()),
                    (None, Kind::Ed25519) => {
                        let (Some(vk), Ok(sig)) = (verifying, Signature::from_slice(c.as_slice()))
                        else {
                            continue;
                        };
                        let msg = message.get_or_insert_with(|| content.to_vec());
                        Choice::from(u8::from(vk.verify_strict(msg, &sig).is_ok()))
                    }
                    (None, Kind::EcdsaP256) => {
                        let (Some(vk), Ok(sig)) =
                            (ecdsa, p256::ecdsa::Signature::from_slice(c.as_slice()))
                        else {
                            continue;
                        };
                        let msg = message.get_or_insert_with(|| content.to_vec());
                        // High-S signatures are accepted: SendGrid's signer does not normalise
                        // them, and the dedupe key never depends on the signature's bytes.
                        Choice::from(u8::from(
                            p256::ecdsa::signature::Verifier::verify(&vk, msg, &sig).is_ok(),
                        ))
                    }
                    // A key only checks signatures of its own kind (public information).
                    _ => continue,
                };
                hit |= this;
            }
            key_index.conditional_assign(&(i as u64), hit & !found);
            found |= hit;
        }
        if !bool::from(found) {
            return None;
        }
        // Without an HMAC key, the SHA-256 of the signed content: never the signature's bytes,
        // which an attacker can vary for the same content (ECDSA's `s` ↔ `n - s`, a second
        // sender key during a rotation), and which would then make a replay look new.
        let fingerprint = first_mac.unwrap_or_else(|| {
            let mut hash = Sha256::new();
            content.for_each_piece(|piece| hash.update(piece));
            let mut fp = [0u8; 16];
            fp.copy_from_slice(&hash.finalize()[..16]);
            fp
        });
        Some((key_index as usize, fingerprint))
    }

    fn read_fields<'a, H: Headers + ?Sized>(
        scheme: &'a Scheme,
        headers: &H,
        header_id: Option<&[u8]>,
        payload: &[u8],
    ) -> [Option<String>; 2] {
        let body_key = |source: &'a FieldSource| match source {
            FieldSource::BodyField(k) => Some(k.as_ref()),
            FieldSource::None | FieldSource::Header(_) => None,
        };
        let [body_id, body_event] = body_fields::extract(
            payload,
            [body_key(&scheme.message_id), body_key(&scheme.event_type)],
        );
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let id = header_id.map(text).or(body_id);
        let event = match &scheme.event_type {
            FieldSource::Header(name) => first_value(headers, name).map(text),
            FieldSource::None | FieldSource::BodyField(_) => body_event,
        };
        [id, event]
    }
}
