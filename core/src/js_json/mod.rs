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
//!   without escapes, numbers already in `Number::toString` form) are not
//!   copied one by one: the output is the input with only the differing spans
//!   (whitespace, escapes, other numbers) replaced, copied in long runs;
//! * the scan is bound by the chain of positions (each token's end is where the next one
//!   is looked for), so the common cases take short, predictable paths: short runs are copied
//!   as one 16-byte block into a zero-filled output buffer (the surplus is overwritten by the
//!   next write), strings that end within 16 bytes and single separating spaces are
//!   recognized inline, and `int, ` array items (the cheapest tokens an attacker can send
//!   with a space to drop) have a block-copy loop of their own;
//! * an object is only looked at again when it closes, and only when it has
//!   two or more members: its keys (already in output form, where equal bytes
//!   mean equal UTF-16 strings) are checked for duplicates and for array-index
//!   keys out of V8 order; an object that needs neither is left as written;
//! * an object that must be reordered is not moved at once (nested reorders
//!   would copy the same bytes once per level): its member spans in V8 order
//!   are recorded, and one final pass copies every byte once;
//! * the result borrows the body when it is byte-identical to it (a body that is
//!   already canonical needs no second MAC).
//!
//! Memory is the output (at most the decoded text, plus number expansion),
//! 12 bytes per member of the objects that are open at a time, and 16 bytes per
//! member of the objects that need reordering; nothing per array element.

use std::borrow::Cow;

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

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

/// Objects up to this many members are checked for duplicate keys pairwise;
/// larger ones through a hash table.
const PAIRWISE_MAX: usize = 8;

/// Returns the bytes Node's `JSON.stringify(JSON.parse(text))` would produce,
/// where `text` is `body` decoded like `Buffer#toString('utf8')`, or `None`
/// when Node would throw (or when nesting exceeds [`MAX_DEPTH`]).
pub(crate) fn restringify(body: &[u8]) -> Option<Vec<u8>> {
    restringify_cow(body).map(Cow::into_owned)
}

/// [`restringify`], borrowing `body` when the result is byte-identical to it.
pub(crate) fn restringify_cow(body: &[u8]) -> Option<Cow<'_, [u8]>> {
    if body.len() > V8_MAX_STRING_LENGTH {
        return None;
    }
    // `from_utf8` validates much faster than the lossy decoder walks; decode only when invalid.
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    };
    let out = match text {
        Cow::Borrowed(text) => match Stream::new(text.as_bytes()).run()? {
            Output::Same => Cow::Borrowed(body),
            Output::Changed(out) => Cow::Owned(out),
        },
        Cow::Owned(text) => match Stream::new(text.as_bytes()).run()? {
            Output::Same => Cow::Owned(text.into_bytes()),
            Output::Changed(out) => Cow::Owned(out),
        },
    };
    // UTF-16 length never exceeds UTF-8 length, so only count when needed.
    if out.len() > V8_MAX_STRING_LENGTH && utf16_len(&out) > V8_MAX_STRING_LENGTH {
        return None;
    }
    Some(out)
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

enum Output {
    /// The output is the input, byte for byte.
    Same,
    Changed(Vec<u8>),
}

/// One member of an open object, as offsets into the output: `key` is the key's
/// opening quote, `value` the value's first byte (right after the `:`), `end`
/// the byte after the value.
#[derive(Clone, Copy)]
struct Member {
    key: u32,
    value: u32,
    end: u32,
}

/// A member in its final position: key span (quotes and `:` included) and value span.
#[derive(Clone, Copy)]
struct Placed {
    key: u32,
    key_end: u32,
    value: u32,
    end: u32,
}

/// An object whose members must be written in another order: its span in the
/// output as scanned (`{` to `}` included) and its members in V8 order
/// (`placed[first..first + len]`).
#[derive(Clone, Copy)]
struct Reordered {
    start: u32,
    end: u32,
    first: u32,
    len: u32,
}

/// An open container: for an object, where it starts in the output and where
/// its members start in [`Stream::members`].
#[derive(Clone, Copy)]
enum Frame {
    Array,
    Object { start: u32, members: u32 },
}

/// The single pass: scans the decoded text and writes the output.
///
/// The output so far is `out` followed by `input[run..pos]` (the pending run:
/// bytes whose output is themselves, copied only when something differs).
struct Stream<'a> {
    input: &'a [u8],
    pos: usize,
    run: usize,
    out: OutBuf,
    /// Whether any output byte differs from the input.
    changed: bool,
    frames: Vec<Frame>,
    members: Vec<Member>,
    placed: Vec<Placed>,
    reordered: Vec<Reordered>,
    /// Open-addressing table of member indices for duplicate detection (reused).
    table: Vec<u32>,
    numbers: ryu_js::Buffer,
}

impl<'a> Stream<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            pos: 0,
            run: 0,
            out: OutBuf::default(),
            changed: false,
            frames: Vec::new(),
            members: Vec::new(),
            placed: Vec::new(),
            reordered: Vec::new(),
            table: Vec::new(),
            numbers: ryu_js::Buffer::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// The output offset that corresponds to the input position `pos`.
    ///
    /// `None` past `u32::MAX`: such an output has more than `u32::MAX / 3`
    /// UTF-16 units, beyond V8's string length limit, so Node throws too.
    fn here(&self) -> Option<u32> {
        u32::try_from(self.out.len() + (self.pos - self.run)).ok()
    }

    /// Ends the pending run at input position `at` (copying it to `out`).
    #[inline(always)]
    fn flush_to(&mut self, at: usize) {
        let run = self.run;
        self.run = at;
        push_run(&mut self.out, self.input, run, at);
    }

    /// JSON whitespace is only space, tab, LF and CR (no BOM, NBSP, U+2028...);
    /// it is dropped from the output.
    #[inline(always)]
    fn skip_ws(&mut self) {
        if let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.flush_to(self.pos);
            self.pos = ws_run(self.input, self.pos + 1);
            self.run = self.pos;
            self.changed = true;
        }
    }

    fn run(mut self) -> Option<Output> {
        'value: loop {
            self.skip_ws();
            match self.peek()? {
                b'[' => {
                    if self.frames.len() >= MAX_DEPTH {
                        return None;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                    } else {
                        self.frames.push(Frame::Array);
                        continue 'value;
                    }
                }
                b'{' => {
                    if self.frames.len() >= MAX_DEPTH {
                        return None;
                    }
                    let start = self.here()?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                    } else {
                        let members = u32::try_from(self.members.len()).ok()?;
                        self.frames.push(Frame::Object { start, members });
                        self.key()?;
                        continue 'value;
                    }
                }
                b'"' => self.string()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // A value is complete: close every container that ends right after it.
            loop {
                self.skip_ws();
                match self.frames.last().copied() {
                    None => return (self.pos == self.input.len()).then(|| self.finish()),
                    Some(Frame::Array) => match self.bump()? {
                        b',' => {
                            self.int_run();
                            continue 'value;
                        }
                        b']' => {
                            self.frames.pop();
                        }
                        _ => return None,
                    },
                    Some(Frame::Object { start, members }) => {
                        let end = self.here()?;
                        if let Some(last) = self.members.last_mut() {
                            last.end = end;
                        }
                        match self.bump()? {
                            b',' => {
                                self.skip_ws();
                                self.key()?;
                                continue 'value;
                            }
                            b'}' => {
                                self.frames.pop();
                                self.close_object(start, members as usize)?;
                            }
                            _ => return None,
                        }
                    }
                }
            }
        }
    }

    /// In an array, just past a `,`: skips the `int,` items that follow (short integers that
    /// print as themselves, optionally with spaces after the comma), leaving the last item to
    /// the main loop. Arrays of numbers are the cheapest bytes an attacker can send per token,
    /// so they get a loop of their own.
    fn int_run(&mut self) {
        let input = self.input;
        // Local copies of the cursor, the run start and the output, written back once.
        let (mut pos, mut run) = (self.pos, self.run);
        // This loop only drops bytes: its output fits in the rest of the input.
        self.out.ensure(input.len() - run, 0);
        let mut len = self.out.len;
        let buf = &mut self.out.buf[..];
        let mut changed = false;
        loop {
            if input.get(pos) == Some(&b' ') {
                // Drop the spaces: the pending run ends here.
                let n = pos - run;
                match input.get(run..run + 16) {
                    Some(block) if n <= 16 => buf[len..len + 16].copy_from_slice(block),
                    _ => buf[len..len + n].copy_from_slice(&input[run..pos]),
                }
                len += n;
                pos += 1;
                while input.get(pos) == Some(&b' ') {
                    pos += 1;
                }
                run = pos;
                changed = true;
                // The pending run is empty: `int, ` items follow one another here, each copied
                // (digits and comma) as one 16-byte block whose surplus the next one overwrites.
                while let Some(block) = input.get(pos..pos + 17) {
                    let mut q = 1;
                    match block[0] {
                        b'0' => {}
                        b'1'..=b'9' => {
                            while q < 15 && block[q].is_ascii_digit() {
                                q += 1;
                            }
                        }
                        _ => break,
                    }
                    if block[q] != b',' || block[q + 1] != b' ' {
                        break;
                    }
                    buf[len..len + 16].copy_from_slice(&block[..16]);
                    len += q + 1;
                    pos += q + 2;
                    while input.get(pos) == Some(&b' ') {
                        pos += 1;
                    }
                    run = pos;
                }
            }
            let start = pos;
            let mut q = start;
            if input.get(q) == Some(&b'-') {
                q += 1;
            }
            match input.get(q) {
                Some(b'0') if q == start => q += 1,
                Some(b'1'..=b'9') => {
                    let digits = q;
                    q += 1;
                    while q - digits < 15 && input.get(q).is_some_and(u8::is_ascii_digit) {
                        q += 1;
                    }
                }
                _ => break,
            }
            if input.get(q) != Some(&b',') {
                break;
            }
            pos = q + 1;
        }
        (self.pos, self.run, self.out.len) = (pos, run, len);
        self.changed |= changed;
    }

    /// `string ws : ws` — a member name and its separator; records the member.
    #[inline(always)]
    fn key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        let key = self.here()?;
        self.string()?;
        self.skip_ws();
        if self.bump()? != b':' {
            return None;
        }
        self.skip_ws();
        let value = self.here()?;
        self.members.push(Member {
            key,
            value,
            end: value,
        });
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos.checked_add(word.len())?;
        (self.input.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// A string at its opening quote. Without escapes it is its own output; with
    /// escapes it is decoded to UTF-16 code units and re-escaped the way
    /// `JSON.stringify` does.
    #[inline(always)]
    fn string(&mut self) -> Option<()> {
        // Most strings are short and have no escape: a string that ends within two words after
        // its opening quote is done here, the byte that ends it read from the word.
        let mut from = self.pos + 1;
        for _ in 0..2 {
            let Some(word) = word_at(self.input, from) else {
                break;
            };
            let hits = special_bytes(word);
            if hits != 0 {
                let k = hits.trailing_zeros() / 8;
                if (word >> (8 * k)) as u8 == b'"' {
                    self.pos = from + k as usize + 1;
                    return Some(());
                }
                break;
            }
            from += 8;
        }
        self.escaped_string()
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
        // Escapes: rewrite the whole string (opening quote and raw prefix as they are).
        self.flush_to(start);
        let out_start = self.out.len();
        self.out.extend_from_slice(&self.input[start..self.pos - 1]);
        // A high surrogate from a `\u` escape, waiting for its low half.
        let mut high: Option<u16> = None;
        loop {
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

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A literal that
    /// `Number::toString` would print unchanged stays in the run; any other is
    /// converted with Rust's correctly rounded parser (matching JS: overflow ->
    /// ±Infinity -> `null`, underflow -> ±0 -> `0`) and printed with ryu-js.
    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        // Fast path: a short integer ends the literal (the common case in real and hostile
        // bodies alike): `0` or `[1-9][0-9]{0,14}` followed by a byte that cannot continue it.
        {
            let rest = &self.input[self.pos..];
            let digits = rest
                .iter()
                .take(16)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let next = rest.get(digits).copied();
            if digits > 0
                && digits <= 15
                && !matches!(next, Some(b'.' | b'e' | b'E' | b'0'..=b'9'))
                && (rest[0] != b'0' || (digits == 1 && !negative))
            {
                self.pos += digits;
                return Some(());
            }
        }
        match self.bump()? {
            // A digit after a leading 0 is rejected by the caller as trailing junk.
            b'0' => {}
            b'1'..=b'9' => self.skip_digits(),
            _ => return None,
        }
        let int_len = self.pos - int_start;
        let zero_int = self.input[int_start] == b'0';
        let mut frac = 0..0;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let from = self.pos;
            self.digits1()?;
            frac = from..self.pos;
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.peek() {
            exponent = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits1()?;
        }
        if !exponent && is_shortest(&self.input[frac.clone()], int_len, zero_int, negative) {
            return Some(());
        }
        let literal = &self.input[start..self.pos];
        // ASCII by construction.
        let n: f64 = std::str::from_utf8(literal).ok()?.parse().ok()?;
        self.flush_to(start);
        let out_start = self.out.len();
        if !n.is_finite() {
            self.out.extend_from_slice(b"null");
        } else if n == 0.0 {
            self.out.push(b'0');
        } else {
            let text = self.numbers.format_finite(n);
            self.out.extend_from_slice(text.as_bytes());
        }
        if self.out[out_start..] != *literal {
            self.changed = true;
        }
        self.run = self.pos;
        Some(())
    }

    fn skip_digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// One or more digits.
    fn digits1(&mut self) -> Option<()> {
        let start = self.pos;
        self.skip_digits();
        (self.pos > start).then_some(())
    }

    /// The output bytes of the member key at `m` (quotes included, `:` excluded).
    fn key_bytes(&self, m: Member) -> &[u8] {
        &self.out[m.key as usize..m.value as usize - 1]
    }

    /// The length of the member key at `m` and its first eight bytes (fewer, zero-padded, when
    /// it is shorter): equal keys have equal prints.
    #[inline]
    fn key_print(&self, m: Member) -> (u32, u64) {
        let len = m.value - 1 - m.key;
        let start = m.key as usize;
        // The buffer always has slack past the output, so the word is there; only the key's
        // own bytes count.
        let word = word_at(&self.out.buf, start).unwrap_or(0);
        let mask = if len >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * len)) - 1
        };
        (len, word & mask)
    }

    /// An object's `}` was just consumed: its members are `members[base..]`.
    /// Records a reorder when V8 would print the members in another order or
    /// fewer of them (duplicate keys), then forgets the members.
    fn close_object(&mut self, start: u32, base: usize) -> Option<()> {
        let n = self.members.len() - base;
        if n >= 2 {
            // Key bytes must be in `out` to be compared.
            self.flush_to(self.pos);
            // Only a key whose first character is a digit can be an array index: most objects
            // have none, and their order check ends here.
            let out = &self.out[..];
            let digit_key = self.members[base..]
                .iter()
                .any(|m| out.get(m.key as usize + 1).is_some_and(u8::is_ascii_digit));
            let mut in_order = true;
            let mut last_index: Option<u32> = None;
            let mut seen_other = false;
            for m in self.members[base..]
                .iter()
                .take(if digit_key { n } else { 0 })
            {
                match array_index(self.key_bytes(*m)) {
                    Some(i) => {
                        if seen_other || last_index.is_some_and(|l| l >= i) {
                            in_order = false;
                            break;
                        }
                        last_index = Some(i);
                    }
                    None => seen_other = true,
                }
            }
            let first_of = if in_order {
                self.duplicates(base)
            } else {
                Some(self.first_of(base))
            };
            if let Some(first_of) = first_of {
                self.reorder(start, base, &first_of)?;
                self.changed = true;
            }
        }
        self.members.truncate(base);
        Some(())
    }

    /// `None` when the keys of `members[base..]` are distinct; otherwise, for each
    /// member, the index (relative to `base`) of the first member with its key.
    fn duplicates(&mut self, base: usize) -> Option<Vec<u32>> {
        let n = self.members.len() - base;
        if n <= PAIRWISE_MAX {
            // Keys are compared by length and first eight bytes first (equal keys have equal
            // prints), so distinct keys rarely need a byte comparison.
            let ms = &self.members[base..];
            let mut prints = [(0u32, 0u64); PAIRWISE_MAX];
            for (p, &m) in prints.iter_mut().zip(ms) {
                *p = self.key_print(m);
            }
            let dup = (1..n).any(|j| {
                (0..j).any(|i| {
                    prints[i] == prints[j] && self.key_bytes(ms[i]) == self.key_bytes(ms[j])
                })
            });
            return dup.then(|| self.first_of(base));
        }
        let first_of = self.first_of(base);
        first_of
            .iter()
            .enumerate()
            .any(|(i, &f)| f as usize != i)
            .then_some(first_of)
    }

    /// For each member of `members[base..]`, the index of the first member with the
    /// same key (itself when the key is new), through an open-addressing hash table.
    fn first_of(&mut self, base: usize) -> Vec<u32> {
        let (out, members, table) = (&self.out, &self.members[base..], &mut self.table);
        let key = |m: Member| &out[m.key as usize..m.value as usize - 1];
        // Load factor at most 3/4 (short probe runs), under 11 bytes per member.
        let size = (members.len() + members.len() / 3 + 1).next_power_of_two();
        let mask = size - 1;
        table.clear();
        table.resize(size, u32::MAX);
        let mut first_of = Vec::with_capacity(members.len());
        for (j, &m) in members.iter().enumerate() {
            let k = key(m);
            let mut slot = (hash(k) as usize) & mask;
            let found = loop {
                match table[slot] {
                    u32::MAX => {
                        table[slot] = j as u32;
                        break j as u32;
                    }
                    i if key(members[i as usize]) == k => break i,
                    _ => slot = (slot + 1) & mask,
                }
            };
            first_of.push(found);
        }
        first_of
    }

    /// Records the object's members in V8 order: distinct keys at their first
    /// position with their last value, array indices first in ascending order.
    fn reorder(&mut self, start: u32, base: usize, first_of: &[u32]) -> Option<()> {
        let end = self.here()?;
        let ms = &self.members[base..];
        // Last value of each key, stored at its first occurrence (in the duplicate table's
        // memory, which is free again and at least this large when it was used).
        let last = &mut self.table;
        last.clear();
        last.extend(0..ms.len() as u32);
        for (j, &f) in first_of.iter().enumerate() {
            last[f as usize] = j as u32;
        }
        let first = u32::try_from(self.placed.len()).ok()?;
        let placed = |j: usize| {
            let (k, v) = (ms[j], ms[last[j] as usize]);
            Placed {
                key: k.key,
                key_end: k.value,
                value: v.value,
                end: v.end,
            }
        };
        let key = |j: usize| &self.out[ms[j].key as usize..ms[j].value as usize - 1];
        let distinct = || (0..ms.len()).filter(|&j| first_of[j] as usize == j);
        // Array indices first, ascending (keys are distinct, so an unstable sort is
        // deterministic), then the other keys in first-insertion order.
        let mut indices: Vec<(u32, u32)> = distinct()
            .filter_map(|j| Some((array_index(key(j))?, j as u32)))
            .collect();
        indices.sort_unstable_by_key(|&(i, _)| i);
        self.placed
            .extend(indices.iter().map(|&(_, j)| placed(j as usize)));
        drop(indices);
        self.placed.extend(
            distinct()
                .filter(|&j| array_index(key(j)).is_none())
                .map(placed),
        );
        let len = u32::try_from(self.placed.len() - first as usize).ok()?;
        self.reordered.push(Reordered {
            start,
            end,
            first,
            len,
        });
        Some(())
    }

    /// The output: the scanned text with whitespace dropped and tokens rewritten,
    /// then the reordered objects put in V8 order in one copying pass.
    fn finish(mut self) -> Output {
        if !self.changed {
            return Output::Same;
        }
        self.flush_to(self.pos);
        if self.reordered.is_empty() {
            return Output::Changed(self.out.into_vec());
        }
        // Outer objects close after their inner ones: sort by start to find nesting.
        self.reordered.sort_unstable_by_key(|r| r.start);
        let mut result = Vec::with_capacity(self.out.len());
        self.emit(&mut result, 0, self.out.len() as u32);
        Output::Changed(result)
    }

    /// Copies `out[from..to]` into `result`, writing every reordered object inside
    /// it in its final order (recursing once per nested reordered level, at most
    /// [`MAX_DEPTH`]).
    fn emit(&self, result: &mut Vec<u8>, from: u32, to: u32) {
        let mut cursor = from;
        let mut i = self.reordered.partition_point(|r| r.start < from);
        while let Some(r) = self.reordered.get(i).copied().filter(|r| r.start < to) {
            result.extend_from_slice(&self.out[cursor as usize..r.start as usize]);
            result.push(b'{');
            let placed = &self.placed[r.first as usize..(r.first + r.len) as usize];
            for (j, p) in placed.iter().enumerate() {
                if j > 0 {
                    result.push(b',');
                }
                result.extend_from_slice(&self.out[p.key as usize..p.key_end as usize]);
                self.emit(result, p.value, p.end);
            }
            result.push(b'}');
            cursor = r.end;
            // Skip the objects nested in this one: they were written through its members.
            i = self.reordered.partition_point(|x| x.start < r.end);
        }
        result.extend_from_slice(&self.out[cursor as usize..to as usize]);
    }
}

/// Whether a number literal without exponent is already what `Number::toString`
/// prints for its value, so it can be kept as is: no exponent, no trailing zero
/// in the fraction, not `-0`, at most 15 significant digits (any two such
/// decimals are different doubles, so the shortest round-trip form is the
/// literal itself), and within `[1e-6, 1e21)` where the output is not exponential.
fn is_shortest(frac: &[u8], int_len: usize, zero_int: bool, negative: bool) -> bool {
    if frac.last() == Some(&b'0') {
        return false;
    }
    if zero_int {
        if frac.is_empty() {
            return !negative; // "0" yes, "-0" prints "0"
        }
        let zeros = frac.iter().take_while(|&&d| d == b'0').count();
        zeros <= 5 && frac.len() - zeros <= 15
    } else {
        int_len + frac.len() <= 15
    }
}

/// Index just past a run of string bytes that need no attention: stops at `"`,
/// `\`, a control character (< 0x20) or the end. Eight bytes at a time.
#[inline(always)]
fn plain_run(bytes: &[u8], i: usize) -> usize {
    // Most strings (keys above all) end within eight bytes: that word is checked inline.
    match word_at(bytes, i) {
        Some(word) => match special_bytes(word) {
            0 => plain_run_long(bytes, i + 8),
            hits => i + (hits.trailing_zeros() / 8) as usize,
        },
        None => plain_run_long(bytes, i),
    }
}

/// The high bit of the first byte of `word` (little-endian) that is `"`, `\` or a control
/// character, and maybe of later bytes too (borrows only run upwards; the lowest flagged
/// byte of each term is a real match).
#[inline(always)]
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGH)
}

/// [`plain_run`] past its first word.
#[inline(never)]
fn plain_run_long(bytes: &[u8], mut i: usize) -> usize {
    let special = |b: u8| (b == b'"') | (b == b'\\') | (b < 0x20);
    // Up to 32 more bytes eight at a time (SWAR)...
    for _ in 0..4 {
        let Some(word) = word_at(bytes, i) else { break };
        let hits = special_bytes(word);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    // ...long ones 32 bytes at a time, with a branch-free test the compiler vectorizes (SSE2
    // on x86_64), then the exact position in the block that has a hit.
    const BLOCK: usize = 32;
    while let Some(block) = bytes.get(i..i + BLOCK) {
        if block.iter().fold(false, |hit, &b| hit | special(b)) {
            break;
        }
        i += BLOCK;
    }
    while let Some(&b) = bytes.get(i) {
        if special(b) {
            break;
        }
        i += 1;
    }
    i
}

/// The eight bytes at `i` as a little-endian word, if there are eight.
#[inline]
fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Index just past a run of JSON whitespace starting at `i`. The usual run (the rest of an
/// indentation, or nothing after `: `) ends within eight bytes: that word is checked inline.
#[inline(always)]
fn ws_run(bytes: &[u8], i: usize) -> usize {
    // A byte test first: its branch is predicted, so the scan runs ahead (a word test puts
    // its arithmetic on the path to the next position).
    if !matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        return i;
    }
    if let Some(head) = bytes.get(i + 1..i + 16) {
        for (k, b) in head.iter().enumerate() {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return i + 1 + k;
            }
        }
    }
    if let Some(word) = word_at(bytes, i) {
        let other = word ^ 0x2020_2020_2020_2020;
        if other != 0 {
            let k = other.trailing_zeros() / 8;
            if !matches!((word >> (8 * k)) as u8, b'\t' | b'\n' | b'\r') {
                return i + k as usize;
            }
        }
    }
    ws_run_long(bytes, i)
}

/// [`ws_run`] for longer runs; runs of spaces (indentation) eight at a time.
#[inline(never)]
fn ws_run_long(bytes: &[u8], mut i: usize) -> usize {
    loop {
        if let Some(word) = word_at(bytes, i) {
            let other = word ^ 0x2020_2020_2020_2020;
            if other == 0 {
                i += 8;
                continue;
            }
            i += (other.trailing_zeros() / 8) as usize;
        }
        match bytes.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
            _ => return i,
        }
    }
}

/// Appends `input[from..to]` to `out`.
#[inline(always)]
fn push_run(out: &mut OutBuf, input: &[u8], from: usize, to: usize) {
    out.extend_from_input(input, from, to);
}

/// The output under construction: a zero-filled buffer and the length written so far. Unlike a
/// `Vec`'s spare capacity, the bytes past the length can be written without `unsafe`, so short
/// runs are copied as one fixed-size block whose surplus the next write overwrites.
#[derive(Default)]
struct OutBuf {
    buf: Vec<u8>,
    len: usize,
}

/// Room kept past the length for fixed-size block copies.
const SLACK: usize = 32;

impl OutBuf {
    #[inline(always)]
    fn len(&self) -> usize {
        self.len
    }

    /// Makes room for `more` bytes plus [`SLACK`] (at least the rest of `input` from `from`,
    /// so the usual output, about the input's size, takes one allocation).
    #[cold]
    #[inline(never)]
    fn grow(&mut self, more: usize, input_rest: usize) {
        let want = self.len + more.max(input_rest) + SLACK;
        let size = want.max(self.buf.len() * 2);
        self.buf.resize(size, 0);
    }

    #[inline(always)]
    fn ensure(&mut self, more: usize, input_rest: usize) {
        if self.buf.len() - self.len < more + SLACK {
            self.grow(more, input_rest);
        }
    }

    /// Appends `input[from..to]`.
    #[inline(always)]
    fn extend_from_input(&mut self, input: &[u8], from: usize, to: usize) {
        let len = to - from;
        self.ensure(len, input.len() - from);
        match input.get(from..from + 16) {
            Some(block) if len <= 16 => {
                self.buf[self.len..self.len + 16].copy_from_slice(block);
                self.len += len;
            }
            _ => self.extend_from_slice(&input[from..to]),
        }
    }

    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.ensure(bytes.len(), 0);
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    #[inline]
    fn push(&mut self, b: u8) {
        self.ensure(1, 0);
        self.buf[self.len] = b;
        self.len += 1;
    }

    fn into_vec(mut self) -> Vec<u8> {
        self.buf.truncate(self.len);
        self.buf
    }
}

impl std::ops::Deref for OutBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The value of an output key (quotes included) if it is a canonical array
/// index: the decimal string of an integer in `0..=2^32-2` without leading
/// zeros ("0", "10"; not "01", "-1", "4294967295"). V8 stores those as
/// elements and enumerates them first. (An escaped digit in the input is a
/// raw digit in the output, so the output form decides.)
fn array_index(key: &[u8]) -> Option<u32> {
    let digits = key.get(1..key.len().checked_sub(1)?)?;
    if digits.is_empty() || digits.len() > 10 || (digits.len() > 1 && digits[0] == b'0') {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(d - b'0');
    }
    u32::try_from(n).ok().filter(|&n| n != u32::MAX)
}

/// FxHash-style hash of a key (word at a time), for the duplicate table.
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // The table uses the low bits: fold the high ones in.
    h ^ (h >> 29)
}
