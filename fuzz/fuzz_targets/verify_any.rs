//! Any scheme, any headers, any secret, any body, any clock: an error or a success, never a
//! panic; and a success must survive re-verification.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scheme: u8,
    secrets: Vec<Vec<u8>>,
    headers: Vec<(u8, Vec<u8>)>,
    body: Vec<u8>,
    now: i64,
    tolerance: i64,
    json_fallback: bool,
}

fuzz_target!(|input: Input| {
    let id = hooksig::SCHEME_IDS[usize::from(input.scheme) % hooksig::SCHEME_IDS.len()];
    let scheme = hooksig::Scheme::named(id).expect("built-in");
    // Header names drawn from the scheme's own, so the parsers behind them are reached.
    let names = [
        Some(scheme.signature_header().to_owned()),
        scheme.timestamp_header().map(str::to_owned),
        scheme.id_header().map(str::to_owned),
        Some("webhook-signature".to_owned()),
    ];
    let headers: Vec<(String, Vec<u8>)> = input
        .headers
        .into_iter()
        .filter_map(|(n, v)| names[usize::from(n) % names.len()].clone().map(|n| (n, v)))
        .collect();
    let Ok(verifier) = hooksig::Verifier::builder(scheme)
        .secrets(&input.secrets)
        .tolerance(input.tolerance)
        .json_fallback(input.json_fallback)
        .build()
    else {
        return;
    };
    if let Ok(ok) = verifier.verify_at(&headers, &input.body, input.now) {
        let again = verifier.verify_at(&headers, &input.body, input.now);
        assert_eq!(again.map(|r| r.key_index).ok(), Some(ok.key_index));
    }
});
