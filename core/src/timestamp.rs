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

    /// `header`: the header an error names (`None` for a body field); `origin`: where the
    /// timestamp was read, for the message.
    pub(crate) fn check(
        &self,
        timestamp: i64,
        now: i64,
        header: Option<&str>,
        origin: &str,
    ) -> Result<()> {
        let age = i128::from(now) - i128::from(timestamp);
        if let Some(past) = self.past {
            if age > i128::from(past) {
                return Err(Error::new(
                    ErrorCode::TimestampExpired,
                    header,
                    format!(
                        "the message is {age} s old, more than the {past} s tolerance \
                         (timestamp from {origin}); if the clocks agree, this is a replay"
                    ),
                ));
            }
        }
        if let Some(future) = self.future {
            if -age > i128::from(future) {
                return Err(Error::new(
                    ErrorCode::TimestampInFuture,
                    header,
                    format!(
                        "the message is dated {} s in the future, more than the {future} s \
                         tolerance (timestamp from {origin}); check the receiver's clock",
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

/// How a scheme writes its timestamp. The signed content always holds the text exactly as
/// received; the format only says how to read it as Unix seconds (and how `sign` writes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimestampFormat {
    /// Unix seconds, ASCII digits only (every scheme but those below).
    UnixSeconds,
    /// RFC 3339 date-time (`2026-01-01T00:00:00Z`, `…T00:00:00.123456789Z`, `…T01:00:00+01:00`):
    /// Twitch, Zendesk, Box.
    Rfc3339,
    /// Unix milliseconds, ASCII digits only (Linear's `webhookTimestamp`, Pusher's `time_ms`,
    /// WorkOS's `t=`); counts as whole seconds, rounded down (as the RFC 3339 fraction is
    /// dropped).
    UnixMillis,
}

impl TimestampFormat {
    /// The timestamp in Unix seconds, `None` when the text is not of this format.
    pub(crate) fn parse(self, text: &[u8]) -> Option<i64> {
        match self {
            TimestampFormat::UnixSeconds => parse(text),
            TimestampFormat::Rfc3339 => parse_rfc3339(text),
            TimestampFormat::UnixMillis => parse(text).map(|ms| ms.div_euclid(1000)),
        }
    }

    /// The text `sign` sends (and signs) for Unix time `ts` (≥ 0); `None` when the format
    /// cannot write it (RFC 3339 stops at year 9999).
    pub(crate) fn format(self, ts: i64) -> Option<String> {
        match self {
            TimestampFormat::UnixSeconds => Some(ts.to_string()),
            TimestampFormat::Rfc3339 => format_rfc3339(ts),
            TimestampFormat::UnixMillis => ts.checked_mul(1000).map(|ms| ms.to_string()),
        }
    }

    /// What a malformed timestamp should have been, for error messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            TimestampFormat::UnixSeconds => "a single integer number of Unix seconds (digits only)",
            TimestampFormat::UnixMillis => {
                "an integer number of Unix milliseconds (digits only, no sign, fraction or exponent)"
            }
            TimestampFormat::Rfc3339 => {
                "a single RFC 3339 date-time such as 2026-01-01T00:00:00Z (a fraction of up to \
                 9 digits and a +hh:mm offset allowed)"
            }
        }
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Parses an RFC 3339 `date-time` strictly: `YYYY-MM-DD`, `T` (or `t`), `hh:mm:ss`, an optional
/// fraction of 1 to 9 digits, then `Z` (or `z`) or `+hh:mm`/`-hh:mm`. Every field is
/// range-checked (month 1–12, the month's days with leap years, hour 0–23, minute and second
/// 0–59, offset up to 23:59). Refused: a space instead of `T`, a missing offset, a leap second
/// (`:60`: Unix time has none and no vendor sends one), more than 9 fraction digits, anything
/// after the offset. The fraction is dropped (the result is whole Unix seconds, rounded down).
fn parse_rfc3339(t: &[u8]) -> Option<i64> {
    fn num(t: &[u8], at: usize, len: usize) -> Option<i64> {
        let digits = t.get(at..at + len)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            digits
                .iter()
                .fold(0, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    }
    let expect = |at: usize, c: u8| (t.get(at) == Some(&c)).then_some(());
    let year = num(t, 0, 4)?;
    expect(4, b'-')?;
    let month = num(t, 5, 2)?;
    expect(7, b'-')?;
    let day = num(t, 8, 2)?;
    if !matches!(t.get(10), Some(b'T' | b't')) {
        return None;
    }
    let hour = num(t, 11, 2)?;
    expect(13, b':')?;
    let minute = num(t, 14, 2)?;
    expect(16, b':')?;
    let second = num(t, 17, 2)?;
    let mut at = 19;
    if t.get(at) == Some(&b'.') {
        let digits = t[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        at += 1 + digits;
    }
    let offset = match t.get(at..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] if rest.len() == 5 => {
            let h = num(rest, 0, 2)?;
            (rest[2] == b':').then_some(())?;
            let m = num(rest, 3, 2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let secs = h * 3600 + m * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// `YYYY-MM-DDThh:mm:ssZ` for Unix time `ts` (0 ≤ ts, year ≤ 9999).
fn format_rfc3339(ts: i64) -> Option<String> {
    if !(0..=253_402_300_799).contains(&ts) {
        return None;
    }
    let (days, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
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
    fn rfc3339_strict() {
        let p = |s: &str| parse_rfc3339(s.as_bytes());
        assert_eq!(p("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(p("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(p("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(p("2026-01-01t00:00:00z"), Some(1_767_225_600));
        assert_eq!(p("2026-01-01T00:00:00.999999999Z"), Some(1_767_225_600));
        assert_eq!(p("2026-01-01T00:00:00.5Z"), Some(1_767_225_600));
        assert_eq!(p("2026-01-01T01:00:00+01:00"), Some(1_767_225_600));
        assert_eq!(p("2025-12-31T16:00:00-08:00"), Some(1_767_225_600));
        assert_eq!(
            p("2025-12-31T16:00:00-00:00").map(|t| t + 8 * 3600),
            p("2026-01-01T00:00:00Z")
        );
        assert_eq!(p("2024-02-29T12:00:00Z"), Some(1_709_208_000));
        assert_eq!(p("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(p("9999-12-31T23:59:59Z"), Some(253_402_300_799));
        assert_eq!(p("0000-01-01T00:00:00Z"), Some(-62_167_219_200));
        for bad in [
            "",
            "1767225600",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00Z",
            "2026-1-01T00:00:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00.1234567890Z",
            "2026-01-01T00:00:00+0100",
            "2026-01-01T00:00:00+01",
            "2026-01-01T00:00:00+24:00",
            "2026-01-01T00:00:00+01:60",
            "2026-01-01T00:00:00ZZ",
            "2026-01-01T00:00:00Z ",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T23:59:60Z",
            "+2026-01-01T00:00:00Z",
            "２０２６-01-01T00:00:00Z",
            "2026-01-01T00:00:00\u{2212}01:00",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc3339_format_round_trips() {
        for ts in [
            0,
            1,
            59,
            86_399,
            86_400,
            951_782_400,
            1_709_208_000,
            1_767_225_600,
            253_402_300_799,
        ] {
            let text = format_rfc3339(ts).unwrap();
            assert_eq!(parse_rfc3339(text.as_bytes()), Some(ts), "{text}");
        }
        assert_eq!(
            format_rfc3339(1_767_225_600).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(format_rfc3339(-1), None);
        assert_eq!(format_rfc3339(253_402_300_800), None);
        // Every day for 800 years round-trips (leap-year rules).
        for day in (0..292_000).step_by(1) {
            let ts = day * 86_400 + 3_723;
            assert_eq!(
                parse_rfc3339(format_rfc3339(ts).unwrap().as_bytes()),
                Some(ts)
            );
        }
    }

    #[test]
    fn boundaries_are_inclusive() {
        let t = Tolerance::symmetric(300);
        let check = |ts, now| t.check(ts, now, Some("h"), "h");
        assert!(check(700, 1000).is_ok());
        assert!(check(1300, 1000).is_ok());
        assert_eq!(
            check(699, 1000).unwrap_err().code(),
            ErrorCode::TimestampExpired
        );
        assert_eq!(
            check(1301, 1000).unwrap_err().code(),
            ErrorCode::TimestampInFuture
        );
        assert!(check(i64::MAX, i64::MIN).is_err());
    }

    #[test]
    fn milliseconds_count_as_whole_seconds() {
        let ms = TimestampFormat::UnixMillis;
        assert_eq!(ms.parse(b"1767225600999"), Some(1_767_225_600));
        assert_eq!(ms.parse(b"1767225600000"), Some(1_767_225_600));
        assert_eq!(ms.parse(b"999"), Some(0));
        for bad in [&b""[..], b"-1", b"1.5", b"1e3", b"\"1\""] {
            assert_eq!(ms.parse(bad), None);
        }
        assert_eq!(ms.format(1_767_225_600).as_deref(), Some("1767225600000"));
        assert_eq!(ms.format(i64::MAX), None);
    }
}
