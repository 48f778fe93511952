//! What a forged Chaindoc request may cost (issue 12, item 3): the JSON fallback runs on every
//! wrong-signature request, so its memory must stay a small multiple of the body and bodies
//! over `json_fallback_max_bytes` must not run it at all. Measured by counting allocations
//! (this test binary's global allocator), not by timing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use hooksig::{Scheme, SignOptions, Verifier, VerifierBuilder, sign};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Tests in this binary run on several threads: measure one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at the peak of `f`, above what was live when it started.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - base)
}

const NOW: i64 = 1_767_225_600;
const MIB: usize = 1 << 20;

/// `[0,0,…]` or `[0, 0, …]` of `len` bytes: the issue's 10 MiB case (37× the body in the
/// tree-building implementation: one boxed value per element).
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

/// A forged request: signed with another secret, so the raw body fails and the fallback runs.
fn forged(verifier: &Verifier, body: &[u8]) -> usize {
    let headers = sign(
        "chaindoc",
        b"whsec_not_the_receivers_secret",
        body,
        &SignOptions::at(NOW),
    )
    .expect("signs");
    let (result, peak) = peak_during(|| verifier.verify_at(&headers, body, NOW));
    assert!(result.is_err(), "a forged request must fail");
    peak
}

#[test]
fn fallback_memory_is_a_small_multiple_of_the_body() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The fallback's own allocations, with the cap lifted so that 10 MiB runs it.
    let verifier = Verifier::builder(Scheme::named("chaindoc").expect("scheme"))
        .secret("whsec_receiver_secret")
        .json_fallback_max_bytes(usize::MAX)
        .build()
        .expect("verifier");
    for spaced in [false, true] {
        let body = zeros(10 * MIB, spaced);
        let (out, peak) = peak_during(|| hooksig::js_restringify(&body));
        assert!(out.is_some());
        // The output (≤ the body) and the returned copy; nothing per element.
        assert!(
            peak <= 2 * body.len() + 64 * 1024,
            "restringify of 10 MiB [0{}0,…] allocated {peak} bytes at its peak",
            if spaced { ", " } else { "," }
        );
        let peak = forged(&verifier, &body);
        assert!(
            peak <= body.len() + 64 * 1024,
            "a forged 10 MiB request allocated {peak} bytes at its peak"
        );
    }
}

#[test]
fn bodies_over_the_cap_skip_the_fallback() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(VerifierBuilder::DEFAULT_JSON_FALLBACK_MAX_BYTES, MIB);
    let verifier = Verifier::new("chaindoc", ["whsec_receiver_secret"]).expect("verifier");
    // Just over the default cap: the fallback would need at least the body's size again.
    let body = zeros(MIB + 3, true);
    let peak = forged(&verifier, &body);
    assert!(
        peak < 64 * 1024,
        "the fallback ran over the cap: {peak} bytes"
    );
    // At the cap it still runs (and allocates its output).
    let body = zeros(MIB, true);
    assert!(forged(&verifier, &body) >= body.len() / 2);

    // A configured cap, and the fallback still verifies a re-serialized body under it.
    let verifier = Verifier::builder(Scheme::named("chaindoc").expect("scheme"))
        .secret("whsec_receiver_secret")
        .json_fallback_max_bytes(64)
        .build()
        .expect("verifier");
    let signed = br#"{"event":"document.signed","id":7}"#;
    let headers = sign(
        "chaindoc",
        b"whsec_receiver_secret",
        signed,
        &SignOptions::at(NOW),
    )
    .expect("signs");
    let pretty = b"{\n  \"event\": \"document.signed\",\n  \"id\": 7\n}";
    let ok = verifier
        .verify_at(&headers, pretty, NOW)
        .expect("fallback verifies");
    assert_eq!(&*ok.payload, &signed[..]);
    let mut long = pretty.to_vec();
    long.splice(1..1, b" ".repeat(64));
    assert!(
        verifier.verify_at(&headers, &long, NOW).is_err(),
        "over the cap: raw body only"
    );
}

/// Objects that must be rewritten (duplicate keys, array-index keys out of order) keep per-member
/// offsets until they close; that bookkeeping stays a small multiple of the body too.
#[test]
fn reordered_objects_stay_linear_in_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let len = 4 * MIB;
    let mut dups = b"{".to_vec();
    while dups.len() + 8 < len {
        dups.extend_from_slice(b"\"k\":0,");
    }
    dups.extend_from_slice(b"\"k\":1}");
    let mut reversed = b"{".to_vec();
    let mut i = 999_999u32;
    while reversed.len() + 16 < len {
        reversed.extend_from_slice(format!("\"{i}\":0,").as_bytes());
        i -= 1;
    }
    reversed.extend_from_slice(b"\"a\":0}");
    let mut nested = Vec::new();
    for _ in 0..400 {
        nested.extend_from_slice(b"{\"1\":0,\"0\":");
    }
    nested.push(b'"');
    nested.resize(nested.len() + len, b'x');
    nested.push(b'"');
    nested.extend(std::iter::repeat_n(b'}', 400));
    for (name, body) in [
        ("duplicates", dups),
        ("reversed indices", reversed),
        ("nested", nested),
    ] {
        let (out, peak) = peak_during(|| hooksig::js_restringify(&body));
        assert!(out.is_some(), "{name}");
        eprintln!(
            "{name}: peak {:.2}× the body",
            peak as f64 / body.len() as f64
        );
        assert!(
            peak <= 8 * body.len(),
            "{name}: {peak} bytes at the peak for a {}-byte body",
            body.len()
        );
    }
}
