//! `tests/receivers/cases.json` over real HTTP against `hooksig listen` (issue 13): one fresh
//! `listen` process per case, raw HTTP/1.1 requests, and the exact status, body and headers the
//! core's reference run (`core/tests/receivers.rs`) asserts. `listen` counts as a handler run
//! every request it prints as verified (its `--json` lines).
//!
//! `listen` has no user handler: it always answers the success body. Cases with a `raise` or
//! `{"status": N}` handler row are therefore NOT APPLICABLE here; they are listed and counted as
//! such, never as passed.

#[path = "../../core/tests/support/receivers_table.rs"]
mod table;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;
use table::{body_bytes, request_headers, signed_url, table, unix_now};

/// Kills the process when dropped, so a failed assertion leaves nothing running.
struct Listen {
    child: Child,
    port: u16,
    /// Lines printed (one per request) and how many of them were verified deliveries.
    lines: Arc<AtomicUsize>,
    verified: Arc<AtomicUsize>,
}

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(case: &Value) -> Listen {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hooksig"));
    cmd.args(["--json", "listen", "--port", "0", "--scheme"])
        .arg(case["scheme"].as_str().expect("scheme"))
        .arg("--secret")
        .arg(case["secret"].as_str().expect("secret"));
    if let Some(limit) = case.get("limit").and_then(Value::as_u64) {
        cmd.args(["--max-body", &limit.to_string()]);
    }
    if let Some(base) = case.get("public_url").and_then(Value::as_str) {
        cmd.args(["--public-url", base]);
    }
    match case.get("guard").and_then(Value::as_str) {
        Some("memory") => {}
        None => {
            cmd.arg("--no-replay-guard");
        }
        Some(other) => panic!("guard {other}"),
    }
    let mut child = cmd.stdout(Stdio::piped()).spawn().expect("listen starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("listening line");
    let v: Value = serde_json::from_str(&first).expect("json");
    let port = v["listening"]
        .as_str()
        .and_then(|u| u.trim_end_matches('/').rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .expect("port");
    let (lines, verified) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (l, vf) = (Arc::clone(&lines), Arc::clone(&verified));
    std::thread::spawn(move || {
        for line in out.lines() {
            let Ok(line) = line else { return };
            let v: Value = serde_json::from_str(&line).unwrap_or_default();
            if v.get("verified").is_some() {
                vf.fetch_add(1, Ordering::SeqCst);
            }
            l.fetch_add(1, Ordering::SeqCst);
        }
    });
    Listen {
        child,
        port,
        lines,
        verified,
    }
}

/// The answer as the client saw it.
struct Http {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn send(port: u16, method: &str, headers: &[(String, String)], body: &[u8]) -> Http {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut req = format!(
        "{method} /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Test-Handler: ok\r\n"
    );
    if !(body.is_empty() && matches!(method, "GET" | "HEAD" | "DELETE")) {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    // The server may answer (413, 405) and close before reading the whole body.
    let _ = s.write_all(&bytes);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Http {
        status,
        headers,
        body: String::from_utf8_lossy(&raw[split + 4..]).into_owned(),
    }
}

/// Waits until `listen` printed `n` lines (it prints before it answers, but the pipe lags).
fn wait_lines(listen: &Listen, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while listen.lines.load(Ordering::SeqCst) < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Runs one case; `Err` describes the first difference.
fn run_case(case: &Value) -> Result<(), String> {
    let listen = start(case);
    for (i, req) in case["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .enumerate()
    {
        let method = req["method"].as_str().expect("method");
        let body = body_bytes(&req["body"]);
        let url = signed_url(case, "127.0.0.1", "/webhooks");
        let headers = request_headers(case, req, &body, unix_now(), &url);
        let answer = send(listen.port, method, &headers, &body);
        wait_lines(&listen, i + 1);
        let expect = &req["expect"];
        let at = format!("request {i}");
        if u64::from(answer.status) != expect["status"].as_u64().expect("status") {
            return Err(format!(
                "{at}: status {} (body {}), expected {}",
                answer.status, answer.body, expect["status"]
            ));
        }
        if let Some(want) = expect.get("body").and_then(Value::as_str) {
            if answer.body != want {
                return Err(format!("{at}: body {:?}, expected {want:?}", answer.body));
            }
        }
        let content_type = answer
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        // An expected Content-Type (Twitch's text/plain) is compared with the headers below.
        let typed = expect
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|n| n.eq_ignore_ascii_case("content-type")));
        if !typed && content_type != Some("application/json") {
            return Err(format!("{at}: Content-Type {content_type:?}"));
        }
        if let Some(want) = expect.get("headers").and_then(Value::as_object) {
            for (n, v) in want {
                let got = answer
                    .headers
                    .iter()
                    .find(|(h, _)| h.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.as_str());
                if got != v.as_str() {
                    return Err(format!("{at}: header {n} = {got:?}, expected {v}"));
                }
            }
        }
        let calls = listen.verified.load(Ordering::SeqCst) as u64;
        if calls != expect["handler_calls"].as_u64().expect("handler_calls") {
            return Err(format!(
                "{at}: {calls} handler runs, expected {}",
                expect["handler_calls"]
            ));
        }
    }
    Ok(())
}

#[test]
fn the_receiver_table_over_http_against_listen() {
    let table = table();
    let cases = table["cases"].as_array().expect("cases");
    let (tx, rx) = mpsc::channel();
    let mut not_applicable = Vec::new();
    let mut runnable = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name").to_owned();
        let handlers_ok = case["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .all(|r| r["handler"] == "ok");
        if handlers_ok {
            runnable.push(case.clone());
        } else {
            not_applicable.push(name);
        }
    }
    // Two cases at a time (the machine has two cores; each case is its own process).
    let runnable = Arc::new(std::sync::Mutex::new(runnable));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (runnable, tx) = (Arc::clone(&runnable), tx.clone());
            std::thread::spawn(move || {
                loop {
                    let next = runnable.lock().expect("lock").pop();
                    let Some(case) = next else { return };
                    let name = case["name"].as_str().unwrap_or_default().to_owned();
                    let _ = tx.send((name, run_case(&case)));
                }
            })
        })
        .collect();
    drop(tx);
    let results: Vec<(String, Result<(), String>)> = rx.iter().collect();
    for t in threads {
        t.join().expect("runner thread");
    }
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for name in &not_applicable {
        println!("not applicable: {name} (listen has no user handler: raise/status rows)");
    }
    for (name, r) in &failed {
        println!(
            "FAILED: {name}: {}",
            r.as_ref().err().cloned().unwrap_or_default()
        );
    }
    println!(
        "receivers over HTTP (hooksig listen): {} passed, {} failed, {} not applicable, of {} cases",
        results.len() - failed.len(),
        failed.len(),
        not_applicable.len(),
        cases.len()
    );
    assert!(failed.is_empty(), "{} cases failed", failed.len());
    assert!(results.len() >= 50, "too few cases ran: {}", results.len());
}

/// Raw bytes in, the whole answer out (the client half-closes after writing).
fn raw_exchange(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let _ = s.write_all(request);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer
}

#[test]
fn listen_answers_the_core_bodies_for_what_the_table_cannot_express() {
    let case =
        serde_json::json!({"scheme": "github", "secret": "k", "guard": "memory", "limit": 16});
    let listen = start(&case);
    // A chunked body that grows past --max-body: 413 body_too_large.
    let answer = raw_exchange(
        listen.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nx\r\n0\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(
        answer.ends_with(r#"{"error":"body_too_large","message":"the request body is larger than the receiver accepts"}"#),
        "{answer}"
    );
    // A body cut short (the client closed): 400 body_read_failed.
    let answer = raw_exchange(
        listen.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}",
    );
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        answer.ends_with(
            r#"{"error":"body_read_failed","message":"the request body could not be read"}"#
        ),
        "{answer}"
    );
    // Bad chunked framing: 400 body_read_failed.
    let answer = raw_exchange(
        listen.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    );
    assert!(answer.contains(r#""error":"body_read_failed""#), "{answer}");
    // A method other than POST, with Expect: 100-continue: 405 at once, no 100 Continue.
    let answer = raw_exchange(
        listen.port,
        b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    assert!(
        answer.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
        "{answer}"
    );
    assert!(answer.contains("\r\nAllow: POST\r\n"), "{answer}");
}
