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
