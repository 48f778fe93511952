//! The single streaming pass: the scanner's state, its main loop over values and containers,
//! member keys and literals. Strings, numbers and object order have their own files.

use super::number::plain_number;
use super::order::{Placed, Reordered, plain_close};
use super::output::{OutBuf, push_run};
use super::string::{short_key_even, short_string, short_string_even};
use super::words::{word_at, ws_run};
use super::{MAX_DEPTH, budget};

pub(super) enum Output {
    /// The output is the input, byte for byte.
    Same,
    /// The output is `head` followed by the input from `tail` on (the pending run at the end,
    /// left in place rather than copied).
    Changed { head: Vec<u8>, tail: usize },
}

/// One member of an open object, as offsets into the output: `key` is the key's
/// opening quote, `value` the value's first byte (right after the `:`), `end`
/// the byte after the value. `print` sums the key up (see [`key_print`]): taken while the key
/// is scanned, it lets the close of the object compare keys without reading them back.
#[derive(Clone, Copy)]
pub(super) struct Member {
    pub(super) key: u32,
    pub(super) value: u32,
    pub(super) end: u32,
    pub(super) print: u32,
}

/// A key's print, from its first eight output bytes (`word`, quotes included, zero-padded):
/// equal keys have equal prints. Its first two bytes are the key's (the opening quote, then the
/// first character, or the closing quote); the others fold in the rest of the word. Kept to
/// 32 bits: objects with millions of members keep one per member.
#[inline(always)]
pub(super) fn key_print(word: u64) -> u32 {
    (word ^ ((word >> 16) & 0xFFFF_FFFF_FFFF_0000)) as u32
}

/// The first `min(len, 8)` bytes of `bytes[start..]` as a little-endian word, zero-padded.
fn first_word(bytes: &[u8], start: usize, len: usize) -> u64 {
    let mut word = [0; 8];
    let n = len.min(8);
    word[..n].copy_from_slice(&bytes[start..start + n]);
    u64::from_le_bytes(word)
}

/// The end and first word of a key [`short_key_even`] did not take: one near the end of the
/// input (`None` for longer, escaped or invalid keys, which the main loop reads).
#[cold]
#[inline(never)]
fn key_fallback(input: &[u8], pos: usize) -> Option<(usize, u64)> {
    let key_end = short_string(input, pos)?;
    Some((key_end, first_word(input, pos, key_end - pos)))
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
pub(super) struct Stream<'a> {
    pub(super) input: &'a [u8],
    pub(super) pos: usize,
    pub(super) run: usize,
    pub(super) out: OutBuf,
    /// Whether any output byte differs from the input.
    pub(super) changed: bool,
    frames: Vec<Frame>,
    pub(super) members: Vec<Member>,
    pub(super) placed: Vec<Placed>,
    pub(super) reordered: Vec<Reordered>,
    /// Open-addressing table of member indices for duplicate detection (reused).
    pub(super) table: Vec<u32>,
    pub(super) numbers: ryu_js::Buffer,
    /// Work units spent so far (see [`super::budget`]); only ever grows.
    pub(super) work: usize,
    /// The most `work` may reach; past it the pass gives up (`None`, as for invalid JSON).
    pub(super) limit: usize,
    /// The indentation step of a pretty-printed body: the length of the first line indented
    /// at depth 1 (see [`ws_charge`]); `usize::MAX` before it.
    indent_unit: usize,
}

/// The work units for dropping the whitespace `input[from..to]` (not empty, with `depth`
/// containers open, not counting one opened just before `from`): [`budget::WS_PREDICTED`] when
/// it is what a pretty-printer writes, else [`budget::WS`].
///
/// A pretty-printer (`JSON.stringify(v, null, indent)`, Python's `indent=`, most others) writes
/// one space after `:` (and `,`, Python's default) and a line break before every member,
/// element and closing bracket, indented by its depth times one step (`unit`, learned from the
/// first line at depth 1). Such runs cost little (their lengths are predictable); other
/// whitespace (random lengths, before `,` or `:`, around every token) is what an attacker
/// sends to make the pass dear, and only a hostile body has much of it.
#[inline(always)]
fn ws_charge(input: &[u8], from: usize, to: usize, depth: usize, unit: usize) -> usize {
    // The usual pretty-printed line first, in a few flag operations (no call on this path).
    let before = from.checked_sub(1).map_or(b' ', |i| input[i]);
    // Wraps only before a stray `]` or `}` at the top level (invalid JSON): no line matches.
    let depth = (depth + usize::from(matches!(before, b'[' | b'{')))
        .wrapping_sub(usize::from(matches!(input.get(to), Some(b']' | b'}'))));
    if input[from] == b'\n' && to - from - 1 == unit.wrapping_mul(depth) {
        return budget::WS_PREDICTED;
    }
    // CRLF line ends.
    if input[from] == b'\r'
        && input.get(from + 1) == Some(&b'\n')
        && to - from - 2 == unit.wrapping_mul(depth)
    {
        return budget::WS_PREDICTED;
    }
    if to - from == 1 && matches!(before, b':' | b',') && input[from] == b' ' {
        return budget::WS_PREDICTED;
    }
    budget::WS
}

/// The indentation step a pretty-printed body announces with the whitespace `input[from..to]`
/// (see [`ws_charge`]): its indentation when it is a line break at depth 1.
#[cold]
#[inline(never)]
fn learn_unit(input: &[u8], from: usize, to: usize, depth: usize) -> usize {
    let before = from.checked_sub(1).map_or(b' ', |i| input[i]);
    // Wraps only before a stray `]` or `}` at the top level (invalid JSON): no line matches.
    let depth = (depth + usize::from(matches!(before, b'[' | b'{')))
        .wrapping_sub(usize::from(matches!(input.get(to), Some(b']' | b'}'))));
    if depth == 1 && input[from] == b'\n' {
        to - from - 1
    } else if depth == 1 && input[from] == b'\r' && input.get(from + 1) == Some(&b'\n') {
        to - from - 2
    } else {
        usize::MAX
    }
}

/// Whether `input[at..]` starts with the `indent` bytes of `like` (fewer than eight, all JSON
/// whitespace: the previous member line's indentation, of spaces or tabs) and then a byte that
/// is not whitespace.
#[inline(always)]
fn same_indent(input: &[u8], at: usize, indent: usize, like: u64) -> bool {
    let Some(word) = word_at(input, at) else {
        return false;
    };
    indent < 8
        && (word ^ like) & ((1 << (8 * indent)) - 1) == 0
        && !matches!((word >> (8 * indent)) as u8, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> Stream<'a> {
    pub(super) fn new(input: &'a [u8], limit: usize) -> Self {
        Self {
            work: 0,
            limit,
            indent_unit: usize::MAX,
            input,
            pos: 0,
            run: 0,
            out: OutBuf::default(),
            changed: false,
            // Room for the usual event (a few levels, up to 64 members open at a time) in one
            // allocation each, not four or five as the vectors double: at 1 KiB the growth cost
            // a forged request 0.1 µs, 6% (`forged_cost table`).
            frames: Vec::with_capacity(16),
            members: Vec::with_capacity(64),
            placed: Vec::new(),
            reordered: Vec::new(),
            table: Vec::new(),
            numbers: ryu_js::Buffer::new(),
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    pub(super) fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// The output offset that corresponds to the input position `pos`.
    ///
    /// `None` past `u32::MAX`: such an output has more than `u32::MAX / 3`
    /// UTF-16 units, beyond V8's string length limit, so Node throws too.
    pub(super) fn here(&self) -> Option<u32> {
        u32::try_from(self.out.len() + (self.pos - self.run)).ok()
    }

    /// Ends the pending run at input position `at` (copying it to `out`).
    #[inline(always)]
    pub(super) fn flush_to(&mut self, at: usize) {
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
            let from = self.pos;
            self.pos = ws_run(self.input, self.pos + 1);
            self.run = self.pos;
            self.changed = true;
            if self.indent_unit == usize::MAX {
                self.indent_unit = learn_unit(self.input, from, self.pos, self.frames.len());
            }
            self.work += ws_charge(
                self.input,
                from,
                self.pos,
                self.frames.len(),
                self.indent_unit,
            );
        }
    }

    /// The output and the work units it took.
    pub(super) fn run(mut self) -> Option<(Output, usize)> {
        'value: loop {
            self.skip_ws();
            match self.peek()? {
                b'[' => {
                    if self.frames.len() >= MAX_DEPTH || self.work > self.limit {
                        return None;
                    }
                    self.work += budget::ARRAY;
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
                    if self.frames.len() >= MAX_DEPTH || self.work > self.limit {
                        return None;
                    }
                    self.work += budget::OBJECT;
                    let start = self.here()?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                    } else {
                        let members = u32::try_from(self.members.len()).ok()?;
                        self.frames.push(Frame::Object { start, members });
                        if self.members_run(start, members as usize)? {
                            continue 'value;
                        }
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
                    None => {
                        return (self.pos == self.input.len() && self.work <= self.limit).then(
                            || {
                                let work = self.work;
                                (self.finish(), work)
                            },
                        );
                    }
                    Some(Frame::Array) => match self.bump()? {
                        b',' => {
                            // The only check per array item (the total is checked at the end
                            // anyway): it stops a hostile array early.
                            if self.work > self.limit {
                                return None;
                            }
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
                                if self.work > self.limit {
                                    return None;
                                }
                                if self.members_run(start, members as usize)? {
                                    continue 'value;
                                }
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

    /// In the object that starts at output offset `start` with members from `members[base..]`,
    /// just past its `{` or a `,`: reads the members that follow while each is
    /// `ws key ws : ws value ws` with a short key and a value that is its own output (a string
    /// without escapes, a [`plain_number`], a literal) or an object (read the same way, with its
    /// own frame), recording them; when the object closes in an object, goes on with that one's
    /// members, and in an array, when `, {` follows, with the next object. Returns `true` at a value
    /// left to the main loop (when in an object, its member recorded), `false` after a
    /// complete value, at the byte that follows it (neither a `,` nor `}` of an object this
    /// loop reads).
    ///
    /// Pretty-printed objects (a line per member), arrays of them above all, are the costliest
    /// common input per byte: they take this loop, with the cursor, the run start and the output
    /// length in locals (the main loop keeps them in `self`, through memory), written back when
    /// it ends or calls out.
    fn members_run(&mut self, mut start: u32, mut base: usize) -> Option<bool> {
        let input = self.input;
        let (mut pos, mut run) = (self.pos, self.run);
        // This loop only drops bytes: its output fits in the rest of the input.
        self.out.ensure(input.len() - run, 0);
        let mut len = self.out.len;
        let mut buf = &mut self.out.buf[..];
        let mut changed = false;
        let mut work = 0;
        // Whether this call has met a key of eight characters or more (see `short_key_even`).
        // A local: as a field of `self` it measured slower on other shapes (objects padded to
        // the budget 1.31 -> 1.45 HMACs, a shape without long keys, so code layout may account
        // for part of it). A return to the main loop forgets it: the next call pays one more
        // misprediction at its first long key, beside the round trip.
        let mut long_keys = false;
        // Offsets in the output only grow with the input read, up to `len + input.len() - run`:
        // when that fits in a `u32`, so do they all (otherwise `here` would fail on the way).
        if u32::try_from(len + (input.len() - run)).is_err() {
            self.skip_ws();
            self.key()?;
            return Some(true);
        }
        let here = |len: usize, pos: usize, run: usize| (len + (pos - run)) as u32;
        // Drops the whitespace at `pos`, if any: the pending run ends there.
        macro_rules! skip_ws {
            () => {
                if let Some(b' ' | b'\t' | b'\n' | b'\r') = input.get(pos) {
                    let n = pos - run;
                    match input.get(run..run + 16) {
                        Some(block) if n <= 16 => buf[len..len + 16].copy_from_slice(block),
                        _ => buf[len..len + n].copy_from_slice(&input[run..pos]),
                    }
                    len += n;
                    let from = pos;
                    pos = ws_run(input, pos + 1);
                    run = pos;
                    changed = true;
                    if self.indent_unit == usize::MAX {
                        self.indent_unit = learn_unit(input, from, pos, self.frames.len());
                    }
                    work += ws_charge(input, from, pos, self.frames.len(), self.indent_unit);
                }
            };
        }
        macro_rules! write_back {
            () => {
                (self.pos, self.run, self.out.len) = (pos, run, len);
                self.changed |= changed;
                self.work += work;
            };
        }
        // The indentation of the last member line, when pretty-printed: the next one most
        // likely has the same, which is then tested as a whole (beside the path to the next
        // position, which a right guess makes a constant step).
        let (mut indent, mut like) = (0, 0);
        let at_value = 'objects: loop {
            // The members of the object at `start`, up to its `}`.
            loop {
                let line = matches!(input.get(pos), Some(b'\n' | b'\r'));
                if line && same_indent(input, pos + 1, indent, like) {
                    let n = pos - run;
                    match input.get(run..run + 16) {
                        Some(block) if n <= 16 => buf[len..len + 16].copy_from_slice(block),
                        _ => buf[len..len + n].copy_from_slice(&input[run..pos]),
                    }
                    len += n;
                    pos += 1 + indent;
                    run = pos;
                    changed = true;
                    work += budget::WS_PREDICTED;
                } else {
                    let from = pos;
                    skip_ws!();
                    if line {
                        indent = pos - from - 1;
                        like = word_at(input, from + 1).unwrap_or(0);
                    }
                }
                if input.get(pos) != Some(&b'"') {
                    break 'objects None;
                }
                // The key has no escape, so its output is its input: its print is taken from
                // the input (`short_string` read the eight bytes past `pos`). On x86_64 every key
                // takes `short_key_even`: in SSE2 it costs no more than `short_string`'s first
                // word (measured, `forged_cost scan`, 1 MiB: pretty 1.46 -> 1.43 HMACs).
                let sse2 = cfg!(all(target_arch = "x86_64", target_feature = "sse2"));
                let found = if long_keys || sse2 {
                    short_key_even(input, pos).or_else(|| key_fallback(input, pos))
                } else {
                    short_string(input, pos).map(|end| {
                        // Past the first word after the quote: eight characters or more.
                        long_keys = end - pos > 9;
                        let mask = if end - pos >= 8 {
                            u64::MAX
                        } else {
                            (1 << (8 * (end - pos))) - 1
                        };
                        (end, word_at(input, pos).map_or(0, |w| w & mask))
                    })
                };
                let Some((key_end, head)) = found else {
                    break 'objects None;
                };
                let key = here(len, pos, run);
                let print = key_print(head);
                pos = key_end;
                // `: ` (pretty-printed) is tested as a whole, `:` with other whitespace one step
                // at a time.
                if input.get(pos..pos + 3).is_some_and(|s| {
                    s[..2] == *b": " && !matches!(s[2], b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    pos += 1;
                    let n = pos - run;
                    match input.get(run..run + 16) {
                        Some(block) if n <= 16 => buf[len..len + 16].copy_from_slice(block),
                        _ => buf[len..len + n].copy_from_slice(&input[run..pos]),
                    }
                    len += n;
                    pos += 1;
                    run = pos;
                    changed = true;
                    work += budget::WS_PREDICTED;
                } else {
                    skip_ws!();
                    if input.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos += 1;
                    skip_ws!();
                }
                let value = here(len, pos, run);
                let value_end = match input.get(pos) {
                    Some(b'"') => short_string_even(input, pos),
                    Some(b'-' | b'0'..=b'9') => plain_number(input, pos),
                    Some(b't') => (input.get(pos..pos + 4) == Some(b"true")).then_some(pos + 4),
                    Some(b'f') => (input.get(pos..pos + 5) == Some(b"false")).then_some(pos + 5),
                    Some(b'n') => (input.get(pos..pos + 4) == Some(b"null")).then_some(pos + 4),
                    // A nested object (a record's `"data": {`): its members are read here too,
                    // rather than by a return to the main loop and a new call.
                    Some(b'{') => {
                        if self.frames.len() >= MAX_DEPTH || self.work + work > self.limit {
                            return None;
                        }
                        work += budget::OBJECT;
                        pos += 1;
                        skip_ws!();
                        if input.get(pos) == Some(&b'}') {
                            Some(pos + 1)
                        } else {
                            self.members.push(Member {
                                print,
                                key,
                                value,
                                end: value,
                            });
                            (start, base) = (value, self.members.len());
                            let members = u32::try_from(base).ok()?;
                            self.frames.push(Frame::Object { start, members });
                            continue;
                        }
                    }
                    _ => None,
                };
                let Some(value_end) = value_end else {
                    self.members.push(Member {
                        print,
                        key,
                        value,
                        end: value,
                    });
                    break 'objects Some(true);
                };
                pos = value_end;
                let end = here(len, pos, run);
                self.members.push(Member {
                    print,
                    key,
                    value,
                    end,
                });
                skip_ws!();
                match input.get(pos) {
                    Some(b',') => {
                        if self.work + work > self.limit {
                            return None;
                        }
                        pos += 1;
                    }
                    Some(b'}') => break,
                    _ => break 'objects Some(false),
                }
            }
            // At a `}`: close the object, and the objects around it that close right after.
            loop {
                pos += 1;
                self.frames.pop();
                if plain_close(&self.members[base..]) {
                    self.members.truncate(base);
                } else {
                    write_back!();
                    (changed, work) = (false, 0);
                    self.close_object(start, base)?;
                    (pos, run) = (self.pos, self.run);
                    self.out.ensure(input.len() - run, 0);
                    len = self.out.len;
                    buf = &mut self.out.buf[..];
                }
                let Some(&Frame::Object {
                    start: outer,
                    members,
                }) = self.frames.last()
                else {
                    break;
                };
                // The object was the value of the last member of the object around it (one
                // this loop opened, or the main loop): that member ends here, the others go on.
                if let Some(last) = self.members.last_mut() {
                    last.end = here(len, pos, run);
                }
                (start, base) = (outer, members as usize);
                skip_ws!();
                match input.get(pos) {
                    Some(b',') => {
                        if self.work + work > self.limit {
                            return None;
                        }
                        pos += 1;
                        continue 'objects;
                    }
                    Some(b'}') => {}
                    _ => break 'objects Some(false),
                }
            }
            // The object is a complete value: in an array, `, {` opens the next one.
            if !matches!(self.frames.last(), Some(Frame::Array)) {
                break Some(false);
            }
            skip_ws!();
            if input.get(pos) != Some(&b',') {
                break Some(false);
            }
            pos += 1;
            skip_ws!();
            if input.get(pos) != Some(&b'{') {
                break Some(true);
            }
            if self.frames.len() >= MAX_DEPTH || self.work + work > self.limit {
                return None;
            }
            work += budget::OBJECT;
            start = here(len, pos, run);
            pos += 1;
            skip_ws!();
            if input.get(pos) == Some(&b'}') {
                pos += 1;
                break Some(false);
            }
            base = self.members.len();
            let members = u32::try_from(base).ok()?;
            self.frames.push(Frame::Object { start, members });
        };
        write_back!();
        match at_value {
            Some(at_value) => Some(at_value),
            // A key this loop does not take (longer, escaped, or an error).
            None => {
                self.key()?;
                Some(true)
            }
        }
    }

    /// `string ws : ws` — a member name and its separator; records the member.
    #[inline(always)]
    fn key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        let key = self.here()?;
        let start = self.pos;
        self.string()?;
        // A key without escapes is still in the pending run; a rewritten one is in `out`.
        let (bytes, from, len) = if self.run <= start {
            (self.input, start, self.pos - start)
        } else {
            (&self.out[..], key as usize, self.out.len() - key as usize)
        };
        let print = key_print(first_word(bytes, from, len));
        self.skip_ws();
        if self.bump()? != b':' {
            return None;
        }
        self.skip_ws();
        let value = self.here()?;
        self.members.push(Member {
            print,
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

    /// The output: the scanned text with whitespace dropped and tokens rewritten,
    /// then the reordered objects put in V8 order in one copying pass. Called at the end of
    /// the input, so the pending run is the rest of it.
    fn finish(mut self) -> Output {
        if !self.changed {
            return Output::Same;
        }
        if self.reordered.is_empty() {
            return Output::Changed {
                head: self.out.into_vec(),
                tail: self.run,
            };
        }
        self.flush_to(self.pos);
        // Outer objects close after their inner ones: sort by start to find nesting.
        self.reordered.sort_unstable_by_key(|r| r.start);
        let mut result = Vec::with_capacity(self.out.len());
        self.emit(&mut result, 0, self.out.len() as u32);
        Output::Changed {
            head: result,
            tail: self.input.len(),
        }
    }
}
