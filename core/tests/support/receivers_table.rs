//! The request side of `tests/receivers/cases.json`, shared by the reference run
//! (`core/tests/receivers.rs`) and the HTTP runner of `hooksig listen` (`cli/tests/receivers.rs`).
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{RequestLine, SignOptions};
use serde_json::Value;

/// The parsed table.
pub fn table() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/receivers/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("cases.json")).expect("json")
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `{"text"}` | `{"hex"}` | `{"repeat","count"}` as bytes.
pub fn body_bytes(spec: &Value) -> Vec<u8> {
    if let Some(text) = spec.get("text") {
        return text.as_str().expect("text").as_bytes().to_vec();
    }
    if let Some(h) = spec.get("hex") {
        return hex_decode(h.as_str().expect("hex"));
    }
    let unit = spec["repeat"].as_str().expect("repeat");
    let count = usize::try_from(spec["count"].as_u64().expect("count")).expect("count");
    unit.repeat(count).into_bytes()
}

pub fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// `mixed`: letters at even positions lower-cased, at odd positions upper-cased.
pub fn recase(name: &str, how: Option<&str>) -> String {
    match how {
        None => name.to_owned(),
        Some("upper") => name.to_ascii_uppercase(),
        Some("lower") => name.to_ascii_lowercase(),
        Some("mixed") => name
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect(),
        Some(other) => panic!("header_case {other}"),
    }
}

/// The URL a runner signs for when it requests `path_and_query` from a receiver reached as
/// `host`: the case's `public_url` joined with the path, else `http://<host><path>`.
pub fn signed_url(case: &Value, host: &str, path_and_query: &str) -> String {
    match case.get("public_url").and_then(Value::as_str) {
        Some(base) => RequestLine::public_url(base, path_and_query),
        None => format!("http://{host}{path_and_query}"),
    }
}

/// The headers a runner sends for one request (without Content-Length, Host, X-Test-Handler);
/// `url` is what [`signed_url`] gives (the schemes that sign the request line use it, with the
/// request's method, unless the request's `sign.url` names another URL).
pub fn request_headers(
    case: &Value,
    req: &Value,
    body: &[u8],
    now: i64,
    url: &str,
) -> Vec<(String, String)> {
    let scheme = case["scheme"].as_str().expect("scheme");
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(sign) = req.get("sign").filter(|s| s.is_object()) {
        let secret = sign
            .get("secret")
            .or_else(|| case.get("secret"))
            .and_then(Value::as_str)
            .expect("secret");
        let signed_body = sign.get("body").map(body_bytes);
        let opts = SignOptions {
            timestamp: Some(now + sign.get("ts_offset").and_then(Value::as_i64).unwrap_or(0)),
            id: sign.get("id").and_then(Value::as_str),
            event_type: sign.get("event_type").and_then(Value::as_str),
            url: Some(sign.get("url").and_then(Value::as_str).unwrap_or(url)),
            method: req.get("method").and_then(Value::as_str),
        };
        headers = hooksig::sign(
            scheme,
            secret.as_bytes(),
            signed_body.as_deref().unwrap_or(body),
            &opts,
        )
        .expect("sign");
    }
    headers.push(("Content-Type".into(), "application/json".into()));
    if let Some(overrides) = req.get("overrides").and_then(Value::as_object) {
        for (name, value) in overrides {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            if let Some(v) = value.as_str() {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    if let Some(extra) = req.get("extra_headers").and_then(Value::as_array) {
        let extra: Vec<(String, String)> = extra
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().expect("name").to_owned(),
                    pair[1].as_str().expect("value").to_owned(),
                )
            })
            .collect();
        if req.get("extra_first").and_then(Value::as_bool) == Some(true) {
            headers.splice(0..0, extra);
        } else {
            headers.extend(extra);
        }
    }
    let how = req.get("header_case").and_then(Value::as_str);
    headers
        .into_iter()
        .map(|(n, v)| (recase(&n, how), v))
        .collect()
}
