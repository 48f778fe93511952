//! The C binding's status numbers (`hooksig_status`, stable once released): the core codes are
//! 1 to 16 in `ErrorCode::ALL` order and `invalid_argument` is 101; 0, 100, 102 and 103 are the
//! C-level ones. PHP's exceptions carry them as `getCode()`, so the extension uses the same.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use hooksig::ErrorCode;

pub const OK: i32 = 0;
pub const NULL_ARGUMENT: i32 = 100;
pub const INVALID_ARGUMENT: i32 = 101;
pub const INVALID_UTF8: i32 = 102;
pub const INTERNAL: i32 = 103;

/// The status number of a core code.
pub fn of(code: ErrorCode) -> i32 {
    if code == ErrorCode::InvalidArgument {
        return INVALID_ARGUMENT;
    }
    ErrorCode::ALL
        .iter()
        .position(|c| *c == code)
        .and_then(|i| i32::try_from(i + 1).ok())
        .unwrap_or(INTERNAL)
}

/// The core code behind a status number, if it is one.
pub fn core_code(status: i32) -> Option<ErrorCode> {
    ErrorCode::ALL.into_iter().find(|c| of(*c) == status)
}

/// What the C library's `hooksig_status_*` functions answer for a number: the stable string
/// code, the description, the HTTP status and the two categories.
#[php_class]
#[php(name = "Hooksig\\Ext\\Status")]
pub struct Status;

#[php_impl]
impl Status {
    /// `[code, message, http_status, is_verification_error, is_config_error]`.
    pub fn describe(status: i64) -> ZBox<ZendHashTable> {
        let (code, message, http, verification, config) = info(crate::input::c_int(status));
        let mut out = ZendHashTable::new();
        let _ = out.push(code);
        let _ = out.push(message);
        let _ = out.push(http);
        let _ = out.push(verification);
        let _ = out.push(config);
        out
    }
}

/// The code, description, HTTP status and categories of a status number (C's table).
pub fn info(status: i32) -> (&'static str, &'static str, i64, bool, bool) {
    match (status, core_code(status)) {
        (_, Some(c)) => (
            c.as_str(),
            c.description(),
            i64::from(c.http_status()),
            c.is_verification_error(),
            c.is_config_error(),
        ),
        (OK, None) => ("ok", "success", 200, false, false),
        (NULL_ARGUMENT, None) => (
            "null_argument",
            "a required pointer argument was NULL",
            500,
            false,
            false,
        ),
        (INVALID_UTF8, None) => (
            "invalid_utf8",
            "a text argument was not valid UTF-8",
            500,
            false,
            false,
        ),
        (INTERNAL, None) => (
            hooksig::INTERNAL_ERROR_CODE,
            "an internal error in hooksig (a bug; please report it)",
            i64::from(hooksig::INTERNAL_ERROR_STATUS),
            false,
            false,
        ),
        _ => ("unknown", "not a hooksig_status value", 500, false, false),
    }
}
