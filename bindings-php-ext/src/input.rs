//! PHP values in: strings are bytes (`&[u8]`, NUL bytes kept); the arguments the C library reads
//! as text are checked as UTF-8 with its status and words (`invalid_utf8`, "argument `what` is
//! not valid UTF-8"). The composer package has already turned headers into `[name, value]`
//! pairs and checked every type, so a value of another type here is a caller's bug.

use ext_php_rs::types::{ZendHashTable, Zval};

use crate::failure::Fail;
use crate::status;

/// The bytes of a PHP string.
pub fn bytes<'a>(value: &'a Zval, what: &str) -> Result<&'a [u8], Fail> {
    value
        .zend_str()
        .map(|s| s.as_bytes())
        .ok_or_else(|| Fail::invalid_argument(format!("argument `{what}` must be a string")))
}

/// Bytes checked as UTF-8.
pub fn text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Fail> {
    std::str::from_utf8(bytes).map_err(|_| {
        Fail::new(
            status::INVALID_UTF8,
            format!("argument `{what}` is not valid UTF-8"),
        )
    })
}

/// A list of strings (secrets), as bytes.
pub fn byte_list<'a>(list: &'a ZendHashTable, what: &str) -> Result<Vec<&'a [u8]>, Fail> {
    list.values()
        .enumerate()
        .map(|(i, v)| bytes(v, &format!("{what}[{i}]")))
        .collect()
}

/// Header names and values as bytes, in order.
pub type HeaderPairs<'a> = Vec<(&'a [u8], &'a [u8])>;

/// `[name, value]` pairs, as the core's header list.
pub fn header_pairs(list: &ZendHashTable) -> Result<HeaderPairs<'_>, Fail> {
    list.values()
        .map(|pair| {
            let pair = pair
                .array()
                .filter(|p| p.len() == 2)
                .ok_or_else(|| Fail::invalid_argument("a header must be a [name, value] pair"))?;
            let mut it = pair.values();
            match (it.next(), it.next()) {
                (Some(n), Some(v)) => Ok((bytes(n, "header name")?, bytes(v, "header value")?)),
                _ => Err(Fail::invalid_argument(
                    "a header must be a [name, value] pair",
                )),
            }
        })
        .collect()
}

/// A PHP int passed where the C function takes an `int32_t` (a status, a guard answer, a step,
/// a dialect): PHP's FFI keeps its low 32 bits, and so does this, so that both routes give the
/// same answer for any int.
#[allow(clippy::cast_possible_truncation)]
pub fn c_int(value: i64) -> i32 {
    value as i32
}

/// A PHP int passed where the C function takes a `uint64_t` (a TTL): PHP's FFI passes a negative
/// one as its two's complement, a huge value the core refuses as out of range; so does this.
#[allow(clippy::cast_sign_loss)]
pub fn c_u64(value: i64) -> u64 {
    value as u64
}
