//! The CLI round-trips every scheme and reports rejections with codes and exit statuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const NOW: &str = "1767225600";

fn hooksig(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hooksig"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the hooksig binary starts");
    // A process that exits on a usage error before reading its input closes the pipe early.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("hooksig finishes")
}

fn secret(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => {
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        }
        // The public keys of the test vectors' key pairs (tests/vectors/generate.py).
        "discord" => "111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f",
        "sendgrid" => {
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElFIjjAuEstvLb81vxyZKFvImrQDm5bSPTuc26V0xAB+qDpml4Ngc7owekYYpSASUGkwdJ96IjWAWWOUphLqO+Q=="
        }
        _ => "whsec_cli_test",
    }
}

/// What signs for `scheme`: the secret, or the private key of a public-key scheme.
fn signing_secret(scheme: &str) -> &'static str {
    match scheme {
        "discord" => {
            "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f"
        }
        "sendgrid" => {
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAASUUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75"
        }
        other => secret(other),
    }
}

/// The URL the round-trip tests sign for (twilio, square and hubspot sign it; others ignore it).
const URL: &str = "https://example.com/webhooks";

fn sign(scheme: &str, body: &[u8]) -> Vec<String> {
    let out = hooksig(
        &[
            "sign",
            "--scheme",
            scheme,
            "--secret",
            signing_secret(scheme),
            "--timestamp",
            NOW,
            "--id",
            "msg_1",
            "--url",
            URL,
            "-",
        ],
        body,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8 headers")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn verify(scheme: &str, headers: &[String], body: &[u8], now: &str) -> Output {
    let wrong = match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => {
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        }
        // Another key pair's public keys.
        "discord" => "4008e0dc74ade17d9e6a748ac74416cf836b74571109fe70bfc8b443f59bfa24",
        "sendgrid" => {
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaKfDalOOlU4yHt6x09m6At8Ic1nZaxSVQIEtKBB8O23r34/i7/1URpqEfIFu8yrTwxXpW488VbGJ2Rx+CmDZkg=="
        }
        _ => "not-it",
    };
    let mut args = vec!["verify", "--scheme", scheme, "--secret", wrong, "--secret"];
    args.push(secret(scheme));
    args.extend(["--now", now, "--url", URL]);
    for h in headers {
        args.extend(["-H", h.as_str()]);
    }
    args.push("-");
    hooksig(&args, body)
}

#[test]
fn schemes_lists_every_builtin() {
    let out = hooksig(&["schemes"], b"");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().collect::<Vec<_>>(), hooksig::SCHEME_IDS);
}

#[test]
fn sign_then_verify_round_trips_every_scheme() {
    // `webhookTimestamp` and `time_ms` (milliseconds) are Linear's and Pusher's signed timestamps.
    let body = br#"{"id":"evt_1","event_id":"evt_1","type":"a.b","webhookTimestamp":1767225600000,"time_ms":1767225600000}"#;
    for scheme in hooksig::SCHEME_IDS {
        let headers = sign(scheme, body);
        assert!(!headers.is_empty(), "{scheme}: no headers printed");
        let out = verify(scheme, &headers, body, NOW);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{scheme}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("key_index: 1"), "{scheme}: {stdout}");
    }
}

#[test]
fn rejections_exit_1_with_their_code() {
    let body = b"{\"n\":1}";
    let headers = sign("algoguard", body);
    let cases: [(&[u8], &str, &str); 2] = [
        (b"{\"n\":2}", NOW, "signature_mismatch"),
        (body, "1767226000", "timestamp_expired"),
    ];
    for (body, now, code) in cases {
        let out = verify("algoguard", &headers, body, now);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(code), "{stderr}");
        assert!(
            !stderr.contains("whsec_cli_test"),
            "secret leaked: {stderr}"
        );
    }
    let out = hooksig(
        &[
            "verify",
            "--scheme",
            "algoguard",
            "--secret",
            "wrong",
            "--now",
            NOW,
            "-H",
            &headers[0],
            "-H",
            &headers[1],
            "-",
        ],
        body,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("signature_mismatch"));
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    let out = hooksig(&["verify", "--scheme", "nope", "--secret", "k", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("unknown_scheme"));
    let out = hooksig(
        &["verify", "--scheme", "github", "--secret", " k", "-"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("invalid_secret"));
    let out = hooksig(
        &[
            "verify", "--scheme", "github", "-H", "no colon", "--secret", "k", "-",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let out = hooksig(&["frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_runs_clean() {
    let out = hooksig(&["demo"], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for scheme in hooksig::SCHEME_IDS {
        assert!(text.contains(scheme));
    }
    assert!(text.contains("signature_mismatch") && text.contains("timestamp_expired"));
}

/// A secret pasted into any argument never comes back in a message (text or --json).
#[test]
fn no_error_echoes_a_secret_given_in_the_wrong_argument() {
    let leak = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let tail = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let retry_leak = format!("--retry={leak}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["verify", "--scheme", leak, "--secret", "k", "-"],
        vec!["sign", "--scheme", leak, "--secret", "k", "-"],
        vec!["verify", "--scheme", "github", "--secret-env", leak, "-"],
        vec![
            "verify",
            "--scheme",
            "github",
            "--secret-env",
            "HOME",
            "--secret-env",
            leak,
            "-",
        ],
        vec![
            "verify",
            "--scheme",
            "github",
            "--secret",
            "k",
            "--secret-format",
            leak,
            "-",
        ],
        vec![
            "verify", "--scheme", "github", "--secret", "k", "-H", leak, "-",
        ],
        vec![
            "verify",
            "--scheme",
            "github",
            "--secret",
            "k",
            "--tolerance",
            leak,
            "-",
        ],
        vec![
            "verify", "--scheme", "github", "--secret", "k", "--now", leak, "-",
        ],
        vec!["verify", "--scheme", "github", "--secret", "k", leak],
        vec!["verify", "--scheme", "github", "--secret", "k", "-", leak],
        vec![
            "sign",
            "--scheme",
            "github",
            "--secret",
            "k",
            "--timestamp",
            leak,
            "-",
        ],
        vec![
            "send",
            "http://127.0.0.1:9/",
            "--scheme",
            "github",
            "--secret",
            "k",
            &retry_leak,
            "-",
        ],
        vec![
            "send",
            "http://127.0.0.1:9/",
            "--scheme",
            "github",
            "--secret",
            "k",
            "--timeout",
            leak,
            "-",
        ],
        vec!["listen", "--scheme", leak, "--secret", "k", "--port", "0"],
        vec![
            "listen", "--scheme", "github", "--secret", "k", "--port", leak,
        ],
        vec![leak],
    ];
    for args in cases {
        for json in [false, true] {
            let mut all = if json { vec!["--json"] } else { vec![] };
            all.extend(&args);
            let out = hooksig(&all, b"{}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{all:?}: {stderr}{stdout}");
            assert!(
                !stderr.contains(tail) && !stdout.contains(tail),
                "{all:?} echoed the secret:\n{stderr}{stdout}"
            );
            assert!(
                !(stderr.trim().is_empty() && stdout.trim().is_empty()),
                "{all:?}: no message"
            );
        }
    }
    // The messages name the argument instead.
    let out = hooksig(
        &["verify", "--scheme", "github", "--secret-env", leak, "-"],
        b"",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--secret-env") && stderr.contains("NAME"),
        "{stderr}"
    );
    let out = hooksig(&["verify", "--scheme", leak, "--secret", "k", "-"], b"");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("unknown_scheme: --scheme"), "{stderr}");
}

/// `--json verify` carries the authenticated bytes exactly, control characters included, even
/// when stdout is a pipe (the colour layer used to strip U+007F and escape sequences).
#[test]
fn json_verify_payload_round_trips_control_characters() {
    let text = "{\"a\":\"del\u{7f} esc\u{1b}[31m nul\u{0} bel\u{7} c1\u{9b}31m tab\t cr\r\"}";
    let body = text.as_bytes();
    let headers = sign("algoguard", body);
    let mut args = vec!["--json", "verify", "--scheme", "algoguard", "--secret"];
    args.push(secret("algoguard"));
    args.extend(["--now", NOW]);
    for h in &headers {
        args.extend(["-H", h.as_str()]);
    }
    args.push("-");
    let out = hooksig(&args, body);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(v["payload"].as_str(), Some(text));
    // Bytes that are not UTF-8 come back exactly too, as base64.
    let body: &[u8] = b"{\"a\":\"\xff\xfe\x7f\"}";
    let headers = sign("algoguard", body);
    let mut args = vec!["--json", "verify", "--scheme", "algoguard", "--secret"];
    args.push(secret("algoguard"));
    args.extend(["--now", NOW]);
    for h in &headers {
        args.extend(["-H", h.as_str()]);
    }
    args.push("-");
    let out = hooksig(&args, body);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert!(v["payload"].is_null(), "{v}");
    assert_eq!(v["payload_base64"], "eyJhIjoi//5/In0=");
}

mod network {
    //! `send` against `listen` on 127.0.0.1, retries against a flaky receiver.

    use super::*;
    use std::io::{BufRead, BufReader, Read};
    use std::net::{TcpListener, TcpStream};
    use std::process::Child;

    /// Starts `hooksig listen` on a free port; returns the child and its port.
    fn listen(
        scheme: &str,
        max_requests: usize,
    ) -> (Child, u16, BufReader<std::process::ChildStdout>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hooksig"))
            .args([
                "--json",
                "listen",
                "--scheme",
                scheme,
                "--secret",
                secret(scheme),
                "--port",
                "0",
            ])
            .args(["--max-requests", &max_requests.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("listen starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("listening line");
        let v: serde_json::Value = serde_json::from_str(&first).expect("json");
        let url = v["listening"].as_str().expect("url");
        let port = url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        (child, port, out)
    }

    /// A raw HTTP/1.1 POST; returns the status code.
    fn post(port: u16, headers: &[(String, String)], body: &[u8]) -> u16 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let mut req = format!(
            "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).expect("write");
        s.write_all(body).expect("write body");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status")
    }

    /// Kills the process when dropped, so a failed assertion leaves nothing running.
    struct Running(Child);

    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// `hooksig listen` (no request limit) with extra arguments; returns it and its port.
    fn listen_forever(extra: &[&str]) -> (Running, u16) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hooksig"))
            .args([
                "--json", "listen", "--scheme", "github", "--secret", "k", "--port", "0",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("listen starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("listening line");
        let v: serde_json::Value = serde_json::from_str(&first).expect("json");
        let port = v["listening"]
            .as_str()
            .and_then(|u| u.trim_end_matches('/').rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .expect("port");
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in out.lines() {});
        (Running(child), port)
    }

    /// A validly signed GitHub delivery; returns the answer's status line (or the error).
    fn valid_request(port: u16, wait: std::time::Duration) -> Result<String, String> {
        let body = br#"{"zen":"ok"}"#;
        let headers =
            hooksig::sign("github", b"k", body, &hooksig::SignOptions::default()).expect("signs");
        let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(wait)).expect("timeout");
        let mut req = format!(
            "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-GitHub-Event: ping\r\nX-GitHub-Delivery: {}\r\nContent-Length: {}\r\n",
            super::unix_now(),
            body.len()
        );
        for (n, v) in &headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        s.write_all(body).map_err(|e| e.to_string())?;
        let mut answer = String::new();
        s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
        Ok(answer.lines().next().unwrap_or_default().to_owned())
    }

    /// Whether the server has answered (or closed) this connection yet, without waiting.
    fn answered(s: &TcpStream) -> bool {
        s.set_nonblocking(true).expect("nonblocking");
        let mut byte = [0u8; 1];
        let r = s.peek(&mut byte);
        s.set_nonblocking(false).expect("blocking");
        !matches!(r, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
    }

    #[test]
    fn a_stalled_body_does_not_block_other_requests() {
        // Default settings (a 10 s read deadline): the checks below happen well within it.
        let (_server, port) = listen_forever(&[]);
        let mut stalled = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stalled
            .write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
            .expect("write");
        // Let a worker pick up the stalled request first.
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            !answered(&stalled),
            "the stalled request was answered early"
        );
        // Generous bound: on the old server this read never completed.
        let status = valid_request(port, std::time::Duration::from_secs(30));
        assert_eq!(
            status.as_deref(),
            Ok("HTTP/1.1 200 OK"),
            "second request not answered while the first is stalled"
        );
        // It was answered while the first one was still stalled and unanswered.
        assert!(
            !answered(&stalled),
            "the stalled request was answered (not stalled any more)"
        );
    }

    #[test]
    fn a_stalled_body_is_answered_408_at_the_deadline() {
        let (_server, port) = listen_forever(&["--read-timeout", "1"]);
        let mut stalled = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stalled
            .write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
            .expect("write");
        stalled
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let mut answer = String::new();
        stalled.read_to_string(&mut answer).expect("answered");
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
        assert!(
            answer.ends_with(
                &hooksig::receive::Answer::refused(hooksig::receive::Refusal::RequestTimeout).body
            ),
            "{answer}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn idle_connections_do_not_make_threads() {
        // Default settings: 8 workers, a 10 s read deadline.
        let (server, port) = listen_forever(&[]);
        let threads = || {
            std::fs::read_to_string(format!("/proc/{}/status", server.0.id()))
                .expect("status")
                .lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .expect("Threads:")
        };
        let idle: Vec<TcpStream> = (0..100)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
            .collect();
        // More slow clients than workers, each stalled mid-body.
        let stalled: Vec<TcpStream> = (0..20)
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                s.write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
                    .expect("write");
                s
            })
            .collect();
        // Give a thread-per-connection server time to start its threads.
        std::thread::sleep(std::time::Duration::from_millis(800));
        let n = threads();
        assert!(
            n <= 8 + 2,
            "{n} threads for 120 idle or stalled connections"
        );
        // Neither the idle nor the stalled ones hold a worker: a valid request is answered
        // while all of them are still open and unanswered.
        let status = valid_request(port, std::time::Duration::from_secs(30));
        assert_eq!(status.as_deref(), Ok("HTTP/1.1 200 OK"));
        assert!(
            idle.iter().chain(&stalled).all(|s| !answered(s)),
            "a waiting connection was answered or closed early"
        );
        assert!(threads() <= 8 + 2);
    }

    #[test]
    fn connections_beyond_the_limit_are_told_to_retry() {
        let (_server, port) = listen_forever(&["--max-connections", "4"]);
        let _held: Vec<TcpStream> = (0..4)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let mut extra = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        extra
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let mut answer = String::new();
        extra.read_to_string(&mut answer).expect("answered");
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains("Retry-After: 1"), "{answer}");
        assert!(
            answer.ends_with(r#"{"error":"server_busy","message":"the server is at its connection or queue limit; retry shortly"}"#),
            "{answer}"
        );
    }

    #[test]
    fn listen_answers_vendor_handshakes_itself() {
        for (scheme, body, extra, want_type, want_body) in [
            (
                "slack",
                r#"{"token":"t","challenge":"c-123","type":"url_verification"}"#,
                "",
                "application/json",
                r#"{"challenge":"c-123"}"#,
            ),
            (
                "twitch",
                r#"{"challenge":"pogchamp","subscription":{}}"#,
                "Twitch-Eventsub-Message-Type: webhook_callback_verification\r\n",
                "text/plain; charset=utf-8",
                "pogchamp",
            ),
        ] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_hooksig"))
                .args([
                    "--json", "listen", "--scheme", scheme, "--secret", "k3y", "--port", "0",
                ])
                .stdout(Stdio::piped())
                .spawn()
                .expect("listen starts");
            let mut out = BufReader::new(child.stdout.take().expect("stdout"));
            let mut first = String::new();
            out.read_line(&mut first).expect("listening line");
            let v: serde_json::Value = serde_json::from_str(&first).expect("json");
            let port: u16 = v["listening"]
                .as_str()
                .and_then(|u| u.trim_end_matches('/').rsplit(':').next())
                .and_then(|p| p.parse().ok())
                .expect("port");
            std::thread::spawn(move || for _ in out.lines() {});
            let _server = Running(child);
            let opts = hooksig::SignOptions {
                id: Some("m-1"),
                ..hooksig::SignOptions::default()
            };
            let headers = hooksig::sign(scheme, b"k3y", body.as_bytes(), &opts).expect("signs");
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            let mut req = format!(
                "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n{extra}",
                body.len()
            );
            for (n, v) in &headers {
                req.push_str(&format!("{n}: {v}\r\n"));
            }
            req.push_str("\r\n");
            req.push_str(body);
            s.write_all(req.as_bytes()).expect("write");
            let mut answer = String::new();
            s.read_to_string(&mut answer).expect("read");
            assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
            assert!(
                answer.contains(&format!("Content-Type: {want_type}\r\n")),
                "{answer}"
            );
            assert!(
                answer.ends_with(&format!("\r\n\r\n{want_body}")),
                "{answer}"
            );
        }
    }

    #[test]
    fn listen_answers_chunked_and_expect_continue_bodies() {
        let (_server, port) = listen_forever(&[]);
        let body = br#"{"zen":"chunked"}"#;
        let headers =
            hooksig::sign("github", b"k", body, &hooksig::SignOptions::default()).expect("signs");
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let mut req = "POST /hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n".to_owned();
        for (n, v) in &headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).expect("write");
        let mut cont = Vec::new();
        while !cont.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8; 1];
            s.read_exact(&mut byte).expect("100 Continue");
            cont.push(byte[0]);
        }
        assert!(cont.starts_with(b"HTTP/1.1 100 "), "{cont:?}");
        let (a, b) = body.split_at(5);
        s.write_all(format!("{:x}\r\n", a.len()).as_bytes())
            .expect("w");
        s.write_all(a).expect("w");
        s.write_all(format!("\r\n{:x};ext=1\r\n", b.len()).as_bytes())
            .expect("w");
        s.write_all(b).expect("w");
        s.write_all(b"\r\n0\r\n\r\n").expect("w");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        // A 3 MiB body arrives in many reads and is verified whole.
        let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(3 << 20));
        let headers = hooksig::sign(
            "github",
            b"k",
            big.as_bytes(),
            &hooksig::SignOptions::default(),
        )
        .expect("signs");
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let mut req = format!(
            "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n",
            big.len()
        );
        for (n, v) in &headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).expect("write");
        for piece in big.as_bytes().chunks(100_000) {
            s.write_all(piece).expect("write");
        }
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        // Too large for the limit: refused before the body is read.
        let status = {
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")
                .expect("write");
            let mut answer = String::new();
            s.read_to_string(&mut answer).expect("read");
            answer.lines().next().unwrap_or_default().to_owned()
        };
        assert!(status.starts_with("HTTP/1.1 413 "), "{status}");
    }

    #[test]
    fn send_to_listen_for_every_scheme_and_tampered_bodies_rejected() {
        for scheme in hooksig::SCHEME_IDS {
            // Linear's and Pusher's signed timestamps are in the body (milliseconds).
            let ms = super::unix_now() * 1000;
            let body = format!(
                r#"{{"id":"evt_9","event_id":"evt_9","type":"t","event":"t","event_type":"t","webhookTimestamp":{ms},"time_ms":{ms}}}"#
            );
            let body = body.as_bytes();
            let (mut child, port, mut out) = listen(scheme, 2);
            let sent = hooksig(
                &[
                    "send",
                    &format!("http://127.0.0.1:{port}/hook"),
                    "--scheme",
                    scheme,
                    "--secret",
                    signing_secret(scheme),
                    "--event-type",
                    "t",
                    "-",
                ],
                body,
            );
            assert!(
                sent.status.success(),
                "{scheme}: {}",
                String::from_utf8_lossy(&sent.stdout)
            );
            let signed = hooksig::sign(
                scheme,
                signing_secret(scheme).as_bytes(),
                body,
                &hooksig::SignOptions {
                    timestamp: Some(super::unix_now()),
                    id: Some("m1"),
                    event_type: None,
                    url: Some("http://127.0.0.1/hook"),
                    method: None,
                },
            )
            .expect("signs");
            assert_eq!(post(port, &signed, b"{\"id\":\"evt_X\"}"), 401, "{scheme}");
            child.wait().expect("listen exits after 2 requests");
            let lines: Vec<serde_json::Value> = (&mut out)
                .lines()
                .map(|l| serde_json::from_str(&l.expect("line")).expect("json"))
                .collect();
            assert_eq!(lines.len(), 2, "{scheme}: {lines:?}");
            assert_eq!(lines[0]["status"], 200, "{scheme}");
            assert_eq!(
                lines[0]["verified"]["payload"],
                String::from_utf8_lossy(body).as_ref()
            );
            assert_eq!(lines[1]["status"], 401);
            assert_eq!(lines[1]["error"]["code"], "signature_mismatch");
        }
    }

    #[test]
    fn send_retries_until_the_receiver_recovers() {
        let server = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = server.local_addr().expect("addr").port();
        let receiver = std::thread::spawn(move || {
            let verifier = hooksig::Verifier::new("algoguard", [secret("algoguard")]).expect("v");
            let mut seen = Vec::new();
            for (i, stream) in server.incoming().take(3).enumerate() {
                let mut stream = stream.expect("conn");
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut headers = Vec::new();
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).expect("line");
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((n, v)) = line.split_once(':') {
                        if n.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse().expect("len");
                        }
                        headers.push((n.trim().to_owned(), v.trim().to_owned()));
                    }
                }
                let mut body = vec![0; len];
                reader.read_exact(&mut body).expect("body");
                let ok = verifier.verify(&headers, &body).map(|r| r.id.clone());
                seen.push(ok.is_ok());
                let status = if i < 2 {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    )
                    .as_bytes(),
                );
            }
            seen
        });
        let out = hooksig(
            &[
                "--json",
                "send",
                &format!("http://127.0.0.1:{port}/"),
                "--scheme",
                "algoguard",
                "--secret",
                secret("algoguard"),
                "--retry=50ms,50ms,50ms",
                "-",
            ],
            br#"{"id":"evt_r"}"#,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let attempts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        let statuses: Vec<_> = attempts.iter().map(|a| a["status"].as_u64()).collect();
        assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
        assert_eq!(
            receiver.join().expect("receiver"),
            [true, true, true],
            "every attempt was validly signed"
        );
    }

    #[test]
    fn send_gives_up_after_the_schedule() {
        // Nothing listens on this port once the listener is dropped.
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let out = hooksig(
            &[
                "send",
                &format!("http://127.0.0.1:{port}/"),
                "--scheme",
                "github",
                "--secret",
                "k",
                "--retry=10ms",
                "--timeout",
                "2",
                "-",
            ],
            b"{}",
        );
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("attempt 1/2") && text.contains("attempt 2/2"),
            "{text}"
        );
    }

    #[test]
    fn retry_without_equals_keeps_the_body_file() {
        // `--retry body.json` is `--retry` (AlgoGuard's schedule) and the body file; the
        // missing file is reported as the body, not parsed as a schedule.
        let out = hooksig(
            &[
                "send",
                "http://127.0.0.1:9/",
                "--scheme",
                "github",
                "--secret",
                "k",
                "--retry",
                "/nonexistent/body.json",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot read the body file"), "{err}");
        assert!(!err.contains("not a duration"), "{err}");
    }

    #[test]
    fn sign_curl_prints_a_runnable_command() {
        let out = hooksig(
            &[
                "sign",
                "--scheme",
                "github",
                "--secret",
                "k",
                "--curl",
                "http://x/y",
                "-",
            ],
            b"{\"a\":\"it's\"}",
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("curl -i -X POST 'http://x/y'"), "{text}");
        assert!(text.contains("X-Hub-Signature-256: sha256="));
        assert!(
            text.contains(r#"--data-binary '{"a":"it'\''s"}'"#),
            "{text}"
        );
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[test]
fn the_readme_session_shows_real_output() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README");
    let body = br#"{"id":"evt_1","event":"license.created"}"#;
    let out = hooksig(
        &[
            "sign",
            "--scheme",
            "algoguard",
            "--secret",
            "whsec_demo",
            "--timestamp",
            "1767225600",
            "-",
        ],
        body,
    );
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        readme.contains(&printed),
        "README's sign output is stale:\n{printed}"
    );
    let sig = printed.lines().next().expect("line").to_owned();
    let out = hooksig(
        &[
            "verify",
            "--scheme",
            "algoguard",
            "--secret",
            "whsec_demo",
            "--now",
            "1767225600",
            "-H",
            &sig,
            "-H",
            "X-AlgoGuard-Timestamp: 1767225600",
            "-",
        ],
        body,
    );
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        readme.contains(&printed),
        "README's verify output is stale:\n{printed}"
    );
}
