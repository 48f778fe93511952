//! Behaviour that the shared vectors don't express: API-level guarantees of the core.

use hooksig::{
    CustomScheme, ErrorCode, RequestLine, Scheme, SecretFormat, SignOptions, Tolerance, Verifier,
    sign,
};

const NOW: i64 = 1_767_225_600;
const SVIX_KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[test]
fn svix_accepts_unbranded_standard_webhooks_headers() {
    let body = br#"{"test": 2432232314}"#;
    let signed = sign(
        "standard-webhooks",
        SVIX_KEY.as_bytes(),
        body,
        &SignOptions::at(NOW),
    )
    .expect("signs");
    let v = Verifier::new("svix", [SVIX_KEY]).expect("builds");
    let ok = v
        .verify_at(&signed, body, NOW)
        .expect("webhook-* headers verify under svix");
    assert_eq!(ok.scheme, "svix");
    // The branded names still win, and the unbranded ones are not accepted by other schemes.
    let err = Verifier::new("standard-webhooks", [SVIX_KEY])
        .expect("builds")
        .verify_at(
            &sign("svix", SVIX_KEY.as_bytes(), body, &SignOptions::at(NOW)).expect("signs"),
            body,
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingSignature);
}

#[test]
fn ed25519_v1a_signs_and_verifies() {
    // A fixed 32-byte seed; the public key is derived by the same library, the independent
    // check lives in the shared vectors (generated with Python's `cryptography`).
    let seed = [7u8; 32];
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let sk = format!("whsk_{}", b64(&seed));
    let signer = Verifier::new("standard-webhooks", [sk.as_str()]).expect("signing key");
    let body = b"{\"a\":1}";
    let headers = signer.sign(body, &SignOptions::at(NOW)).expect("signs");
    assert!(headers[2].1.starts_with("v1a,"), "{headers:?}");
    let ok = signer
        .verify_at(&headers, body, NOW)
        .expect("own signature verifies");
    assert_eq!(ok.key_index, 0);
    let err = signer.verify_at(&headers, b"{\"a\":2}", NOW).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    // A whpk_ public key verifies but cannot sign.
    let pk = ed25519_dalek::SigningKey::from_bytes(&seed)
        .verifying_key()
        .to_bytes();
    let verifier = Verifier::new("standard-webhooks", [format!("whpk_{}", b64(&pk))]).expect("pk");
    assert!(verifier.verify_at(&headers, body, NOW).is_ok());
    assert_eq!(
        verifier
            .sign(body, &SignOptions::at(NOW))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidSecret
    );
}

#[test]
fn rotation_reports_the_matching_secret_whatever_its_position() {
    let body = b"payload";
    let secrets = ["first-secret", "second-secret", "third-secret"];
    for (i, s) in secrets.iter().enumerate() {
        let headers = sign("github", s.as_bytes(), body, &SignOptions::default()).expect("signs");
        let v = Verifier::new("github", secrets).expect("builds");
        let ok = v.verify_at(&headers, body, NOW).expect("verifies");
        assert_eq!(ok.key_index, i);
    }
}

#[test]
fn secrets_are_validated_and_never_printed() {
    for (secret, fragment) in [
        ("", "empty"),
        (" padded", "whitespace"),
        ("trailing\n", "whitespace"),
    ] {
        let err = Verifier::new("github", [secret]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSecret);
        assert!(err.to_string().contains(fragment), "{err}");
    }
    assert_eq!(
        Verifier::new("github", Vec::<&str>::new())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidSecret
    );
    for bad in ["whsec_!!!", "whsec_AAAA", "whsk_AAAA", "whpk_AAAA"] {
        let err = Verifier::new("svix", [bad]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSecret, "{bad}");
        assert!(!err.to_string().contains(&bad[6..]), "{err}");
    }
    let v = Verifier::new("stripe", ["whsec_very_secret_value"]).expect("builds");
    let debug = format!("{v:?}");
    assert!(!debug.contains("very_secret"), "{debug}");
    assert!(debug.contains("redacted"));
}

#[test]
fn secret_formats_decode_keys() {
    let body = b"x";
    let headers = sign("github", b"key", body, &SignOptions::default()).expect("signs");
    for (secret, format) in [
        ("6b6579", SecretFormat::Hex),
        ("a2V5", SecretFormat::Base64),
        ("key", SecretFormat::Text),
    ] {
        let v = Verifier::builder(Scheme::named("github").expect("scheme"))
            .secret(secret)
            .secret_format(format)
            .build()
            .expect("builds");
        assert!(v.verify_at(&headers, body, NOW).is_ok(), "{format:?}");
    }
    // Text format keeps a whsec_ key as bytes even for Standard Webhooks.
    let v = Verifier::builder(Scheme::named("svix").expect("scheme"))
        .secret("plain text key")
        .secret_format(SecretFormat::Text)
        .build();
    assert!(v.is_ok());
}

#[test]
fn options_are_validated() {
    let err = Verifier::builder(Scheme::named("slack").expect("scheme"))
        .secret("k")
        .tolerance(-1)
        .build()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
    assert_eq!(
        Verifier::new("nope", ["k"]).unwrap_err().code(),
        ErrorCode::UnknownScheme
    );
    assert_eq!(
        sign("slack", b"k", b"", &SignOptions::at(-5))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidConfig
    );
    for (template, ts) in [
        ("{ts}.{body}", None),
        ("{id}.{body}", Some("X-Ts")),
        ("{body}{body}", None),
        ("{nope}{body}", None),
        ("no body", None),
    ] {
        let err = CustomScheme {
            template: template.into(),
            timestamp_header: ts.map(Into::into),
            ..CustomScheme::new("c", "X-Sig")
        }
        .build()
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConfig, "{template}");
    }
    for bad in ["a\r\nX-Injected: 1", "nul\0", "tab\t"] {
        let opts = SignOptions {
            id: Some(bad),
            ..SignOptions::at(NOW)
        };
        assert_eq!(
            sign("svix", SVIX_KEY.as_bytes(), b"", &opts)
                .unwrap_err()
                .code(),
            ErrorCode::InvalidConfig
        );
    }
    let err = CustomScheme::new("c", "Bad Header").build().unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
}

#[test]
fn separate_past_and_future_bounds() {
    let v = Verifier::builder(Scheme::named("slack").expect("scheme"))
        .secret("k")
        .tolerance_window(Tolerance {
            past: Some(10),
            future: None,
        })
        .build()
        .expect("builds");
    let future = sign("slack", b"k", b"", &SignOptions::at(NOW + 10_000)).expect("signs");
    assert!(v.verify_at(&future, b"", NOW).is_ok());
    let past = sign("slack", b"k", b"", &SignOptions::at(NOW - 11)).expect("signs");
    assert_eq!(
        v.verify_at(&past, b"", NOW).unwrap_err().code(),
        ErrorCode::TimestampExpired
    );
}

#[test]
fn every_builtin_round_trips_and_exposes_its_headers() {
    for scheme in Scheme::all() {
        let whsec = [
            "svix",
            "standard-webhooks",
            "replicate",
            "clerk",
            "resend",
            "openai",
        ];
        let secret: &[u8] = match scheme.id() {
            id if whsec.contains(&id) => SVIX_KEY.as_bytes(),
            // Private keys (they verify too): the test vectors' key pairs.
            "discord" => b"afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f",
            "sendgrid" => b"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAASUUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75",
            _ => b"s3cret",
        };
        let body = br#"{"id":"e1","event_id":"e1","type":"t","event":"t","event_type":"t","webhookTimestamp":1767225600000,"time_ms":1767225600000}"#;
        // Every scheme gets the URL; only twilio, square and hubspot sign it.
        let url = "https://example.com/hooks";
        let opts = SignOptions {
            id: Some("msg_1"),
            event_type: Some("t"),
            url: Some(url),
            ..SignOptions::at(NOW)
        };
        let headers = sign(scheme.id(), secret, body, &opts).expect("signs");
        assert_eq!(
            headers
                .iter()
                .filter(|(n, _)| n == scheme.signature_header())
                .count(),
            1
        );
        let v = Verifier::new(scheme.id(), [secret]).expect("builds");
        let ok = v
            .verify_request_at(&headers, body, Some(RequestLine::post(url)), NOW)
            .expect("verifies");
        let other = RequestLine::post("https://example.com/other");
        assert_eq!(
            v.verify_request_at(&headers, body, Some(other), NOW)
                .is_err(),
            ["twilio", "square", "hubspot"].contains(&scheme.id()),
            "{}: the URL is signed exactly when the scheme says so",
            scheme.id()
        );
        assert_eq!(
            ok.timestamp.is_some(),
            scheme.has_timestamp(),
            "{}",
            scheme.id()
        );
        if scheme.id_header().is_some() || scheme.id() == "stripe" {
            assert!(ok.id.is_some(), "{}", scheme.id());
        }
    }
}
