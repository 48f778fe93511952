//! Discord (ed25519, hex keys), SendGrid (ECDSA P-256), DocuSign's numbered headers and Linear's
//! body timestamp: the properties the shared vectors cannot express.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hooksig::{ErrorCode, SignOptions, Verifier};

const NOW: i64 = 1_767_225_600;
const DISCORD_PRIV: &str = "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f";
const DISCORD_PUB: &str = "111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f";
const SG_PRIV: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAASUUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75";
const SG_PUB: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElFIjjAuEstvLb81vxyZKFvImrQDm5bSPTuc26V0xAB+qDpml4Ngc7owekYYpSASUGkwdJ96IjWAWWOUphLqO+Q==";

/// The P-256 group order.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `n - s` for a 32-byte big-endian `s`.
fn negate(s: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

#[test]
fn a_re_encoded_ecdsa_signature_verifies_with_the_same_dedupe_key() {
    let body = br#"[{"event":"processed","sg_event_id":"x"}]"#;
    let v = Verifier::new("sendgrid", [SG_PUB]).unwrap();
    let signer = Verifier::new("sendgrid", [SG_PRIV]).unwrap();
    let h = signer.sign(body, &SignOptions::at(NOW)).unwrap();
    let ok = v.verify_at(&h, body, NOW).unwrap();
    // Anyone can turn (r, s) into (r, n - s): still valid, and it must not look like a new delivery.
    let der = STANDARD.decode(&h[0].1).unwrap();
    let sig = p256::ecdsa::Signature::from_der(&der).unwrap();
    let bytes = sig.to_bytes();
    let (r, s) = bytes.split_at(32);
    let s2 = negate(s.try_into().unwrap());
    let mut flipped = [0u8; 64];
    flipped[..32].copy_from_slice(r);
    flipped[32..].copy_from_slice(&s2);
    let other = p256::ecdsa::Signature::from_slice(&flipped).unwrap();
    assert_ne!(other, sig);
    let replay = vec![
        (h[0].0.clone(), STANDARD.encode(other.to_der().as_bytes())),
        h[1].clone(),
    ];
    let again = v.verify_at(&replay, body, NOW).unwrap();
    assert_eq!(again.dedupe_key(), ok.dedupe_key());
    assert!(ok.dedupe_key().starts_with("sendgrid:sig:"));
    assert!(v.has_public_keys() && !v.has_ed25519_keys());
}

#[test]
fn key_errors_say_what_is_expected_and_never_echo_the_key() {
    for (scheme, bad) in [
        ("discord", &DISCORD_PUB[..40]),
        ("discord", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ("sendgrid", &SG_PUB[..60]),
        ("sendgrid", "my plain sendgrid secret"),
    ] {
        let err = Verifier::new(scheme, [bad]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSecret, "{scheme}");
        assert!(!err.message().contains(bad), "{err}");
        assert!(err.message().contains("public key"), "{err}");
    }
    // A public key signs nothing.
    let v = Verifier::new("discord", [DISCORD_PUB]).unwrap();
    assert_eq!(
        v.sign(b"{}", &SignOptions::at(NOW)).unwrap_err().code(),
        ErrorCode::InvalidSecret
    );
    let v = Verifier::new("discord", [DISCORD_PRIV]).unwrap();
    assert!(v.sign(b"{}", &SignOptions::at(NOW)).is_ok());
}

#[test]
fn docusign_reads_eight_numbered_headers_and_refuses_a_ninth() {
    let body = br#"{"event":"envelope-sent"}"#;
    let v = Verifier::new("docusign", ["new-key", "old-key"]).unwrap();
    let sig = |k: &str| hooksig::sign("docusign", k.as_bytes(), body, &SignOptions::default());
    let good = sig("old-key").unwrap()[0].1.clone();
    let wrong = sig("gone").unwrap()[0].1.clone();
    let mut headers: Vec<(String, String)> = (1..=7)
        .map(|n| (format!("x-docusign-signature-{n}"), wrong.clone()))
        .collect();
    headers.push(("X-DOCUSIGN-SIGNATURE-8".into(), good.clone()));
    let ok = v.verify_at(&headers, body, NOW).unwrap();
    assert_eq!(ok.key_index, 1);
    assert_eq!(ok.event_type.as_deref(), Some("envelope-sent"));
    headers.push(("X-DocuSign-Signature-9".into(), good));
    let err = v.verify_at(&headers, body, NOW).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedSignature);
    assert_eq!(err.header(), Some("X-DocuSign-Signature-1"));
    let names = hooksig::Scheme::named("docusign")
        .unwrap()
        .header_names()
        .len();
    assert_eq!(names, hooksig::DOCUSIGN_MAX_SIGNATURES + 1);
}

#[test]
fn linear_timestamp_errors_come_after_the_signature_and_name_no_header() {
    let v = Verifier::new("linear", ["lin_wh_secret"]).unwrap();
    assert_eq!(v.tolerance(), hooksig::Tolerance::symmetric(60));
    let body = br#"{"type":"Issue","webhookTimestamp":"1767225600000"}"#;
    let h = v.sign(body, &SignOptions::default()).unwrap();
    let err = v.verify_at(&h, body, NOW).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedTimestamp);
    assert_eq!(err.header(), None);
    assert!(err.message().contains("webhookTimestamp"), "{err}");
    // A forged body is a mismatch, whatever its timestamp.
    let forged = br#"{"type":"Issue"}"#;
    assert_eq!(
        v.verify_at(&h, forged, NOW).unwrap_err().code(),
        ErrorCode::SignatureMismatch
    );
}
