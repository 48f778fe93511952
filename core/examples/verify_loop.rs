//! Runs one verification in a loop, for profiling (`valgrind --tool=callgrind`, `perf`):
//! `cargo run --release -p hooksig-core --example verify_loop -- SCHEME BODY_BYTES ITERATIONS`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scheme = args.get(1).map_or("algoguard", String::as_str);
    let len: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let iterations: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let secret = match scheme {
        "standard-webhooks" | "svix" => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        _ => "whsec_profile_secret",
    };
    // JSON-looking, like the criterion bench, so body-field schemes read something real.
    let mut body = br#"{"id":"evt_1","event":"x","data":""#.to_vec();
    body.resize(len.saturating_sub(2).max(body.len()), b'a');
    body.extend_from_slice(b"\"}");
    let now = 1_767_225_600;
    let opts = hooksig::SignOptions {
        id: Some("msg_1"),
        ..hooksig::SignOptions::at(now)
    };
    let headers = hooksig::sign(scheme, secret.as_bytes(), &body, &opts).expect("signs");
    let verifier = hooksig::Verifier::new(scheme, [secret]).expect("verifier");
    let mut matched = 0;
    for _ in 0..iterations {
        matched += usize::from(verifier.verify_at(&headers, &body, now).is_ok());
    }
    println!("{matched} of {iterations} verified");
}
