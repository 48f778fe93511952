//! The reference run of `tests/receivers/cases.json` (issue 13): every case through
//! `Verifier` + `ReplayGuard` + `Receiver` with a simulated handler, no HTTP. The HTTP runners of
//! every integration must observe what this test asserts.

#[path = "support/receivers_table.rs"]
mod table;

use hooksig::receive::{Answer, CONTENT_TYPE, GuardAnswer, HandlerOutcome, KeyAction, Receiver};
use hooksig::{ReplayGuard, RequestLine, Verifier};
use serde_json::Value;
use table::{body_bytes, request_headers, signed_url, table, unix_now};

/// One fresh receiver for a case, as an integration holds it.
struct Harness {
    verifier: Verifier,
    guard: Option<ReplayGuard>,
    receiver: Receiver,
    handler_calls: u64,
    /// The URL the receiver reads for every request (it serves one path).
    url: String,
}

/// The host and path the simulated receiver is reached at.
const HOST: &str = "127.0.0.1:8080";
const PATH: &str = "/webhooks";

impl Harness {
    fn new(case: &Value) -> Harness {
        let verifier = Verifier::new(
            case["scheme"].as_str().expect("scheme"),
            [case["secret"].as_str().expect("secret")],
        )
        .expect("verifier");
        let guard = match case.get("guard").and_then(Value::as_str) {
            Some("memory") => Some(ReplayGuard::for_verifier(&verifier)),
            None => None,
            Some(other) => panic!("guard {other}"),
        };
        let receiver = case
            .get("limit")
            .and_then(Value::as_u64)
            .map_or_else(Receiver::new, |l| {
                Receiver::with_limit(usize::try_from(l).expect("limit"))
            });
        Harness {
            verifier,
            guard,
            receiver,
            handler_calls: 0,
            url: signed_url(case, HOST, PATH),
        }
    }

    /// What an adapter does with one request; the handler is simulated per `handler`.
    fn serve(
        &mut self,
        method: &str,
        headers: &[(String, String)],
        body: &[u8],
        handler: &Value,
        now: i64,
    ) -> Answer {
        let r = self.receiver;
        if let Some(a) = r.start(method, Some(body.len() as u64)) {
            return a;
        }
        if body.len() > r.limit() {
            return r.body_too_large();
        }
        // What an integration reads: its public URL option, else the URL of the request.
        let line = RequestLine {
            method,
            url: &self.url,
        };
        let verified = match self.verifier.verify_request(headers, body, Some(line)) {
            Ok(v) => v,
            Err(e) => return r.rejected(&e),
        };
        // A vendor's endpoint handshake is answered by the policy: no handler, no key.
        if let Some((_, a)) = r.handshake(&self.verifier, &verified, headers) {
            return a;
        }
        let key = verified.dedupe_key();
        if let Some(guard) = &self.guard {
            let answer = GuardAnswer::from(guard.check_and_remember(&key, now));
            if let Some(a) = r.guarded(answer) {
                return a;
            }
        }
        self.handler_calls += 1;
        let (answer, outcome) = match handler {
            Value::String(s) if s == "ok" => {
                (Receiver::received(&verified), HandlerOutcome::Status(200))
            }
            Value::String(s) if s == "raise" => (
                Answer {
                    status: 500,
                    content_type: CONTENT_TYPE,
                    headers: Vec::new(),
                    body: String::new(),
                },
                HandlerOutcome::Raised,
            ),
            Value::Object(o) => {
                let status = u16::try_from(o["status"].as_u64().expect("status")).expect("u16");
                (
                    Answer {
                        status,
                        content_type: CONTENT_TYPE,
                        headers: Vec::new(),
                        body: r#"{"status":"handler_status"}"#.to_owned(),
                    },
                    HandlerOutcome::Status(status),
                )
            }
            other => panic!("handler {other}"),
        };
        if let Some(guard) = &self.guard {
            match r.finished(outcome) {
                KeyAction::Keep => {}
                KeyAction::Release => guard.forget(&key),
            }
        }
        answer
    }
}

#[test]
fn every_case_of_the_receiver_table() {
    let table = table();
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "the table shrank");
    let mut names = std::collections::HashSet::new();
    let mut requests = 0;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        assert!(names.insert(name), "duplicate case name {name}");
        let mut h = Harness::new(case);
        for (i, req) in case["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .enumerate()
        {
            requests += 1;
            let now = unix_now();
            let method = req["method"].as_str().expect("method");
            let body = body_bytes(&req["body"]);
            let headers = request_headers(case, req, &body, now, &signed_url(case, HOST, PATH));
            let mut answer = h.serve(method, &headers, &body, &req["handler"], now);
            if method == "HEAD" {
                answer.body.clear(); // servers drop a HEAD answer's body
            }
            let expect = &req["expect"];
            let at = format!("{name} / request {i}");
            assert_eq!(
                u64::from(answer.status),
                expect["status"].as_u64().expect("status"),
                "{at}: status (body {})",
                answer.body
            );
            if let Some(body) = expect.get("body") {
                assert_eq!(answer.body, body.as_str().expect("body"), "{at}: body");
            }
            if let Some(want) = expect.get("headers").and_then(Value::as_object) {
                for (n, v) in want {
                    // The answer's Content-Type is its own field, written like a header.
                    let got = if n.eq_ignore_ascii_case("content-type") {
                        Some(answer.content_type)
                    } else {
                        answer
                            .headers
                            .iter()
                            .find(|(h, _)| h.eq_ignore_ascii_case(n))
                            .map(|(_, v)| v.as_str())
                    };
                    assert_eq!(got, v.as_str(), "{at}: header {n}");
                }
            }
            assert_eq!(
                h.handler_calls,
                expect["handler_calls"].as_u64().expect("handler_calls"),
                "{at}: handler calls"
            );
        }
    }
    println!("receiver table: {} cases, {requests} requests", cases.len());
}

#[test]
fn the_table_covers_what_issue_13_asks_for() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/receivers/cases.json"
    ))
    .expect("cases.json");
    for needle in [
        "\"GET\"",
        "\"HEAD\"",
        "\"PUT\"",
        "\"raise\"",
        "422",
        "\"hex\"",
        "\"upper\"",
        "\"mixed\"",
        "extra_headers",
        "\"limit\"",
        "text/plain",
        "-400",
        "timestamp_in_future",
        "missing_id",
        "malformed_timestamp",
        "body_too_large",
        "duplicate",
        "url_verification",
        "endpoint.url_validation",
        "webhook_callback_verification",
        "text/plain; charset=utf-8",
    ] {
        assert!(text.contains(needle), "the table lost {needle}");
    }
}
