//! Peak memory of one verification of a large body (it must not copy the body).
//!
//!   peak_rss core|c verify|alloc [MIB] [LIBHOOKSIG.so]
//!
//! Builds an AlgoGuard request with a MIB-byte JSON body in place (no temporary copies), signs it
//! with an independent streaming HMAC (the `hmac` crate, so signing cannot raise the peak), loads
//! the C library when asked, resets the kernel's peak-RSS counter (/proc/self/clear_refs), then
//! verifies once (`verify`) or does nothing (`alloc`), and prints the peak RSS (VmHWM) as JSON.
//! The difference between the two runs is what verification itself adds.

use hmac::{Hmac, KeyInit, Mac};
use hooksig::Verifier;
use hooksig_bench_boundary::{
    CApi, NOW, body, c_headers, ordinary, proc_status_kib, reset_peak, secret,
};
use sha2::Sha256;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let api_kind = args.get(1).map_or("core", String::as_str);
    let mode = args.get(2).map_or("verify", String::as_str);
    let mib: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100);
    let scheme = "algoguard";

    let body = body(mib << 20);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret(scheme).as_bytes()).expect("key");
    mac.update(format!("{NOW}.").as_bytes());
    mac.update(&body);
    let sig = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let mut pairs = ordinary(body.len());
    pairs.push((b"X-AlgoGuard-Signature".to_vec(), sig.into_bytes()));
    pairs.push((
        b"X-AlgoGuard-Timestamp".to_vec(),
        NOW.to_string().into_bytes(),
    ));
    let borrowed: Vec<(&[u8], &[u8])> = pairs.iter().map(|(n, v)| (&n[..], &v[..])).collect();
    let cheaders = c_headers(&pairs);

    let core = Verifier::new(scheme, [secret(scheme)]).expect("verifier");
    let c = (api_kind == "c").then(|| {
        let api = CApi::load(args.get(4).expect("peak_rss c MODE MIB LIBHOOKSIG.so"));
        let v = api.new_verifier(scheme, secret(scheme));
        (api, v)
    });

    let rss_before = proc_status_kib("VmRSS");
    reset_peak();
    let ok = match (mode, &c) {
        ("alloc", _) => true,
        (_, None) => core.verify_at(&borrowed[..], &body, NOW).is_ok(),
        (_, Some((api, v))) => api.verify_once(*v, &cheaders, &body, NOW) == 0,
    };
    assert!(ok, "verification failed");
    let hwm = proc_status_kib("VmHWM");
    println!(
        r#"{{"api":"{api_kind}","mode":"{mode}","body_bytes":{},"rss_before_kib":{rss_before},"peak_kib":{hwm}}}"#,
        body.len()
    );
}
