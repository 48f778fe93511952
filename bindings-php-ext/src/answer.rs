//! A core `Answer` as the PHP array `[status, body, headers, content_type]` (headers a list of
//! `[name, value]`), which the composer package turns into its `Hooksig\Answer`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::Answer;

/// A PHP string holding exactly these bytes.
pub fn binary(bytes: &[u8]) -> Zval {
    let mut z = Zval::new();
    z.set_binary(bytes.to_vec());
    z
}

/// A list of `[name, value]` pairs.
pub fn pairs<'a>(list: impl Iterator<Item = (&'a str, &'a str)>) -> ZBox<ZendHashTable> {
    let mut out = ZendHashTable::new();
    for (name, value) in list {
        let mut pair = ZendHashTable::new();
        let _ = pair.push(binary(name.as_bytes()));
        let _ = pair.push(binary(value.as_bytes()));
        let _ = out.push(pair);
    }
    out
}

/// `[status, body, headers, content_type]`.
pub fn to_php(answer: &Answer) -> ZBox<ZendHashTable> {
    let mut out = ZendHashTable::new();
    let _ = out.push(i64::from(answer.status));
    let _ = out.push(binary(answer.body.as_bytes()));
    let _ = out.push(pairs(answer.headers.iter().map(|(n, v)| (*n, v.as_str()))));
    let _ = out.push(binary(answer.content_type.as_bytes()));
    out
}

/// An optional answer: the array, or null.
pub fn opt_to_php(answer: Option<Answer>) -> Option<ZBox<ZendHashTable>> {
    answer.as_ref().map(to_php)
}
