//! String tokens: kept as they are without escapes, otherwise decoded to UTF-16 code units and
//! re-escaped as `JSON.stringify` does.

use super::budget;
use super::stream::Stream;
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
use super::words::{block_at, sse2};
use super::words::{plain_run, special_bytes, word_at};

/// The end (past the closing quote) of the string whose opening quote is at `start`, when it
/// has no escape and ends within two words after the quote; `None` otherwise (longer, escaped
/// or invalid: [`Stream::string`] finds out which).
///
/// Most strings are short and have no escape: the byte that ends them is read from the word.
#[inline(always)]
pub(super) fn short_string(input: &[u8], start: usize) -> Option<usize> {
    let mut from = start + 1;
    for _ in 0..2 {
        let word = word_at(input, from)?;
        let hits = special_bytes(word);
        if hits != 0 {
            let k = hits.trailing_zeros() / 8;
            return ((word >> (8 * k)) as u8 == b'"').then_some(from + k as usize + 1);
        }
        from += 8;
    }
    None
}

/// [`short_string`] for the values of the member loop of pretty-printed objects, whose lengths
/// an attacker picks at random: which of the two words after the quote holds the end is chosen
/// without a branch (a 128-bit `trailing_zeros` is a conditional move), where the test per word
/// mispredicts about once a value. Measured (`forged_cost scan`): random key and value lengths
/// 1.84 -> 1.6 HMACs, realistic shapes unchanged; used for the keys too, it also saves their
/// mispredictions (1.33) but slows every realistic shape by 3-8% (the key's end is on the path
/// to the print and the `: ` test), so keys keep [`short_string`]. The same end when both find
/// one; `None` also when fewer than sixteen bytes follow the quote (the caller falls back).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(super) fn short_string_even(input: &[u8], start: usize) -> Option<usize> {
    short_string_even_swar(input, start)
}

/// [`short_string_even`] on x86_64: one SSE2 test of the sixteen bytes after the quote (the
/// same answer). Measured (`forged_cost scan`, 1 MiB, with [`short_key_even`]'s): random key
/// lengths 1.39 -> 1.24 HMACs, pretty unchanged, document events 7–12% less.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(super) fn short_string_even(input: &[u8], start: usize) -> Option<usize> {
    let from = start + 1;
    let (any, quote) = sse2::special_mask(block_at(input, from)?);
    // 16 when no byte is special: the quote mask has no bit 16.
    let k = (any | 1 << 16).trailing_zeros();
    ((quote >> k) & 1 != 0).then_some(from + k as usize + 1)
}

/// [`short_string_even`] in SWAR (eight bytes a word), for every target.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
pub(super) fn short_string_even_swar(input: &[u8], start: usize) -> Option<usize> {
    let from = start + 1;
    let (low, high) = (word_at(input, from)?, word_at(input, from + 8)?);
    let hits = u128::from(special_bytes(low)) | (u128::from(special_bytes(high)) << 64);
    if hits == 0 {
        return None;
    }
    let k = (hits.trailing_zeros() / 8) as usize;
    let word = if k < 8 { low } else { high };
    ((word >> (8 * (k % 8))) as u8 == b'"').then_some(from + k + 1)
}

/// The end (past the closing quote) of the member key whose opening quote is at `start`, and its
/// first eight bytes as [`key_print`](super::stream::key_print) takes them (quotes included,
/// zero-padded), when it has no escape and ends within two words after the quote (at most
/// fifteen characters); `None` otherwise, and when fewer than sixteen bytes follow the quote.
///
/// [`short_string`] tests one word, then the next: when keys of random lengths end in either at
/// random, that test mispredicts about every other key. This finds the end without a branch on
/// it (see [`short_string_even`]) but costs more per key, so the member loop takes it only once
/// it has met a key of eight characters or more, the keys that take [`short_string`]'s second
/// word. Measured (`forged_cost scan`, 1 MiB): random key lengths 1.58 -> 1.37 HMACs, pretty
/// unchanged; bodies whose long keys come in a fixed order, which the branch predictor learns,
/// pay for it (compact document events 1.88 -> 2.02 HMACs, indented 2–5% more).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(super) fn short_key_even(input: &[u8], start: usize) -> Option<(usize, u64)> {
    short_key_even_swar(input, start)
}

/// [`short_key_even`] on x86_64: one SSE2 test of the sixteen bytes after the quote (the same
/// answer), cheap enough that the member loop takes it for every key there.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(super) fn short_key_even(input: &[u8], start: usize) -> Option<(usize, u64)> {
    let from = start + 1;
    let block = block_at(input, from)?;
    let (any, quote) = sse2::special_mask(block);
    // 16 when no byte is special: the quote mask has no bit 16.
    let k = (any | 1 << 16).trailing_zeros() as usize;
    let low = u64::from_le_bytes([
        block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7],
    ]);
    ((quote >> k) & 1 != 0).then(|| (from + k + 1, key_head(low, k)))
}

/// [`short_key_even`] in SWAR (eight bytes a word), for every target.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
pub(super) fn short_key_even_swar(input: &[u8], start: usize) -> Option<(usize, u64)> {
    let from = start + 1;
    let (low, high) = (word_at(input, from)?, word_at(input, from + 8)?);
    let hits = u128::from(special_bytes(low)) | (u128::from(special_bytes(high)) << 64);
    let k = (hits.trailing_zeros() / 8) as usize;
    let word = if k < 8 { low } else { high };
    ((word >> (8 * (k % 8))) as u8 == b'"').then(|| (from + k + 1, key_head(low, k)))
}

/// The first eight bytes of a key of `k` characters (`k + 2` bytes with its quotes) whose
/// characters start with the word `low`, zero-padded.
#[inline(always)]
fn key_head(low: u64, k: usize) -> u64 {
    let head = (low << 8) | u64::from(b'"');
    if k >= 6 {
        head
    } else {
        head & ((1 << (8 * (k + 2))) - 1)
    }
}

/// In a string, at a backslash: when every escape from here to the closing quote is written
/// the way `QuoteJSONString` writes it (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and
/// lowercase `\u00xx` for the other control characters), the index past the closing quote and
/// the number of escapes; `None` at any other escape (`\/`, `\u0041`, uppercase hex,
/// surrogates: the string must be rewritten) or at a raw control character.
fn canonical_escapes(input: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut escapes = 0;
    loop {
        match *input.get(at + 1)? {
            b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
            b'u' => match input.get(at + 2..at + 6)? {
                [
                    b'0',
                    b'0',
                    high @ (b'0' | b'1'),
                    low @ (b'0'..=b'9' | b'a'..=b'f'),
                ] => {
                    let unit = (high - b'0') << 4 | char::from(*low).to_digit(16)? as u8;
                    // The five with a short form are written that way.
                    if matches!(unit, 0x08 | 0x09 | 0x0A | 0x0C | 0x0D) {
                        return None;
                    }
                    at += 6;
                }
                _ => return None,
            },
            _ => return None,
        }
        escapes += 1;
        at = plain_run(input, at);
        match *input.get(at)? {
            b'\\' => {}
            b'"' => return Some((at + 1, escapes)),
            _ => return None,
        }
    }
}

impl Stream<'_> {
    /// A string at its opening quote. Without escapes it is its own output; with
    /// escapes it is decoded to UTF-16 code units and re-escaped the way
    /// `JSON.stringify` does.
    #[inline(always)]
    pub(super) fn string(&mut self) -> Option<()> {
        match short_string(self.input, self.pos) {
            Some(end) => {
                self.pos = end;
                Some(())
            }
            None => self.escaped_string(),
        }
    }

    /// [`Self::string`] for strings with escapes (or invalid ones).
    #[inline(never)]
    fn escaped_string(&mut self) -> Option<()> {
        let start = self.pos;
        self.pos = plain_run(self.input, self.pos + 1);
        match self.bump()? {
            b'"' => return Some(()),
            b'\\' => {}
            _ => return None, // a raw control character
        }
        // Escapes already written as `JSON.stringify` writes them (`\"`, `\n`, `\u001f`...)
        // leave the string as it is: it stays in the pending run, uncopied.
        if let Some((end, escapes)) = canonical_escapes(self.input, self.pos - 1) {
            self.pos = end;
            self.work += escapes * budget::ESCAPE;
            return Some(());
        }
        // Other escapes: rewrite the whole string (opening quote and raw prefix as they are).
        self.flush_to(start);
        let out_start = self.out.len();
        self.out.extend_from_slice(&self.input[start..self.pos - 1]);
        // A high surrogate from a `\u` escape, waiting for its low half.
        let mut high: Option<u16> = None;
        loop {
            self.work += budget::ESCAPE;
            // Just past a backslash.
            let unit = match self.bump()? {
                b'"' => 0x22,
                b'\\' => 0x5C,
                b'/' => 0x2F,
                b'b' => 0x08,
                b'f' => 0x0C,
                b'n' => 0x0A,
                b'r' => 0x0D,
                b't' => 0x09,
                b'u' => self.hex4()?,
                _ => return None,
            };
            match high.take() {
                Some(h) if (0xDC00..=0xDFFF).contains(&unit) => {
                    let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                    let mut buf = [0; 4];
                    let c = char::from_u32(c)?;
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                pending => {
                    if let Some(h) = pending {
                        self.escape_unit(h);
                    }
                    if (0xD800..=0xDBFF).contains(&unit) {
                        high = Some(unit);
                    } else {
                        self.escape_unit(unit);
                    }
                }
            }
            // Raw text up to the next backslash or the closing quote. Raw text never
            // starts with a low surrogate, so a pending high one is lone before it.
            let from = self.pos;
            self.pos = plain_run(self.input, self.pos);
            if self.pos > from {
                if let Some(h) = high.take() {
                    self.escape_unit(h);
                }
                self.out.extend_from_slice(&self.input[from..self.pos]);
            }
            match self.bump()? {
                b'\\' => {}
                b'"' => {
                    if let Some(h) = high.take() {
                        self.escape_unit(h);
                    }
                    self.out.push(b'"');
                    if self.out[out_start..] != self.input[start..self.pos] {
                        self.changed = true;
                    }
                    self.run = self.pos;
                    return Some(());
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// Writes one decoded UTF-16 unit that is not part of a pair, as `QuoteJSONString`
    /// (well-formed variant) does: short escapes, other controls and lone surrogates
    /// as lowercase `\uXXXX`, everything else raw (`/`, U+2028/U+2029 included).
    fn escape_unit(&mut self, unit: u16) {
        match unit {
            0x22 => self.out.extend_from_slice(b"\\\""),
            0x5C => self.out.extend_from_slice(b"\\\\"),
            0x08 => self.out.extend_from_slice(b"\\b"),
            0x0C => self.out.extend_from_slice(b"\\f"),
            0x0A => self.out.extend_from_slice(b"\\n"),
            0x0D => self.out.extend_from_slice(b"\\r"),
            0x09 => self.out.extend_from_slice(b"\\t"),
            0x00..=0x1F | 0xD800..=0xDFFF => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.extend_from_slice(b"\\u");
                for shift in [12, 8, 4, 0] {
                    self.out.push(HEX[usize::from((unit >> shift) & 0xF)]);
                }
            }
            _ => {
                // Not a surrogate, so a scalar value.
                let c = char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut buf = [0; 4];
                self.out
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }

    /// Exactly four hex digits of either case (no sign, unlike `from_str_radix`).
    fn hex4(&mut self) -> Option<u16> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = char::from(self.bump()?).to_digit(16)?;
            unit = (unit << 4) | u16::try_from(digit).ok()?;
        }
        Some(unit)
    }
}
