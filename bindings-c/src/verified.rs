//! `hooksig_verified`: the result of a successful `hooksig_verify`.

use std::ffi::c_char;

use hooksig::Verified;

use crate::input;
use crate::panic::ffi_boundary;
use crate::text::CText;

/// The result of a successful `hooksig_verify`: owned copies of the scheme id, timestamp,
/// message id, event type, matching key index and authenticated payload.
///
/// The caller owns it and releases it with `hooksig_verified_free`; every pointer its accessors
/// return stays valid until then (they do not point into the request body you passed). Safe to
/// read from several threads.
pub struct hooksig_verified {
    scheme: CText,
    timestamp: Option<i64>,
    id: Option<CText>,
    event_type: Option<CText>,
    key_index: usize,
    payload: CText,
    dedupe_key: CText,
}

impl From<Verified<'_>> for hooksig_verified {
    fn from(v: Verified<'_>) -> Self {
        hooksig_verified {
            scheme: CText::new(v.scheme.as_bytes()),
            timestamp: v.timestamp,
            id: v.id.as_deref().map(|s| CText::new(s.as_bytes())),
            event_type: v.event_type.as_deref().map(|s| CText::new(s.as_bytes())),
            key_index: v.key_index,
            dedupe_key: CText::new(v.dedupe_key().as_bytes()),
            payload: CText::new(&v.payload),
        }
    }
}

impl hooksig_verified {
    /// The core's view of this verification (what `Receiver::handshake` reads: the scheme,
    /// the payload and the key index; the fingerprint is not kept and is zero).
    pub(crate) fn as_core(&self) -> Verified<'_> {
        let text = |t: &CText| String::from_utf8_lossy(t.bytes()).into_owned();
        Verified {
            scheme: std::str::from_utf8(self.scheme.bytes()).unwrap_or(""),
            timestamp: self.timestamp,
            id: self.id.as_ref().map(text),
            event_type: self.event_type.as_ref().map(text),
            key_index: self.key_index,
            payload: std::borrow::Cow::Borrowed(self.payload.bytes()),
            id_signed: false,
            signature_fingerprint: [0; 16],
        }
    }

    /// The core's canonical success answer for this delivery (`Receiver::received`).
    pub(crate) fn received(&self) -> hooksig::receive::Answer {
        let text = |t: &CText| String::from_utf8_lossy(t.bytes()).into_owned();
        let (id, event_type) = (
            self.id.as_ref().map(text),
            self.event_type.as_ref().map(text),
        );
        hooksig::receive::Receiver::received_fields(
            &text(&self.scheme),
            id.as_deref(),
            event_type.as_deref(),
        )
    }
}

/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
unsafe fn verified<'a>(v: *const hooksig_verified) -> Option<&'a hooksig_verified> {
    // SAFETY: see the function's contract.
    unsafe { v.as_ref() }
}

/// # Safety
/// `text` outlives the returned pointer's use; `len_out` NULL or writable.
unsafe fn give_opt(text: Option<&CText>, len_out: *mut usize) -> *const c_char {
    match text {
        // SAFETY: forwarded.
        Some(t) => unsafe { t.give(len_out) },
        None => std::ptr::null(),
    }
}

/// The scheme id (NUL-terminated; for a custom scheme, its own id). NULL if `v` is NULL.
/// `len_out` (optional, may be NULL) receives the length without the NUL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_scheme(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.scheme), len_out)
    })
}

/// 1 when the scheme carries a signed timestamp (then `hooksig_verified_timestamp` is it), 0
/// when it has none (or `v` is NULL).
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_has_timestamp(v: *const hooksig_verified) -> i32 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(
        || 0,
        || i32::from(unsafe { verified(v) }.is_some_and(|v| v.timestamp.is_some())),
    )
}

/// The signed timestamp in Unix seconds; 0 when there is none (check
/// `hooksig_verified_has_timestamp`) or `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_timestamp(v: *const hooksig_verified) -> i64 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(
        || 0,
        || {
            unsafe { verified(v) }
                .and_then(|v| v.timestamp)
                .unwrap_or(0)
        },
    )
}

/// The message / delivery / event id (NUL-terminated UTF-8), or NULL when the scheme or the
/// request has none (or `v` is NULL). `len_out` (optional) receives the length without the NUL.
/// Use it to reject replays.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_id(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).and_then(|v| v.id.as_ref()), len_out)
    })
}

/// The event type (NUL-terminated UTF-8), or NULL when the scheme or the request has none (or
/// `v` is NULL). `len_out` (optional) receives the length without the NUL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_event_type(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).and_then(|v| v.event_type.as_ref()), len_out)
    })
}

/// The delivery's replay key (NUL-terminated ASCII): `"<scheme>:id:<id>"` when the scheme
/// carries a message id, else `"<scheme>:sig:<hex>"` (a fingerprint of the verified
/// signature). Give it to `hooksig_replay_guard_check_and_remember` (or your shared store).
/// Owned by `v`, valid until `hooksig_verified_free(v)`; `len_out` (optional) receives the
/// length without the NUL. NULL if `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_dedupe_key(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.dedupe_key), len_out)
    })
}

/// Which secret matched (0-based index into the secrets given to the constructor); 0 if `v`
/// is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_key_index(v: *const hooksig_verified) -> usize {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| 0, || unsafe { verified(v) }.map_or(0, |v| v.key_index))
}

/// The authenticated payload: a copy of the body, or — when a scheme's JSON fallback matched —
/// the re-serialized JSON the sender actually signed. Parse this, not the raw body.
/// `len_out` (optional) receives its length; the bytes are followed by a NUL that is not
/// counted. NULL only if `v` is NULL.
///
/// # Safety
/// `v` is NULL or a live `hooksig_verified`; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_payload(
    v: *const hooksig_verified,
    len_out: *mut usize,
) -> *const u8 {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(std::ptr::null, || unsafe {
        give_opt(verified(v).map(|v| &v.payload), len_out).cast()
    })
}

/// Releases a verification result and every string it returned. NULL is a no-op.
///
/// # Safety
/// `v` is NULL or a `hooksig_verified` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verified_free(v: *mut hooksig_verified) {
    // SAFETY: forwarded from this function's contract.
    ffi_boundary(|| (), || unsafe { input::free(v) })
}
