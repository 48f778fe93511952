//! One realistic request verified in a loop, for `perf record` / `valgrind --tool=callgrind`:
//!
//!   profile_loop core|c SCHEME BYTES ITERATIONS [LIBHOOKSIG.so]
//!
//! The request is the benches' one (JSON-looking body, the scheme's signed headers beside nine
//! ordinary ones); `core` calls `Verifier::verify_at`, `c` calls `hooksig_verify` +
//! `hooksig_verified_free` through libhooksig.so.

use std::hint::black_box;

use hooksig::Verifier;
use hooksig_bench_boundary::{CApi, NOW, body, c_headers, secret, signed_headers};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let api = args.get(1).map_or("core", String::as_str);
    let scheme = args.get(2).map_or("algoguard", String::as_str);
    let len: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(64);
    let iterations: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let body = body(len);
    let pairs = signed_headers(scheme, &body);
    let mut ok = 0usize;
    if api == "c" {
        let c = CApi::load(
            args.get(5)
                .expect("profile_loop c SCHEME BYTES ITER LIBHOOKSIG.so"),
        );
        let v = c.new_verifier(scheme, secret(scheme));
        let headers = c_headers(&pairs);
        for _ in 0..iterations {
            ok += usize::from(c.verify_once(v, black_box(&headers), black_box(&body), NOW) == 0);
        }
    } else {
        let v = Verifier::new(scheme, [secret(scheme)]).expect("verifier");
        let borrowed: Vec<(&[u8], &[u8])> = pairs.iter().map(|(n, v)| (&n[..], &v[..])).collect();
        for _ in 0..iterations {
            ok += usize::from(
                v.verify_at(black_box(&borrowed[..]), black_box(&body), NOW)
                    .is_ok(),
            );
        }
    }
    println!("{ok} of {iterations} verified");
}
