//! `hooksig demo`: every scheme, signed and verified, then attacked in the usual ways.

use hooksig::{ErrorCode, RequestLine, SCHEME_IDS, SignOptions, Verifier};

use crate::Failure;

const NOW: i64 = 1_767_225_600;
/// The URL every sample is sent to (twilio, square and hubspot sign it).
const DEMO_URL: &str = "https://example.com/webhooks";
const BODY: &[u8] = br#"{"id":"evt_demo_1","event_id":"evt_demo_1","event":"license.created","type":"license.created","event_type":"license.created","data":{"license_key":"AG-XXXX"},"webhookTimestamp":1767225600000,"time_ms":1767225600000}"#;

/// A demo secret per scheme, in the form that scheme's dashboard hands out.
fn secret_for(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => {
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        }
        // Private keys (the verifier checks with their public halves): Discord's ed25519 seed and
        // public key in hex, SendGrid's P-256 key as base64 PKCS#8.
        "discord" => {
            "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f"
        }
        "sendgrid" => {
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAASUUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75"
        }
        _ => "whsec_demo_secret_for_hooksig",
    }
}

/// One attack: a name, how to mutate the signed request, and the code it must produce.
type Mutation = fn(&mut Vec<(String, String)>, &mut Vec<u8>, &mut i64);

pub(crate) fn run() -> Result<(), Failure> {
    let cases: [(&str, Mutation, Option<ErrorCode>); 5] = [
        ("valid", |_, _, _| {}, None),
        (
            "tampered body",
            // A changed value, not whitespace: Chaindoc's JSON fallback rightly accepts
            // whitespace changes, since its senders sign the re-serialized JSON.
            |_, body, _| {
                if let Some(x) = body.iter().rposition(|b| *b == b'X') {
                    body[x] = b'Y';
                }
            },
            Some(ErrorCode::SignatureMismatch),
        ),
        (
            "no signature",
            |headers, _, _| {
                headers.remove(0);
            },
            Some(ErrorCode::MissingSignature),
        ),
        (
            "garbled signature",
            // The signature header comes first (see the sort below); halving the other values too
            // would make an RFC 3339 timestamp malformed, which is checked before the signature.
            |headers, _, _| {
                if let Some((_, v)) = headers.first_mut() {
                    v.truncate(v.len() / 2);
                }
            },
            Some(ErrorCode::MalformedSignature),
        ),
        (
            "11 min later",
            |_, _, now| *now += 660,
            Some(ErrorCode::TimestampExpired),
        ),
    ];
    println!(
        "{:<18} {:<10} {:<20} {:<20} {:<20} {:<20}",
        "scheme", "valid", cases[1].0, cases[2].0, cases[3].0, cases[4].0
    );
    let mut wrong = 0;
    for scheme in SCHEME_IDS {
        let secret = secret_for(scheme);
        let verifier = Verifier::new(scheme, [secret])?;
        let signed = verifier.sign(
            BODY,
            &SignOptions {
                id: Some("msg_demo_1"),
                event_type: Some("license.created"),
                url: Some(DEMO_URL),
                ..SignOptions::at(NOW)
            },
        )?;
        let mut row = format!("{scheme:<18}");
        for (i, (_, mutate, expected)) in cases.iter().enumerate() {
            let (mut headers, mut body, mut now) = (signed.clone(), BODY.to_vec(), NOW);
            // Reorder so that the signature header comes first for the "no signature" case.
            let sig = verifier.scheme().signature_header().to_owned();
            headers.sort_by_key(|(n, _)| n != &sig);
            mutate(&mut headers, &mut body, &mut now);
            let expected = match expected {
                Some(ErrorCode::TimestampExpired) if !verifier.scheme().has_timestamp() => None,
                other => *other,
            };
            let got = verifier
                .verify_request_at(&headers, &body, Some(RequestLine::post(DEMO_URL)), now)
                .map(|_| ())
                .map_err(|e| e.code());
            let cell = match got {
                Ok(()) => "ok".to_owned(),
                Err(code) => code.as_str().to_owned(),
            };
            let good = got.err() == expected;
            if !good {
                wrong += 1;
            }
            let width = if i == 0 { 10 } else { 20 };
            row.push_str(&format!(
                " {:<width$}",
                if good { cell } else { format!("{cell}!") }
            ));
        }
        println!("{row}");
    }
    println!();
    if wrong > 0 {
        return Err(Failure {
            exit: 1,
            text: format!("{wrong} cells differ from the expected outcome (marked !)"),
            code: None,
        });
    }
    println!(
        "every scheme verified its own signature and rejected each attack with its code \
         (schemes without a timestamp accept the late delivery: they have no replay window)"
    );
    Ok(())
}
