//! Twilio's signed form parameters: an `application/x-www-form-urlencoded` body decoded, its
//! names sorted, each name followed by each of its values (sorted, duplicates once), all
//! concatenated with nothing between (what Twilio's `RequestValidator.compute_signature` does).

/// The most parameters read from a body. Twilio's form posts carry a few dozen; a body with
/// more is not one, and sorting more would let a forged request cost far more than a valid one.
pub const MAX_FORM_PARAMS: usize = 1000;

/// The canonical bytes, or `None` when the body has more than [`MAX_FORM_PARAMS`] parameters.
///
/// Names and values are percent-decoded (`+` is a space; an invalid escape stays as sent) and
/// compared as bytes, which orders UTF-8 text as Python's `sorted` orders code points.
pub(crate) fn canonical(body: &[u8]) -> Option<Vec<u8>> {
    if body.is_empty() {
        return Some(Vec::new());
    }
    // Counted before any decoding, so an oversized form costs one pass.
    if memchr::memchr_iter(b'&', body).count() >= MAX_FORM_PARAMS {
        return None;
    }
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = body
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = match memchr::memchr(b'=', pair) {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            (decode(name), decode(value))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = Vec::with_capacity(body.len());
    for (name, value) in &pairs {
        out.extend_from_slice(name);
        out.extend_from_slice(value);
    }
    Some(out)
}

/// Form decoding: `+` → space, `%XY` → the byte; anything else as sent.
fn decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                text.get(i + 1).and_then(|&b| hex(b)),
                text.get(i + 2).and_then(|&b| hex(b)),
            ) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_names_then_values_and_drops_repeats() {
        let got = canonical(b"To=%2B1555&From=a+b&Body=x&Body=a&Body=x&Empty=").unwrap();
        assert_eq!(got, b"BodyaBodyxEmptyFroma bTo+1555");
    }

    #[test]
    fn keeps_bad_escapes_and_bare_names() {
        assert_eq!(canonical(b"a=%zz%4&b").unwrap(), b"a%zz%4b");
        assert_eq!(canonical(b"").unwrap(), b"");
    }

    #[test]
    fn refuses_more_than_the_bound() {
        let body = "a=1&".repeat(MAX_FORM_PARAMS);
        assert!(canonical(body.as_bytes()).is_none());
        let body = "a=1&".repeat(MAX_FORM_PARAMS - 1) + "a=1";
        assert!(canonical(body.as_bytes()).is_some());
    }
}
