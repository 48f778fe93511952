//! Reading a scheme's id / event-type fields from an authenticated JSON body.
//!
//! A purpose-built scanner rather than `serde_json`: it walks only the top-level object, skips
//! every other value without allocating (strings with `memchr`), and stops as soon as the wanted
//! keys are found. A full `serde_json` pass cost a quarter of a 1 MiB verification in the
//! profile (BENCHMARKS.md); the signature has already been checked, so the body is the
//! sender's and validating all of it here buys nothing.
//!
//! Semantics: the first top-level occurrence of a key wins; a value that is a string (escapes
//! decoded) or a number (as written) is returned, anything else is `None`; a body that is not
//! a JSON object, or that breaks off before a key is reached, yields `None` for that key.

/// The values of up to two top-level fields.
pub(crate) fn extract(body: &[u8], keys: [Option<&str>; 2]) -> [Option<String>; 2] {
    let mut found: [Option<String>; 2] = [None, None];
    if keys.iter().all(Option::is_none) {
        return found;
    }
    let mut done = keys.map(|k| k.is_none());
    let mut s = Scanner { body, pos: 0 };
    s.skip_ws();
    if !s.eat(b'{') {
        return found;
    }
    loop {
        s.skip_ws();
        let Some(key) = s.string_token() else {
            return found;
        };
        s.skip_ws();
        if !s.eat(b':') {
            return found;
        }
        s.skip_ws();
        let slot = (0..2).find(|&i| !done[i] && keys[i].is_some_and(|k| key_equals(key, k)));
        match slot {
            Some(i) => {
                found[i] = s.scalar_value();
                done[i] = true;
                if done.iter().all(|d| *d) {
                    return found;
                }
            }
            None => {
                if !s.skip_value() {
                    return found;
                }
            }
        }
        s.skip_ws();
        if !s.eat(b',') {
            return found;
        }
    }
}

/// A top-level field read as a number.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NumberField<'a> {
    /// No such key, its value is `null`, or the body is not a JSON object.
    Absent,
    /// A JSON number, as written (sign, fraction and exponent included: the caller decides).
    Number(&'a [u8]),
    /// A string, boolean, object or array.
    NotNumber,
}

/// The first top-level occurrence of `key`, as a number (Linear's `webhookTimestamp`).
pub(crate) fn number_field<'a>(body: &'a [u8], key: &str) -> NumberField<'a> {
    let mut s = Scanner { body, pos: 0 };
    s.skip_ws();
    if !s.eat(b'{') {
        return NumberField::Absent;
    }
    loop {
        s.skip_ws();
        let Some(k) = s.string_token() else {
            return NumberField::Absent;
        };
        s.skip_ws();
        if !s.eat(b':') {
            return NumberField::Absent;
        }
        s.skip_ws();
        if key_equals(k, key) {
            return match s.peek() {
                Some(b'-' | b'0'..=b'9') => {
                    let start = s.pos;
                    while matches!(
                        s.peek(),
                        Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    ) {
                        s.pos += 1;
                    }
                    NumberField::Number(&body[start..s.pos])
                }
                Some(b'n') if body[s.pos..].starts_with(b"null") => NumberField::Absent,
                None => NumberField::Absent,
                Some(_) => NumberField::NotNumber,
            };
        }
        if !s.skip_value() {
            return NumberField::Absent;
        }
        s.skip_ws();
        if !s.eat(b',') {
            return NumberField::Absent;
        }
    }
}

/// Compares a raw key token (between quotes) with a plain key, decoding escapes only if any.
fn key_equals(raw: &[u8], key: &str) -> bool {
    if memchr::memchr(b'\\', raw).is_none() {
        return raw == key.as_bytes();
    }
    decode_string(raw).is_some_and(|k| k == key)
}

/// Decodes the inside of a JSON string token (escapes included) with `serde_json`.
fn decode_string(raw: &[u8]) -> Option<String> {
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice(&quoted).ok()
}

struct Scanner<'a> {
    body: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.body.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// At a `"`: returns the raw bytes between the quotes and moves past the closing quote.
    fn string_token(&mut self) -> Option<&'a [u8]> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.pos;
        loop {
            let rest = self.body.get(self.pos..)?;
            let i = memchr::memchr2(b'"', b'\\', rest)?;
            self.pos += i;
            if rest[i] == b'\\' {
                self.pos += 2; // the backslash and the escaped byte (`\u` digits are plain)
            } else {
                let token = &self.body[start..self.pos];
                self.pos += 1;
                return Some(token);
            }
        }
    }

    /// A wanted field's value: a string or a number as text; other values are skipped.
    fn scalar_value(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' => {
                let raw = self.string_token()?;
                match memchr::memchr(b'\\', raw) {
                    None => std::str::from_utf8(raw).ok().map(str::to_owned),
                    Some(_) => decode_string(raw),
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.pos += 1;
                }
                std::str::from_utf8(&self.body[start..self.pos])
                    .ok()
                    .map(str::to_owned)
            }
            _ => {
                self.skip_value();
                None
            }
        }
    }

    /// Moves past one value of any kind; `false` if the body ends first. Nesting is counted,
    /// not recursed into, so depth costs nothing.
    fn skip_value(&mut self) -> bool {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    if self.string_token().is_none() {
                        return false;
                    }
                }
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.pos += 1;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return true; // the end of the enclosing object: let the caller see it
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                Some(b',') if depth == 0 => return true,
                Some(_) => self.pos += 1,
            }
            if depth == 0
                && matches!(
                    self.body.get(self.pos.wrapping_sub(1)),
                    Some(b'"' | b'}' | b']')
                )
            {
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_top_level_fields_only() {
        let body =
            br#"{"data":{"id":"inner","x":[1,{"id":2}]},"id":"evt_1","event":"a.b","n":[1,2]}"#;
        assert_eq!(
            extract(body, [Some("id"), Some("event")]),
            [Some("evt_1".into()), Some("a.b".into())]
        );
        assert_eq!(
            extract(br#"{"id":7}"#, [Some("id"), None]),
            [Some("7".into()), None]
        );
        assert_eq!(
            extract(br#"{"id":-1.5e3}"#, [Some("id"), None]),
            [Some("-1.5e3".into()), None]
        );
        assert_eq!(extract(b"[1]", [Some("id"), None]), [None, None]);
        assert_eq!(extract(b"not json", [Some("id"), None]), [None, None]);
        assert_eq!(extract(br#"{"id":null}"#, [Some("id"), None]), [None, None]);
        assert_eq!(
            extract(br#"{"id":{"a":1}}"#, [Some("id"), None]),
            [None, None]
        );
    }

    #[test]
    fn first_occurrence_wins_and_escapes_are_decoded() {
        assert_eq!(
            extract(br#"{"id":"a","id":"b"}"#, [Some("id"), None]),
            [Some("a".into()), None]
        );
        assert_eq!(
            extract(br#"{"\u0069d":"x\"y\u00e9"}"#, [Some("id"), None]),
            [Some("x\"y\u{e9}".into()), None]
        );
        let skipped = br#"{"s":"quote \" and \\ backslash } ] ,","t":true,"u":null,"id":"ok"}"#;
        assert_eq!(
            extract(skipped, [Some("id"), None]),
            [Some("ok".into()), None]
        );
    }

    #[test]
    fn whitespace_and_truncation() {
        let pretty = b"{\n  \"event\" : \"e\",\n  \"id\"\t:\r\n \"i\"\n}";
        assert_eq!(
            extract(pretty, [Some("id"), Some("event")]),
            [Some("i".into()), Some("e".into())]
        );
        assert_eq!(
            extract(br#"{"a":"unterminated"#, [Some("id"), None]),
            [None, None]
        );
        assert_eq!(extract(br#"{"a":[1,2"#, [Some("id"), None]), [None, None]);
        assert_eq!(extract(br#"{"id":"x"#, [Some("id"), None]), [None, None]);
        let deep = format!(
            "{{\"a\":{}{}, \"id\":\"d\"}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            extract(deep.as_bytes(), [Some("id"), None]),
            [Some("d".into()), None]
        );
    }

    #[test]
    fn number_fields() {
        fn f(b: &str) -> NumberField<'_> {
            number_field(b.as_bytes(), "webhookTimestamp")
        }
        assert_eq!(
            f(r#"{"a":{"webhookTimestamp":1},"webhookTimestamp":1767225600000,"x":2}"#),
            NumberField::Number(b"1767225600000")
        );
        assert_eq!(
            f(r#"{"webhookTimestamp": -1.5e3}"#),
            NumberField::Number(b"-1.5e3")
        );
        assert_eq!(
            f(r#"{"webhookTimestamp":"1767225600000"}"#),
            NumberField::NotNumber
        );
        assert_eq!(f(r#"{"webhookTimestamp":true}"#), NumberField::NotNumber);
        assert_eq!(f(r#"{"webhookTimestamp":null}"#), NumberField::Absent);
        assert_eq!(f(r#"{"other":1}"#), NumberField::Absent);
        assert_eq!(f("[1]"), NumberField::Absent);
        assert_eq!(
            f(r#"{"\u0077ebhookTimestamp":5}"#),
            NumberField::Number(b"5")
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let _ = extract(&body, [Some("id"), Some("event")]);
        }

        #[test]
        fn agrees_with_serde_json_on_valid_objects(
            fields in proptest::collection::btree_map("[a-z]{1,3}|id|event", "[ -~]{0,8}|[0-9]{1,4}", 0..6),
            pretty in proptest::prelude::any::<bool>(),
        ) {
            let value: serde_json::Value = fields
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect::<serde_json::Map<_, _>>()
                .into();
            let body = if pretty {
                serde_json::to_vec_pretty(&value).expect("json")
            } else {
                serde_json::to_vec(&value).expect("json")
            };
            let want = [fields.get("id").cloned(), fields.get("event").cloned()];
            proptest::prop_assert_eq!(extract(&body, [Some("id"), Some("event")]), want);
        }
    }
}
