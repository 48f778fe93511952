//! The Stripe `t=..,v1=..` list parser behind `verify`, fed arbitrary header text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static VERIFIER: LazyLock<hooksig::Verifier> =
    LazyLock::new(|| hooksig::Verifier::new("stripe", ["whsec_fuzz"]).expect("verifier"));

fuzz_target!(|header: &[u8]| {
    let headers = [("Stripe-Signature", header)];
    let _ = VERIFIER.verify_at(&headers, b"{}", 1_767_225_600);
});
