//! Prefixed hex (`sha256=<hex>`, GitHub) and plain base64 (Shopify) signature parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static GITHUB: LazyLock<hooksig::Verifier> =
    LazyLock::new(|| hooksig::Verifier::new("github", ["fuzz"]).expect("verifier"));
static SHOPIFY: LazyLock<hooksig::Verifier> =
    LazyLock::new(|| hooksig::Verifier::new("shopify", ["fuzz"]).expect("verifier"));

fuzz_target!(|header: &[u8]| {
    let _ = GITHUB.verify_at(&[("X-Hub-Signature-256", header)], b"body", 0);
    let _ = SHOPIFY.verify_at(&[("X-Shopify-Hmac-Sha256", header)], b"body", 0);
});
