//! Byte-exact emulation of Node.js `JSON.stringify(JSON.parse(buf.toString('utf8')))`.
//!
//! Some senders (Chaindoc) sign `JSON.stringify(payload)` rather than the raw
//! request body. A verifier that received the same payload re-serialised
//! (pretty-printed, reordered whitespace, ...) can only check such a signature
//! by reproducing V8's output exactly, so every rule below mirrors V8 (checked
//! against Node v20; see the differential test in `tests.rs`):
//!
//! * decoding: invalid UTF-8 becomes U+FFFD per maximal subpart (WHATWG, same
//!   as [`String::from_utf8_lossy`]); a leading BOM is kept, so parsing fails;
//! * parsing: strict RFC 8259 grammar, strings compared as UTF-16 code units so
//!   escaped lone surrogates survive;
//! * numbers: correctly rounded to `f64`, printed with ECMAScript
//!   `Number::toString` (non-finite values print as `null`, `-0` as `0`);
//! * objects: canonical array-index keys first in ascending order, then the
//!   other keys in first-insertion order; a duplicate key keeps its first
//!   position but takes the last value;
//! * strings: "well-formed" `JSON.stringify` escaping (lone surrogates become
//!   `\udxxx`, everything else that is not a control character, `"` or `\`
//!   is emitted raw as UTF-8).
//!
//! # Cost
//!
//! Every wrong-signature Chaindoc request runs this, so it must stay cheap for
//! any input an attacker picks. It is a single streaming pass that writes the
//! output while it scans, without building a tree of values:
//!
//! * tokens whose output equals their input (punctuation, literals, strings
//!   without escapes or with escapes written as `JSON.stringify` writes them,
//!   numbers already in `Number::toString` form) are not copied one by one: the
//!   output is the input with only the differing spans (whitespace, other escapes,
//!   other numbers) replaced, copied in long runs, and what follows the last such
//!   span is not copied at all (the MAC reads it from the body);
//! * the scan is bound by the chain of positions (each token's end is where the next one
//!   is looked for), so the common cases take short, predictable paths: short runs are copied
//!   as one 16-byte block into a zero-filled output buffer (the surplus is overwritten by the
//!   next write), strings that end within 16 bytes and single separating spaces are
//!   recognized inline, and `int, ` and short `"string", ` array items (the cheapest tokens an
//!   attacker can send with a space to drop) have a block-copy loop of their own;
//! * so do object members whose key is short and whose value is its own output (a short
//!   string without escapes, a number already in `Number::toString` form, a literal):
//!   pretty-printed records cost the most per byte, and that loop keeps the cursor in
//!   locals and goes on by itself into a member's nested object, out of it when it closes, and
//!   from one object of an array to the next; a member line indented like the previous one
//!   (up to 7 bytes of spaces or tabs, after LF or CR) is skipped as a whole; its short string
//!   values find their end in the two words after the quote without a branch (random value
//!   lengths, an attacker's choice, would otherwise mispredict about once a member);
//! * a number that must be reprinted (`1.0`, `1e2`, `-0`...) and has at most 15 significant
//!   digits and a moderate exponent is laid out by moving its digits (it is already the
//!   shortest form of its double); only the others are converted to `f64` and printed with
//!   ryu-js, several times dearer per byte than the rest of the scan (see `number.rs`);
//! * an object is only looked at again when it closes, and only when it has
//!   two or more members: its keys (already in output form, where equal bytes
//!   mean equal UTF-16 strings) are checked for duplicates and for array-index
//!   keys out of V8 order; an object that needs neither is left as written. Each
//!   key's print (32 bits folded from its first eight bytes) is taken while it is scanned,
//!   so the usual object (up to 8 members, no two prints equal, no key starting with a
//!   digit) is cleared by comparing those, without branches or reading the output again;
//! * an object that must be reordered is not moved at once (nested reorders
//!   would copy the same bytes once per level): its member spans in V8 order
//!   are recorded, and one final pass copies every byte once;
//! * the result borrows the body when it is byte-identical to it (a body that is
//!   already canonical needs no second MAC).
//!
//! Speed alone does not reach the 3× target (a forged request at most three times a valid
//! one) for every body: numbers that need ryu-js, escapes, small nested containers and
//! whitespace of attacker-chosen lengths cost several HMACs of the body per byte
//! (`forged_cost scan`). So the verifier runs the pass with a **work budget**
//! ([`budget`], [`restringify_bounded`]): each costly step adds its weight in units (an
//! unpredicted whitespace run 32, a predicted one 1, an object 40, an array 16, an escape 24,
//! a number laid out by moving digits 128, one through ryu-js 192, each member of an object
//! whose keys must be compared 16, a short string as an array item 12), and past `max(body length, 2048)` units the pass gives up:
//! the fallback fails like any non-matching one (`signature_mismatch`). The count depends on the
//! bytes only, so every binding and machine gives the same answer. A weight is about 2.6× the
//! step's cost in ns on a SHA-NI machine (HMAC-SHA256 ≈ 0.5 ns/byte): then a body that spends
//! its whole budget (the dearest step diluted with free bytes, `forged_cost`'s "padded" rows)
//! costs a scan of about one HMAC plus the HMAC of its canonical form, ≤ 3× in all; a body that
//! exceeds it stops early, before the second MAC. Whitespace is "predicted" when it is what a
//! pretty-printer writes (a line break plus depth × the step of the first indented line, one
//! space after `:` or `,`), so pretty-printed deliveries spend little on it: a document event
//! with nested objects spends 0.3–0.85 units per byte, mostly on its objects; a flat Chaindoc
//! event a fraction of the 2048-unit floor.
//!
//! The budget bounds the costly steps, not the plain ones: the pass over compact events costs
//! about 1.8 HMACs of the body by itself, so a compact body whose output differs (one space
//! in front) cost 1 + 1.8 + 1 (the output's MAC) = 3.8×. Hence a second rule, on the output:
//! over a floor of 16 KiB, an output that differs from the body is MACed only when the units
//! spent plus the output's length stay within 3/5 of the body's length
//! ([`budget::second_mac_fits`], where the figures are); otherwise the fallback fails like a
//! mismatch before that MAC. A body that is already canonical needs no second MAC and has no
//! such rule. [`restringify`] (tests, fuzzing) has neither.
//!
//! Memory is the output (at most the decoded text, plus number expansion),
//! 16 bytes per member of the objects that are open at a time, and 16 bytes per
//! member of the objects that need reordering; nothing per array element.
//!
//! # Files
//!
//! `stream.rs` holds the pass (its state and main loop), `string.rs` and `number.rs` its two
//! rewriting tokens, `order.rs` V8's member order, `output.rs` the output buffer, `words.rs`
//! the word-at-a-time scans (and, on x86_64, the SSE2 test the member loop finds string ends
//! with, through `safe_arch`: this crate keeps `forbid(unsafe_code)`); `reference.rs` is a
//! tree-building model the tests compare with.

mod number;
mod order;
mod output;
mod stream;
mod string;
mod words;

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

use stream::{Output, Stream};

/// The verifier's work budget for the fallback (issue 12): what each costly step of the pass
/// counts, in units of about one body byte's share of the scan, and the most a body may spend.
pub(crate) mod budget {
    /// A whitespace run the pass did not predict (any run but the two below).
    pub(crate) const WS: usize = 32;
    /// A whitespace run on a predicted path: the indentation of the previous member line
    /// repeated, the space of `": "`, the spaces after `,` between short integers.
    pub(crate) const WS_PREDICTED: usize = 1;
    /// An array opened.
    pub(crate) const ARRAY: usize = 16;
    /// An object opened: its frame, its members' records, the check when it closes.
    pub(crate) const OBJECT: usize = 40;
    /// A short string taken as an array item by the loop for `int, ` items: ~5 ns each, four
    /// times an integer item, and an array of them (`["x", "x", …]`) is the cheapest way to
    /// send many.
    pub(crate) const STRING_ITEM: usize = 12;
    /// An escape sequence decoded (`\n`, `\u00e9`...).
    pub(crate) const ESCAPE: usize = 24;
    /// A number re-printed by moving its digits (`1.0`, `1e2`: at most 15 digits).
    pub(crate) const NUMBER: usize = 128;
    /// A number converted to `f64` and printed with ryu-js (16+ digits, subnormals, huge
    /// exponents).
    pub(crate) const FLOAT: usize = 192;
    /// Each member of an object of two or more whose keys must be compared (a key that starts
    /// with a digit, or two keys with equal prints).
    pub(crate) const MEMBER_CHECKED: usize = 16;
    /// The units any body may spend, however short (the hand-made fallback bodies of
    /// `tests/vectors`, up to 152 bytes with eight numbers to re-print, need up to 1192).
    pub(crate) const FLOOR: usize = 2048;

    /// The most work units the pass may spend on a body of `len` bytes.
    pub(crate) fn limit(len: usize) -> usize {
        len.max(FLOOR)
    }

    /// What the right side of [`second_mac_fits`] never drops under: 16 KiB, so that every
    /// body of up to 11 KiB (5/7 of it) whose pass fits the budget and whose output is no
    /// longer than itself is MACed, 16 times a real Chaindoc event (200–700 bytes as sent, about
    /// twice that pretty-printed).
    pub(crate) const SECOND_MAC_FLOOR: usize = 16 * 1024;

    /// Whether the fallback may MAC the `out`-byte output of a `len`-byte body on which the pass
    /// spent `work` units: `work + out ≤ 3/5 × len + SECOND_MAC_FLOOR`.
    ///
    /// Why: a forged request costs the raw MAC (1 HMAC of the body), the pass and the output's
    /// MAC. Measured in HMACs of the body per byte (`forged_cost scan`, SHA-NI), the pass costs
    /// at most 1.4 for the bytes themselves (`[0,0,…]`, the densest tokens; compact events 1.8
    /// with their units counted) plus at most about 1 per work unit (0.56–0.63 for events and
    /// minified JSON, 0.97 for random whitespace), and the output's MAC 1 per output byte. So
    /// `1 + 1.4 + (work + out) / len ≤ 3` when `work + out ≤ 0.6 × len`: over the floor a forged
    /// request costs at most 3× the raw HMAC whatever its shape. Without this rule a compact
    /// body with one space in front cost 3.8× (a full pass, then a MAC as long as the body).
    /// The price: a genuine delivery over the floor that was re-serialized into something dear
    /// to check (compact, or pretty-printed with many small objects) fails like any mismatch;
    /// the raw bytes, which the sender signed, still verify. The answer depends on the bytes
    /// only, so every binding gives the same.
    pub(crate) fn second_mac_fits(len: usize, work: usize, out: usize) -> bool {
        let spent = (work as u128 + out as u128) * 5;
        spent <= len as u128 * 3 + SECOND_MAC_FLOOR as u128 * 5
    }
}

/// Maximum nesting depth of arrays/objects accepted by [`restringify`].
///
/// The parser is iterative, so the cap is not needed for it (the final copy of
/// reordered objects recurses once per reordered level, so it is bounded by it).
/// It exists because V8 itself fails on deep input: Node v20's recursive
/// `JSON.stringify` throws `RangeError` at about 4,170 nested containers with
/// the default stack, a limit that moves with `--stack-size` and the embedder.
/// Staying far below it means that whenever we produce output, Node does too
/// (with the same bytes). Real webhook payloads are nowhere near 512 deep.
pub(crate) const MAX_DEPTH: usize = 512;

/// V8's `String::kMaxLength` (0x1fffffe8 UTF-16 code units on 64-bit).
///
/// Node's `buf.toString('utf8')` throws `ERR_STRING_TOO_LONG` when the
/// *byte* length exceeds it, and `JSON.stringify` throws `RangeError` when its
/// result would exceed it (both verified with Node v20).
const V8_MAX_STRING_LENGTH: usize = (1 << 29) - 24;

/// A re-serialization that differs from the body: `head`, then `tail`, a suffix of the body
/// that the pass found unchanged and left in place. A body that differs only near its start
/// (one space in front) is then not copied to be MACed; it is joined only when it verifies.
pub(crate) struct Changed<'a> {
    pub(crate) head: Vec<u8>,
    pub(crate) tail: &'a [u8],
}

impl Changed<'_> {
    pub(crate) fn into_vec(mut self) -> Vec<u8> {
        self.head.extend_from_slice(self.tail);
        self.head
    }
}

/// What a pass gives: the body itself (it is already what Node would print), or other bytes.
pub(crate) enum Restrung<'a> {
    Same,
    Changed(Changed<'a>),
}

impl Restrung<'_> {
    /// The bytes, `body` for [`Restrung::Same`].
    pub(crate) fn into_vec(self, body: &[u8]) -> Vec<u8> {
        match self {
            Restrung::Same => body.to_vec(),
            Restrung::Changed(changed) => changed.into_vec(),
        }
    }
}

/// Returns the bytes Node's `JSON.stringify(JSON.parse(text))` would produce,
/// where `text` is `body` decoded like `Buffer#toString('utf8')`, or `None`
/// when Node would throw (or when nesting exceeds [`MAX_DEPTH`]). No work budget.
pub(crate) fn restringify(body: &[u8]) -> Option<Vec<u8>> {
    restringify_within(body, usize::MAX).map(|(out, _)| out.into_vec(body))
}

/// [`restringify`] as the verifier runs it: `None` also when the pass would spend more than
/// [`budget::limit`] work units on `body`, or when the output differs from `body` and its MAC
/// would not fit [`budget::second_mac_fits`], so a forged request costs a bounded multiple of a
/// valid one whatever its shape. The answer depends on the bytes only (never on time).
pub(crate) fn restringify_bounded(body: &[u8]) -> Option<Restrung<'_>> {
    let (out, work) = restringify_within(body, budget::limit(body.len()))?;
    match &out {
        Restrung::Changed(Changed { head, tail }) => {
            budget::second_mac_fits(body.len(), work, head.len() + tail.len()).then_some(out)
        }
        Restrung::Same => Some(out),
    }
}

/// The pass without a budget, as it returns the output.
#[cfg(test)]
pub(crate) fn restrung(body: &[u8]) -> Option<Restrung<'_>> {
    restringify_within(body, usize::MAX).map(|(out, _)| out)
}

/// The work units the pass spends on `body` (`None` when Node would throw), for the tests and
/// the `forged_cost` example.
pub(crate) fn work_units(body: &[u8]) -> Option<usize> {
    restringify_within(body, usize::MAX).map(|(_, work)| work)
}

/// The pass over `body`, giving up past `limit` work units; with the units spent.
fn restringify_within(body: &[u8], limit: usize) -> Option<(Restrung<'_>, usize)> {
    if body.len() > V8_MAX_STRING_LENGTH {
        return None;
    }
    // `from_utf8` validates much faster than the lossy decoder walks, and `is_ascii` (the usual
    // body) several times faster still: decode only when invalid.
    let valid = body.is_ascii() || std::str::from_utf8(body).is_ok();
    let (out, work) = if valid {
        match Stream::new(body, limit).run()? {
            (Output::Same, work) => (Restrung::Same, work),
            (Output::Changed { head, tail }, work) => {
                let tail = &body[tail..];
                (Restrung::Changed(Changed { head, tail }), work)
            }
        }
    } else {
        // The decoded text is not the body: the output owns all its bytes.
        let text = String::from_utf8_lossy(body).into_owned().into_bytes();
        let (head, work) = match Stream::new(&text, limit).run()? {
            (Output::Same, work) => (text, work),
            (Output::Changed { mut head, tail }, work) => {
                head.extend_from_slice(&text[tail..]);
                (head, work)
            }
        };
        (Restrung::Changed(Changed { head, tail: &[] }), work)
    };
    // UTF-16 length never exceeds UTF-8 length, so only count when needed.
    if let Restrung::Changed(Changed { head, tail }) = &out {
        if head.len() + tail.len() > V8_MAX_STRING_LENGTH
            && utf16_len(head) + utf16_len(tail) > V8_MAX_STRING_LENGTH
        {
            return None;
        }
    }
    Some((out, work))
}

/// Number of UTF-16 code units in valid UTF-8 `bytes`.
fn utf16_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0, // continuation byte
            0xF0..=0xFF => 2, // astral character: surrogate pair
            _ => 1,
        })
        .sum()
}
