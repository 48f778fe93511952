//! The cost of the C boundary: the Rust core's `Verifier::verify_at` and the C API's
//! `hooksig_verify` (+ `hooksig_verified_free`, from libhooksig.so through `dlopen`), timed by
//! the same harness in the same process, batches interleaved.
//!
//!   boundary /path/to/libhooksig.so [OUT.json]     (BENCH_ROUNDS, BENCH_BATCH_MS)
//!   boundary --count core|c|floor SCHEME BYTES N /path/to/libhooksig.so
//!
//! `--count` times nothing: it runs exactly N calls of one case inside `count_loop` (never
//! inlined), for `valgrind --tool=callgrind --toggle-collect='*count_loop*'` to count their
//! instructions (bench/callgrind.sh; method in bench/README.md). `floor` is the bare keyed HMAC of
//! AlgoGuard's signed bytes `{ts}.{body}`, whatever SCHEME says.
//!
//! Both get the same request: the body of core/benches/verify.rs and the scheme's signed headers
//! beside nine ordinary ones, as borrowed (name, value) byte pairs — `&[(&[u8], &[u8])]` for the
//! core, a `hooksig_header[]` over the same bytes for C. The core copy inside libhooksig.so and
//! the one linked here are built from the same source, dependency versions (the root Cargo.lock)
//! and release profile.

use std::hint::black_box;
use std::time::Instant;

use hmac::{Hmac, KeyInit, Mac};
use hooksig::Verifier;
use hooksig_bench_boundary::{CApi, NOW, body, c_headers, secret, signed_headers};
use sha2::Sha256;

const SCHEMES: [&str; 4] = ["algoguard", "standard-webhooks", "stripe", "github"];
const SIZES: [(usize, &str); 4] = [
    (64, "64B"),
    (1024, "1KiB"),
    (16 * 1024, "16KiB"),
    (1 << 20, "1MiB"),
];

struct Case<'a> {
    scheme: &'static str,
    imp: &'static str,
    run: Box<dyn FnMut(u64) -> (f64, f64) + 'a>,
    n: u64,
    samples: Vec<(f64, f64)>,
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}
unsafe extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

/// CPU time consumed by this thread, ns (excludes the time other processes had the core).
fn thread_cpu_ns() -> f64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e9 + ts.tv_nsec as f64
}

/// Mean wall-clock and thread-CPU ns per call of `n` calls of `f`.
fn timed(n: u64, mut f: impl FnMut()) -> (f64, f64) {
    let (t0, c0) = (Instant::now(), thread_cpu_ns());
    for _ in 0..n {
        f();
    }
    let (wall, cpu) = (t0.elapsed().as_nanos() as f64, thread_cpu_ns() - c0);
    (wall / n as f64, cpu / n as f64)
}

fn calibrate(run: &mut dyn FnMut(u64) -> (f64, f64), batch_ns: f64) -> u64 {
    let (mut calls, t0) = (0u64, Instant::now());
    while t0.elapsed().as_millis() < 150 || calls < 5 {
        let n = calls.clamp(1, 1000);
        run(n);
        calls += n;
    }
    let per = t0.elapsed().as_nanos() as f64 / calls as f64;
    ((batch_ns / per).round() as u64).max(1)
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

/// Exactly `n` calls of `f`, nothing else: the one function callgrind counts in `--count` mode.
#[inline(never)]
fn count_loop(n: u64, f: &mut dyn FnMut()) {
    for _ in 0..n {
        f();
    }
}

/// `boundary --count IMPL SCHEME BYTES N LIB`: the same request and calls as the timed cases.
fn count(args: &[String]) {
    let usage = "usage: boundary --count core|c|floor SCHEME BYTES N LIBHOOKSIG.so";
    let imp = args.first().expect(usage).as_str();
    let scheme = args.get(1).expect(usage).as_str();
    let len: usize = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let n: u64 = args.get(3).and_then(|s| s.parse().ok()).expect(usage);
    let body = body(len);
    let pairs = signed_headers(scheme, &body);
    match imp {
        "core" => {
            let core = Verifier::new(scheme, [secret(scheme)]).expect("verifier");
            let borrowed: Vec<(&[u8], &[u8])> =
                pairs.iter().map(|(k, v)| (&k[..], &v[..])).collect();
            assert!(core.verify_at(&borrowed[..], &body, NOW).is_ok());
            count_loop(n, &mut || {
                let v = core.verify_at(black_box(&borrowed[..]), black_box(&body), NOW);
                black_box(v.map(|v| v.key_index).ok());
            });
        }
        "c" => {
            let api = CApi::load(args.get(4).expect(usage));
            let c = api.new_verifier(scheme, secret(scheme));
            let cheaders = c_headers(&pairs);
            assert_eq!(api.verify_once(c, &cheaders, &body, NOW), 0);
            count_loop(n, &mut || {
                black_box(api.verify_once(c, black_box(&cheaders), black_box(&body), NOW));
            });
            // SAFETY: created above, freed once.
            unsafe { api.free_verifier(c) };
        }
        "floor" => {
            let key = Hmac::<Sha256>::new_from_slice(secret("algoguard").as_bytes()).expect("key");
            let ts = NOW.to_string();
            count_loop(n, &mut || {
                let mut mac = key.clone();
                mac.update(ts.as_bytes());
                mac.update(b".");
                mac.update(black_box(&body));
                black_box(mac.finalize().into_bytes());
            });
        }
        _ => panic!("{usage}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--count") {
        return count(&args[2..]);
    }
    let lib = args
        .get(1)
        .expect("usage: boundary LIBHOOKSIG.so [OUT.json]");
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "target/bench/boundary.json".into());
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(41);
    let batch_ns: f64 = std::env::var("BENCH_BATCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0)
        * 1e6;
    let api = CApi::load(lib);

    let mut rows = Vec::new();
    for (len, label) in SIZES {
        let body = body(len);
        // Owned header storage per scheme, then the two borrowed views of it.
        let mut stores = Vec::new();
        for scheme in SCHEMES {
            let pairs = signed_headers(scheme, &body);
            let core = Verifier::new(scheme, [secret(scheme)]).expect("verifier");
            let c = api.new_verifier(scheme, secret(scheme));
            stores.push((scheme, pairs, core, c));
        }
        let views: Vec<_> = stores
            .iter()
            .map(|(scheme, pairs, core, c)| {
                let borrowed: Vec<(&[u8], &[u8])> =
                    pairs.iter().map(|(n, v)| (&n[..], &v[..])).collect();
                (*scheme, borrowed, c_headers(pairs), core, *c)
            })
            .collect();

        let floor_key =
            Hmac::<Sha256>::new_from_slice(secret("algoguard").as_bytes()).expect("key");
        let floor_ts = NOW.to_string();
        let mut cases: Vec<Case<'_>> = Vec::new();
        for (scheme, borrowed, cheaders, core, c) in &views {
            let body = &body;
            // Sanity: both accept the request and reject a tampered body.
            let mut bad = body.clone();
            let at = bad.len() - 3;
            bad[at] ^= 1;
            assert!(core.verify_at(&borrowed[..], body, NOW).is_ok());
            assert!(core.verify_at(&borrowed[..], &bad, NOW).is_err());
            assert_eq!(api.verify_once(*c, cheaders, body, NOW), 0);
            assert_ne!(api.verify_once(*c, cheaders, &bad, NOW), 0);
            let api = &api;
            cases.push(Case {
                scheme,
                imp: "rust core",
                run: Box::new(move |n| {
                    timed(n, || {
                        let v = core.verify_at(black_box(&borrowed[..]), black_box(body), NOW);
                        black_box(v.map(|v| v.key_index).ok());
                    })
                }),
                n: 0,
                samples: Vec::new(),
            });
            cases.push(Case {
                scheme,
                imp: "C API",
                run: Box::new(move |n| {
                    timed(n, || {
                        black_box(api.verify_once(*c, black_box(cheaders), black_box(body), NOW));
                    })
                }),
                n: 0,
                samples: Vec::new(),
            });
        }
        // The floor of core/benches/verify.rs (one HMAC of `{ts}.{body}` with a precomputed key
        // state), interleaved with the rest: a load-robust cross-check of criterion's ratio.
        let (key, ts, body_ref) = (&floor_key, &floor_ts, &body);
        cases.push(Case {
            scheme: "algoguard",
            imp: "hmac floor",
            run: Box::new(move |n| {
                timed(n, || {
                    let mut mac = key.clone();
                    mac.update(ts.as_bytes());
                    mac.update(b".");
                    mac.update(black_box(body_ref));
                    black_box(mac.finalize().into_bytes());
                })
            }),
            n: 0,
            samples: Vec::new(),
        });
        for case in &mut cases {
            case.n = calibrate(&mut case.run, batch_ns);
        }
        let k = cases.len();
        for r in 0..rounds {
            for i in 0..k {
                let case = &mut cases[(i + r) % k];
                let s = (case.run)(case.n);
                case.samples.push(s);
            }
        }
        for case in &cases {
            let m = median(&case.samples.iter().map(|s| s.0).collect::<Vec<_>>());
            let cpu = median(&case.samples.iter().map(|s| s.1).collect::<Vec<_>>());
            println!(
                "boundary {label:<5} {:<17} {:<9} {m:>12.0} ns",
                case.scheme, case.imp
            );
            rows.push(format!(
                r#"{{"scheme":"{}","impl":"{}","size":{len},"label":"{label}","median_ns":{m:.1},"cpu_median_ns":{cpu:.1},"batch":{},"batches":{}}}"#,
                case.scheme,
                case.imp,
                case.n,
                case.samples.len()
            ));
        }
        drop(cases);
        for (_, _, _, c) in &stores {
            // SAFETY: each verifier was created above and is freed once.
            unsafe { api.free_verifier(*c) };
        }
    }
    let doc = format!(
        "{{\"lang\":\"boundary\",\"config\":{{\"rounds\":{rounds},\"batch_ms\":{}}},\"results\":[\n{}\n]}}\n",
        batch_ns / 1e6,
        rows.join(",\n")
    );
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(&out, doc).expect("write");
}
