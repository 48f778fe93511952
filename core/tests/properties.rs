//! Property tests: sign-then-verify holds for random inputs, any single bit flip is rejected
//! with the right code, and arbitrary header maps never panic.

use hooksig::{ErrorCode, RequestLine, SCHEME_IDS, Scheme, SignOptions, Verifier, sign};

/// The request URL every case is signed for (only twilio, square and hubspot sign it).
const URL: &str = "https://example.com/hooks";

fn at(ts: i64) -> SignOptions<'static> {
    SignOptions {
        url: Some(URL),
        ..SignOptions::at(ts)
    }
}
use proptest::prelude::*;

const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn secret_for(scheme: &str, random: &str) -> String {
    match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => WHSEC.to_owned(),
        // Private keys of the public-key schemes (they verify too): the test vectors' key pairs.
        "discord" => "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f".to_owned(),
        "sendgrid" => "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAASUUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75".to_owned(),
        _ => format!("k{random}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn scheme_id() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(SCHEME_IDS.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_succeeds(
        scheme in scheme_id(),
        secret in "[A-Za-z0-9_]{1,40}",
        body in proptest::collection::vec(any::<u8>(), 0..512),
        id in "[A-Za-z0-9_]{1,24}",
        ts in 0i64..4_000_000_000,
    ) {
        let secret = secret_for(scheme, &secret);
        // Linear and Pusher sign their timestamps inside the body: wrap the random bytes in such
        // a body.
        let body = if scheme == "linear" || scheme == "pusher" {
            format!(
                "{{\"webhookTimestamp\":{ms},\"time_ms\":{ms},\"b\":\"{}\"}}",
                hex(&body),
                ms = ts * 1000
            )
            .into_bytes()
        } else {
            body
        };
        let opts = SignOptions { id: Some(&id), event_type: Some("e"), ..at(ts) };
        let headers = sign(scheme, secret.as_bytes(), &body, &opts).unwrap();
        let v = Verifier::new(scheme, [&secret]).unwrap();
        let ok = v.verify_request_at(&headers, &body, Some(RequestLine::post(URL)), ts).unwrap();
        prop_assert_eq!(ok.key_index, 0);
        if Scheme::named(scheme).unwrap().has_timestamp() {
            prop_assert_eq!(ok.timestamp, Some(ts));
        }
    }

    #[test]
    fn a_flipped_body_bit_is_a_mismatch(
        scheme in scheme_id(),
        body in proptest::collection::vec(any::<u8>(), 1..256),
        bit in any::<prop::sample::Index>(),
    ) {
        let secret = secret_for(scheme, "x");
        let headers = sign(scheme, secret.as_bytes(), &body, &at(1_000)).unwrap();
        let v = Verifier::builder(Scheme::named(scheme).unwrap())
            .secret(&secret)
            .json_fallback(false)
            .build()
            .unwrap();
        let mut tampered = body.clone();
        let i = bit.index(body.len() * 8);
        tampered[i / 8] ^= 1 << (i % 8);
        let err = v.verify_request_at(&headers, &tampered, Some(RequestLine::post(URL)), 1_000).unwrap_err();
        prop_assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    }

    #[test]
    fn a_flipped_signature_or_timestamp_bit_is_rejected(
        scheme in scheme_id(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        which in any::<prop::sample::Index>(),
        bit in 0u8..7,
    ) {
        let secret = secret_for(scheme, "y");
        let ts = 1_767_225_600;
        let headers = sign(scheme, secret.as_bytes(), &body, &SignOptions { id: Some("m"), ..at(ts) }).unwrap();
        let v = Verifier::new(scheme, [&secret]).unwrap();
        let s = Scheme::named(scheme).unwrap();
        // Flip one bit of one byte of the signature header or of the timestamp header.
        let targets: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n == s.signature_header() || Some(n.as_str()) == s.timestamp_header())
            .map(|(i, _)| i)
            .collect();
        let h = targets[which.index(targets.len())];
        let mut tampered = headers.clone();
        let mut bytes = tampered[h].1.clone().into_bytes();
        let pos = which.index(bytes.len());
        bytes[pos] ^= 1 << bit;
        // Hex digits and prefixes are case-insensitive: a case flip there is the same signature.
        let case_only = bytes.eq_ignore_ascii_case(headers[h].1.as_bytes())
            && !matches!(scheme, "shopify" | "standard-webhooks" | "svix");
        prop_assume!(!case_only);
        let value = String::from_utf8_lossy(&bytes).into_owned();
        tampered[h].1 = value;
        let err = v.verify_request_at(&tampered, &body, Some(RequestLine::post(URL)), ts).unwrap_err();
        // What a flip produces depends on where it lands: a different but valid hex digit is a
        // mismatch, a non-digit is malformed, a changed timestamp digit breaks the MAC or the
        // window. It is never accepted, and never an unrelated code.
        prop_assert!(matches!(
            err.code(),
            ErrorCode::SignatureMismatch
                | ErrorCode::MalformedSignature
                | ErrorCode::MalformedTimestamp
                | ErrorCode::MissingTimestamp
                | ErrorCode::MissingSignature
                | ErrorCode::TimestampExpired
                | ErrorCode::TimestampInFuture
        ), "{:?}", err);
    }

    #[test]
    fn arbitrary_headers_never_panic(
        scheme in scheme_id(),
        headers in proptest::collection::vec(
            (
                prop_oneof![
                    proptest::sample::select(vec![
                        "Stripe-Signature", "webhook-signature", "svix-signature", "X-Hub-Signature-256",
                        "x-algoguard-signature", "X-AlgoGuard-Timestamp", "webhook-timestamp",
                        "webhook-id", "svix-id", "svix-timestamp", "Paddle-Signature",
                        "X-Slack-Signature", "X-Slack-Request-Timestamp", "X-Webhook-Signature",
                    ]).prop_map(|s| s.as_bytes().to_vec()),
                    proptest::collection::vec(any::<u8>(), 0..24),
                ],
                proptest::collection::vec(any::<u8>(), 0..160),
            ),
            0..8,
        ),
        body in proptest::collection::vec(any::<u8>(), 0..128),
        now in any::<i64>(),
    ) {
        let v = Verifier::new(scheme, [secret_for(scheme, "z")]).unwrap();
        let _ = v.verify_request_at(&headers, &body, Some(RequestLine::post(URL)), now);
    }

    #[test]
    fn arbitrary_secrets_never_panic(
        scheme in scheme_id(),
        secret in proptest::collection::vec(any::<u8>(), 0..80),
    ) {
        if let Err(e) = Verifier::new(scheme, [&secret]) {
            prop_assert!(e.code() == ErrorCode::InvalidSecret);
        }
    }
}
