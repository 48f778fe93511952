//! Runs every shared vector file in `tests/vectors/` through the Rust API.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use hooksig::{
    Algorithm, CustomScheme, Encoding, RequestLine, Scheme, SecretFormat, SignOptions, Verifier,
    sign_with,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct File {
    scheme: Option<Value>,
    #[serde(default)]
    cases: Vec<Case>,
    #[serde(default)]
    blocks: Vec<Block>,
}

#[derive(Deserialize)]
struct Block {
    scheme: Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default = "default_op")]
    op: String,
    secrets: Vec<String>,
    secret_format: Option<String>,
    tolerance: Option<i64>,
    json_fallback: Option<bool>,
    now: Option<i64>,
    request: Option<Request>,
    #[serde(default)]
    headers: Vec<(String, String)>,
    body: Option<String>,
    body_base64: Option<String>,
    body_repeat: Option<Repeat>,
    expect: Option<Value>,
    timestamp: Option<i64>,
    id: Option<String>,
    event_type: Option<String>,
    expect_headers: Option<Vec<(String, String)>>,
}

#[derive(Deserialize)]
struct Request {
    method: String,
    url: String,
}

#[derive(Deserialize)]
struct Repeat {
    #[serde(default)]
    before: String,
    text: String,
    count: usize,
    #[serde(default)]
    after: String,
}

fn default_op() -> String {
    "verify".into()
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn scheme_from(value: &Value) -> Result<Scheme, hooksig::Error> {
    match value {
        Value::String(id) => Scheme::named(id),
        Value::Object(o) => {
            let c = &o["custom"];
            let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            CustomScheme {
                timestamp_header: text("timestamp_header"),
                id_header: text("id_header"),
                event_header: text("event_header"),
                template: text("template").unwrap_or_else(|| "{body}".into()),
                encoding: Encoding::parse(&text("encoding").unwrap_or_else(|| "hex".into()))?,
                prefix: text("prefix"),
                algorithm: Algorithm::parse(&text("algorithm").unwrap_or_else(|| "sha256".into()))?,
                json_fallback: c
                    .get("json_fallback")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                ..CustomScheme::new(
                    text("id").unwrap_or_default(),
                    text("signature_header").unwrap_or_default(),
                )
            }
            .build()
        }
        other => panic!("bad scheme value {other}"),
    }
}

fn body_of(case: &Case) -> Vec<u8> {
    match (&case.body, &case.body_base64, &case.body_repeat) {
        (Some(b), None, None) => b.as_bytes().to_vec(),
        (None, Some(b), None) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .expect("body_base64"),
        (None, None, Some(r)) => {
            format!("{}{}{}", r.before, r.text.repeat(r.count), r.after).into_bytes()
        }
        _ => panic!("{}: exactly one body field expected", case.name),
    }
}

/// Returns a description of the mismatch, or None when the case passed.
fn run_case(scheme: &Result<Scheme, hooksig::Error>, case: &Case) -> Option<String> {
    let body = body_of(case);
    let expect = case.expect.as_ref();
    let expected_error = expect.and_then(|e| e.get("error")).and_then(Value::as_str);
    let build = || -> Result<Verifier, hooksig::Error> {
        let mut b = Verifier::builder(scheme.clone()?).secrets(&case.secrets);
        if let Some(f) = &case.secret_format {
            b = b.secret_format(SecretFormat::parse(f)?);
        }
        if let Some(t) = case.tolerance {
            b = b.tolerance(t);
        }
        if let Some(j) = case.json_fallback {
            b = b.json_fallback(j);
        }
        b.build()
    };
    if case.op == "sign" {
        let v = match build() {
            Ok(v) => v,
            Err(e) => return Some(format!("building the verifier failed: {e}")),
        };
        let opts = SignOptions {
            timestamp: case.timestamp,
            id: case.id.as_deref(),
            event_type: case.event_type.as_deref(),
            url: case.request.as_ref().map(|r| r.url.as_str()),
            method: case.request.as_ref().map(|r| r.method.as_str()),
        };
        let got = match v.sign(&body, &opts) {
            Ok(h) => h,
            Err(e) => return Some(format!("sign failed: {e}")),
        };
        // Signing through the free function must agree with signing through the verifier.
        if case.secret_format.is_none() {
            let again = sign_with(v.scheme(), case.secrets[0].as_bytes(), &body, &opts);
            if again.as_ref() != Ok(&got) {
                return Some(format!("sign_with disagrees: {again:?} vs {got:?}"));
            }
        }
        let want = case.expect_headers.as_ref().expect("expect_headers");
        return (&got != want).then(|| format!("headers {got:?}, expected {want:?}"));
    }
    let now = case.now.expect("now");
    let outcome = build().and_then(|v| {
        let line = case.request.as_ref().map(|r| RequestLine {
            method: &r.method,
            url: &r.url,
        });
        v.verify_request_at(&case.headers, &body, line, now)
            .map(|r| {
                (
                    r.key_index,
                    r.timestamp,
                    r.id.clone(),
                    r.event_type.clone(),
                    r.dedupe_key(),
                    r.payload.into_owned(),
                )
            })
    });
    match (outcome, expected_error) {
        (Ok((key_index, ts, id, event, dedupe_key, payload)), None) => {
            let e = expect.expect("expect");
            let mut problems = Vec::new();
            if let Some(k) = e.get("key_index").and_then(Value::as_u64) {
                if k as usize != key_index {
                    problems.push(format!("key_index {key_index} != {k}"));
                }
            }
            if let Some(t) = e.get("timestamp") {
                if t.as_i64() != ts {
                    problems.push(format!("timestamp {ts:?} != {t}"));
                }
            }
            if let Some(i) = e.get("id") {
                if i.as_str() != id.as_deref() {
                    problems.push(format!("id {id:?} != {i}"));
                }
            }
            if let Some(ev) = e.get("event_type") {
                if ev.as_str() != event.as_deref() {
                    problems.push(format!("event_type {event:?} != {ev}"));
                }
            }
            if let Some(k) = e.get("dedupe_key") {
                if k.as_str() != Some(dedupe_key.as_str()) {
                    problems.push(format!("dedupe_key {dedupe_key:?} != {k}"));
                }
            }
            let want_payload = e
                .get("payload")
                .and_then(Value::as_str)
                .map(|p| p.as_bytes().to_vec())
                .unwrap_or_else(|| body.clone());
            if payload != want_payload {
                problems.push("payload differs".into());
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        (Ok(_), Some(code)) => Some(format!("verified, expected error {code}")),
        (Err(err), None) => Some(format!(
            "failed with {} ({err}), expected success",
            err.code()
        )),
        (Err(err), Some(code)) => {
            let mut problems = Vec::new();
            if err.code().as_str() != code {
                problems.push(format!("code {} ({err}), expected {code}", err.code()));
            }
            if let Some(h) = expect.and_then(|e| e.get("header")).and_then(Value::as_str) {
                if err.header() != Some(h) {
                    problems.push(format!("header {:?}, expected {h}", err.header()));
                }
            }
            for secret in &case.secrets {
                if secret.len() >= 8 && err.to_string().contains(secret.as_str()) {
                    problems.push("the message contains a secret".into());
                }
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
    }
}

#[test]
fn every_vector_file_passes() {
    let mut files: Vec<_> = fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files found");
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &files {
        let text = fs::read_to_string(path).expect("readable");
        let file: File =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut blocks = file.blocks;
        if let Some(scheme) = file.scheme {
            blocks.push(Block {
                scheme,
                cases: file.cases,
            });
        }
        for block in &blocks {
            let scheme = scheme_from(&block.scheme);
            for case in &block.cases {
                count += 1;
                if let Some(problem) = run_case(&scheme, case) {
                    failures.push(format!(
                        "{} / {}: {problem}",
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        case.name
                    ));
                }
            }
        }
    }
    assert!(count > 0, "no cases ran");
    assert!(
        failures.is_empty(),
        "{} of {count} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} vector cases passed");
}
