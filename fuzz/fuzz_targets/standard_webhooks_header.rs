//! The Standard Webhooks `v1,<b64> v1a,<b64>` list parser, fed arbitrary header text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static VERIFIER: LazyLock<hooksig::Verifier> = LazyLock::new(|| {
    hooksig::Verifier::new(
        "standard-webhooks",
        [
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whpk_/RckOFqgx1tk+3jNYC+h2ZH96/drE8WO1wLqyDXp9hg=",
        ],
    )
    .expect("verifier")
});

fuzz_target!(|header: &[u8]| {
    let headers = [
        ("webhook-id", &b"msg_1"[..]),
        ("webhook-timestamp", b"1767225600"),
        ("webhook-signature", header),
    ];
    let _ = VERIFIER.verify_at(&headers, b"{}", 1_767_225_600);
});
