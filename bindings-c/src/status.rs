//! The one mapping between the core's [`ErrorCode`] and the C status enum (exhaustive matches,
//! so a new core code breaks the build until it gets a C value).

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

use hooksig::ErrorCode;

use crate::panic::ffi_boundary;

/// The result of every hooksig function that can fail.
///
/// `HOOKSIG_OK` is 0. Values 1 to 16 and 101 are the core's error codes, with the meaning of
/// the stable string codes every hooksig binding shares (`hooksig_status_code` returns the
/// string, e.g. `"signature_mismatch"`); 12 to 16 are the receiver codes (method, body, replay
/// store) that no C function returns today but that every binding's table knows. The other
/// values from 100 are C-level usage errors and `HOOKSIG_INTERNAL`. The numbers never change
/// once released; new codes get new numbers.
#[repr(i32)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_status {
    /// Success.
    HOOKSIG_OK = 0,
    /// "missing_signature": the signature header is absent or empty.
    HOOKSIG_MISSING_SIGNATURE = 1,
    /// "missing_timestamp": the timestamp is absent or empty.
    HOOKSIG_MISSING_TIMESTAMP = 2,
    /// "missing_id": the scheme requires a message id header and it is absent or empty.
    HOOKSIG_MISSING_ID = 3,
    /// "malformed_signature": the signature header holds no signature of the expected form.
    HOOKSIG_MALFORMED_SIGNATURE = 4,
    /// "malformed_timestamp": the timestamp is not a plain integer number of Unix seconds.
    HOOKSIG_MALFORMED_TIMESTAMP = 5,
    /// "timestamp_expired": authentic, but older than the tolerance allows.
    HOOKSIG_TIMESTAMP_EXPIRED = 6,
    /// "timestamp_in_future": authentic, but further in the future than the tolerance allows.
    HOOKSIG_TIMESTAMP_IN_FUTURE = 7,
    /// "signature_mismatch": no signature matched any secret.
    HOOKSIG_SIGNATURE_MISMATCH = 8,
    /// "invalid_secret": a secret was refused when the verifier was built (or for signing).
    HOOKSIG_INVALID_SECRET = 9,
    /// "unknown_scheme": the scheme id is not known.
    HOOKSIG_UNKNOWN_SCHEME = 10,
    /// "invalid_config": an option (tolerance, secret format, custom scheme, ...) was refused.
    HOOKSIG_INVALID_CONFIG = 11,
    /// "method_not_allowed": a receiver was sent a method other than POST (HTTP 405).
    HOOKSIG_METHOD_NOT_ALLOWED = 12,
    /// "body_too_large": the request body is larger than the receiver's limit (HTTP 413).
    HOOKSIG_BODY_TOO_LARGE = 13,
    /// "body_read_failed": the request body could not be read (HTTP 400).
    HOOKSIG_BODY_READ_FAILED = 14,
    /// "delivery_in_progress": another request is processing this delivery (HTTP 409).
    HOOKSIG_DELIVERY_IN_PROGRESS = 15,
    /// "replay_store_unavailable": the replay store could not be reached (HTTP 503).
    HOOKSIG_REPLAY_STORE_UNAVAILABLE = 16,
    /// "null_argument": a required pointer was NULL (or a NULL buffer had a non-zero length).
    HOOKSIG_NULL_ARGUMENT = 100,
    /// "invalid_argument" (the core's code): an argument is out of its documented range (e.g. a
    /// length larger than `PTRDIFF_MAX`, a flag that is not -1, 0 or 1). A configuration error.
    HOOKSIG_INVALID_ARGUMENT = 101,
    /// "invalid_utf8": an argument that must be text (scheme id, secret format, id, event
    /// type, custom scheme option) is not valid UTF-8. Header values and bodies are bytes and
    /// never give this status.
    HOOKSIG_INVALID_UTF8 = 102,
    /// "internal": a bug in hooksig (a Rust panic caught at the C boundary). Nothing was
    /// written to the `*_out` pointers; the library stays usable.
    HOOKSIG_INTERNAL = 103,
}

use hooksig_status::*;

impl hooksig_status {
    /// The statuses that are not core codes.
    const C_ONLY: [hooksig_status; 4] = [
        HOOKSIG_OK,
        HOOKSIG_NULL_ARGUMENT,
        HOOKSIG_INVALID_UTF8,
        HOOKSIG_INTERNAL,
    ];

    /// Every status: the C-only ones, then one per core code (derived from the core's
    /// `ErrorCode::ALL`, so a new core code is listed as soon as it has a C value).
    pub(crate) fn all() -> impl Iterator<Item = hooksig_status> {
        Self::C_ONLY
            .into_iter()
            .chain(ErrorCode::ALL.into_iter().map(hooksig_status::from))
    }

    /// The status for a raw C value, if it is one.
    pub(crate) fn from_raw(raw: i32) -> Option<hooksig_status> {
        Self::all().find(|s| *s as i32 == raw)
    }

    /// The core code behind this status, if it is one (the inverse of the one
    /// `From<ErrorCode>` table below).
    pub(crate) fn core_code(self) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| hooksig_status::from(*code) == self)
    }

    /// The stable string code.
    pub(crate) fn code(self) -> &'static str {
        if let Some(code) = self.core_code() {
            return code.as_str();
        }
        match self {
            HOOKSIG_OK => "ok",
            HOOKSIG_NULL_ARGUMENT => "null_argument",
            HOOKSIG_INVALID_UTF8 => "invalid_utf8",
            // HOOKSIG_INTERNAL (the core codes returned above).
            _ => hooksig::INTERNAL_ERROR_CODE,
        }
    }

    /// A one-sentence description.
    pub(crate) fn description(self) -> &'static str {
        if let Some(code) = self.core_code() {
            return code.description();
        }
        match self {
            HOOKSIG_OK => "success",
            HOOKSIG_NULL_ARGUMENT => "a required pointer argument was NULL",
            HOOKSIG_INVALID_UTF8 => "a text argument was not valid UTF-8",
            _ => "an internal error in hooksig (a bug; please report it)",
        }
    }

    /// The HTTP status a receiver should answer (the core's one table; 200 for OK, 500 for
    /// the C-level usage errors and internal errors).
    pub(crate) fn http_status(self) -> u16 {
        match (self, self.core_code()) {
            (HOOKSIG_OK, _) => 200,
            (_, Some(code)) => code.http_status(),
            (_, None) => hooksig::INTERNAL_ERROR_STATUS,
        }
    }
}

impl From<ErrorCode> for hooksig_status {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::MissingSignature => HOOKSIG_MISSING_SIGNATURE,
            ErrorCode::MissingTimestamp => HOOKSIG_MISSING_TIMESTAMP,
            ErrorCode::MissingId => HOOKSIG_MISSING_ID,
            ErrorCode::MalformedSignature => HOOKSIG_MALFORMED_SIGNATURE,
            ErrorCode::MalformedTimestamp => HOOKSIG_MALFORMED_TIMESTAMP,
            ErrorCode::TimestampExpired => HOOKSIG_TIMESTAMP_EXPIRED,
            ErrorCode::TimestampInFuture => HOOKSIG_TIMESTAMP_IN_FUTURE,
            ErrorCode::SignatureMismatch => HOOKSIG_SIGNATURE_MISMATCH,
            ErrorCode::InvalidSecret => HOOKSIG_INVALID_SECRET,
            ErrorCode::UnknownScheme => HOOKSIG_UNKNOWN_SCHEME,
            ErrorCode::InvalidConfig => HOOKSIG_INVALID_CONFIG,
            ErrorCode::MethodNotAllowed => HOOKSIG_METHOD_NOT_ALLOWED,
            ErrorCode::BodyTooLarge => HOOKSIG_BODY_TOO_LARGE,
            ErrorCode::BodyReadFailed => HOOKSIG_BODY_READ_FAILED,
            ErrorCode::DeliveryInProgress => HOOKSIG_DELIVERY_IN_PROGRESS,
            ErrorCode::ReplayStoreUnavailable => HOOKSIG_REPLAY_STORE_UNAVAILABLE,
            ErrorCode::InvalidArgument => HOOKSIG_INVALID_ARGUMENT,
        }
    }
}

/// NUL-terminated copies of every status's code and description, built once.
fn texts(status: hooksig_status) -> &'static (CString, CString) {
    static TABLE: OnceLock<Vec<(CString, CString)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let c = crate::text::c_string;
        hooksig_status::all()
            .map(|s| (c(s.code()), c(s.description())))
            .collect()
    });
    &table[hooksig_status::all().position(|s| s == status).unwrap_or(0)]
}

pub(crate) fn code_ptr(status: hooksig_status) -> *const c_char {
    texts(status).0.as_ptr()
}

/// `f(status)` for a known status, else (and on a panic) `unknown`.
fn known<R: Copy>(status: i32, unknown: R, f: impl FnOnce(hooksig_status) -> R) -> R {
    ffi_boundary(
        || unknown,
        || hooksig_status::from_raw(status).map_or(unknown, f),
    )
}

/// The stable string code of a status: `"ok"`, `"signature_mismatch"`, `"null_argument"`,
/// `"internal"`, ... (the same strings as every other hooksig binding's error codes).
/// Static; `"unknown"` for a number that is not a `hooksig_status`. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_status_code(status: i32) -> *const c_char {
    known(status, c"unknown".as_ptr(), code_ptr)
}

/// A one-sentence, secret-free English description of a status (static; never NULL). The
/// `hooksig_error` object carries a more specific message.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_status_message(status: i32) -> *const c_char {
    let unknown = c"not a hooksig_status value".as_ptr();
    known(status, unknown, |s| texts(s).1.as_ptr())
}

/// The HTTP status a webhook receiver should answer for a status (the core's one table): 200
/// for `HOOKSIG_OK`, 400 for a missing or malformed header or an unreadable body, 401 for a bad
/// signature or a stale timestamp, 405 / 413 / 409 / 503 for the receiver codes, 500 for a
/// configuration error, a usage error, `HOOKSIG_INTERNAL` or an unknown value.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_status_http_status(status: i32) -> i32 {
    known(status, 500, |s| i32::from(s.http_status()))
}

/// 1 when verification rejected the request (missing/malformed headers, bad signature,
/// stale timestamp: values 1 to 8), 0 otherwise (the receiver codes 12 to 16 included).
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_status_is_verification_error(status: i32) -> i32 {
    known(status, 0, |s| {
        i32::from(s.core_code().is_some_and(ErrorCode::is_verification_error))
    })
}

/// 1 when the status is a configuration error raised while building a verifier or signing
/// (`HOOKSIG_INVALID_SECRET`, `HOOKSIG_UNKNOWN_SCHEME`, `HOOKSIG_INVALID_CONFIG`) or an
/// out-of-range argument (`HOOKSIG_INVALID_ARGUMENT`), 0 otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_status_is_config_error(status: i32) -> i32 {
    known(status, 0, |s| {
        i32::from(s.core_code().is_some_and(ErrorCode::is_config_error))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_codes_are_1_to_16_in_core_order_then_invalid_argument() {
        for (i, code) in ErrorCode::ALL.into_iter().enumerate() {
            let status = hooksig_status::from(code);
            if code == ErrorCode::InvalidArgument {
                assert_eq!(status, HOOKSIG_INVALID_ARGUMENT);
            } else {
                assert_eq!(status as i32, i32::try_from(i).unwrap() + 1);
            }
            assert_eq!(status.core_code(), Some(code));
            assert_eq!(status.code(), code.as_str());
            assert_eq!(status.description(), code.description());
            assert_eq!(status.http_status(), code.http_status());
        }
        assert_eq!(HOOKSIG_METHOD_NOT_ALLOWED.http_status(), 405);
        assert_eq!(
            HOOKSIG_REPLAY_STORE_UNAVAILABLE.code(),
            "replay_store_unavailable"
        );
    }

    #[test]
    fn every_status_round_trips_and_has_a_distinct_code() {
        let mut seen = std::collections::HashSet::new();
        assert_eq!(hooksig_status::all().count(), 21);
        for s in hooksig_status::all() {
            assert_eq!(hooksig_status::from_raw(s as i32), Some(s));
            assert!(seen.insert(s.code()), "duplicate code {}", s.code());
        }
        assert_eq!(hooksig_status::from_raw(17), None);
    }

    #[test]
    fn internal_uses_the_core_constants() {
        assert_eq!(HOOKSIG_INTERNAL.code(), hooksig::INTERNAL_ERROR_CODE);
        assert_eq!(
            HOOKSIG_INTERNAL.http_status(),
            hooksig::INTERNAL_ERROR_STATUS
        );
    }
}
