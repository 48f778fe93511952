//! One error vocabulary for every binding: a closed set of stable string codes.

use std::fmt;

/// The code bindings report when something unexpected happened inside hooksig (a panic caught
/// at a language boundary). Not an [`ErrorCode`]: the core itself never produces it.
pub const INTERNAL_ERROR_CODE: &str = "internal";

/// The HTTP status for [`INTERNAL_ERROR_CODE`].
pub const INTERNAL_ERROR_STATUS: u16 = 500;

/// The one-sentence description for [`INTERNAL_ERROR_CODE`].
pub const INTERNAL_ERROR_DESCRIPTION: &str = "an unexpected failure inside hooksig";

/// The stable, language-independent reason a verification (or a verifier's construction) failed.
///
/// Every binding exposes the same strings (see [`ErrorCode::as_str`]); they never change once
/// released. The category helpers use exhaustive matches so that a new code cannot be added
/// without deciding its HTTP status and category.
///
/// ```
/// use hooksig::ErrorCode;
/// assert_eq!(ErrorCode::SignatureMismatch.as_str(), "signature_mismatch");
/// assert_eq!(ErrorCode::parse("timestamp_expired"), Some(ErrorCode::TimestampExpired));
/// assert_eq!(ErrorCode::MissingSignature.http_status(), 400);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The signature header is absent or empty.
    MissingSignature,
    /// The timestamp (header, or `t=`/`ts=` inside the signature header) is absent or empty.
    MissingTimestamp,
    /// The scheme requires a message id header and it is absent or empty.
    MissingId,
    /// The signature header holds nothing that decodes as a signature of the expected form.
    MalformedSignature,
    /// The timestamp is not a plain non-negative integer of Unix seconds.
    MalformedTimestamp,
    /// The message is authentic but older than the tolerance allows.
    TimestampExpired,
    /// The message is authentic but dated further in the future than the tolerance allows.
    TimestampInFuture,
    /// No signature matched any secret.
    SignatureMismatch,
    /// A secret was refused when the verifier was built.
    InvalidSecret,
    /// The scheme id is not known.
    UnknownScheme,
    /// An option (tolerance, custom scheme definition, ...) was refused.
    InvalidConfig,
    /// A receiver was sent a method other than `POST` (answered 405 with `Allow: POST`).
    MethodNotAllowed,
    /// The request body is larger than the receiver's limit (declared or counted).
    BodyTooLarge,
    /// The request body could not be read (the client aborted, bad chunked encoding, ...).
    BodyReadFailed,
    /// The replay guard holds this delivery as being processed by another request (a shared
    /// store's two-phase marker); the sender should retry later.
    DeliveryInProgress,
    /// The replay store could not be reached; the sender should retry later.
    ReplayStoreUnavailable,
    /// A binding was passed an argument of the wrong type, or a missing (null) one: a
    /// programming error.
    InvalidArgument,
}

impl ErrorCode {
    /// Every code, in declaration order (bindings use it to build their exception tables).
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::MissingSignature,
        ErrorCode::MissingTimestamp,
        ErrorCode::MissingId,
        ErrorCode::MalformedSignature,
        ErrorCode::MalformedTimestamp,
        ErrorCode::TimestampExpired,
        ErrorCode::TimestampInFuture,
        ErrorCode::SignatureMismatch,
        ErrorCode::InvalidSecret,
        ErrorCode::UnknownScheme,
        ErrorCode::InvalidConfig,
        ErrorCode::MethodNotAllowed,
        ErrorCode::BodyTooLarge,
        ErrorCode::BodyReadFailed,
        ErrorCode::DeliveryInProgress,
        ErrorCode::ReplayStoreUnavailable,
        ErrorCode::InvalidArgument,
    ];

    /// The stable string code, e.g. `"signature_mismatch"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MissingSignature => "missing_signature",
            ErrorCode::MissingTimestamp => "missing_timestamp",
            ErrorCode::MissingId => "missing_id",
            ErrorCode::MalformedSignature => "malformed_signature",
            ErrorCode::MalformedTimestamp => "malformed_timestamp",
            ErrorCode::TimestampExpired => "timestamp_expired",
            ErrorCode::TimestampInFuture => "timestamp_in_future",
            ErrorCode::SignatureMismatch => "signature_mismatch",
            ErrorCode::InvalidSecret => "invalid_secret",
            ErrorCode::UnknownScheme => "unknown_scheme",
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::BodyReadFailed => "body_read_failed",
            ErrorCode::DeliveryInProgress => "delivery_in_progress",
            ErrorCode::ReplayStoreUnavailable => "replay_store_unavailable",
            ErrorCode::InvalidArgument => "invalid_argument",
        }
    }

    /// The code for a stable string, or `None`.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// A one-sentence, secret-free description of the code (what C's
    /// `hooksig_status_message` returns).
    pub const fn description(self) -> &'static str {
        match self {
            ErrorCode::MissingSignature => "the signature header is missing or empty",
            ErrorCode::MissingTimestamp => "the timestamp is missing or empty",
            ErrorCode::MissingId => "the message id header is missing or empty",
            ErrorCode::MalformedSignature => {
                "the signature header does not hold a signature of the expected form"
            }
            ErrorCode::MalformedTimestamp => "the timestamp is not an integer number of seconds",
            ErrorCode::TimestampExpired => "the timestamp is older than the tolerance allows",
            ErrorCode::TimestampInFuture => {
                "the timestamp is further in the future than the tolerance allows"
            }
            ErrorCode::SignatureMismatch => "no signature matched any secret",
            ErrorCode::InvalidSecret => "a secret was refused",
            ErrorCode::UnknownScheme => "the scheme is not known",
            ErrorCode::InvalidConfig => "an option was refused",
            ErrorCode::MethodNotAllowed => {
                "the method is not allowed; webhooks are delivered with POST"
            }
            ErrorCode::BodyTooLarge => "the request body is larger than the receiver accepts",
            ErrorCode::BodyReadFailed => "the request body could not be read",
            ErrorCode::DeliveryInProgress => {
                "this delivery is being processed by another request; retry later"
            }
            ErrorCode::ReplayStoreUnavailable => "the replay store is unavailable; retry later",
            ErrorCode::InvalidArgument => {
                "an argument was missing, of the wrong type or out of its range"
            }
        }
    }

    /// `true` for errors raised while building a verifier (a programming or deployment
    /// mistake), `false` for errors about a received request.
    pub const fn is_config_error(self) -> bool {
        match self {
            ErrorCode::InvalidSecret
            | ErrorCode::UnknownScheme
            | ErrorCode::InvalidConfig
            | ErrorCode::InvalidArgument => true,
            ErrorCode::MethodNotAllowed
            | ErrorCode::BodyTooLarge
            | ErrorCode::BodyReadFailed
            | ErrorCode::DeliveryInProgress
            | ErrorCode::ReplayStoreUnavailable
            | ErrorCode::MissingSignature
            | ErrorCode::MissingTimestamp
            | ErrorCode::MissingId
            | ErrorCode::MalformedSignature
            | ErrorCode::MalformedTimestamp
            | ErrorCode::TimestampExpired
            | ErrorCode::TimestampInFuture
            | ErrorCode::SignatureMismatch => false,
        }
    }

    /// `true` for the codes a verification of a received request produces (a missing or
    /// malformed header, a bad signature, a stale timestamp), `false` for configuration errors
    /// and for the receiver codes answered around a verification (method, body, replay store).
    ///
    /// ```
    /// use hooksig::ErrorCode;
    /// assert!(ErrorCode::SignatureMismatch.is_verification_error());
    /// assert!(!ErrorCode::BodyTooLarge.is_verification_error());
    /// assert!(!ErrorCode::InvalidSecret.is_verification_error());
    /// ```
    pub const fn is_verification_error(self) -> bool {
        // Derived from the one status table: a verification answers 400 (missing or malformed
        // header) or 401 (bad signature, stale timestamp); of the receiver codes only an
        // unreadable body shares one of those statuses.
        matches!(self.http_status(), 400 | 401) && !matches!(self, ErrorCode::BodyReadFailed)
    }

    /// The HTTP status a receiver should answer: 400 for a missing or malformed header (or an
    /// unreadable body), 401 for a bad signature or a stale timestamp, 405 for a method other
    /// than POST, 409 for a delivery in progress, 413 for a body over the limit, 503 for an
    /// unreachable replay store, 500 for a configuration or argument error. Every framework
    /// integration uses this one table (through [`crate::receive::Receiver`]).
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::MissingSignature
            | ErrorCode::MissingTimestamp
            | ErrorCode::MissingId
            | ErrorCode::MalformedSignature
            | ErrorCode::MalformedTimestamp
            | ErrorCode::BodyReadFailed => 400,
            ErrorCode::TimestampExpired
            | ErrorCode::TimestampInFuture
            | ErrorCode::SignatureMismatch => 401,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::DeliveryInProgress => 409,
            ErrorCode::BodyTooLarge => 413,
            ErrorCode::ReplayStoreUnavailable => 503,
            ErrorCode::InvalidSecret
            | ErrorCode::UnknownScheme
            | ErrorCode::InvalidConfig
            | ErrorCode::InvalidArgument => 500,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verification or configuration error: a stable [`ErrorCode`], the header involved (if
/// any) and a human message. Messages never contain a secret or the body.
///
/// ```
/// use hooksig::{ErrorCode, Verifier};
/// let v = Verifier::new("github", ["It's a Secret to Everybody"]).unwrap();
/// let err = v.verify_at(&[("X-Hub-Signature-256", "sha256=00")], b"{}", 0).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::MalformedSignature);
/// assert_eq!(err.header(), Some("X-Hub-Signature-256"));
/// assert!(!err.to_string().contains("Secret"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    header: Option<String>,
    message: String,
}

impl Error {
    pub(crate) fn new(code: ErrorCode, header: Option<&str>, message: impl Into<String>) -> Self {
        Error {
            code,
            header: header.map(str::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn config(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::new(code, None, message)
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The canonical name of the header involved, when the error is about one.
    pub fn header(&self) -> Option<&str> {
        self.header.as_deref()
    }

    /// The human message (also what `Display` prints).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_partition_the_codes() {
        for code in ErrorCode::ALL {
            assert!(
                !(code.is_verification_error() && code.is_config_error()),
                "{code}"
            );
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        let verification = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.is_verification_error());
        assert_eq!(verification.count(), 8);
        // A verification error is answered 400 or 401, never 5xx.
        for code in ErrorCode::ALL
            .into_iter()
            .filter(|c| c.is_verification_error())
        {
            assert!(matches!(code.http_status(), 400 | 401), "{code}");
        }
    }
}
