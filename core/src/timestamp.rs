//! Strict timestamp parsing, the tolerance window and the clock.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, ErrorCode, Result};

/// How far a timestamp may lie from the verifier's clock, in seconds, each way.
///
/// ```
/// use hooksig::Tolerance;
/// let t = Tolerance::symmetric(300);
/// assert_eq!(t.past, Some(300));
/// assert_eq!(Tolerance::from_secs(-1).unwrap_err().code(), hooksig::ErrorCode::InvalidConfig);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tolerance {
    /// Largest accepted age; `None` disables the check (not recommended).
    pub past: Option<u64>,
    /// Largest accepted lead into the future; `None` disables the check.
    pub future: Option<u64>,
}

impl Default for Tolerance {
    /// Five minutes both ways, as the vendors and Standard Webhooks recommend.
    fn default() -> Self {
        Tolerance::symmetric(300)
    }
}

impl Tolerance {
    /// The same bound into the past and the future.
    pub const fn symmetric(secs: u64) -> Tolerance {
        Tolerance {
            past: Some(secs),
            future: Some(secs),
        }
    }

    /// From a signed number of seconds as bindings receive it; negative is `invalid_config`.
    pub fn from_secs(secs: i64) -> Result<Tolerance> {
        u64::try_from(secs).map(Tolerance::symmetric).map_err(|_| {
            Error::config(
                ErrorCode::InvalidConfig,
                format!("tolerance must be zero or more seconds, got {secs}"),
            )
        })
    }

    pub(crate) fn check(&self, timestamp: i64, now: i64, header: &str) -> Result<()> {
        let age = i128::from(now) - i128::from(timestamp);
        if let Some(past) = self.past {
            if age > i128::from(past) {
                return Err(Error::new(
                    ErrorCode::TimestampExpired,
                    Some(header),
                    format!(
                        "the message is {age} s old, more than the {past} s tolerance \
                         (timestamp from {header}); if the clocks agree, this is a replay"
                    ),
                ));
            }
        }
        if let Some(future) = self.future {
            if -age > i128::from(future) {
                return Err(Error::new(
                    ErrorCode::TimestampInFuture,
                    Some(header),
                    format!(
                        "the message is dated {} s in the future, more than the {future} s \
                         tolerance (timestamp from {header}); check the receiver's clock",
                        -age
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Parses Unix seconds: ASCII digits only (no sign, space, fraction or exponent), fitting `i64`.
pub(crate) fn parse(text: &[u8]) -> Option<i64> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    text.iter().try_fold(0i64, |acc, d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    })
}

/// The current Unix time in seconds (0 if the clock is before 1970).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_digits_only() {
        assert_eq!(parse(b"1767225600"), Some(1_767_225_600));
        assert_eq!(parse(b"0"), Some(0));
        assert_eq!(parse(b"9223372036854775807"), Some(i64::MAX));
        for bad in [
            &b""[..],
            b"-1",
            b"+5",
            b" 5",
            b"5.0",
            b"1e10",
            b"9223372036854775808",
            b"\xd9\xa1",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn boundaries_are_inclusive() {
        let t = Tolerance::symmetric(300);
        assert!(t.check(700, 1000, "h").is_ok());
        assert!(t.check(1300, 1000, "h").is_ok());
        assert_eq!(
            t.check(699, 1000, "h").unwrap_err().code(),
            ErrorCode::TimestampExpired
        );
        assert_eq!(
            t.check(1301, 1000, "h").unwrap_err().code(),
            ErrorCode::TimestampInFuture
        );
        assert!(t.check(i64::MAX, i64::MIN, "h").is_err());
    }
}
