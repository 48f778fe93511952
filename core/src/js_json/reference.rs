//! The tree-building implementation this module had before the streaming one, kept for tests
//! only: random documents must re-serialize identically through both (`tests::stream_matches_tree`).

use super::{MAX_DEPTH, V8_MAX_STRING_LENGTH};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Objects up to this many distinct keys use a linear scan for duplicate
/// detection; larger ones switch to a hash index to stay linear overall.
const LINEAR_SCAN_MAX: usize = 8;

/// Returns the bytes Node's `JSON.stringify(JSON.parse(text))` would produce,
/// where `text` is `body` decoded like `Buffer#toString('utf8')`, or `None`
/// when Node would throw (or when nesting exceeds [`MAX_DEPTH`]).
pub(crate) fn restringify(body: &[u8]) -> Option<Vec<u8>> {
    if body.len() > V8_MAX_STRING_LENGTH {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let value = Parser::new(&text).parse_document()?;
    let out = Serializer::default().run(&value);
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

/// A parsed JSON value. Strings are UTF-16 code units because JSON escapes can
/// denote lone surrogates, which V8 strings hold and Rust `String`s cannot.
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Vec<u16>),
    Array(Vec<Value>),
    Object(Object),
}

/// A JS object's own data properties as `JSON.parse` creates them.
#[derive(Default)]
struct Object {
    /// Distinct keys in first-insertion order, each with its latest value.
    entries: Vec<(Vec<u16>, Value)>,
    /// Key -> position in `entries`; built lazily once the object is large.
    index: HashMap<Vec<u16>, usize>,
}

impl Object {
    /// `CreateDataProperty` semantics: an existing key keeps its position and
    /// gets the new value (`{"a":1,"b":2,"a":3}` -> `{"a":3,"b":2}`).
    fn insert(&mut self, key: Vec<u16>, value: Value) {
        if self.index.is_empty() {
            if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
                return;
            }
            if self.entries.len() < LINEAR_SCAN_MAX {
                self.entries.push((key, value));
                return;
            }
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
        }
        match self.index.entry(key) {
            Entry::Occupied(e) => {
                if let Some(slot) = self.entries.get_mut(*e.get()) {
                    slot.1 = value;
                }
            }
            Entry::Vacant(e) => {
                self.entries.push((e.key().clone(), value));
                e.insert(self.entries.len() - 1);
            }
        }
    }

    /// Entries in V8's own-property order (`OrdinaryOwnPropertyKeys`):
    /// array-index keys ascending, then string keys in insertion order.
    fn ordered(&self) -> Vec<&(Vec<u16>, Value)> {
        let mut indices = Vec::new();
        let mut others = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            match array_index(&entry.0) {
                Some(n) => indices.push((n, entry)),
                None => others.push(entry),
            }
        }
        // Keys are distinct, so an unstable sort is deterministic.
        indices.sort_unstable_by_key(|&(n, _)| n);
        indices.into_iter().map(|(_, e)| e).chain(others).collect()
    }
}

/// The value of `key` if it is a canonical array index: the decimal string of
/// an integer in `0..=2^32-2` without leading zeros ("0", "10"; not "01",
/// "-1", "4294967295"). V8 stores those as elements and enumerates them first.
pub(super) fn array_index(key: &[u16]) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key.first() == Some(&u16::from(b'0')))
    {
        return None;
    }
    let mut n: u64 = 0;
    for &unit in key {
        let digit = unit.checked_sub(u16::from(b'0')).filter(|d| *d <= 9)?;
        n = n * 10 + u64::from(digit);
    }
    u32::try_from(n).ok().filter(|&n| n != u32::MAX)
}

/// An open container while parsing; the explicit stack keeps deep input off
/// the Rust call stack.
enum Frame {
    Array(Vec<Value>),
    /// The object so far and the key whose value is being parsed.
    Object(Object, Vec<u16>),
}

/// Strict `JSON.parse` grammar over the already-decoded text.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// JSON whitespace is only space, tab, LF and CR (no BOM, NBSP, U+2028...).
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn parse_document(mut self) -> Option<Value> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_ws();
            let mut value = match self.bump()? {
                open @ (b'[' | b'{') => {
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    if open == b'[' {
                        if self.peek() == Some(b']') {
                            self.pos += 1;
                            Value::Array(Vec::new())
                        } else {
                            stack.push(Frame::Array(Vec::new()));
                            continue 'value;
                        }
                    } else if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::Object(Object::default())
                    } else {
                        let key = self.parse_key()?;
                        stack.push(Frame::Object(Object::default(), key));
                        continue 'value;
                    }
                }
                b'"' => Value::String(self.parse_string_body()?),
                b't' => self.literal(b"rue", Value::Bool(true))?,
                b'f' => self.literal(b"alse", Value::Bool(false))?,
                b'n' => self.literal(b"ull", Value::Null)?,
                b'-' | b'0'..=b'9' => {
                    self.pos -= 1;
                    Value::Number(self.parse_number()?)
                }
                _ => return None,
            };
            // A value is complete: attach it to its parent, closing every
            // container that ends right after it.
            loop {
                self.skip_ws();
                match stack.pop() {
                    None => return (self.pos == self.bytes.len()).then_some(value),
                    Some(Frame::Array(mut items)) => {
                        items.push(value);
                        match self.bump()? {
                            b',' => {
                                stack.push(Frame::Array(items));
                                continue 'value;
                            }
                            b']' => value = Value::Array(items),
                            _ => return None,
                        }
                    }
                    Some(Frame::Object(mut object, key)) => {
                        object.insert(key, value);
                        match self.bump()? {
                            b',' => {
                                let key = self.parse_key()?;
                                stack.push(Frame::Object(object, key));
                                continue 'value;
                            }
                            b'}' => value = Value::Object(object),
                            _ => return None,
                        }
                    }
                }
            }
        }
    }

    /// Rest of a `true`/`false`/`null` literal after its first byte.
    fn literal(&mut self, rest: &[u8], value: Value) -> Option<Value> {
        let end = self.pos.checked_add(rest.len())?;
        (self.bytes.get(self.pos..end)? == rest).then(|| {
            self.pos = end;
            value
        })
    }

    /// `ws string ws :` — the member name and its separator.
    fn parse_key(&mut self) -> Option<Vec<u16>> {
        self.skip_ws();
        if self.bump()? != b'"' {
            return None;
        }
        let key = self.parse_string_body()?;
        self.skip_ws();
        (self.bump()? == b':').then_some(key)
    }

    /// String contents after the opening quote, through the closing quote.
    fn parse_string_body(&mut self) -> Option<Vec<u16>> {
        let mut units = Vec::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Stops only at ASCII bytes, so this is always a char boundary.
            units.extend(self.text.get(start..self.pos)?.encode_utf16());
            match self.bump()? {
                b'"' => return Some(units),
                b'\\' => {
                    let unit = match self.bump()? {
                        b'"' => 0x22,
                        b'\\' => 0x5C,
                        b'/' => 0x2F,
                        b'b' => 0x08,
                        b'f' => 0x0C,
                        b'n' => 0x0A,
                        b'r' => 0x0D,
                        b't' => 0x09,
                        b'u' => self.parse_hex4()?,
                        _ => return None,
                    };
                    units.push(unit);
                }
                // Raw control characters are not allowed inside strings.
                _ => return None,
            }
        }
    }

    /// Exactly four hex digits of either case (no sign, unlike `from_str_radix`).
    fn parse_hex4(&mut self) -> Option<u16> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = char::from(self.bump()?).to_digit(16)?;
            unit = (unit << 4) | u16::try_from(digit).ok()?;
        }
        Some(unit)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, then converted
    /// with Rust's correctly rounded parser, matching JS (overflow -> ±Infinity,
    /// underflow -> ±0).
    fn parse_number(&mut self) -> Option<f64> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.bump()? {
            // A digit after a leading 0 is rejected by the caller as trailing junk.
            b'0' => {}
            b'1'..=b'9' => self.skip_digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits1()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits1()?;
        }
        self.text.get(start..self.pos)?.parse::<f64>().ok()
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

/// An open container while serializing: remaining children and whether a
/// comma is due before the next one.
enum Pending<'v> {
    Array(std::slice::Iter<'v, Value>, bool),
    Object(std::vec::IntoIter<&'v (Vec<u16>, Value)>, bool),
}

/// `JSON.stringify` without indentation, iterative for the same reason as the parser.
#[derive(Default)]
struct Serializer {
    out: Vec<u8>,
    numbers: ryu_js::Buffer,
}

impl Serializer {
    fn run(mut self, root: &Value) -> Vec<u8> {
        let mut stack = Vec::new();
        self.value(root, &mut stack);
        while let Some(top) = stack.last_mut() {
            let next = match top {
                Pending::Array(items, comma) => match items.next() {
                    Some(item) => {
                        if std::mem::replace(comma, true) {
                            self.out.push(b',');
                        }
                        Some(item)
                    }
                    None => {
                        self.out.push(b']');
                        None
                    }
                },
                Pending::Object(entries, comma) => match entries.next() {
                    Some((key, item)) => {
                        if std::mem::replace(comma, true) {
                            self.out.push(b',');
                        }
                        self.string(key);
                        self.out.push(b':');
                        Some(item)
                    }
                    None => {
                        self.out.push(b'}');
                        None
                    }
                },
            };
            match next {
                Some(item) => self.value(item, &mut stack),
                None => {
                    stack.pop();
                }
            }
        }
        self.out
    }

    /// Writes a scalar, or the opening bracket of a container (pushed on `stack`).
    fn value<'v>(&mut self, value: &'v Value, stack: &mut Vec<Pending<'v>>) {
        match value {
            Value::Null => self.out.extend_from_slice(b"null"),
            Value::Bool(true) => self.out.extend_from_slice(b"true"),
            Value::Bool(false) => self.out.extend_from_slice(b"false"),
            Value::Number(n) => self.number(*n),
            Value::String(units) => self.string(units),
            Value::Array(items) => {
                self.out.push(b'[');
                stack.push(Pending::Array(items.iter(), false));
            }
            Value::Object(object) => {
                self.out.push(b'{');
                stack.push(Pending::Object(object.ordered().into_iter(), false));
            }
        }
    }

    /// `SerializeJSONProperty` for numbers: non-finite is `null`, -0 is `0`,
    /// otherwise ECMAScript `Number::toString` (e.g. `1e+21`, `1e-7`).
    fn number(&mut self, n: f64) {
        if !n.is_finite() {
            self.out.extend_from_slice(b"null");
        } else if n == 0.0 {
            self.out.push(b'0');
        } else {
            let text = self.numbers.format_finite(n);
            self.out.extend_from_slice(text.as_bytes());
        }
    }

    /// `QuoteJSONString` (well-formed variant): lone surrogates and control
    /// characters as lowercase `\uXXXX`, `/` and U+2028/U+2029 unescaped.
    fn string(&mut self, units: &[u16]) {
        self.out.push(b'"');
        for decoded in char::decode_utf16(units.iter().copied()) {
            match decoded {
                Ok(c) => match c {
                    '"' => self.out.extend_from_slice(b"\\\""),
                    '\\' => self.out.extend_from_slice(b"\\\\"),
                    '\u{8}' => self.out.extend_from_slice(b"\\b"),
                    '\u{c}' => self.out.extend_from_slice(b"\\f"),
                    '\n' => self.out.extend_from_slice(b"\\n"),
                    '\r' => self.out.extend_from_slice(b"\\r"),
                    '\t' => self.out.extend_from_slice(b"\\t"),
                    c if u32::from(c) < 0x20 => self.unicode_escape(u32::from(c)),
                    c => {
                        let mut buf = [0; 4];
                        self.out
                            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                },
                Err(lone) => self.unicode_escape(u32::from(lone.unpaired_surrogate())),
            }
        }
        self.out.push(b'"');
    }

    fn unicode_escape(&mut self, unit: u32) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.extend_from_slice(b"\\u");
        for shift in [12, 8, 4, 0] {
            // Masked to 0..=15, so the index is always in range.
            let digit = (unit >> shift) & 0xF;
            self.out.push(HEX[digit as usize]);
        }
    }
}
