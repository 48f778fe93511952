//! `hooksig_verified`: the result of a successful `hooksig_verify`.

use crate::prelude::*;

use hooksig::Verified;

/// The result of a successful `hooksig_verify`: owned copies of the scheme id, timestamp,
/// message id, event type, matching key index and authenticated payload (its accessors never
/// point into the request body you passed).
pub struct hooksig_verified {
    /// Every text field, each followed by a NUL, in one allocation (one per field cost five more
    /// per small request: issue 19). A `Vec`: boxing would `realloc` the over-estimate.
    text: Vec<u8>,
    scheme: Span,
    timestamp: Option<i64>,
    id: Option<Span>,
    event_type: Option<Span>,
    key_index: usize,
    payload: Span,
    dedupe_key: Span,
}

/// Where one field lies in `hooksig_verified::text`: start and length (its NUL follows).
#[derive(Clone, Copy)]
struct Span(usize, usize);

/// Appends `text` and a NUL to `out`; returns where `text` lies.
fn push_str(out: &mut String, text: &str) -> Span {
    out.push_str(text);
    out.push('\0');
    Span(out.len() - text.len() - 1, text.len())
}

impl From<Verified<'_>> for hooksig_verified {
    fn from(v: Verified<'_>) -> Self {
        let (id, event_type) = (v.id.as_deref(), v.event_type.as_deref());
        // The key is written straight into the buffer, after the other text fields: one
        // allocation for the whole result (the key's own `String` and its formatting were a
        // fifth of the C API's cost over the core at 64 B).
        let mut text = String::with_capacity(
            2 * v.scheme.len()
                + id.map_or(0, str::len)
                + event_type.map_or(0, str::len)
                + hooksig::DEDUPE_KEY_EXTRA
                + v.payload.len()
                + 5,
        );
        let scheme = push_str(&mut text, v.scheme);
        let id = id.map(|s| push_str(&mut text, s));
        let event_type = event_type.map(|s| push_str(&mut text, s));
        let start = text.len();
        hooksig::dedupe_key_into(
            &mut text,
            v.scheme,
            v.id.as_deref(),
            v.id_signed,
            &v.signature_fingerprint,
        );
        let dedupe_key = Span(start, text.len() - start);
        text.push('\0');
        let mut text = text.into_bytes();
        let payload = Span(text.len(), v.payload.len());
        text.extend_from_slice(&v.payload);
        text.push(0);
        hooksig_verified {
            text,
            scheme,
            timestamp: v.timestamp,
            id,
            event_type,
            key_index: v.key_index,
            payload,
            dedupe_key,
        }
    }
}

impl hooksig_verified {
    /// The bytes of one field, without its NUL.
    fn bytes(&self, span: Span) -> &[u8] {
        &self.text[span.0..span.0 + span.1]
    }

    /// The core's view of this verification (what `Receiver::handshake` reads: the scheme,
    /// the payload and the key index; the fingerprint is not kept and is zero).
    pub(crate) fn as_core(&self) -> Verified<'_> {
        let text = |s: Span| String::from_utf8_lossy(self.bytes(s)).into_owned();
        Verified {
            scheme: std::str::from_utf8(self.bytes(self.scheme)).unwrap_or(""),
            timestamp: self.timestamp,
            id: self.id.map(text),
            event_type: self.event_type.map(text),
            key_index: self.key_index,
            payload: std::borrow::Cow::Borrowed(self.bytes(self.payload)),
            id_signed: false,
            signature_fingerprint: [0; 16],
        }
    }

    /// The core's canonical success answer for this delivery (`Receiver::received`).
    pub(crate) fn received(&self) -> hooksig::receive::Answer {
        let v = self.as_core();
        let (id, event_type) = (v.id.as_deref(), v.event_type.as_deref());
        hooksig::receive::Receiver::received_fields(v.scheme, id, event_type)
    }
}

/// The scheme id (for a custom scheme, its own id). NULL if `v` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_scheme(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(v, len_out, |v| Some(v.bytes(v.scheme))) }
}

/// 1 when the scheme carries a signed timestamp (then `hooksig_verified_timestamp` is it), 0
/// when it has none (or `v` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_has_timestamp(v: *const hooksig_verified) -> i32 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(v, 0, |v| i32::from(v.timestamp.is_some())) }
}

/// The signed timestamp in Unix seconds; 0 when there is none (check
/// `hooksig_verified_has_timestamp`) or `v` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_timestamp(v: *const hooksig_verified) -> i64 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(v, 0, |v| v.timestamp.unwrap_or(0)) }
}

/// The message / delivery / event id (UTF-8), or NULL when the scheme or the request has none
/// (or `v` is NULL). Use it to reject replays.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_id(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(v, len_out, |v| Some(v.bytes(v.id?))) }
}

/// The event type (UTF-8), or NULL when the scheme or the request has none (or `v` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_event_type(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(v, len_out, |v| Some(v.bytes(v.event_type?))) }
}

/// The delivery's replay key (ASCII): `"<scheme>:id:<id>"` when the scheme carries a message
/// id, else `"<scheme>:sig:<hex>"` (a fingerprint of the verified signature). Give it to
/// `hooksig_replay_guard_check_and_remember` (or your shared store). NULL if `v` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_dedupe_key(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(v, len_out, |v| Some(v.bytes(v.dedupe_key))) }
}

/// Which secret matched (0-based index into the secrets given to the constructor); 0 if `v`
/// is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_key_index(v: *const hooksig_verified) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(v, 0, |v| v.key_index) }
}

/// The authenticated payload: a copy of the body, or — when a scheme's JSON fallback matched —
/// the re-serialized JSON the sender actually signed. Parse this, not the raw body. The bytes
/// are followed by a NUL that is not counted. NULL only if `v` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_payload(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const u8 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(v, len_out, |v| Some(v.bytes(v.payload))) }.cast()
}

/// Releases a verification result and every string it returned. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_free(v: *mut hooksig_verified) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(v) }
}
