//! Number tokens: literals already in `Number::toString` form stay in the run (with a loop of
//! their own for `int, ` array items); others are re-printed with ryu-js.

use super::budget;
use super::stream::Stream;
use super::string::short_string;

impl Stream<'_> {
    /// In an array, just past a `,`: skips the `int,` and `"string",` items that follow (short
    /// integers that print as themselves, short strings without escapes, optionally with spaces
    /// after the comma), leaving the last item to the main loop. Arrays of numbers and short
    /// strings are the cheapest bytes an attacker can send per token, so they get a loop of
    /// their own.
    pub(super) fn int_run(&mut self) {
        let input = self.input;
        // Local copies of the cursor, the run start and the output, written back once.
        let (mut pos, mut run) = (self.pos, self.run);
        // This loop only drops bytes: its output fits in the rest of the input.
        self.out.ensure(input.len() - run, 0);
        let mut len = self.out.len;
        let buf = &mut self.out.buf[..];
        let mut changed = false;
        let mut work = 0;
        loop {
            if input.get(pos) == Some(&b' ') {
                work += budget::WS_PREDICTED;
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
                        // A string without escapes whose item fits the block (Python's
                        // `", "` separators between short strings).
                        b'"' => match short_string(input, pos) {
                            // Over the budget: the main loop gives up.
                            Some(_) if self.work + work > self.limit => break,
                            Some(end) if end - pos <= 15 => {
                                q = end - pos;
                                work += budget::STRING_ITEM;
                            }
                            _ => break,
                        },
                        _ => break,
                    }
                    if block[q] != b',' || block[q + 1] != b' ' {
                        break;
                    }
                    buf[len..len + 16].copy_from_slice(&block[..16]);
                    work += budget::WS_PREDICTED;
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
                Some(b'"') if q == start => match short_string(input, q) {
                    Some(_) if self.work + work > self.limit => break,
                    Some(end) => {
                        q = end;
                        work += budget::STRING_ITEM;
                    }
                    None => break,
                },
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
        self.work += work;
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A literal that
    /// `Number::toString` would print unchanged stays in the run; any other is
    /// converted with Rust's correctly rounded parser (matching JS: overflow ->
    /// ±Infinity -> `null`, underflow -> ±0 -> `0`) and printed with ryu-js.
    #[inline(always)]
    pub(super) fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        let int_start = start + usize::from(negative);
        // Fast path: a short integer ends the literal (the common case in real and hostile
        // bodies alike): `0` or `[1-9][0-9]{0,14}` followed by a byte that cannot continue it.
        {
            let rest = &self.input[int_start..];
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
                self.pos = int_start + digits;
                return Some(());
            }
        }
        self.pos = int_start;
        self.number_rest(start, negative)
    }

    /// [`Stream::number`] past its fast path, from the first digit. Out of line: inlined, it
    /// changes how the main loop is compiled (arrays of nested arrays took 15% longer).
    #[inline(never)]
    fn number_rest(&mut self, start: usize, negative: bool) -> Option<()> {
        let int_start = self.pos;
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
        let mut exp_start = None;
        if let Some(b'e' | b'E') = self.peek() {
            exponent = true;
            self.pos += 1;
            exp_start = Some(self.pos);
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits1()?;
        }
        if !exponent && is_shortest(&self.input[frac.clone()], int_len, zero_int, negative) {
            return Some(());
        }
        self.reprint(
            start,
            int_start..int_start + int_len,
            frac,
            exp_start,
            negative,
        )
    }

    /// Replaces the number literal from `start` to the cursor (`int` and `frac` the ranges of
    /// its digits, `exp_start` where its exponent's sign or digits start) with its
    /// `Number::toString` form. Out of line: the main loop stays as compact as without it.
    #[cold]
    #[inline(never)]
    fn reprint(
        &mut self,
        start: usize,
        int: std::ops::Range<usize>,
        frac: std::ops::Range<usize>,
        exp_start: Option<usize>,
        negative: bool,
    ) -> Option<()> {
        let literal = &self.input[start..self.pos];
        let int = &self.input[int];
        let exp = exp_start.map(|at| &self.input[at..self.pos]);
        let frac = &self.input[frac];
        self.flush_to(start);
        if let Some(shape) = short_shape(int, frac, exp) {
            self.work += budget::NUMBER;
            // Written in place past the output.
            self.out.ensure(48, 0);
            let at = self.out.len;
            let room: &mut [u8; 48] = (&mut self.out.buf[at..at + 48]).try_into().ok()?;
            let n = lay_out(shape, int, frac, negative, room);
            self.changed |= n != literal.len() || room[..n] != *literal;
            self.out.len += n;
            self.run = self.pos;
            return Some(());
        }
        self.work += budget::FLOAT;
        // ASCII by construction.
        let n: f64 = std::str::from_utf8(literal).ok()?.parse().ok()?;
        let text: &[u8] = if !n.is_finite() {
            b"null"
        } else if n == 0.0 {
            b"0"
        } else {
            self.numbers.format_finite(n).as_bytes()
        };
        // Byte loops: these are short, and a call to `memcpy` or `memcmp` costs more here.
        self.out.ensure(text.len(), 0);
        let at = self.out.len;
        for (slot, &c) in self.out.buf[at..at + text.len()].iter_mut().zip(text) {
            *slot = c;
        }
        self.out.len += text.len();
        self.changed |=
            text.len() != literal.len() || text.iter().zip(literal).any(|(a, b)| a != b);
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
}

/// A number literal that `Number::toString` prints by moving its digits: at most 15
/// significant digits and a decimal exponent well inside the range of normal doubles. Such a
/// decimal is the shortest round-trip form of its double (the argument of [`is_shortest`]), so
/// only the layout changes (ECMAScript's rules for its digits `s`, `k` of them, and point
/// position `n`), without converting to `f64` and back: several times cheaper, and an attacker
/// can send millions of `1.0,` or `1e2,`. [`short_shape`] decides (before anything is written,
/// so the literals it refuses lose nothing), [`lay_out`] writes; others are converted.
struct Short {
    /// Leading zeros of the digits (integer and fraction digits together).
    lead: usize,
    /// Significant digits: 0 for a zero value.
    k: i64,
    /// Point position: the value is `0.s × 10^n`.
    n: i64,
}

/// The [`Short`] shape of a literal the digit-moving printer takes, or `None`.
#[inline(always)]
fn short_shape(int: &[u8], frac: &[u8], exp: Option<&[u8]>) -> Option<Short> {
    let exp = match exp {
        Some(text) => {
            let (minus, mut text) = match text {
                [b'-', rest @ ..] => (true, rest),
                [b'+', rest @ ..] => (false, rest),
                rest => (false, rest),
            };
            while let [b'0', rest @ ..] = text {
                text = rest;
            }
            if text.len() > 3 {
                return None;
            }
            let value = text.iter().fold(0i64, |v, &c| v * 10 + i64::from(c - b'0'));
            if minus { -value } else { value }
        }
        None => 0,
    };
    let total = int.len() + frac.len();
    if total > 48 {
        return None;
    }
    let leading = |s: &[u8]| s.iter().take_while(|&&c| c == b'0').count();
    let trailing = |s: &[u8]| s.iter().rev().take_while(|&&c| c == b'0').count();
    let lead = match leading(int) {
        all if all == int.len() => all + leading(frac),
        some => some,
    };
    if lead == total {
        return Some(Short { lead, k: 0, n: 0 });
    }
    let end = match trailing(frac) {
        all if all == frac.len() => int.len() - trailing(int),
        some => total - some,
    };
    let k = end - lead;
    if k > 15 {
        return None;
    }
    let n = int.len() as i64 - lead as i64 + exp;
    if !(-290..=290).contains(&n) {
        return None;
    }
    Some(Short {
        lead,
        k: k as i64,
        n,
    })
}

/// Writes `Number::toString` of a literal of [`short_shape`] `shape` (`int` and `frac` its
/// digits) into `out`; returns the length written. The digits are laid out in a buffer padded
/// with `0`, so every move is a fixed-size copy (the bytes past the digits are the zeros an
/// integer output needs, or are overwritten).
fn lay_out(shape: Short, int: &[u8], frac: &[u8], negative: bool, out: &mut [u8; 48]) -> usize {
    let Short { lead, k, n } = shape;
    if k == 0 {
        out[0] = b'0';
        return 1;
    }
    let mut d = [b'0'; 48 + 24];
    for (slot, &c) in d.iter_mut().zip(int.iter().chain(frac)) {
        *slot = c;
    }
    let s = &d[lead..];
    let mut len = usize::from(negative);
    out[0] = b'-';
    if k <= n && n <= 21 {
        // The digits, then zeros up to the point.
        out[len..len + 21].copy_from_slice(&s[..21]);
        len += n as usize;
    } else if 0 < n && n <= 21 {
        let n = n as usize;
        out[len..len + 16].copy_from_slice(&s[..16]);
        out[len + n] = b'.';
        out[len + n + 1..len + n + 17].copy_from_slice(&s[n..n + 16]);
        len += k as usize + 1;
    } else if -6 < n && n <= 0 {
        let zeros = (-n) as usize;
        out[len..len + 8].copy_from_slice(b"0.000000");
        out[len + 2 + zeros..len + 18 + zeros].copy_from_slice(&s[..16]);
        len += 2 + zeros + k as usize;
    } else {
        out[len] = s[0];
        if k > 1 {
            out[len + 1] = b'.';
            out[len + 2..len + 18].copy_from_slice(&s[1..17]);
            len += k as usize + 1;
        } else {
            len += 1;
        }
        let e = n - 1;
        out[len..len + 2].copy_from_slice(if e > 0 { b"e+" } else { b"e-" });
        len += 2;
        let e = e.unsigned_abs();
        let text = [
            b'0' + (e / 100) as u8,
            b'0' + (e / 10 % 10) as u8,
            b'0' + (e % 10) as u8,
        ];
        let skip = if e >= 100 {
            0
        } else if e >= 10 {
            1
        } else {
            2
        };
        for &c in &text[skip..] {
            out[len] = c;
            len += 1;
        }
    }
    len
}

/// The end of the number literal at `start` when `Number::toString` prints it unchanged and it
/// is short: an integer, or a fraction without exponent, of at most 15 digits on each side of
/// the point (the shapes [`is_shortest`] accepts), followed by a byte that cannot continue it.
/// `None` for any other literal (or none): [`Stream::number`] decides.
#[inline(always)]
pub(super) fn plain_number(input: &[u8], start: usize) -> Option<usize> {
    let negative = input.get(start) == Some(&b'-');
    let int_start = start + usize::from(negative);
    /// The number of digits at `from`, counting up to 16.
    #[inline(always)]
    fn digits(input: &[u8], from: usize) -> usize {
        let mut n = 0;
        while n < 16 && input.get(from + n).is_some_and(u8::is_ascii_digit) {
            n += 1;
        }
        n
    }
    let int_len = digits(input, int_start);
    if int_len == 0 || int_len > 15 {
        return None;
    }
    let zero_int = input[int_start] == b'0';
    if zero_int && int_len > 1 {
        return None;
    }
    let mut end = int_start + int_len;
    let mut frac: &[u8] = &[];
    if input.get(end) == Some(&b'.') {
        let frac_len = digits(input, end + 1);
        if frac_len == 0 || frac_len > 15 {
            return None;
        }
        frac = &input[end + 1..end + 1 + frac_len];
        end += 1 + frac_len;
    }
    if matches!(input.get(end), Some(b'.' | b'e' | b'E' | b'0'..=b'9')) {
        return None;
    }
    is_shortest(frac, int_len, zero_int, negative).then_some(end)
}

/// Whether a number literal without exponent is already what `Number::toString`
/// prints for its value, so it can be kept as is: no exponent, no trailing zero
/// in the fraction, not `-0`, at most 15 significant digits (any two such
/// decimals are different doubles, so the shortest round-trip form is the
/// literal itself), and within `[1e-6, 1e21)` where the output is not exponential.
pub(super) fn is_shortest(frac: &[u8], int_len: usize, zero_int: bool, negative: bool) -> bool {
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
