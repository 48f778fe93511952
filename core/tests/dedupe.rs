//! Dedupe keys are built from signed material only (issue 12, item 2): editing or removing a
//! header the signature does not cover must not give a replayed delivery a fresh key, and an
//! attacker must not choose the key's size.

use hooksig::{CustomScheme, SignOptions, Verifier, sign};

const NOW: i64 = 1_767_225_600;
const SW_KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

type Headers = Vec<(String, String)>;

fn without(headers: &Headers, name: &str) -> Headers {
    headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        .cloned()
        .collect()
}

fn with(headers: &Headers, name: &str, value: &str) -> Headers {
    let mut h = without(headers, name);
    h.push((name.to_owned(), value.to_owned()));
    h
}

#[test]
fn unsigned_delivery_headers_do_not_change_the_key() {
    let body = br#"{"action":"opened"}"#;
    for (scheme, id_header) in [
        ("github", "X-GitHub-Delivery"),
        ("shopify", "X-Shopify-Webhook-Id"),
        ("certifylize", "X-Certifylize-Delivery-Id"),
    ] {
        let v = Verifier::new(scheme, ["s3cret"]).expect("verifier");
        let opts = SignOptions {
            id: Some("delivery-1"),
            ..SignOptions::at(NOW)
        };
        let signed = v.sign(body, &opts).expect("sign");
        let original = v.verify_at(&signed, body, NOW).expect("verifies");
        assert_eq!(original.id.as_deref(), Some("delivery-1"), "{scheme}");
        assert!(!original.id_signed, "{scheme}");
        let key = original.dedupe_key();
        assert!(key.starts_with(&format!("{scheme}:sig:")), "{key}");
        assert!(!key.contains("delivery-1"), "{key}");
        let long = "x".repeat(8192);
        for replay in [
            with(&signed, id_header, "delivery-2"),
            with(&signed, id_header, &long),
            without(&signed, id_header),
        ] {
            let again = v.verify_at(&replay, body, NOW).expect("still authentic");
            assert_eq!(again.dedupe_key(), key, "{scheme}: {replay:?}");
        }
        // A different body is a different delivery.
        let other = v.sign(b"{}", &opts).expect("sign");
        assert_ne!(
            v.verify_at(&other, b"{}", NOW).expect("ok").dedupe_key(),
            key
        );
    }
}

#[test]
fn the_key_does_not_depend_on_which_of_several_signatures_is_presented() {
    // During a rotation the sender signs with both secrets; a replay carrying only one of the
    // signatures (or them in the other order) is still the same delivery.
    let body = b"{\"n\":1}";
    let v = Verifier::new("github", ["new-secret", "old-secret"]).expect("verifier");
    let sig = |secret: &str| {
        sign("github", secret.as_bytes(), body, &SignOptions::default()).expect("sign")[0]
            .1
            .clone()
    };
    let (new, old) = (sig("new-secret"), sig("old-secret"));
    let keys: Vec<String> = [
        format!("{new}, {old}"),
        format!("{old}, {new}"),
        new.clone(),
        old.clone(),
    ]
    .iter()
    .map(|value| {
        v.verify_at(&[("X-Hub-Signature-256", value.as_str())], body, NOW)
            .expect("verifies")
            .dedupe_key()
    })
    .collect();
    assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
}

#[test]
fn signed_ids_are_used_and_bounded() {
    let body = br#"{"type":"x"}"#;
    let v = Verifier::new("standard-webhooks", [SW_KEY]).expect("verifier");
    let key = |id: &str| {
        let opts = SignOptions {
            id: Some(id),
            ..SignOptions::at(NOW)
        };
        let signed = v.sign(body, &opts).expect("sign");
        let ok = v.verify_at(&signed, body, NOW).expect("verifies");
        assert!(ok.id_signed);
        ok.dedupe_key()
    };
    assert_eq!(key("msg_1"), "standard-webhooks:id:msg_1");
    let sixty_four = "a".repeat(64);
    assert_eq!(
        key(&sixty_four),
        format!("standard-webhooks:id:{sixty_four}")
    );
    for odd in [
        "a".repeat(65),
        "b".repeat(8192),
        "with space".to_owned(),
        "zażółć".to_owned(),
    ] {
        let k = key(&odd);
        assert!(k.starts_with("standard-webhooks:id-sha256:"), "{k}");
        assert_eq!(k.len(), "standard-webhooks:id-sha256:".len() + 64, "{k}");
        assert!(!k.contains(&odd), "{k}");
    }
    assert_ne!(key(&"a".repeat(65)), key(&"a".repeat(66)));
    // The webhook-id is signed: editing it breaks the signature instead of changing the key.
    let signed = v.sign(body, &SignOptions::at(NOW)).expect("sign");
    assert!(
        v.verify_at(&with(&signed, "webhook-id", "msg_other"), body, NOW)
            .is_err()
    );
}

#[test]
fn body_ids_come_from_the_authenticated_payload() {
    let v = Verifier::new("stripe", ["whsec_k"]).expect("verifier");
    let body = br#"{"id":"evt_1","type":"invoice.paid"}"#;
    let signed = v.sign(body, &SignOptions::at(NOW)).expect("sign");
    let ok = v.verify_at(&signed, body, NOW).expect("ok");
    assert_eq!(ok.dedupe_key(), "stripe:id:evt_1");
    // No id in the body: the signed content identifies the delivery.
    let signed = v.sign(b"{}", &SignOptions::at(NOW)).expect("sign");
    let k = v.verify_at(&signed, b"{}", NOW).expect("ok").dedupe_key();
    assert!(
        k.starts_with("stripe:sig:") && k.len() == "stripe:sig:".len() + 32,
        "{k}"
    );
    // A control character in a (signed) body id is hashed, not embedded.
    let body = br#"{"id":"evt\n1"}"#;
    let signed = v.sign(body, &SignOptions::at(NOW)).expect("sign");
    let k = v.verify_at(&signed, body, NOW).expect("ok").dedupe_key();
    assert!(
        k.starts_with("stripe:id-sha256:") && !k.contains('\n'),
        "{k:?}"
    );
}

#[test]
fn custom_schemes_use_their_id_header_only_when_the_template_signs_it() {
    let body = b"{}";
    for (template, signed_id) in [("{body}", false), ("{id}.{body}", true)] {
        let scheme = CustomScheme {
            id_header: Some("X-Acme-Id".into()),
            template: template.into(),
            ..CustomScheme::new("acme", "X-Acme-Signature")
        }
        .build()
        .expect("scheme");
        let v = Verifier::builder(scheme)
            .secret("k")
            .build()
            .expect("verifier");
        let opts = SignOptions {
            id: Some("a-1"),
            ..SignOptions::at(NOW)
        };
        let signed = v.sign(body, &opts).expect("sign");
        let ok = v.verify_at(&signed, body, NOW).expect("ok");
        assert_eq!(ok.id_signed, signed_id, "{template}");
        if signed_id {
            assert_eq!(ok.dedupe_key(), "acme:id:a-1");
        } else {
            assert!(ok.dedupe_key().starts_with("acme:sig:"), "{template}");
            let edited = with(&signed, "X-Acme-Id", "a-2");
            let again = v.verify_at(&edited, body, NOW).expect("ok");
            assert_eq!(again.dedupe_key(), ok.dedupe_key());
        }
    }
}

#[test]
fn the_free_function_agrees_with_the_method() {
    let v = Verifier::new("github", ["s"]).expect("verifier");
    let signed = v
        .sign(
            b"x",
            &SignOptions {
                id: Some("d"),
                ..SignOptions::default()
            },
        )
        .expect("sign");
    let ok = v.verify_at(&signed, b"x", NOW).expect("ok");
    assert_eq!(
        hooksig::dedupe_key(
            ok.scheme,
            ok.id.as_deref(),
            ok.id_signed,
            &ok.signature_fingerprint
        ),
        ok.dedupe_key()
    );
}
