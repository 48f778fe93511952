//! Verification cost per scheme and body size, next to the floors measured in the same run:
//! one SHA-256 of the body and one HMAC-SHA256 of the same signed bytes with a precomputed key.
//!
//! `make bench` turns the medians into ratios in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use hooksig::{RequestLine, SCHEME_IDS, SignOptions, Verifier, sign};

/// The request URL (twilio, square and hubspot sign it; the other schemes ignore it).
const URL: &str = "https://example.com/webhooks";
use sha2::{Digest, Sha256};

#[path = "support/keys.rs"]
mod keys;
use keys::secret;

const NOW: i64 = 1_767_225_600;
const SIZES: [(usize, &str); 4] = [
    (64, "64B"),
    (1024, "1KiB"),
    (16 * 1024, "16KiB"),
    (1 << 20, "1MiB"),
];

fn body(scheme: &str, len: usize) -> Vec<u8> {
    // JSON-looking filler so that body-field schemes parse something realistic; Linear and
    // Pusher sign their clock inside the body (milliseconds), which must fit in 64 bytes.
    let head: &[u8] = match scheme {
        "linear" => br#"{"webhookTimestamp":1767225600000,"d":""#,
        "pusher" => br#"{"time_ms":1767225600000,"d":""#,
        _ => br#"{"id":"evt_1","event":"x","data":""#,
    };
    let mut b = head.to_vec();
    while b.len() + 2 < len {
        b.push(b'a');
    }
    b.extend_from_slice(b"\"}");
    b.truncate(len.max(2));
    b
}

fn floors(c: &mut Criterion) {
    let mut group = c.benchmark_group("floor");
    for (len, label) in SIZES {
        let body = body("algoguard", len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("sha256", label), &body, |b, body| {
            b.iter(|| Sha256::digest(black_box(body)))
        });
        let key = Hmac::<Sha256>::new_from_slice(b"whsec_benchmark_secret_value").expect("key");
        let ts = NOW.to_string();
        group.bench_with_input(BenchmarkId::new("hmac_sha256", label), &body, |b, body| {
            b.iter(|| {
                // The same bytes AlgoGuard signs: "{ts}.{body}".
                let mut mac = key.clone();
                mac.update(ts.as_bytes());
                mac.update(b".");
                mac.update(black_box(body));
                mac.finalize().into_bytes()
            })
        });
    }
    group.finish();
}

fn verify(c: &mut Criterion) {
    for scheme in SCHEME_IDS {
        let mut group = c.benchmark_group(format!("verify/{scheme}"));
        let verifier = Verifier::new(scheme, [secret(scheme)]).expect("verifier");
        for (len, label) in SIZES {
            let body = body(scheme, len);
            let headers = sign(
                scheme,
                secret(scheme).as_bytes(),
                &body,
                &SignOptions {
                    id: Some("msg_1"),
                    event_type: Some("x"),
                    url: Some(URL),
                    ..SignOptions::at(NOW)
                },
            )
            .expect("signs");
            group.throughput(Throughput::Bytes(len as u64));
            group.bench_with_input(BenchmarkId::from_parameter(label), &body, |b, body| {
                b.iter(|| {
                    verifier
                        .verify_request_at(
                            black_box(&headers),
                            black_box(body),
                            Some(RequestLine::post(URL)),
                            NOW,
                        )
                        .expect("valid")
                        .key_index
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    targets = floors, verify
}
criterion_main!(benches);
