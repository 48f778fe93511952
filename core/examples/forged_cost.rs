//! What a forged request costs next to a valid one, through the Rust core (`make bench-forged`).
//!
//! `cargo run --release -p hooksig-core --example forged_cost -- table [OUT.json]`
//!   For every scheme at 1 KiB and 1 MiB: a valid request and the same request with a wrong
//!   signature (same headers, signed with another secret), timed side by side in one run
//!   (interleaved batches, median of the batch means, thread CPU time). Chaindoc gets extra bodies
//!   that make its JSON fallback do real work, some of them padded to just inside its work
//!   budget; Standard Webhooks gets a `v1a` case (4 `whpk_` keys, a header with as many wrong
//!   `v1a` entries as fit in 16 KiB).
//! `cargo run --release -p hooksig-core --example forged_cost -- cases DIR`
//!   Writes the same cases (bodies, secrets, valid and forged headers) for the Python, Node and
//!   C harnesses in `bench/forged/`, so every binding times the same requests.
//! `cargo run --release -p hooksig-core --example forged_cost -- peak SHAPE MIB`
//!   One forged chaindoc verification of a MIB-MiB body of SHAPE (`zeros` = `[0,0,…]`,
//!   `spaced` = `[0, 0, …]`, `pretty`): the first call's wall time and the peak RSS it adds
//!   (VmHWM after resetting it through /proc/self/clear_refs), then the median CPU time of 7
//!   more calls (warm), as one JSON line. `JSON_FALLBACK_MAX=N` sets
//!   the verifier's `json_fallback_max_bytes` (default 1 MiB, so 10 MiB skips the fallback).
//! `cargo run --release -p hooksig-core --example forged_cost -- units TEXT...`
//!   The work units the Chaindoc fallback spends on each TEXT (its budget: `max(bytes, 2048)`,
//!   `js_json::budget`). `scan` prints them per byte too.
//!
//! Not a test: it prints figures, it asserts only that valid requests verify and forged ones fail.

use std::hint::black_box;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hooksig::{RequestLine, SCHEME_IDS, SignOptions, Verifier, sign};

/// The request URL (twilio, square and hubspot sign it; the other schemes ignore it).
const URL: &str = "https://example.com/webhooks";

#[path = "../benches/support/keys.rs"]
mod keys;
use keys::{secret, wrong_secret};

const NOW: i64 = 1_767_225_600;

fn rounds() -> usize {
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(21)
}

fn batch_ms() -> f64 {
    std::env::var("BENCH_BATCH_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0)
}

/// The filler of `core/benches/verify.rs`: `{"id":"evt_1","event":"x","data":"aaaa…"}`.
fn filler(len: usize) -> Vec<u8> {
    // webhookTimestamp, time_ms: Linear's and Pusher's signed clocks are in the body
    // (milliseconds, NOW).
    let mut b = br#"{"id":"evt_1","event":"x","webhookTimestamp":1767225600000,"time_ms":1767225600000,"data":""#.to_vec();
    b.resize(len.saturating_sub(2).max(b.len()), b'a');
    b.extend_from_slice(b"\"}");
    b
}

/// A pretty-printed event (2-space indent, like a proxy re-serializing it): the fallback must
/// rewrite every line, then MAC the result.
fn pretty(len: usize) -> Vec<u8> {
    let mut b =
        b"{\n  \"id\": \"evt_1\",\n  \"event\": \"document.signed\",\n  \"items\": [".to_vec();
    let mut i = 0u64;
    while b.len() + 120 < len {
        if i > 0 {
            b.push(b',');
        }
        b.extend_from_slice(
            format!(
                "\n    {{\n      \"n\": {i},\n      \"name\": \"signer {i}\",\n      \"ok\": true,\n      \"x\": 0.5\n    }}"
            )
            .as_bytes(),
        );
        i += 1;
    }
    b.extend_from_slice(b"\n  ]\n}");
    b
}

/// What a Node sender's events look like after a proxy pretty-printed them: `JSON.stringify`
/// of a document event (ids, timestamps, strings, a few small floats, nested signers), an array
/// of them up to `len` bytes, printed with `indent` (`""` = compact, as Node sends it).
fn events(len: usize, indent: &str) -> Vec<u8> {
    let mut compact = b"[".to_vec();
    let mut i = 0;
    while compact.len() + 700 < len || i == 0 {
        if i > 0 {
            compact.push(b',');
        }
        compact.extend_from_slice(
            format!(
                r#"{{"id":"evt_{i:08}","event":"document.signed","createdAt":"2026-12-01T10:{:02}:00.000Z","data":{{"document":{{"id":"doc_7f3a{i}","title":"Lease agreement \"Flat {i}\"","status":"signed","pages":{},"tags":["lease","2026"],"note":"line one\nline two"}},"signers":[{{"email":"ann{i}@example.com","name":"Ann Müller","signedAt":"2026-12-01T10:00:0{}Z","ip":"203.0.113.7","field":{{"page":1,"x":0.25,"y":0.5}}}},{{"email":"bob{i}@example.com","name":"Bob","signedAt":null,"ip":null,"field":{{"page":2,"x":0.125,"y":0.75}}}}],"amount":1250.5,"currency":"EUR","test":false}}}}"#,
                i % 60,
                1 + i % 9,
                i % 10
            )
            .as_bytes(),
        );
        i += 1;
    }
    compact.push(b']');
    if indent.is_empty() {
        return compact;
    }
    // `JSON.stringify(value, null, indent)`: a line per member and element, `": "`.
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        for _ in 0..depth {
            out.extend_from_slice(indent.as_bytes());
        }
    };
    for (k, &c) in compact.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                out.push(c);
            }
            b'{' | b'[' => {
                out.push(c);
                if !matches!(compact.get(k + 1), Some(b'}' | b']')) {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                if !matches!(compact[k - 1], b'{' | b'[') {
                    depth -= 1;
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            b',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(c),
        }
    }
    out
}

/// [`events`] printed with `indent`, as many as fit in `len` bytes (one at least): a proxy's
/// pretty-printed copy of a real delivery, under the fallback's size cap.
fn events_within(len: usize, indent: &str) -> Vec<u8> {
    let mut target = len;
    loop {
        let body = events(target, indent);
        if body.len() <= len || target < 800 {
            return body;
        }
        target = target * len / body.len() - 1;
    }
}

/// A small deterministic generator (64-bit LCG, high bits) for the adversarial bodies.
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// `[` + items from `item` (given its index) joined by `sep` + `]`, at most `len` bytes.
fn array_of(len: usize, sep: &[u8], mut item: impl FnMut(usize, &mut Vec<u8>)) -> Vec<u8> {
    let mut b = b"[".to_vec();
    let mut next = Vec::new();
    for i in 0.. {
        next.clear();
        if i > 0 {
            next.extend_from_slice(sep);
        }
        item(i, &mut next);
        // At most `len` bytes (the verifier's fallback cap is 1 MiB), at least one item.
        if i > 0 && b.len() + next.len() + 1 > len {
            break;
        }
        b.extend_from_slice(&next);
    }
    b.push(b']');
    b
}

/// The objects of [`pretty`] with 0 to 7 spaces before every line (an attacker's choice: the
/// whitespace skip cannot guess the next indentation).
fn random_indent(len: usize) -> Vec<u8> {
    let mut rng = Lcg(12345);
    let mut line = |b: &mut Vec<u8>, text: &str| {
        b.push(b'\n');
        let n = rng.below(8);
        b.resize(b.len() + n, b' ');
        b.extend_from_slice(text.as_bytes());
    };
    let mut b = Vec::new();
    let mut i = 0;
    b.push(b'[');
    while b.len() + 120 < len || i == 0 {
        if i > 0 {
            b.push(b',');
        }
        line(&mut b, "{");
        line(&mut b, &format!("\"n\": {i},"));
        line(&mut b, &format!("\"name\": \"signer {i}\","));
        line(&mut b, "\"ok\": true,");
        line(&mut b, "\"x\": 0.5");
        line(&mut b, "}");
        i += 1;
    }
    line(&mut b, "]");
    b
}

/// Pretty-printed objects of four members with random key (1–12) and value (1–14) lengths.
fn random_keys(len: usize) -> Vec<u8> {
    let mut rng = Lcg(777);
    let mut b = b"[".to_vec();
    let mut i = 0;
    while b.len() + 200 < len || i == 0 {
        if i > 0 {
            b.push(b',');
        }
        b.extend_from_slice(b"\n  {");
        for m in 0..4 {
            if m > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"\n    \"");
            for c in 0..1 + rng.below(12) {
                b.push(b'a' + ((m * 7 + c) % 26) as u8);
            }
            b.extend_from_slice(b"\": \"");
            b.resize(b.len() + 1 + rng.below(14), b'v');
            b.push(b'"');
        }
        b.extend_from_slice(b"\n  }");
        i += 1;
    }
    b.extend_from_slice(b"\n]");
    b
}

/// Random JSON whitespace (0–3 of space, tab, LF, CR) around every token of small objects.
fn random_ws(len: usize) -> Vec<u8> {
    let mut rng = Lcg(4242);
    let mut ws = |b: &mut Vec<u8>| {
        for _ in 0..rng.below(4) {
            b.push([b' ', b'\t', b'\n', b'\r'][rng.below(4)]);
        }
    };
    let mut b = b"[".to_vec();
    let mut i = 0;
    while b.len() + 80 < len || i == 0 {
        if i > 0 {
            b.push(b',');
        }
        for tok in ["{", "\"id\"", ":", "7", ",", "\"ok\"", ":", "true", "}"] {
            ws(&mut b);
            b.extend_from_slice(tok.as_bytes());
        }
        ws(&mut b);
        i += 1;
    }
    b.push(b']');
    b
}

/// `[0,0,…]` (already canonical) or `[0, 0, …]` (every separator rewritten).
fn zeros(len: usize, spaced: bool) -> Vec<u8> {
    let item: &[u8] = if spaced { b"0, " } else { b"0," };
    let mut b = Vec::with_capacity(len);
    b.push(b'[');
    while b.len() + item.len() + 2 <= len {
        b.extend_from_slice(item);
    }
    b.extend_from_slice(b"0]");
    b
}

/// An array item: `"aaa…",` + `item`, padded with free bytes (a string without escapes) to as
/// many bytes as the fallback charges work units for `item`, so the array stays just inside
/// its budget (one unit per byte).
fn padded(item: &'static [u8]) -> impl FnMut(usize, &mut Vec<u8>) {
    let units = |body: &[u8]| hooksig::js_work_units(body).expect("valid JSON");
    let mut one = b"[".to_vec();
    one.extend_from_slice(item);
    one.push(b']');
    let size = units(&one) - units(b"[]") + 1;
    move |_, b| {
        b.push(b'"');
        b.resize(b.len() + size.saturating_sub(item.len() + 4), b'a');
        b.extend_from_slice(b"\",");
        b.extend_from_slice(item);
    }
}

/// `"aaa…"`, as long as the fallback charges work units for a short string array item (it
/// takes them 15 bytes at most), so `["aaa…", "aaa…", …]` stays just inside its budget.
fn padded_string(_: usize, b: &mut Vec<u8>) {
    let units = |body: &[u8]| hooksig::js_work_units(body).expect("valid JSON");
    let size = (units(br#"["x", "x", "x"]"#) - units(br#"["x", "x"]"#)).min(13);
    b.push(b'"');
    b.resize(b.len() + size, b'a');
    b.push(b'"');
}

/// Bodies an attacker can pick to make the fallback's scan cost the most per byte (Chaindoc rows
/// of the table, lines of `scan`).
fn adversarial(len: usize) -> Vec<(&'static str, Vec<u8>)> {
    let lit = |text: &'static [u8]| move |_: usize, b: &mut Vec<u8>| b.extend_from_slice(text);
    let cycle = |items: &'static [&'static [u8]]| {
        move |i: usize, b: &mut Vec<u8>| b.extend_from_slice(items[i % items.len()])
    };
    vec![
        ("pretty, random indent 0–7", random_indent(len)),
        ("pretty, random key lengths", random_keys(len)),
        ("random ws (sp/tab/LF/CR)", random_ws(len)),
        ("[ 0 , 0 , … ]", array_of(len, b" , ", lit(b"0"))),
        (
            "[{ \"a\" : 1 , \"b\" : 2 }, …]",
            array_of(len, b" , ", lit(br#"{ "a" : 1 , "b" : 2 }"#)),
        ),
        ("[{\"a\": 1}, …]", array_of(len, b", ", lit(br#"{"a": 1}"#))),
        (
            "[{\"a\": {\"b\": {\"c\": 0}}}, …]",
            array_of(len, b", ", lit(br#"{"a": {"b": {"c": 0}}}"#)),
        ),
        ("[[[[[0]]]]], …]", array_of(len, b", ", lit(b"[[[[[0]]]]]"))),
        ("[\"x\", \"x\", …]", array_of(len, b", ", lit(br#""x""#))),
        (
            "[\"\\u0041\\n\\/\", …] (escapes)",
            array_of(len, b",", lit(br#""\u0041\n\/""#)),
        ),
        (
            "[1.0,1e2,…] (numbers reprinted)",
            array_of(
                len,
                b",",
                cycle(&[b"1.0", b"1e2", b"0.50", b"-0", b"1E+2", b"1e-7"]),
            ),
        ),
        (
            "[0.1000000000000001,…] (16+ digits)",
            array_of(
                len,
                b",",
                cycle(&[
                    b"0.1000000000000001",
                    b"12345678901234567",
                    b"1.0000000000000002",
                ]),
            ),
        ),
        (
            "[1e-310,…] (subnormals)",
            array_of(len, b",", cycle(&[b"1e-310", b"5e-324", b"2e-315"])),
        ),
        // The same costly steps diluted with free bytes (strings without escapes) to just under
        // the fallback's work budget (one unit per byte, `js_json::budget`), so that it runs to
        // the end and the canonical form is MACed too: the dearest bodies it lets through.
        (
            "subnormals padded to the budget",
            array_of(len, b",", padded(b"1e-310")),
        ),
        (
            "reprints padded to the budget",
            array_of(len, b",", padded(b"1.0")),
        ),
        (
            "escapes padded to the budget",
            array_of(len, b",", padded(br#""\n\t""#)),
        ),
        (
            "array strings padded to the budget",
            array_of(len, b", ", padded_string),
        ),
        (
            "objects padded to the budget",
            array_of(len, b",", padded(br#"{"a":{"b":0}}"#)),
        ),
    ]
}

struct Case {
    scheme: String,
    secrets: Vec<String>,
    shape: &'static str,
    size: &'static str,
    verifier: Verifier,
    body: Vec<u8>,
    valid: Vec<(String, String)>,
    forged: Vec<(String, String)>,
}

fn opts() -> SignOptions<'static> {
    SignOptions {
        id: Some("msg_2Lh9KtmA0cWbWc8PeYOEWoIFtXd"),
        event_type: Some("document.signed"),
        url: Some(URL),
        ..SignOptions::at(NOW)
    }
}

fn hmac_case(scheme: &str, shape: &'static str, size: &'static str, body: Vec<u8>) -> Case {
    let valid = sign(scheme, secret(scheme).as_bytes(), &body, &opts()).expect("signs");
    let forged = sign(scheme, wrong_secret(scheme).as_bytes(), &body, &opts()).expect("signs");
    Case {
        scheme: scheme.to_owned(),
        secrets: vec![secret(scheme).to_owned()],
        shape,
        size,
        verifier: Verifier::new(scheme, [secret(scheme)]).expect("verifier"),
        body,
        valid,
        forged,
    }
}

/// Standard Webhooks `v1a`: 4 `whpk_` keys (the valid request is signed by the last one). The
/// forged header holds `entries` wrong `v1a` entries, or as many as fit in 16 KiB (`None`).
fn v1a_case(size: &'static str, body: Vec<u8>, entries: Option<usize>) -> Case {
    let seeds: Vec<[u8; 32]> = (1..=4u8).map(|i| [i; 32]).collect();
    let public: Vec<String> = seeds
        .iter()
        .map(|s| {
            let pk = ed25519_dalek::SigningKey::from_bytes(s).verifying_key();
            format!("whpk_{}", STANDARD.encode(pk.as_bytes()))
        })
        .collect();
    let sk = |s: &[u8; 32]| format!("whsk_{}", STANDARD.encode(s));
    let scheme = "standard-webhooks";
    let valid = sign(scheme, sk(&seeds[3]).as_bytes(), &body, &opts()).expect("signs");
    let sig_name = "webhook-signature";
    let wrong_entry = |i: u8| {
        sign(scheme, sk(&[9 + i; 32]).as_bytes(), &body, &opts())
            .expect("signs")
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(sig_name))
            .map(|(_, v)| v)
            .expect("signature header")
    };
    let entry = wrong_entry(0);
    let mut many = entry.clone();
    let mut count = 1;
    while match entries {
        Some(n) => count < n,
        None => many.len() + entry.len() < 16 * 1024,
    } {
        many.push(' ');
        many.push_str(&entry);
        count += 1;
    }
    let forged = valid
        .iter()
        .map(|(n, v)| {
            let v = if n.eq_ignore_ascii_case(sig_name) {
                many.clone()
            } else {
                v.clone()
            };
            (n.clone(), v)
        })
        .collect();
    let shape: &'static str = match entries {
        Some(_) => Box::leak(
            format!("4 whpk_ keys, {count} v1a entries (the most accepted)").into_boxed_str(),
        ),
        None => Box::leak(format!("4 whpk_ keys, {count} v1a entries (16 KiB)").into_boxed_str()),
    };
    Case {
        scheme: "standard-webhooks v1a".to_owned(),
        secrets: public.clone(),
        shape,
        size,
        verifier: Verifier::new(scheme, &public).expect("verifier"),
        body,
        valid,
        forged,
    }
}

/// The most `v1a` entries the verifier reads before refusing the header as malformed (a
/// limit another change may set; found by asking, so the bench measures whatever is current).
fn most_v1a_entries() -> usize {
    let body = filler(64);
    (1..=200)
        .take_while(|&n| {
            let case = v1a_case("-", body.clone(), Some(n));
            case.verifier
                .verify_request_at(&case.forged, &case.body, Some(RequestLine::post(URL)), NOW)
                .is_err_and(|e| e.code() != hooksig::ErrorCode::MalformedSignature)
        })
        .last()
        .unwrap_or(1)
}

fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    let most = most_v1a_entries();
    for (len, size) in [(1024, "1KiB"), (1 << 20, "1MiB")] {
        for scheme in SCHEME_IDS {
            all.push(hmac_case(scheme, "filler", size, filler(len)));
        }
        all.push(hmac_case("chaindoc", "pretty", size, pretty(len)));
        all.push(hmac_case("chaindoc", "[0,0,…]", size, zeros(len, false)));
        all.push(hmac_case("chaindoc", "[0, 0, …]", size, zeros(len, true)));
        // Real-looking events: as a Node sender sends them (canonical: the fallback finds
        // nothing to change, no second MAC), with one space in front (a full rewrite whose
        // output is as long as the body: the dearest second MAC), and pretty-printed.
        all.push(hmac_case(
            "chaindoc",
            "events, as sent",
            size,
            events(len, ""),
        ));
        let mut spaced = b" ".to_vec();
        spaced.extend_from_slice(&events(len - 1, ""));
        all.push(hmac_case(
            "chaindoc",
            "events, one leading space",
            size,
            spaced,
        ));
        all.push(hmac_case(
            "chaindoc",
            "events, indent 2",
            size,
            events_within(len, "  "),
        ));
        for (shape, body) in adversarial(len) {
            all.push(hmac_case("chaindoc", shape, size, body));
        }
        all.push(v1a_case(size, filler(len), Some(most)));
        all.push(v1a_case(size, filler(len), None));
    }
    all
}

/// This thread's CPU time in seconds (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`). The machine is
/// shared: CPU time is what a request costs, wall time adds whatever else runs.
fn cpu_now() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: a valid pointer to a timespec-layout struct; Linux x86_64 (time_t and long are i64).
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.sec as f64 + ts.nsec as f64 / 1e9
}

/// CPU seconds per call of `f`, over a batch of `n` calls.
fn batch<F: FnMut()>(n: usize, mut f: F) -> f64 {
    let start = cpu_now();
    for _ in 0..n {
        f();
    }
    (cpu_now() - start) / n as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn table(out: Option<String>) {
    let mut lines = Vec::new();
    println!(
        "{:<24} {:<38} {:>5} {:>12} {:>12} {:>8}",
        "scheme", "body", "size", "valid µs", "forged µs", "ratio"
    );
    // `BENCH_FILTER=chaindoc` keeps the cases whose scheme contains it, `BENCH_SHAPE=events`
    // those whose body's name does.
    let filter = std::env::var("BENCH_FILTER").unwrap_or_default();
    let shape_f = std::env::var("BENCH_SHAPE").unwrap_or_default();
    for case in cases()
        .into_iter()
        .filter(|c| c.scheme.contains(&filter) && c.shape.contains(&shape_f))
    {
        let run = |headers: &[(String, String)]| {
            black_box(case.verifier.verify_request_at(
                headers,
                black_box(&case.body),
                Some(RequestLine::post(URL)),
                NOW,
            ))
            .is_ok()
        };
        assert!(
            run(&case.valid),
            "{} {} must verify",
            case.scheme,
            case.shape
        );
        assert!(
            !run(&case.forged),
            "{} {} must fail",
            case.scheme,
            case.shape
        );
        // Warm up and size the batches (same count for both sides).
        let start = Instant::now();
        for _ in 0..3 {
            run(&case.valid);
            run(&case.forged);
        }
        let one = start.elapsed().as_secs_f64() / 3.0;
        let n = ((batch_ms() / 1000.0 / one) as usize).clamp(1, 1_000_000);
        let (mut valid, mut forged) = (Vec::new(), Vec::new());
        for r in 0..rounds() {
            let v = || {
                batch(n, || {
                    run(&case.valid);
                })
            };
            let f = || {
                batch(n, || {
                    run(&case.forged);
                })
            };
            if r % 2 == 0 {
                valid.push(v());
                forged.push(f());
            } else {
                forged.push(f());
                valid.push(v());
            }
        }
        let (v, f) = (median(valid) * 1e6, median(forged) * 1e6);
        println!(
            "{:<24} {:<38} {:>5} {:>12.2} {:>12.2} {:>7.2}×",
            case.scheme,
            case.shape,
            case.size,
            v,
            f,
            f / v
        );
        lines.push(format!(
            // Debug quoting escapes `"` and `\\` as JSON does (the shapes are printable text).
            "{{\"binding\":\"rust\",\"scheme\":{:?},\"shape\":{:?},\"size\":{:?},\"valid_us\":{v:.3},\"forged_us\":{f:.3}}}",
            case.scheme, case.shape, case.size
        ));
    }
    if let Some(path) = out {
        std::fs::write(path, lines.join("\n") + "\n").expect("write results");
    }
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

fn peak(shape: &str, mib: usize) {
    let len = mib << 20;
    let body = match shape {
        "zeros" => zeros(len, false),
        "spaced" => zeros(len, true),
        "pretty" => pretty(len),
        other => panic!("unknown shape {other}"),
    };
    let mut case = hmac_case("chaindoc", "peak", "-", body);
    // `JSON_FALLBACK_MAX=N` sets the cap (e.g. to run the fallback on a 10 MiB body).
    if let Some(max) = std::env::var("JSON_FALLBACK_MAX")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        case.verifier = Verifier::builder(hooksig::Scheme::named("chaindoc").expect("scheme"))
            .secret(secret("chaindoc"))
            .json_fallback_max_bytes(max)
            .build()
            .expect("verifier");
    }
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
    let base = vm_hwm_kib();
    let start = Instant::now();
    let ok = case
        .verifier
        .verify_request_at(&case.forged, &case.body, Some(RequestLine::post(URL)), NOW)
        .is_ok();
    let cold = start.elapsed().as_secs_f64();
    let added = vm_hwm_kib().saturating_sub(base);
    assert!(!ok, "forged must fail");
    // The first call pays for fresh pages; a server's steady state is the warm figure.
    let warm = median(
        (0..7)
            .map(|_| {
                batch(1, || {
                    black_box(case.verifier.verify_request_at(
                        &case.forged,
                        &case.body,
                        Some(RequestLine::post(URL)),
                        NOW,
                    ))
                    .ok();
                })
            })
            .collect(),
    );
    println!(
        "{{\"shape\":\"{shape}\",\"mib\":{mib},\"cold_ms\":{:.2},\"warm_ms\":{:.2},\"peak_added_mib\":{:.1}}}",
        cold * 1e3,
        warm * 1e3,
        added as f64 / 1024.0
    );
}

/// Writes every case of the table for the other bindings: `DIR/cases.tsv`, one case a line,
/// tab-separated: scheme id, label, shape, size, body file, secret count, secrets, valid header
/// count, names and values, forged header count, names and values, and the request URL (empty
/// when the scheme does not sign the request line) (no field holds a tab).
fn write_cases(dir: &str) {
    std::fs::create_dir_all(dir).expect("case dir");
    let mut lines = String::new();
    for (i, case) in cases().into_iter().enumerate() {
        let body_file = format!("body{i}.bin");
        std::fs::write(format!("{dir}/{body_file}"), &case.body).expect("write body");
        let id = case.scheme.split(' ').next().unwrap_or_default();
        let mut fields = vec![
            id.to_owned(),
            case.scheme.clone(),
            case.shape.to_owned(),
            case.size.to_owned(),
            body_file,
            case.secrets.len().to_string(),
        ];
        fields.extend(case.secrets.iter().cloned());
        for headers in [&case.valid, &case.forged] {
            fields.push(headers.len().to_string());
            for (n, v) in headers.iter() {
                fields.push(n.clone());
                fields.push(v.clone());
            }
        }
        let url = if case.verifier.signs_request_line() {
            URL
        } else {
            ""
        };
        fields.push(url.to_owned());
        assert!(
            fields
                .iter()
                .all(|f| !f.contains('\t') && !f.contains('\n'))
        );
        lines.push_str(&fields.join("\t"));
        lines.push('\n');
    }
    std::fs::write(format!("{dir}/cases.tsv"), lines).expect("write cases");
}

/// CPU µs of one re-serialization (`js_restringify`) of a 1 MiB body of each shape, next to one
/// HMAC-SHA256 of it: the fallback's own cost in HMACs.
fn scan() {
    use hmac::{Hmac, KeyInit, Mac};
    let key = Hmac::<sha2::Sha256>::new_from_slice(b"whsec_benchmark_secret_value").expect("key");
    let mut bodies = vec![
        ("filler", filler(1 << 20)),
        ("pretty", pretty(1 << 20)),
        ("[0,0,…]", zeros(1 << 20, false)),
        ("[0, 0, …]", zeros(1 << 20, true)),
        (
            "minified",
            hooksig::js_restringify(&pretty(1 << 20)).expect("valid JSON"),
        ),
        ("events, compact", events(1 << 20, "")),
        ("events, indent 2", events(1 << 20, "  ")),
        ("events, indent 4", events(1 << 20, "    ")),
        ("events, indent tab", events(1 << 20, "\t")),
    ];
    bodies.extend(adversarial(1 << 20));
    for (name, body) in bodies {
        if !name.contains(&std::env::var("BENCH_FILTER").unwrap_or_default()) {
            continue;
        }
        let (mut h, mut r) = (Vec::new(), Vec::new());
        for _ in 0..rounds() {
            h.push(batch(20, || {
                let mut mac = key.clone();
                mac.update(black_box(&body));
                black_box(mac.finalize());
            }));
            r.push(batch(20, || {
                black_box(hooksig::js_restringify(black_box(&body)));
            }));
        }
        let (h, r) = (median(h) * 1e6, median(r) * 1e6);
        // The output's size next to the body's: its MAC is the rest of the forged request.
        let out = hooksig::js_restringify(&body).map_or(0, |o| o.len()) as f64 / body.len() as f64;
        // The work units it spends, per body byte (the verifier's budget: 1 per byte, 2048 at least).
        let work = hooksig::js_work_units(&body).map_or(0, |w| w) as f64 / body.len() as f64;
        println!(
            "{name:<38} hmac {h:8.1} µs  restringify {r:8.1} µs  = {:.2} HMACs  output {out:.2}  work {work:.2}/byte",
            r / h
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scan") => scan(),
        Some("units") => {
            for text in &args[1..] {
                let units = hooksig::js_work_units(text.as_bytes());
                println!("{} bytes, {units:?} units: {text}", text.len());
            }
        }
        Some("cases") => write_cases(args.get(1).map_or("target/bench/forged", String::as_str)),
        Some("peak") => peak(
            args.get(1).map_or("zeros", String::as_str),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10),
        ),
        _ => table(args.get(1).cloned()),
    }
}
