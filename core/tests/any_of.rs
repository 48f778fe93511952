//! `Verifier::any_of`: the selection rules, the errors, and what a composite answers where a
//! single scheme is assumed (receivers' handshakes, replay ttl, sign, header names).

use std::sync::Arc;

use hooksig::receive::{Handshake, Receiver};
use hooksig::{ErrorCode, MAX_ANY_OF, ReplayGuard, SignOptions, Verifier, default_ttl};

const NOW: i64 = 1_767_225_600;

fn v(scheme: &str, secret: &str) -> Verifier {
    Verifier::new(scheme, [secret]).unwrap()
}

fn headers(h: &[(String, String)]) -> Vec<(&str, &str)> {
    h.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

fn signed(scheme: &str, secret: &str, body: &[u8]) -> Vec<(String, String)> {
    let opts = SignOptions {
        id: Some("msg_2Lk"),
        ..SignOptions::at(NOW)
    };
    v(scheme, secret)
        .sign(body, &opts)
        .unwrap()
        .into_iter()
        .collect()
}

fn stripe_github() -> Verifier {
    Verifier::any_of([v("stripe", "whsec_stripe_k"), v("github", "gh_k")]).unwrap()
}

#[test]
fn picks_the_scheme_whose_signature_header_is_present() {
    let any = stripe_github();
    let body = br#"{"id":"evt_1","type":"charge.succeeded"}"#;
    let h = signed("stripe", "whsec_stripe_k", body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    assert_eq!((ok.scheme, ok.id.as_deref()), ("stripe", Some("evt_1")));
    assert_eq!(ok.dedupe_key(), "stripe:id:evt_1");

    let h = signed("github", "gh_k", b"{}");
    let ok = any.verify_at(&headers(&h), b"{}", NOW).unwrap();
    assert_eq!(ok.scheme, "github");
    assert!(ok.dedupe_key().starts_with("github:sig:"));
    // The same answer as the GitHub verifier alone.
    let alone = v("github", "gh_k");
    assert_eq!(ok, alone.verify_at(&headers(&h), b"{}", NOW).unwrap());
}

#[test]
fn one_candidate_gives_its_exact_error() {
    let any = stripe_github();
    let stripe = v("stripe", "whsec_stripe_k");
    let body = br#"{"id":"evt_1"}"#;
    let h = signed("stripe", "whsec_stripe_k", body);
    // Expired: Stripe's own error, not a mismatch from GitHub's verifier.
    let late = any.verify_at(&headers(&h), body, NOW + 301).unwrap_err();
    assert_eq!(
        late,
        stripe.verify_at(&headers(&h), body, NOW + 301).unwrap_err()
    );
    assert_eq!(late.code(), ErrorCode::TimestampExpired);
    // Wrong secret.
    let h = signed("stripe", "whsec_other", body);
    let err = any.verify_at(&headers(&h), body, NOW).unwrap_err();
    assert_eq!(err, stripe.verify_at(&headers(&h), body, NOW).unwrap_err());
    assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    // Malformed.
    let err = any
        .verify_at(&[("X-Hub-Signature-256", "sha256=zz")], b"{}", NOW)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.header()),
        (ErrorCode::MalformedSignature, Some("X-Hub-Signature-256"))
    );
}

#[test]
fn no_candidate_is_missing_signature_listing_the_headers() {
    let any = stripe_github();
    for h in [
        vec![],
        vec![("Content-Type", "application/json")],
        // Present but empty (or blank) is absent.
        vec![("Stripe-Signature", ""), ("X-Hub-Signature-256", "  ")],
    ] {
        let err = any.verify_at(&h, b"{}", NOW).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MissingSignature);
        assert_eq!(err.header(), Some("Stripe-Signature"));
        let msg = err.to_string();
        assert!(msg.contains("Stripe-Signature") && msg.contains("X-Hub-Signature-256"));
        assert!(!msg.contains("whsec_stripe_k") && !msg.contains("gh_k"));
    }
    // The further signature headers and the header fallback are looked for too.
    let any =
        Verifier::any_of([v("box", "k1"), v("svix", "whsec_c3ZpeF9zZWNyZXRfa2V5IQ==")]).unwrap();
    let msg = any
        .verify_at(&[("a", "b")], b"", NOW)
        .unwrap_err()
        .to_string();
    for name in [
        "box-signature-primary",
        "box-signature-secondary",
        "svix-signature",
        "webhook-signature",
    ] {
        assert!(msg.contains(name), "{msg}");
    }
}

#[test]
fn an_empty_header_does_not_make_a_candidate() {
    let any = stripe_github();
    let mut h = signed("github", "gh_k", b"{}");
    h.push(("Stripe-Signature".into(), " ".into()));
    assert_eq!(
        any.verify_at(&headers(&h), b"{}", NOW).unwrap().scheme,
        "github"
    );
}

#[test]
fn shared_headers_try_in_order_first_success_wins() {
    // svix, clerk and resend all send svix-* headers.
    let svix = "whsec_c3ZpeF9zZWNyZXRfa2V5IQ==";
    let clerk = "whsec_Y2xlcmtfc2VjcmV0X2tleQ==";
    let any = Verifier::any_of([v("svix", svix), v("clerk", clerk)]).unwrap();
    let body = br#"{"type":"user.created"}"#;
    let h = signed("clerk", clerk, body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    assert_eq!(
        (ok.scheme, ok.dedupe_key().as_str()),
        ("clerk", "clerk:id:msg_2Lk")
    );
    let h = signed("svix", svix, body);
    assert_eq!(
        any.verify_at(&headers(&h), body, NOW).unwrap().scheme,
        "svix"
    );

    // Neither secret: the first candidate's error (svix's).
    let h = signed("clerk", "whsec_b3RoZXJfc2VjcmV0X2tleQ==", body);
    let err = any.verify_at(&headers(&h), body, NOW).unwrap_err();
    assert_eq!(
        err,
        v("svix", svix)
            .verify_at(&headers(&h), body, NOW)
            .unwrap_err()
    );
    assert_eq!(err.code(), ErrorCode::SignatureMismatch);

    // Svix's fallback to webhook-* makes it a candidate next to standard-webhooks.
    let sw = "whsec_c3RhbmRhcmRfc2VjcmV0aw==";
    let any = Verifier::any_of([v("svix", svix), v("standard-webhooks", sw)]).unwrap();
    let h = signed("standard-webhooks", sw, body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    assert_eq!(ok.scheme, "standard-webhooks");
    let h = signed("standard-webhooks", svix, body); // webhook-* headers, svix's secret
    assert_eq!(
        any.verify_at(&headers(&h), body, NOW).unwrap().scheme,
        "svix"
    );
}

#[test]
fn a_later_candidate_is_not_tried_when_an_earlier_one_succeeds() {
    // Both verifiers would accept (same secret, same headers): the configured order decides.
    let s = "whsec_c2FtZV9zZWNyZXRfa2V5IQ==";
    let body = b"{}";
    let h = signed("standard-webhooks", s, body);
    for (order, first) in [
        (["standard-webhooks", "replicate"], "standard-webhooks"),
        (["replicate", "standard-webhooks"], "replicate"),
    ] {
        let any = Verifier::any_of(order.map(|id| v(id, s))).unwrap();
        assert_eq!(
            any.verify_at(&headers(&h), body, NOW).unwrap().scheme,
            first
        );
    }
}

#[test]
fn refused_configurations() {
    let config = |r: hooksig::Result<Verifier>| {
        let e = r.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidConfig);
        assert!(!e.to_string().contains("secret_k"), "{e}");
        e.to_string()
    };
    let msg = config(Verifier::any_of(Vec::<Verifier>::new()));
    assert!(msg.contains("no verifier"));
    let many: Vec<Verifier> = hooksig::SCHEME_IDS
        .iter()
        .filter(|id| !["discord", "sendgrid"].contains(id))
        .take(MAX_ANY_OF + 1)
        .map(|id| Verifier::new(id, ["whsec_c2VjcmV0X2tfc2VjcmV0X2s="]).unwrap())
        .collect();
    assert_eq!(many.len(), MAX_ANY_OF + 1);
    assert!(Verifier::any_of(many[..MAX_ANY_OF].to_vec()).is_ok());
    assert!(config(Verifier::any_of(many)).contains("at most 16"));
    let nested = stripe_github();
    assert!(config(Verifier::any_of([nested, v("slack", "secret_k")])).contains("composite"));
    let msg = config(Verifier::any_of([
        v("slack", "secret_k"),
        v("slack", "secret_k2"),
    ]));
    assert!(msg.contains("same scheme id"));
}

#[test]
fn what_a_composite_answers_for_one_scheme() {
    let any = Verifier::any_of([
        v("github", "gh_k"),
        Verifier::builder(hooksig::Scheme::named("stripe").unwrap())
            .secrets(["whsec_a", "whsec_b"])
            .tolerance_window(hooksig::Tolerance {
                past: Some(900),
                future: Some(60),
            })
            .build()
            .unwrap(),
        v("twitch", "twitch_k"),
    ])
    .unwrap();
    assert!(any.is_any_of() && !v("github", "k").is_any_of());
    assert_eq!(any.members().len(), 3);
    assert_eq!(any.scheme().id(), hooksig::ANY_OF_SCHEME_ID);
    assert_eq!(any.scheme().id(), "any");
    assert_eq!(any.secret_count(), 4);
    assert_eq!(
        any.tolerance(),
        hooksig::Tolerance {
            past: Some(900),
            future: Some(600)
        }
    );
    // github is untimed: 24 h, the longest.
    assert_eq!(default_ttl(&any), 86_400);
    assert_eq!(ReplayGuard::for_verifier(&any).ttl(), 86_400);
    let timed = Verifier::any_of([v("stripe", "whsec_a"), v("twitch", "t")]).unwrap();
    assert_eq!(default_ttl(&timed), 1_260);
    let names = any.header_names();
    for n in [
        "X-Hub-Signature-256",
        "Stripe-Signature",
        "Twitch-Eventsub-Message-Signature",
        "Twitch-Eventsub-Message-Type",
    ] {
        assert!(names.contains(&n), "{names:?}");
    }
    // Union without duplicates (svix and clerk share theirs).
    let shared = Verifier::any_of([
        v("svix", "whsec_YWFhYWFhYWFhYWFh"),
        v("clerk", "whsec_YmJiYmJiYmJiYmJi"),
    ])
    .unwrap();
    assert_eq!(
        shared.header_names(),
        v("svix", "whsec_YWFhYWFhYWFhYWFh").header_names()
    );

    let err = any.sign(b"{}", &SignOptions::at(NOW)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
    assert!(err.to_string().contains("sign with one of its verifiers"));

    assert!(!any.has_public_keys());
    let pk = Verifier::any_of([
        v("github", "k"),
        Verifier::new(
            "discord",
            ["111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f"],
        )
        .unwrap(),
    ])
    .unwrap();
    assert!(pk.has_public_keys() && pk.has_ed25519_keys());

    let debug = format!("{any:?}");
    assert!(
        !debug.contains("gh_k") && !debug.contains("whsec_a"),
        "{debug}"
    );
}

#[test]
fn takes_shared_verifiers() {
    let stripe = Arc::new(v("stripe", "whsec_stripe_k"));
    let any = Verifier::any_of([Arc::clone(&stripe), Arc::new(v("github", "gh_k"))]).unwrap();
    assert!(Arc::ptr_eq(&any.members()[0], &stripe));
    let body = br#"{"id":"evt_1"}"#;
    let h = signed("stripe", "whsec_stripe_k", body);
    assert_eq!(
        any.verify_at(&headers(&h), body, NOW).unwrap().scheme,
        "stripe"
    );
    // A clone shares the members too.
    let copy = any.clone();
    assert!(Arc::ptr_eq(&copy.members()[0], &stripe));
}

#[test]
fn handshakes_use_the_matched_scheme_and_key() {
    let any = Verifier::any_of([
        v("stripe", "whsec_stripe_k"),
        Verifier::new("zoom", ["zoom_other", "zoom_secret_token_demo"]).unwrap(),
        v("slack", "slack_k"),
    ])
    .unwrap();
    let receiver = Receiver::new();

    let body = br#"{"type":"url_verification","challenge":"abc"}"#;
    let h = signed("slack", "slack_k", body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    let (kind, answer) = receiver.handshake(&any, &ok, &headers(&h)).unwrap();
    assert_eq!(kind, Handshake::SlackUrlVerification);
    assert_eq!(answer.body, r#"{"challenge":"abc"}"#);

    // Zoom: encryptedToken with the Zoom verifier's second secret, the one that matched.
    let body =
        br#"{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}"#;
    let h = signed("zoom", "zoom_secret_token_demo", body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    assert_eq!((ok.scheme, ok.key_index), ("zoom", 1));
    let (kind, answer) = receiver.handshake(&any, &ok, &headers(&h)).unwrap();
    assert_eq!(kind, Handshake::ZoomUrlValidation);
    let zoom = Verifier::new("zoom", ["zoom_other", "zoom_secret_token_demo"]).unwrap();
    let alone = zoom.verify_at(&headers(&h), body, NOW).unwrap();
    assert_eq!(
        answer.body,
        receiver
            .handshake(&zoom, &alone, &headers(&h))
            .unwrap()
            .1
            .body
    );

    // A Stripe delivery is no handshake.
    let body = br#"{"id":"evt_1","type":"url_verification","challenge":"x"}"#;
    let h = signed("stripe", "whsec_stripe_k", body);
    let ok = any.verify_at(&headers(&h), body, NOW).unwrap();
    assert!(receiver.handshake(&any, &ok, &headers(&h)).is_none());
}
