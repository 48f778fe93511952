//! Parsing signature headers into decoded candidate signatures.
//!
//! Decoding touches only attacker-supplied text, so it may branch freely; the comparison with
//! the expected MAC happens later, in constant time, on the decoded bytes.

use base64::Engine as _;
use smallvec::SmallVec;

use crate::b64;
use crate::headers::{split, trim};
use crate::scheme::{Encoding, SignatureFormat};

/// Which key kind a candidate must be checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Mac,
    Ed25519,
    /// ECDSA P-256, held as the fixed 64-byte `r‖s` form of the DER signature.
    EcdsaP256,
}

/// One decoded signature from the header.
pub(crate) struct Candidate {
    pub(crate) kind: Kind,
    bytes: [u8; 64],
    len: usize,
}

impl Candidate {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

pub(crate) type Candidates = SmallVec<[Candidate; 2]>;

/// A timestamp found inside a signature header (Stripe, Paddle).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EmbeddedTimestamp<'h> {
    Absent,
    /// Every occurrence agreed on these bytes.
    Present(&'h [u8]),
    /// Occurrences disagree.
    Conflicting,
}

/// The most signature entries one request may carry, across every value of the signature
/// header. Each entry costs a comparison per configured secret, and an ed25519 (`v1a`) entry a
/// signature verification per `whpk_`/`whsk_` key (~50 µs): the bound keeps a forged request's
/// cost a fixed multiple of a valid one's. Senders use one entry per active secret (two during a
/// rotation); a header with more is refused as `malformed_signature`.
pub const MAX_SIGNATURE_ENTRIES: usize = 8;

/// The most ed25519 (`v1a`) entries one request may carry. Each costs a signature verification
/// per `whpk_`/`whsk_` key, over the whole body (about 50 µs plus a SHA-512 of the body), and a
/// valid request from a sender costs at least one per key tried: two keep a forged request at
/// most twice the cost of a valid one signed by the last key. A sender signs once per active key,
/// so two covers a key rotation; a header with more is refused as `malformed_signature`.
pub const MAX_ED25519_ENTRIES: usize = 2;

/// The most ECDSA signatures one request may carry (SendGrid sends exactly one). Each costs a
/// P-256 verification per configured key (about 0.2 ms with RustCrypto `p256` on the reference
/// machine, the slowest check hooksig makes; ed25519 about 35 µs, an HMAC under 1 µs), so a
/// second one is refused as `malformed_signature` before any is checked: a forged request costs
/// what a valid one does.
pub const MAX_ECDSA_ENTRIES: usize = 1;

/// Everything read from the signature header's values.
pub(crate) struct ParsedHeader<'h> {
    pub(crate) candidates: Candidates,
    pub(crate) timestamp: EmbeddedTimestamp<'h>,
    /// More than [`MAX_SIGNATURE_ENTRIES`] signature entries, more than
    /// [`MAX_ED25519_ENTRIES`] ed25519 ones or more than [`MAX_ECDSA_ENTRIES`] ECDSA ones were
    /// found (parsing stopped).
    pub(crate) too_many: bool,
}

/// Reads every value of the signature header. `kind` and `len` are what a plain-format entry
/// holds: the scheme's MAC and its length, or its public-key signature (64 bytes).
pub(crate) fn parse<'h>(
    format: &SignatureFormat,
    values: &[&'h [u8]],
    kind: Kind,
    len: usize,
) -> ParsedHeader<'h> {
    let mac_len = len;
    let mut parsed = ParsedHeader {
        candidates: SmallVec::new(),
        timestamp: EmbeddedTimestamp::Absent,
        too_many: false,
    };
    let (mut entries, mut ed25519_entries, mut ecdsa_entries) = (0usize, 0usize, 0usize);
    // Counts one signature entry (decodable or not); `false` once over a bound.
    let mut admit = |parsed: &mut ParsedHeader<'h>, kind: Kind| {
        entries += 1;
        match kind {
            Kind::Ed25519 => ed25519_entries += 1,
            Kind::EcdsaP256 => ecdsa_entries += 1,
            Kind::Mac => {}
        }
        if entries > MAX_SIGNATURE_ENTRIES
            || ed25519_entries > MAX_ED25519_ENTRIES
            || ecdsa_entries > MAX_ECDSA_ENTRIES
        {
            parsed.too_many = true;
        }
        !parsed.too_many
    };
    for value in values {
        if parsed.too_many {
            break;
        }
        match format {
            SignatureFormat::Plain { prefix, encoding } => {
                // Node and WSGI join repeated headers with ", "; neither hex nor base64 has commas.
                for part in split(value, b',').map(trim) {
                    let encoded = match prefix {
                        Some(p) => match strip_prefix_ignore_case(part, p.as_bytes()) {
                            Some(rest) => rest,
                            None => continue,
                        },
                        None if part.is_empty() => continue,
                        None => part,
                    };
                    if !admit(&mut parsed, kind) {
                        break;
                    }
                    push(&mut parsed.candidates, kind, *encoding, encoded, len);
                }
            }
            SignatureFormat::KeyValueList {
                separator,
                timestamp_key,
                signature_key,
                ..
            } => {
                let sep = *separator as u8;
                // A comma join of repeated Paddle headers becomes `..;h1=x, ts=..`: split on both.
                for item in split(value, b',').flat_map(|v| split(v, sep)).map(trim) {
                    let Some(eq) = item.iter().position(|b| *b == b'=') else {
                        continue;
                    };
                    let (key, val) = (trim(&item[..eq]), trim(&item[eq + 1..]));
                    if key == timestamp_key.as_bytes() {
                        parsed.timestamp = match parsed.timestamp {
                            EmbeddedTimestamp::Absent => EmbeddedTimestamp::Present(val),
                            EmbeddedTimestamp::Present(seen) if seen == val => {
                                EmbeddedTimestamp::Present(seen)
                            }
                            _ => EmbeddedTimestamp::Conflicting,
                        };
                    } else if key == signature_key.as_bytes() {
                        if !admit(&mut parsed, Kind::Mac) {
                            break;
                        }
                        push(
                            &mut parsed.candidates,
                            Kind::Mac,
                            Encoding::Hex,
                            val,
                            mac_len,
                        );
                    }
                }
            }
            SignatureFormat::VersionedList => {
                // Entries are `version,base64`, separated by spaces. A server that joins repeated
                // headers adds `, ` (Node, WSGI) or `,` (Werkzeug): base64 has no commas, so
                // splitting on both and pairing each version tag with the part after it keeps
                // every entry of every joined form.
                let mut version: Option<&[u8]> = None;
                for part in split(value, b' ')
                    .flat_map(|token| split(token, b','))
                    .map(trim)
                    .filter(|p| !p.is_empty())
                {
                    if is_version_tag(part) {
                        version = Some(part);
                        continue;
                    }
                    let Some(v) = version.take() else {
                        continue;
                    };
                    let (kind, len) = match v {
                        b"v1" => (Kind::Mac, mac_len),
                        b"v1a" => (Kind::Ed25519, 64),
                        _ => continue,
                    };
                    if !admit(&mut parsed, kind) {
                        break;
                    }
                    push(&mut parsed.candidates, kind, Encoding::Base64, part, len);
                }
            }
        }
    }
    parsed
}

/// A Standard Webhooks version tag (`v1`, `v1a`, `v2`...): `v`, a digit, then at most a few
/// letters or digits. A 44-character base64 signature never looks like one.
fn is_version_tag(part: &[u8]) -> bool {
    part.len() <= 8
        && part.first() == Some(&b'v')
        && part.get(1).is_some_and(u8::is_ascii_digit)
        && part[1..].iter().all(u8::is_ascii_alphanumeric)
}

fn strip_prefix_ignore_case<'a>(text: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Decodes one encoded signature; anything that is not exactly `len` bytes is dropped. An
/// ECDSA signature is DER (at most 72 bytes), kept as its 64-byte `r‖s` form; one that is not
/// strict DER, or whose `r` or `s` is zero or not below the group order, is dropped.
fn push(out: &mut Candidates, kind: Kind, encoding: Encoding, text: &[u8], len: usize) {
    let mut bytes = [0u8; 64];
    let ok = match (kind, encoding) {
        (Kind::EcdsaP256, _) => {
            let mut der = [0u8; 72];
            let n = match encoding {
                Encoding::Base64 => b64::LENIENT_PADDING.decode_slice(text, &mut der).ok(),
                Encoding::Hex => (text.len() % 2 == 0 && text.len() <= 144)
                    .then_some(text.len() / 2)
                    .filter(|n| decode_hex(text, &mut der[..*n])),
            };
            match n.and_then(|n| p256::ecdsa::Signature::from_der(&der[..n]).ok()) {
                Some(sig) => {
                    bytes.copy_from_slice(&sig.to_bytes());
                    true
                }
                None => false,
            }
        }
        (_, Encoding::Hex) => decode_hex(text, &mut bytes[..len]),
        (_, Encoding::Base64) => {
            let mut buf = [0u8; 72];
            match b64::LENIENT_PADDING.decode_slice(text, &mut buf) {
                Ok(n) if n == len => {
                    bytes[..len].copy_from_slice(&buf[..len]);
                    true
                }
                _ => false,
            }
        }
    };
    if ok {
        out.push(Candidate { kind, bytes, len });
    }
}

/// Hex digit values (either case); 0xff marks a non-digit.
static HEX_VALUES: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Decodes exactly `out.len()` bytes of hex. Hand-written rather than the `hex` crate's
/// `decode_to_slice` because this sits on every verification's hot path and a table lookup
/// without per-digit branching measured about 3× faster (profile in BENCHMARKS.md).
fn decode_hex(text: &[u8], out: &mut [u8]) -> bool {
    if text.len() != 2 * out.len() {
        return false;
    }
    let mut invalid = 0u8;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (hi, lo) = (
            HEX_VALUES[usize::from(pair[0])],
            HEX_VALUES[usize::from(pair[1])],
        );
        invalid |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0f);
    }
    invalid & 0xf0 == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_decoding_matches_the_hex_crate() {
        for text in ["00ff", "A0b1", "0g", "zz", "", "abc", "FfFf", "ǿ0"] {
            let mut ours = vec![0u8; text.len() / 2];
            let ok = super::decode_hex(text.as_bytes(), &mut ours);
            let theirs = hex::decode(text);
            assert_eq!(ok, theirs.is_ok() && text.len() % 2 == 0, "{text}");
            if let Ok(t) = theirs {
                assert_eq!(ours, t, "{text}");
            }
        }
    }

    use super::*;
    use std::borrow::Cow;

    fn plain(prefix: Option<&'static str>) -> SignatureFormat {
        SignatureFormat::Plain {
            prefix: prefix.map(Cow::Borrowed),
            encoding: Encoding::Hex,
        }
    }

    #[test]
    fn plain_hex_accepts_uppercase_and_joined_values() {
        let good = "ab".repeat(32);
        let joined = format!("sha256=zz, SHA256={}", good.to_uppercase());
        let p = parse(&plain(Some("sha256=")), &[joined.as_bytes()], Kind::Mac, 32);
        assert_eq!(p.candidates.len(), 1);
        assert_eq!(p.candidates[0].as_slice(), &[0xab; 32]);
    }

    #[test]
    fn wrong_lengths_and_non_ascii_are_dropped() {
        let short = "ab".repeat(31);
        let wide = "ą".repeat(32);
        let p = parse(
            &plain(None),
            &[short.as_bytes(), wide.as_bytes()],
            Kind::Mac,
            32,
        );
        assert!(p.candidates.is_empty());
    }

    #[test]
    fn key_value_lists_track_conflicting_timestamps() {
        let stripe = SignatureFormat::KeyValueList {
            separator: ',',
            joiner: ",",
            timestamp_key: "t",
            signature_key: "v1",
        };
        let sig = "00".repeat(32);
        let one = format!("t=5,v1={sig},v0=zz");
        let p = parse(&stripe, &[one.as_bytes()], Kind::Mac, 32);
        assert_eq!(p.timestamp, EmbeddedTimestamp::Present(b"5"));
        assert_eq!(p.candidates.len(), 1);
        let p = parse(&stripe, &[b"t=5", b"t=6"], Kind::Mac, 32);
        assert_eq!(p.timestamp, EmbeddedTimestamp::Conflicting);
    }

    const A: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

    fn versioned(values: &[&str]) -> Vec<(Kind, Vec<u8>)> {
        let values: Vec<&[u8]> = values.iter().map(|v| v.as_bytes()).collect();
        let p = parse(&SignatureFormat::VersionedList, &values, Kind::Mac, 32);
        assert!(!p.too_many);
        p.candidates
            .iter()
            .map(|c| (c.kind, c.as_slice().to_vec()))
            .collect()
    }

    #[test]
    fn every_joined_form_of_a_versioned_list_keeps_every_entry() {
        let want = versioned(&[&format!("v1,{A}"), &format!("v1,{B}")]);
        assert_eq!(want.len(), 2);
        for joined in [
            format!("v1,{A} v1,{B}"),
            format!("v1,{A}, v1,{B}"),
            format!("v1,{A},v1,{B}"),
            format!("  v1,{A} ,  v1,{B} "),
            format!("v1,{A},\tv1,{B}"),
        ] {
            assert_eq!(versioned(&[&joined]), want, "{joined}");
        }
        let mixed = versioned(&[&format!("v1a,{A}{A}, v2,{B},v1,{B}")]);
        assert_eq!(
            mixed.len(),
            1,
            "v1a of the wrong length is dropped, v2 ignored"
        );
        assert_eq!(mixed[0].1, want[1].1);
    }

    #[test]
    fn more_than_the_maximum_entries_is_flagged_for_every_format() {
        let many = |n: usize, entry: &str, sep: &str| vec![entry; n].join(sep);
        let sw = SignatureFormat::VersionedList;
        let v1 = format!("v1,{A}");
        let stripe = SignatureFormat::KeyValueList {
            separator: ',',
            joiner: ",",
            timestamp_key: "t",
            signature_key: "v1",
        };
        let hex = format!("v1={}", "00".repeat(32));
        let gh = format!("sha256={}", "00".repeat(32));
        for (format, entry, sep) in [
            (&sw, v1.as_str(), " "),
            (&stripe, hex.as_str(), ","),
            (&plain(Some("sha256=")), gh.as_str(), ", "),
            (&plain(None), &gh[7..], ","),
        ] {
            let ok = many(MAX_SIGNATURE_ENTRIES, entry, sep);
            assert!(
                !parse(format, &[ok.as_bytes()], Kind::Mac, 32).too_many,
                "{entry}"
            );
            let over = many(MAX_SIGNATURE_ENTRIES + 1, entry, sep);
            let p = parse(format, &[over.as_bytes()], Kind::Mac, 32);
            assert!(p.too_many, "{entry}");
            assert!(p.candidates.len() <= MAX_SIGNATURE_ENTRIES);
            // Spread over several header values: the bound is per request.
            let half = many(MAX_SIGNATURE_ENTRIES / 2 + 1, entry, sep);
            assert!(parse(format, &[half.as_bytes(), half.as_bytes()], Kind::Mac, 32).too_many);
        }
        // Unknown versions and undecodable text are not signature entries.
        let v2 = many(100, &format!("v2,{A}"), " ");
        assert!(!parse(&sw, &[v2.as_bytes()], Kind::Mac, 32).too_many);
    }

    #[test]
    fn more_than_the_maximum_ed25519_entries_is_flagged() {
        let sw = SignatureFormat::VersionedList;
        let v1a = format!("v1a,{}==", "A".repeat(86));
        let v1 = format!("v1,{A}");
        let n = MAX_ED25519_ENTRIES;
        let ok = vec![v1a.as_str(); n].join(" ");
        assert!(!parse(&sw, &[ok.as_bytes()], Kind::Mac, 32).too_many);
        let over = vec![v1a.as_str(); n + 1].join(", ");
        assert!(parse(&sw, &[over.as_bytes()], Kind::Mac, 32).too_many);
        // Spread over two header values, the bound still holds per request.
        assert!(parse(&sw, &[ok.as_bytes(), v1a.as_bytes()], Kind::Mac, 32).too_many);
        // `v1` entries count towards the overall bound only.
        let mut mixed = vec![v1a.as_str(); n];
        mixed.extend(vec![v1.as_str(); MAX_SIGNATURE_ENTRIES - n]);
        let mixed = mixed.join(" ");
        let p = parse(&sw, &[mixed.as_bytes()], Kind::Mac, 32);
        assert!(!p.too_many);
        assert_eq!(p.candidates.len(), MAX_SIGNATURE_ENTRIES);
    }

    #[test]
    fn versioned_list_ignores_unknown_versions() {
        let p = parse(
            &SignatureFormat::VersionedList,
            &[b"v2,AAAA v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= junk"],
            Kind::Mac,
            32,
        );
        assert_eq!(p.candidates.len(), 1);
        assert_eq!(p.candidates[0].kind, Kind::Mac);
    }
}
