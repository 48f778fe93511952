//! Reading a scheme's id / event-type fields from an authenticated JSON body.
//!
//! Only the two wanted top-level keys are materialised; every other value is skipped without
//! allocation, so a 1 MiB body costs one pass and no tree.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The values of up to two top-level fields; `None` when absent, not a string or number, or
/// when the body is not a JSON object.
pub(crate) fn extract(body: &[u8], keys: [Option<&str>; 2]) -> [Option<String>; 2] {
    if keys.iter().all(Option::is_none) {
        return [None, None];
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    match (Wanted { keys }).deserialize(&mut de) {
        Ok(found) if de.end().is_ok() => found,
        _ => [None, None],
    }
}

struct Wanted<'k> {
    keys: [Option<&'k str>; 2],
}

impl<'de> DeserializeSeed<'de> for Wanted<'_> {
    type Value = [Option<String>; 2];

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Wanted<'_> {
    type Value = [Option<String>; 2];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: [Option<String>; 2] = [None, None];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = self.keys.iter().position(|k| *k == Some(key.as_ref()));
            match slot {
                // Last occurrence wins, as in JSON.parse and Python's json.
                Some(i) => found[i] = scalar_text(map.next_value::<Value>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok([None, None])
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok([None, None])
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok([None, None])
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok([None, None])
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok([None, None])
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok([None, None])
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok([None, None])
    }
}

fn scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_top_level_fields_only() {
        let body = br#"{"data":{"id":"inner"},"id":"evt_1","event":"a.b","n":[1,2]}"#;
        assert_eq!(
            extract(body, [Some("id"), Some("event")]),
            [Some("evt_1".into()), Some("a.b".into())]
        );
        assert_eq!(
            extract(br#"{"id":7}"#, [Some("id"), None]),
            [Some("7".into()), None]
        );
        assert_eq!(extract(b"[1]", [Some("id"), None]), [None, None]);
        assert_eq!(extract(b"not json", [Some("id"), None]), [None, None]);
        assert_eq!(
            extract(br#"{"id":"a"} x"#, [Some("id"), None]),
            [None, None]
        );
        assert_eq!(
            extract(br#"{"id":"a","id":"b"}"#, [Some("id"), None]),
            [Some("b".into()), None]
        );
    }
}
