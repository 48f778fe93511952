//! The in-memory replay guard under the two attacks of issue 12 (items 2 and 4), as figures.
//!
//! `cargo run --release -p hooksig-core --example replay_memory`
//!
//! 1. 2 000 000 `check_and_remember` + `forget` cycles of one key (a handler that always
//!    fails): resident memory growth.
//! 2. 20 000 replays of one captured GitHub delivery, each with a different 8 KiB
//!    `X-GitHub-Delivery` header (not covered by the signature), through `verify` and the guard:
//!    how many times the handler would run, and resident memory growth.
//!
//! Not a test: it prints one JSON line per attack.

use hooksig::{ReplayGuard, SignOptions, Verifier};

/// Resident set size in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let now = 1_767_225_600;

    let guard = ReplayGuard::new(300, hooksig::DEFAULT_REPLAY_CAPACITY);
    let before = rss_kib();
    // One clock value: nothing expires, so only `forget` could ever drop the rows.
    for _ in 0..2_000_000 {
        assert!(guard.check_and_remember("github:sig:00112233445566778899aabbccddeeff", now));
        guard.forget("github:sig:00112233445566778899aabbccddeeff");
    }
    println!(
        r#"{{"attack":"2M check+forget cycles of one key","rss_growth_kib":{}}}"#,
        rss_kib().saturating_sub(before)
    );

    let v = Verifier::new("github", ["It's a Secret to Everybody"]).expect("verifier");
    let body = br#"{"action":"opened","number":1}"#;
    let signed = v
        .sign(
            body,
            &SignOptions {
                id: Some("d-1"),
                ..SignOptions::default()
            },
        )
        .expect("sign");
    let guard = ReplayGuard::for_verifier(&v);
    let before = rss_kib();
    let mut handler_runs = 0;
    for i in 0..20_000 {
        let mut headers = signed.clone();
        for (name, value) in &mut headers {
            if name == "X-GitHub-Delivery" {
                *value = format!("{i:08}{}", "x".repeat(8184));
            }
        }
        let ok = v.verify_at(&headers, body, now).expect("authentic");
        if guard.check_and_remember(&ok.dedupe_key(), now) {
            handler_runs += 1;
        }
    }
    println!(
        r#"{{"attack":"20000 github replays, 8 KiB edited delivery ids","handler_runs":{handler_runs},"guard_keys":{},"rss_growth_kib":{}}}"#,
        guard.len(),
        rss_kib().saturating_sub(before)
    );
}
