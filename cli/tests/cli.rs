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
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write body");
    child.wait_with_output().expect("hooksig finishes")
}

fn secret(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        _ => "whsec_cli_test",
    }
}

fn sign(scheme: &str, body: &[u8]) -> Vec<String> {
    let out = hooksig(
        &[
            "sign",
            "--scheme",
            scheme,
            "--secret",
            secret(scheme),
            "--timestamp",
            NOW,
            "--id",
            "msg_1",
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
        "standard-webhooks" | "svix" => "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        _ => "not-it",
    };
    let mut args = vec!["verify", "--scheme", scheme, "--secret", wrong, "--secret"];
    args.push(secret(scheme));
    args.extend(["--now", now]);
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
    let body = br#"{"id":"evt_1","event_id":"evt_1","type":"a.b"}"#;
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

    #[test]
    fn send_to_listen_for_every_scheme_and_tampered_bodies_rejected() {
        let body = br#"{"id":"evt_9","event_id":"evt_9","type":"t","event":"t","event_type":"t"}"#;
        for scheme in hooksig::SCHEME_IDS {
            let (mut child, port, mut out) = listen(scheme, 2);
            let sent = hooksig(
                &[
                    "send",
                    &format!("http://127.0.0.1:{port}/hook"),
                    "--scheme",
                    scheme,
                    "--secret",
                    secret(scheme),
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
                secret(scheme).as_bytes(),
                body,
                &hooksig::SignOptions {
                    timestamp: Some(super::unix_now()),
                    id: Some("m1"),
                    event_type: None,
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
                "--retry",
                "50ms,50ms,50ms",
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
                "--retry",
                "10ms",
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
