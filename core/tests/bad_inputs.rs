//! The language-neutral hostile-input table (`tests/bad-inputs/cases.json`) through the core.

use hooksig::{Scheme, SignOptions, Verifier};
use serde_json::Value;

fn bytes(v: &Value) -> Vec<u8> {
    if let Some(t) = v.get("text").and_then(Value::as_str) {
        return t.as_bytes().to_vec();
    }
    if let Some(h) = v.get("hex").and_then(Value::as_str) {
        return hex::decode(h).expect("hex");
    }
    let text = v["repeat"].as_str().expect("repeat");
    text.repeat(v["count"].as_u64().expect("count") as usize)
        .into_bytes()
}

fn outcome(case: &Value) -> String {
    let scheme_id = case["scheme"].as_str().expect("scheme");
    let secrets: Vec<&str> = case["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let built = Scheme::named(scheme_id).and_then(|scheme| {
        let mut b = Verifier::builder(scheme).secrets(&secrets);
        if let Some(t) = case.get("tolerance").and_then(Value::as_i64) {
            b = b.tolerance(t);
        }
        b.build()
    });
    let verifier = match built {
        Ok(v) => v,
        Err(e) => return e.code().as_str().to_owned(),
    };
    let now = case["now"].as_i64().expect("now");
    let body = case
        .get("body")
        .map_or_else(|| br#"{"id":"evt_1"}"#.to_vec(), bytes);
    let ts = case
        .get("sign_timestamp")
        .and_then(Value::as_i64)
        .unwrap_or(now);
    let mut headers: Vec<(String, Vec<u8>)> = verifier
        .sign(&body, &SignOptions::at(ts))
        .expect("signs")
        .into_iter()
        .map(|(n, v)| (n, v.into_bytes()))
        .collect();
    if let Some(list) = case.get("headers").and_then(Value::as_array) {
        headers = list
            .iter()
            .map(|pair| (pair[0].as_str().expect("name").to_owned(), bytes(&pair[1])))
            .collect();
    }
    let scheme = verifier.scheme().clone();
    for (name, value) in &mut headers {
        if Some(name.as_str()) == scheme.timestamp_header() {
            if let Some(t) = case.get("timestamp_header").and_then(Value::as_str) {
                *value = t.as_bytes().to_vec();
            }
        }
        if name == scheme.signature_header() {
            if let Some(v) = case.get("signature_header") {
                *value = bytes(v);
            }
        }
    }
    match verifier.verify_at(&headers, &body, now) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().as_str().to_owned(),
    }
}

#[test]
fn the_bad_input_table_gives_its_documented_outcomes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/bad-inputs/cases.json"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("table")).expect("json");
    let mut wrong = Vec::new();
    let cases = doc["cases"].as_array().expect("cases");
    for case in cases {
        let got = outcome(case);
        if got != case["expect"] {
            wrong.push(format!(
                "{}: got {got}, expected {}",
                case["name"], case["expect"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(cases.len() >= 20);
}
