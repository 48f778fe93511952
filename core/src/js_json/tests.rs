//! Tests of the JSON re-serialization (expected outputs produced by Node v20), and the
//! differential test against real Node.

use super::number::is_shortest;
use super::order::array_index as array_index_out;
use super::reference::array_index;
use super::*;

fn rs(input: &str) -> Option<String> {
    restringify(input.as_bytes()).map(|b| String::from_utf8(b).expect("output is UTF-8"))
}

fn rsb(input: &[u8]) -> Option<String> {
    restringify(input).map(|b| String::from_utf8(b).expect("output is UTF-8"))
}

/// Asserts each `(input, expected)` pair; `None` means Node throws.
/// Every expectation below was produced by Node v20.
fn check(cases: &[(&str, Option<&str>)]) {
    for &(input, expected) in cases {
        assert_eq!(rs(input).as_deref(), expected, "input: {input:?}");
    }
}

#[test]
fn decoding_replaces_invalid_utf8_per_maximal_subpart() {
    let cases: &[(&[u8], Option<&str>)] = &[
        (b"\"\xE2\x82\"", Some("\"\u{FFFD}\"")),
        (b"\"\xF0\x80\x80A\"", Some("\"\u{FFFD}\u{FFFD}\u{FFFD}A\"")),
        (b"\"\xED\xA0\x80\"", Some("\"\u{FFFD}\u{FFFD}\u{FFFD}\"")),
        (b"\"\xC0\xAF\"", Some("\"\u{FFFD}\u{FFFD}\"")),
        (
            b"\"\xF4\x90\x80\x80\"",
            Some("\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\""),
        ),
        (
            b"\"\xE1\x80\xE2\xF0\x91\x92\xF1\xBFA\"",
            Some("\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}A\""),
        ),
        (b"\"\xFF\"", Some("\"\u{FFFD}\"")),
        (b"{\"\xFE\":1}", Some("{\"\u{FFFD}\":1}")),
        (b"1\xFF", None),
    ];
    for &(input, expected) in cases {
        assert_eq!(rsb(input).as_deref(), expected, "input: {input:x?}");
    }
}

#[test]
fn leading_bom_is_not_stripped() {
    assert_eq!(rsb(b"\xEF\xBB\xBF1"), None);
    assert_eq!(rsb(b"\xEF\xBB\xBF{}"), None);
    assert_eq!(rsb(b"1\xEF\xBB\xBF"), None);
    // Inside a string it is just U+FEFF.
    assert_eq!(rsb(b"\"\xEF\xBB\xBF\"").as_deref(), Some("\"\u{FEFF}\""));
}

#[test]
fn whitespace_is_only_space_tab_lf_cr() {
    check(&[
        (
            " \t\n\r[ \t\n\r1 \t\n\r, \t\n\r{ \t\n\r\"a\" \t\n\r: \t\n\rtrue \t\n\r} \t\n\r] \t\n\r",
            Some("[1,{\"a\":true}]"),
        ),
        (
            "{\n  \"event\": \"document.signed\",\n  \"data\": {\"id\": 42, \"tags\": [\"a\", \"b\"]}\n}",
            Some("{\"event\":\"document.signed\",\"data\":{\"id\":42,\"tags\":[\"a\",\"b\"]}}"),
        ),
        ("\u{c}1", None),
        ("\u{b}1", None),
        ("\u{a0}1", None),
        ("\u{feff}1", None),
        ("\u{2028}1", None),
        ("1\u{2028}", None),
        ("", None),
        (" ", None),
    ]);
}

#[test]
fn strict_grammar() {
    check(&[
        (
            "[true,false,null,[],{},\"\",0]",
            Some("[true,false,null,[],{},\"\",0]"),
        ),
        ("[1,]", None),
        ("[,1]", None),
        ("{\"a\":1,}", None),
        ("{a:1}", None),
        ("{'a':1}", None),
        ("'a'", None),
        ("[1 2]", None),
        ("1 2", None),
        ("[", None),
        ("{\"a\"}", None),
        ("{\"a\":}", None),
        ("// c\n1", None),
        ("/*c*/1", None),
        ("tru", None),
        ("True", None),
        ("nul", None),
        ("truex", None),
        ("NaN", None),
        ("Infinity", None),
    ]);
}

#[test]
fn number_grammar() {
    for bad in [
        "01", "-01", "00", "+1", ".5", "1.", "1.e3", "1e", "1e+", "-", "--1", "0x10",
    ] {
        assert_eq!(rs(bad), None, "input: {bad:?}");
    }
}

#[test]
fn number_values_and_formatting() {
    check(&[
        ("1e400", Some("null")),
        ("-1e400", Some("null")),
        ("1.7976931348623159e308", Some("null")),
        ("1e-400", Some("0")),
        ("-1e-400", Some("0")),
        ("2e-324", Some("0")),
        ("-0", Some("0")),
        ("-0.0", Some("0")),
        ("0", Some("0")),
        ("1e21", Some("1e+21")),
        ("1e20", Some("100000000000000000000")),
        ("1.0", Some("1")),
        ("0.1", Some("0.1")),
        ("5e-324", Some("5e-324")),
        ("1.7976931348623157e308", Some("1.7976931348623157e+308")),
        ("1E2", Some("100")),
        ("1E+2", Some("100")),
        ("1e-7", Some("1e-7")),
        ("1e-6", Some("0.000001")),
        ("100e-2", Some("1")),
        (
            "123456789012345678901234567890",
            Some("1.2345678901234568e+29"),
        ),
        ("9007199254740993", Some("9007199254740992")),
        ("0.30000000000000004", Some("0.30000000000000004")),
        ("-12.34E-5", Some("-0.0001234")),
    ]);
}

#[test]
fn string_escapes_in_and_out() {
    check(&[
        (r#""\"\\\/\b\f\n\r\t""#, Some(r#""\"\\/\b\f\n\r\t""#)),
        (
            r#""\u0000\u0001\u001F\u001f\u0020\u007F\u00e9\u00E9""#,
            Some("\"\\u0000\\u0001\\u001f\\u001f \u{7f}\u{e9}\u{e9}\""),
        ),
        // U+2028/U+2029 and '/' stay raw; DEL and non-ASCII stay raw.
        (
            "\"\\u2028\\u2029\u{2028}/\\/\"",
            Some("\"\u{2028}\u{2029}\u{2028}//\""),
        ),
        ("\"\u{7f} \u{e9} \u{fc}\"", Some("\"\u{7f} \u{e9} \u{fc}\"")),
    ]);
}

#[test]
fn invalid_strings() {
    check(&[
        ("\"a\tb\"", None),
        ("\"a\nb\"", None),
        ("\"\u{0}\"", None),
        ("\"\u{1f}\"", None),
        (r#""\x41""#, None),
        (r#""\u12""#, None),
        (r#""\u12G4""#, None),
        (r#""\U0041""#, None),
        (r#""\'""#, None),
        (r#""\0""#, None),
        (r#""\u+123""#, None),
        (r#""\""#, None),
        ("\"abc", None),
    ]);
}

#[test]
fn surrogates_round_trip_like_v8() {
    check(&[
        (r#""\ud800""#, Some(r#""\ud800""#)),
        (r#""\ud83d\ude00""#, Some("\"\u{1F600}\"")),
        (r#""\uD83D\uDE00""#, Some("\"\u{1F600}\"")),
        (r#""\ude00\ud83d""#, Some(r#""\ude00\ud83d""#)),
        (r#""\ud83d\ud83d\ude00""#, Some("\"\\ud83d\u{1F600}\"")),
        (r#""\ud83dx""#, Some(r#""\ud83dx""#)),
        ("\"\u{1F600}\\udc00\"", Some("\"\u{1F600}\\udc00\"")),
        (r#"{"\udfff":"\udbff"}"#, Some(r#"{"\udfff":"\udbff"}"#)),
    ]);
}

#[test]
fn object_key_order_and_duplicates() {
    check(&[
        (r#"{"a":1,"b":2,"a":3}"#, Some(r#"{"a":3,"b":2}"#)),
        (
            r#"{"1":"x","b":1,"1":"y","b":2}"#,
            Some(r#"{"1":"y","b":2}"#),
        ),
        (
            r#"{"b":1,"2":1,"1":1,"01":1,"-1":1,"4294967294":1,"4294967295":1,"10":1,"a":1,"0":1}"#,
            Some(
                r#"{"0":1,"1":1,"2":1,"10":1,"4294967294":1,"b":1,"01":1,"-1":1,"4294967295":1,"a":1}"#,
            ),
        ),
        (
            r#"{"1.0":1,"1":2,"1e0":3}"#,
            Some(r#"{"1":2,"1.0":1,"1e0":3}"#),
        ),
        // Keys compare as UTF-16 strings after unescaping.
        (r#"{"\u0061":1,"a":2}"#, Some(r#"{"a":2}"#)),
        (r#"{"":1,"":2}"#, Some(r#"{"":2}"#)),
        // `__proto__` and `toJSON` are ordinary data properties here.
        (r#"{"__proto__":1,"b":2}"#, Some(r#"{"__proto__":1,"b":2}"#)),
        (
            r#"{"__proto__":{"x":1},"__proto__":[2]}"#,
            Some(r#"{"__proto__":[2]}"#),
        ),
        (r#"{"toJSON":1}"#, Some(r#"{"toJSON":1}"#)),
    ]);
}

#[test]
fn array_index_classification() {
    let idx = |s: &str| array_index(&s.encode_utf16().collect::<Vec<_>>());
    assert_eq!(idx("0"), Some(0));
    assert_eq!(idx("10"), Some(10));
    assert_eq!(idx("4294967294"), Some(4_294_967_294));
    for not_index in [
        "",
        "01",
        "00",
        "-1",
        "+1",
        "1.0",
        " 1",
        "4294967295",
        "4294967296",
        "99999999999",
        "١",
    ] {
        assert_eq!(idx(not_index), None, "{not_index:?}");
    }
}

#[test]
fn many_keys_use_the_index_and_keep_first_position() {
    // 100 keys, then every key again in reverse with new values.
    let mut input = String::from("{");
    for i in 0..100 {
        input.push_str(&format!("\"k{i}\":{i},"));
    }
    for i in (0..100).rev() {
        input.push_str(&format!("\"k{i}\":{},", i + 1000));
    }
    input.push_str("\"k0\":true}");
    let mut expected = String::from("{\"k0\":true");
    for i in 1..100 {
        expected.push_str(&format!(",\"k{i}\":{}", i + 1000));
    }
    expected.push('}');
    assert_eq!(rs(&input), Some(expected));
}

#[test]
fn depth_limit() {
    // `[{"a":` opens two containers per repetition.
    let mixed = |n: usize| format!("{}1{}", "[{\"a\":".repeat(n), "}]".repeat(n));
    assert_eq!(rs(&mixed(MAX_DEPTH / 2)), Some(mixed(MAX_DEPTH / 2)));
    assert_eq!(rs(&mixed(MAX_DEPTH / 2 + 1)), None);
    let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(rs(&at_limit), Some(at_limit.clone()));
    let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(rs(&over), None);
    let objects = format!(
        "{}null{}",
        "{\"a\":".repeat(MAX_DEPTH),
        "}".repeat(MAX_DEPTH)
    );
    assert_eq!(rs(&objects), Some(objects.clone()));
    // Very deep (unclosed) input must not overflow the stack either.
    assert_eq!(rs(&"[".repeat(1_000_000)), None);
    assert_eq!(rs(&"{\"a\":".repeat(1_000_000)), None);
}

#[test]
fn never_panics_on_truncations() {
    let doc = "{\"a\":[1,-2.5e+3,\"x\\u00e9\\ud83d\\ude00\",true,false,null,{}],\"0\":\"\\n\"}";
    assert!(rs(doc).is_some());
    for end in 0..doc.len() {
        let _ = restringify(&doc.as_bytes()[..end]);
    }
}

// ---- Differential test against real Node ----------------------------

/// Reads a JSON array of hex-encoded bodies on stdin and writes, for each,
/// the hex of `JSON.stringify(JSON.parse(buf.toString('utf8')))` or `null`
/// if that throws.
const NODE_SCRIPT: &str = r#"
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((hex) => {
try {
  const text = Buffer.from(hex, 'hex').toString('utf8');
  return Buffer.from(JSON.stringify(JSON.parse(text)), 'utf8').toString('hex');
} catch (e) {
  return null;
}
  });
  process.stdout.write(JSON.stringify(out));
});
"#;

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex from node"))
        .collect()
}

/// Runs the whole corpus through one `node` process; `None` if `node`
/// is not on PATH.
fn run_node(corpus: &[Vec<u8>]) -> Option<Vec<Option<Vec<u8>>>> {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let mut child = match Command::new("node")
        .arg("-e")
        .arg(NODE_SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("failed to start node: {e}"),
    };
    let request: Vec<String> = corpus
        .iter()
        .map(|c| format!("\"{}\"", hex_encode(c)))
        .collect();
    // Node answers only after stdin closes, so writing everything first cannot deadlock.
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(format!("[{}]", request.join(",")).as_bytes())
        .expect("write corpus to node");
    drop(stdin);
    let output = child.wait_with_output().expect("wait for node");
    assert!(output.status.success(), "node failed: {}", output.status);
    let text = String::from_utf8(output.stdout).expect("node output is UTF-8");
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .expect("node output is a JSON array");
    let results: Vec<Option<Vec<u8>>> = inner
        .split(',')
        .map(|item| match item {
            "null" => None,
            quoted => Some(hex_decode(quoted.trim_matches('"'))),
        })
        .collect();
    assert_eq!(results.len(), corpus.len(), "node answered every case");
    Some(results)
}

/// xorshift64*: deterministic, dependency-free randomness for the corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "0.1",
    "-0.0",
    "0e0",
    "0E-0",
    "1e400",
    "-1e400",
    "1e-400",
    "-1e-400",
    "123456789012345678901234567890",
    "5e-324",
    "2e-324",
    "3e-324",
    "2.4703282292062328e-324",
    "4.9406564584124654e-324",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "1E2",
    "1e-7",
    "1e-6",
    "1e21",
    "1e20",
    "999999999999999999999",
    "100e-2",
    "1.0",
    "1.5e+3",
    "1E+2",
    "1e-0",
    "0.000001",
    "0.0000001",
    "9007199254740993",
    "9007199254740992",
    "4.35",
    "0.30000000000000004",
    "123e-20",
    "1e308",
    "2.2250738585072014e-308",
    "2.225073858507201e-308",
    "1e99999999999999999999",
    "1e-99999999999999999999",
    "0e99999999999999999999",
    "144115188075855877",
    "-12.34E-5",
    "1.2345678901234567890123",
    "4294967295",
    "4294967296",
    "-9223372036854775808",
    "18446744073709551616",
    "0.1000000000000000055511151231257827021181583404541015625",
];

const BAD_NUMBERS: &[&str] = &[
    "01",
    "-01",
    "00",
    "+1",
    ".5",
    "1.",
    "1.e3",
    "1e",
    "1e+",
    "-",
    "--1",
    "0x10",
    "1_000",
    "Infinity",
    "-Infinity",
    "NaN",
    "-.5",
    "1e1.5",
    "0.e1",
    "1e+-1",
    "- 1",
    "0b1",
    "1f",
];

const STRINGS: &[&str] = &[
    r#""""#,
    r#""\"\\\/\b\f\n\r\t""#,
    r#""\u0041\u00e9\u00E9\uABCD\uabcd\uFFFF\uFFFE""#,
    r#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f""#,
    r#""\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#,
    r#""\u0020\u007f\u0080\u009f\u00a0\u2028\u2029\ufeff""#,
    "\"\u{2028}\u{2029}\u{7f}\u{80}\u{feff}\"",
    r#""\ud800""#,
    r#""\udbff""#,
    r#""\udc00""#,
    r#""\udfff""#,
    r#""\ud83d\ude00""#,
    r#""\uD83D\uDE00""#,
    r#""\ude00\ud83d""#,
    r#""\ud83d\ud83d\ude00""#,
    r#""\ud83d\ude00\ude00""#,
    r#""\ud83dx""#,
    r#""x\udc00y""#,
    "\"\u{1F600}\\udc00\"",
    "\"\\ud83d\u{1F600}\"",
    "\"\u{1F600}\u{10FFFF}\u{10000}\"",
    r#""\udbff\udfff\ud800\udc00""#,
    "\"\\ud83d\u{FFFD}\"",
    "\"/\\/</script>\"",
    "\"\u{e9}\u{4e2d}\u{6587}\"",
];

const BAD_STRINGS: &[&str] = &[
    r#""\x41""#,
    r#""\u12""#,
    r#""\u12G4""#,
    r#""\U0041""#,
    r#""\'""#,
    r#""\a""#,
    r#""\0""#,
    r#""\u+123""#,
    r#""\u 123""#,
    r#""\u-123""#,
    r#""\""#,
    r#""abc"#,
    r#""\ud83d\u""#,
    "'a'",
    r#""\u00""#,
    "\"\\\u{e9}\"",
];

const DOCS: &[&str] = &[
    r#"{"a":1,"b":2,"a":3}"#,
    r#"{"1":"x","b":1,"1":"y","b":2}"#,
    r#"{"a":{"x":1},"a":[2]}"#,
    r#"{"__proto__":1,"b":2}"#,
    r#"{"__proto__":{"a":1},"__proto__":2}"#,
    r#"{"b":1,"__proto__":null}"#,
    r#"{"toJSON":1}"#,
    r#"{"toJSON":{"x":1},"valueOf":2,"toString":3}"#,
    r#"{"constructor":1,"hasOwnProperty":2,"length":3}"#,
    r#"{"\u0061":1,"a":2}"#,
    r#"{"\ud800":1,"\udc00":2,"\ud800":3}"#,
    r#"{"\ud83d\ude00":1,"😀":2}"#,
    r#"{"":1,"":2}"#,
    r#"{"1.0":1,"1":2,"1e0":3}"#,
    r#"{"length":1,"0":2}"#,
    r#"[1,"a",true,false,null,[],{},[[]],{"":{}}]"#,
    r#"{"event":"document.signed","data":{"id":42,"tags":["a","b"],"amount":12.50}}"#,
    r#"[{"id":"1"},{"id":"2","nested":{"deep":[1,2,{"x":null}]}}]"#,
    "true",
    "false",
    "null",
    "[]",
    "{}",
    r#""""#,
];

const BAD_DOCS: &[&str] = &[
    "",
    " ",
    "[",
    "]",
    "{",
    "}",
    "[1,]",
    "[,1]",
    "{,}",
    r#"{"a"}"#,
    r#"{"a":}"#,
    r#"{"a" 1}"#,
    "{a:1}",
    "{'a':1}",
    r#"{"a":1,}"#,
    "[1 2]",
    "1 2",
    "[1]]",
    "{}}",
    "// c\n1",
    "/*c*/1",
    "1//",
    r#""a" "b""#,
    "[1],",
    r#"{"a":1"b":2}"#,
    "tru",
    "True",
    "nul",
    "NULL",
    "truex",
    "[true false]",
    "[1:2]",
    r#"{"a",1}"#,
    r#"{1:1}"#,
    r#"{null:1}"#,
    "[-]",
    "[1,,2]",
    "undefined",
    "\u{0}",
    "1\u{0}",
    "[\"a\"\"b\"]",
    r#"{"a":1}{"b":2}"#,
];

const INDEX_KEYS: &[&str] = &[
    "1",
    "01",
    "-1",
    "4294967294",
    "4294967295",
    "10",
    "2",
    "0",
    "a",
    "b",
    "00",
    "1.0",
    "1e3",
    " 1",
    "1 ",
    "4294967296",
    "99999999999",
    "12345678901",
    "-0",
    "+1",
    "9",
    "100",
    "2147483648",
    "\u{0661}",
    "__proto__",
    "",
];

const INVALID_UTF8: &[&[u8]] = &[
    b"\x80",
    b"\xBF",
    b"\xC0\x80",
    b"\xC1\xBF",
    b"\xC0\xAF",
    b"\xC2",
    b"\xC2\x41",
    b"\xDF",
    b"\xE0\x80\x80",
    b"\xE0\x9F\xBF",
    b"\xE0\xA0",
    b"\xE2\x82",
    b"\xE2\x82\x41",
    b"\xED\xA0\x80",
    b"\xED\xBF\xBF",
    b"\xED\xA0\x80\xED\xB0\x80",
    b"\xEF\xBF\xBE",
    b"\xEF\xBF\xBF",
    b"\xF0\x80\x80\x80",
    b"\xF0\x8F\xBF\xBF",
    b"\xF0\x90\x80",
    b"\xF0\x90",
    b"\xF4\x8F\xBF\xBF",
    b"\xF4\x90\x80\x80",
    b"\xF5\x80\x80\x80",
    b"\xF8\x88\x80\x80\x80",
    b"\xFC\x84\x80\x80\x80\x80",
    b"\xFE",
    b"\xFF",
    b"\xFF\xFE",
    b"\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41",
    b"\xC3\xA9\x80",
];

/// A random valid document mixing all the tricky pieces, with random
/// JSON whitespace between tokens.
fn gen_value(rng: &mut Rng, depth: usize, out: &mut Vec<u8>) {
    const WS: &[&str] = &["", "", "", " ", "\t", "\n", "\r\n", "  "];
    let ws = |rng: &mut Rng, out: &mut Vec<u8>| out.extend_from_slice(rng.pick(WS).as_bytes());
    let kind = if depth >= 4 {
        rng.below(3)
    } else {
        rng.below(6)
    };
    match kind {
        0 => out.extend_from_slice(rng.pick(NUMBERS).as_bytes()),
        1 => out.extend_from_slice(rng.pick(STRINGS).as_bytes()),
        2 => out.extend_from_slice(rng.pick(&["true", "false", "null"]).as_bytes()),
        3 => {
            out.push(b'[');
            let n = rng.below(5);
            for i in 0..n {
                if i > 0 {
                    out.push(b',');
                }
                ws(rng, out);
                gen_value(rng, depth + 1, out);
                ws(rng, out);
            }
            out.push(b']');
        }
        _ => {
            out.push(b'{');
            let n = rng.below(if kind == 5 && depth == 0 { 40 } else { 6 });
            for i in 0..n {
                if i > 0 {
                    out.push(b',');
                }
                ws(rng, out);
                out.push(b'"');
                out.extend_from_slice(rng.pick(INDEX_KEYS).as_bytes());
                out.push(b'"');
                ws(rng, out);
                out.push(b':');
                ws(rng, out);
                gen_value(rng, depth + 1, out);
                ws(rng, out);
            }
            out.push(b'}');
        }
    }
}

/// The differential corpus: rule-generated tricky inputs plus random
/// documents and random mutations of them.
fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut c: Vec<Vec<u8>> = Vec::new();
    fn add(c: &mut Vec<Vec<u8>>, s: impl Into<Vec<u8>>) {
        c.push(s.into());
    }

    for n in NUMBERS.iter().chain(BAD_NUMBERS) {
        add(&mut c, n.to_string());
        add(&mut c, format!("[{n}]"));
        add(&mut c, format!("{{\"k\":{n}}}"));
        add(&mut c, format!(" {n}\n"));
    }
    for _ in 0..150 {
        let f = f64::from_bits(rng.next());
        if f.is_finite() {
            add(&mut c, format!("{f:e}"));
            add(&mut c, format!("[{f:?}]"));
        }
        // Random decimal literals exercise correct rounding.
        let digits: String = (0..1 + rng.below(30))
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        let digits = digits.trim_start_matches('0');
        let digits = if digits.is_empty() { "1" } else { digits };
        let split = rng.below(digits.len());
        let (int, frac) = digits.split_at(split.max(1));
        let frac = if frac.is_empty() {
            String::new()
        } else {
            format!(".{frac}")
        };
        let exp = rng.below(700) as i64 - 350;
        add(&mut c, format!("{int}{frac}e{exp}"));
    }
    for s in STRINGS.iter().chain(BAD_STRINGS) {
        add(&mut c, s.to_string());
        add(&mut c, format!("[{s}]"));
        add(&mut c, format!("{{{s}:{s}}}"));
    }
    for b in 0u8..0x20 {
        add(&mut c, format!("\"a{}b\"", char::from(b)));
        add(&mut c, format!("\"\\u{:04X}\"", b));
    }
    for d in DOCS.iter().chain(BAD_DOCS) {
        add(&mut c, d.to_string());
    }
    for _ in 0..20 {
        let mut keys: Vec<&str> = INDEX_KEYS.to_vec();
        for i in (1..keys.len()).rev() {
            keys.swap(i, rng.below(i + 1));
        }
        let members: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("\"{k}\":{i}"))
            .collect();
        add(&mut c, format!("{{{}}}", members.join(",")));
    }
    for n in [9, 50, 300] {
        // Many keys with random duplicates (hash-index path).
        let mut members = Vec::new();
        for i in 0..n {
            let scale = if i % 3 == 0 { 1 } else { 7 };
            members.push(format!("\"{}\":{i}", rng.below(n / 2 + 1) * scale));
            members.push(format!("\"key{}\":{i}", rng.below(n / 2 + 1)));
        }
        add(&mut c, format!("{{{}}}", members.join(",")));
    }
    for depth in [1, 2, 10, 100, 511, MAX_DEPTH] {
        add(
            &mut c,
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        );
        add(
            &mut c,
            format!("{}0{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        );
        add(
            &mut c,
            format!(
                "{}{}",
                "[".repeat(depth),
                "]".repeat(depth.saturating_sub(1))
            ),
        );
    }
    add(
        &mut c,
        format!(
            "{}1{}",
            "[{\"\":".repeat(MAX_DEPTH / 2),
            "}]".repeat(MAX_DEPTH / 2)
        ),
    );
    for ws in [
        " ", "\t", "\n", "\r", "\u{c}", "\u{b}", "\u{a0}", "\u{feff}", "\u{2028}", "\u{0}",
    ] {
        add(
            &mut c,
            format!("{ws}[{ws}1{ws},{ws}{{{ws}\"a\"{ws}:{ws}2{ws}}}{ws}]{ws}"),
        );
        add(&mut c, format!("{ws}1"));
        add(&mut c, format!("1{ws}"));
    }
    for _ in 0..250 {
        let mut doc = Vec::new();
        gen_value(&mut rng, 0, &mut doc);
        c.push(doc);
    }

    for bad in INVALID_UTF8 {
        for (pre, post) in [
            ("\"a", "b\""),
            ("{\"", "\":1}"),
            ("", ""),
            ("[1", "]"),
            ("\"\\u00", "\""),
        ] {
            let mut v = pre.as_bytes().to_vec();
            v.extend_from_slice(bad);
            v.extend_from_slice(post.as_bytes());
            c.push(v);
        }
    }
    for bom_case in [
        &b"\xEF\xBB\xBF1"[..],
        b"\xEF\xBB\xBF{}",
        b"\"\xEF\xBB\xBF\"",
        b"1\xEF\xBB\xBF",
        b"\xEF\xBB\"\"",
    ] {
        c.push(bom_case.to_vec());
    }

    // Random mutations of valid documents find grammar corner cases.
    const BYTES: &[u8] = b"\"\\{}[],:01-+eE. \n\t\x0c\x00\x1fud8tfn/\x80\xC3\xE2\xED\xF0\xFF";
    let seeds: Vec<Vec<u8>> = c
        .iter()
        .filter(|d| restringify(d).is_some() && d.len() < 400)
        .cloned()
        .collect();
    for _ in 0..600 {
        let mut doc = rng.pick(&seeds).clone();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(doc.len() + 1);
            match rng.below(4) {
                0 if at < doc.len() => doc[at] = *rng.pick(BYTES),
                1 if at < doc.len() => {
                    doc.remove(at);
                }
                2 => doc.insert(at, *rng.pick(BYTES)),
                _ => {
                    let end = (at + 1 + rng.below(8)).min(doc.len());
                    let span = doc[at..end].to_vec();
                    doc.splice(at..at, span);
                }
            }
        }
        c.push(doc);
    }
    c
}

#[test]
fn differential_against_node() {
    let corpus = corpus();
    assert!(corpus.len() >= 200, "corpus too small: {}", corpus.len());
    let Some(expected) = run_node(&corpus) else {
        if std::env::var("HOOKSIG_SKIP_NODE").as_deref() == Ok("1") {
            eprintln!("differential_against_node: SKIPPED (node not on PATH, HOOKSIG_SKIP_NODE=1)");
            return;
        }
        panic!(
            "`node` is not on PATH: this test compares against real Node.js. \
             Install Node.js, or set HOOKSIG_SKIP_NODE=1 to skip it explicitly."
        );
    };
    let mut failures = Vec::new();
    for (input, want) in corpus.iter().zip(&expected) {
        let got = restringify(input);
        if &got != want {
            failures.push(format!(
                "input {:?}\n  node: {:?}\n  ours: {:?}",
                String::from_utf8_lossy(input),
                want.as_deref().map(String::from_utf8_lossy),
                got.as_deref().map(String::from_utf8_lossy),
            ));
        }
    }
    let ok = corpus.len() - failures.len();
    let accepted = expected.iter().filter(|e| e.is_some()).count();
    eprintln!(
        "differential_against_node: {ok}/{} cases match node ({accepted} accepted, {} rejected)",
        corpus.len(),
        corpus.len() - accepted
    );
    assert!(
        failures.is_empty(),
        "{} mismatches with node, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---- The streaming re-serializer against the tree-building one it replaced ----

/// A random document with nested objects whose keys need reordering (array
/// indices out of order) or deduplicating, escapes, numbers in every form and
/// random whitespace: the shapes where the streaming pass records reorders.
fn random_doc(rng: &mut Rng, depth: usize, out: &mut String) {
    const KEYS: &[&str] = &[
        "0",
        "1",
        "2",
        "10",
        "01",
        "a",
        "b",
        "\\u0031",
        "\\u0061",
        "4294967294",
        "4294967295",
        "-1",
        "",
        "\\ud800",
        "\\ud83d\\ude00",
        "x\\ny",
        "é",
    ];
    const SCALARS: &[&str] = &[
        "0",
        "-0",
        "1.50",
        "1e2",
        "12345678901234567",
        "0.0000001",
        "true",
        "null",
        "\"s\"",
        "\"\\u00e9\\/\"",
        "\"\\ud83d\"",
        "\"\\ud83dx\"",
        "-3.25",
        "1E-7",
        "100",
    ];
    let ws = |rng: &mut Rng| [" ", "", "", "\n  ", "\t"][rng.below(5)];
    match if depth == 0 { 2 } else { rng.below(3) } {
        0 => {
            out.push('{');
            let n = rng.below(12);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws(rng));
                out.push_str(&format!("\"{}\"", *rng.pick(KEYS)));
                out.push_str(ws(rng));
                out.push(':');
                out.push_str(ws(rng));
                random_doc(rng, depth - 1, out);
            }
            out.push_str(ws(rng));
            out.push('}');
        }
        1 => {
            out.push('[');
            let n = rng.below(5);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws(rng));
                random_doc(rng, depth - 1, out);
            }
            out.push(']');
        }
        _ => out.push_str(rng.pick::<&str>(SCALARS)),
    }
}

#[test]
fn stream_matches_tree() {
    let mut docs = corpus();
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    for _ in 0..5_000 {
        let mut doc = String::new();
        let depth = 1 + rng.below(6);
        random_doc(&mut rng, depth, &mut doc);
        docs.push(doc.into_bytes());
    }
    let mut reordered = 0;
    for doc in &docs {
        let want = reference::restringify(doc);
        assert_eq!(
            restringify(doc),
            want,
            "input {:?}",
            String::from_utf8_lossy(doc)
        );
        if want.as_ref().is_some_and(|w| {
            let plain: Vec<u8> = doc
                .iter()
                .copied()
                .filter(|b| !b" \t\n\r".contains(b))
                .collect();
            w.len() + 2 < plain.len()
        }) {
            reordered += 1;
        }
        // Every truncation is still handled like the tree does.
        if doc.len() < 200 {
            for end in 0..doc.len() {
                assert_eq!(
                    restringify(&doc[..end]),
                    reference::restringify(&doc[..end])
                );
            }
        }
    }
    assert!(
        reordered > 500,
        "the generator must exercise duplicates: {reordered}"
    );
}

#[test]
fn reorders_nested_at_every_level() {
    // Each level needs reordering; the inner ones are written once, through the outer ones.
    let doc =
        r#"{"b":{"1":{"1":[1,{"1":1,"0":0}],"0":0},"0":{"a":1,"a":2}},"0":[{"x":1,"x":2}],"b":3}"#;
    assert_eq!(rs(doc).as_deref(), Some(r#"{"0":[{"x":2}],"b":3}"#));
    let doc = r#"{"b":{"1":{"1":[1,{"1":1,"0":0}],"0":0},"0":{"a":1,"a":2}},"0":[{"x":1,"x":2}]}"#;
    assert_eq!(
        rs(doc).as_deref(),
        Some(r#"{"0":[{"x":2}],"b":{"0":{"a":2},"1":{"0":0,"1":[1,{"0":0,"1":1}]}}}"#)
    );
    let deep = format!(
        "{}0{}",
        r#"{"1":0,"0":"#.repeat(MAX_DEPTH),
        "}".repeat(MAX_DEPTH)
    );
    assert_eq!(
        restringify(deep.as_bytes()),
        reference::restringify(deep.as_bytes())
    );
}

#[test]
fn canonical_input_is_borrowed() {
    for doc in [
        r#"{"0":{},"a":[1,2.5,"x\n\u0000\"",true,null]}"#,
        r#"{"0":1,"1":2,"b":{"c":"é😀"}}"#,
        "[0,0,0]",
        "\"\\ud800\"",
        r#"["a\"b\\c","\u001f\u0000\b\f\n\r\t","x\u0010"]"#,
    ] {
        assert!(
            matches!(restrung(doc.as_bytes()), Some(Restrung::Same)),
            "{doc}"
        );
    }
    for doc in [
        "[0, 0]",
        r#"{"1":0,"0":0}"#,
        r#"{"a":0,"a":0}"#,
        "1E2",
        "\"\\/\"",
        "\"\\u0041\"",
        "-0",
        r#""\u001F""#,
        r#""\u000a""#,
        r#""\u007f""#,
        r#""\n\/""#,
        r#""\"\u0041""#,
    ] {
        assert!(
            matches!(restrung(doc.as_bytes()), Some(Restrung::Changed(_))),
            "{doc}"
        );
    }
    // Invalid UTF-8 is never the output (it becomes U+FFFD).
    assert!(matches!(restrung(b"\"\xff\""), Some(Restrung::Changed(_))));
    // What follows the last change stays in the body, uncopied.
    for (doc, head, tail) in [
        (" [0,1]", "", "[0,1]"),
        (r#" ["a\"b\n",1]"#, "", r#"["a\"b\n",1]"#),
        ("[0, 1,2]", "[0,", "1,2]"),
        ("[1.0,2]", "[1", ",2]"),
        ("[0,1] ", "[0,1]", ""),
        (r#"{"1":0,"0":0}"#, r#"{"0":0,"1":0}"#, ""),
    ] {
        let Some(Restrung::Changed(changed)) = restrung(doc.as_bytes()) else {
            panic!("{doc}: changed");
        };
        assert_eq!(
            (&changed.head[..], changed.tail),
            (head.as_bytes(), tail.as_bytes())
        );
    }
}

#[test]
fn number_literals_kept_as_is_are_what_ryu_js_prints() {
    let mut rng = Rng(42);
    let mut kept = 0;
    for _ in 0..200_000 {
        let int = match rng.below(3) {
            0 => "0".to_owned(),
            _ => (1 + rng.next() % 10u64.pow(1 + rng.below(17) as u32)).to_string(),
        };
        let frac: String = (0..rng.below(12))
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        let sign = if rng.below(4) == 0 { "-" } else { "" };
        let lit = if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        };
        let frac_bytes = frac.as_bytes();
        if is_shortest(frac_bytes, int.len(), int == "0", !sign.is_empty()) {
            kept += 1;
            let n: f64 = lit.parse().expect("number");
            let printed = if n == 0.0 {
                "0".to_owned()
            } else {
                ryu_js::Buffer::new().format_finite(n).to_owned()
            };
            assert_eq!(printed, lit);
        }
    }
    assert!(kept > 50_000, "{kept}");
}

#[test]
fn output_key_array_index() {
    assert_eq!(array_index_out(b"\"0\""), Some(0));
    assert_eq!(array_index_out(b"\"4294967294\""), Some(4_294_967_294));
    for k in [
        "\"\"",
        "\"01\"",
        "\"4294967295\"",
        "\"1a\"",
        "\"-1\"",
        "\"99999999999\"",
    ] {
        assert_eq!(array_index_out(k.as_bytes()), None, "{k}");
    }
}

#[test]
fn arrays_of_integers_fast_loop() {
    for doc in [
        "[1,-0,2]",
        "[1, -1 ,2]",
        "[0,01]",
        "[0,-01]",
        "[0,-,1]",
        "[1,1234567890123456,1]",
        "[1,12345678901234567,1]",
        "[1,123456789012345,1]",
        "[1,-123456789012345,-1]",
        "[0,0.5,0e1,0E1,1.0,-0]",
        "[0,  0,\t0, \n0,0 ,0]",
        "[0, ]",
        "[0,0,]",
        "[0,0",
        "[0,0,0,",
        "[ 0 , 0 ]",
    ] {
        assert_eq!(
            restringify(doc.as_bytes()),
            reference::restringify(doc.as_bytes()),
            "{doc}"
        );
    }
}

#[test]
fn stream_matches_tree_on_random_fragments() {
    // Random concatenations of JSON fragments, mostly invalid: both implementations must agree
    // on every input (same bytes, or both `None`).
    const FRAGMENTS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\t",
        "\"a\"",
        "\"1\"",
        "\"0\"",
        "\"01\"",
        "\"\\u0031\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\\\\"",
        "\"\\/\"",
        "\"é\"",
        "\"😀\"",
        "0",
        "-0",
        "1",
        "-1",
        "12",
        "1.5",
        "1.50",
        "1e2",
        "1E-7",
        "0.0000001",
        "123456789012345",
        "1234567890123456",
        "true",
        "false",
        "null",
        "\"",
        "\\",
        "-",
        ".",
        "e",
        "x",
        "\u{0}",
        "\"a\":",
        "\"1\":",
        "\"0\":",
        "{\"b\":1,\"b\":2}",
        "{\"2\":0,\"1\":0}",
        ", ",
        ": ",
    ];
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let mut agree_some = 0;
    for _ in 0..100_000 {
        let n = 1 + rng.below(24);
        let doc: String = (0..n).map(|_| *rng.pick(FRAGMENTS)).collect();
        let want = reference::restringify(doc.as_bytes());
        assert_eq!(restringify(doc.as_bytes()), want, "input {doc:?}");
        agree_some += usize::from(want.is_some());
    }
    assert!(agree_some > 1_000, "too few valid documents: {agree_some}");
}

#[test]
fn spaced_integer_arrays_match_tree() {
    // Long `int, int, …` arrays (the block-copy loop needs 17 bytes ahead), with every kind of
    // item and separator mixed in, and every prefix of some of them.
    const ITEMS: &[&str] = &[
        "0",
        "7",
        "42",
        "-1",
        "-0",
        "00",
        "01",
        "123456789012345",
        "1234567890123456",
        "12345678901234567",
        "0.5",
        "1e5",
        "1.0",
        "\"s\"",
        "[]",
        "",
    ];
    const SEPARATORS: &[&str] = &[", ", ", ", ", ", ",  ", ",", ", \t", " ,", ",\n", ",   "];
    let mut rng = Rng(0x5EED_0F1A_7500);
    for round in 0..3000 {
        let mut doc = String::from("[");
        let items = 1 + rng.below(40);
        for i in 0..items {
            if i > 0 {
                doc.push_str(rng.pick::<&str>(SEPARATORS));
            }
            // Mostly plain integers, so long runs of the fast loop occur.
            let item = if rng.below(4) == 0 {
                *rng.pick(ITEMS)
            } else {
                *rng.pick(&ITEMS[..3])
            };
            doc.push_str(item);
        }
        if rng.below(8) != 0 {
            doc.push(']');
        }
        assert_eq!(
            restringify(doc.as_bytes()),
            reference::restringify(doc.as_bytes()),
            "{doc}"
        );
        if round % 50 == 0 {
            for end in 0..doc.len() {
                assert_eq!(
                    restringify(&doc.as_bytes()[..end]),
                    reference::restringify(&doc.as_bytes()[..end]),
                    "{}",
                    &doc[..end]
                );
            }
        }
    }
}

#[test]
fn object_arrays_match_tree() {
    // Arrays of objects, pretty-printed or not (the members loop reads members and goes from
    // one object to the next itself), with keys that are alike, duplicates, array indices,
    // escaped or long, values it takes and values it leaves to the main loop, and broken
    // separators; every prefix of some of them.
    const KEYS: &[&str] = &[
        "\"n\"",
        "\"name\"",
        "\"ok\"",
        "\"x\"",
        "\"0\"",
        "\"1\"",
        "\"10\"",
        "\"01\"",
        "\"\\u0061\"",
        "\"a\"",
        "\"abcdefg\"",
        "\"abcdefgh\"",
        "\"abcdefghi\"",
        "\"abcdefgX\"",
        "\"a key longer than sixteen bytes\"",
        "\"\"",
        "n",
    ];
    const VALUES: &[&str] = &[
        "0",
        "42",
        "-7",
        "0.5",
        "-0.25",
        "-0",
        "1.0",
        "1e5",
        "00",
        "0.0000001",
        "123456789012345",
        "1234567890123456",
        "true",
        "false",
        "null",
        "nul",
        "\"signer 1\"",
        "\"a string longer than sixteen bytes\"",
        "\"esc\\n\"",
        "[]",
        "[1, 2]",
        "{}",
        "{\"a\": 1, \"a\": 2}",
        "{ }",
    ];
    let mut rng = Rng(0x0B1E_C7A2_2A75);
    for round in 0..4000 {
        let pretty = rng.below(3) != 0;
        let (nl, ind) = if pretty { ("\n", "  ") } else { ("", "") };
        let mut doc = format!("[{nl}");
        let objects = 1 + rng.below(6);
        for o in 0..objects {
            if o > 0 {
                doc.push_str(if rng.below(30) == 0 { " " } else { "," });
                doc.push_str(nl);
            }
            if rng.below(12) == 0 {
                doc.push_str(rng.pick::<&str>(VALUES));
                continue;
            }
            doc.push_str(&format!("{ind}{{"));
            let members = rng.below(6);
            for m in 0..members {
                if m > 0 {
                    doc.push_str(if rng.below(40) == 0 { "" } else { "," });
                }
                let key = if rng.below(3) == 0 {
                    *rng.pick(KEYS)
                } else {
                    *rng.pick(&KEYS[..4])
                };
                let value = if rng.below(3) == 0 {
                    *rng.pick(VALUES)
                } else {
                    *rng.pick(&VALUES[..5])
                };
                let colon = if pretty { ": " } else { ":" };
                doc.push_str(&format!("{nl}{ind}{ind}{key}{colon}{value}"));
            }
            if rng.below(40) == 0 {
                doc.push(',');
            }
            doc.push_str(&format!("{nl}{ind}}}"));
        }
        if rng.below(8) != 0 {
            doc.push_str(&format!("{nl}]"));
        }
        assert_eq!(
            restringify(doc.as_bytes()),
            reference::restringify(doc.as_bytes()),
            "{doc}"
        );
        if round % 40 == 0 {
            for end in 0..doc.len() {
                assert_eq!(
                    restringify(&doc.as_bytes()[..end]),
                    reference::restringify(&doc.as_bytes()[..end]),
                    "{}",
                    &doc[..end]
                );
            }
        }
    }
}

#[test]
fn reprinted_numbers_match_tree() {
    // Literals that are not already in `Number::toString` form, with the digit-moving printer
    // (`print_short`: at most 15 significant digits, point position within ±290) and around its
    // limits: leading and trailing zeros on both sides of the point, exponents of any sign and
    // size (with leading zeros), near the point where the output turns exponential, subnormal
    // and overflowing values; in arrays, so the other paths see them too.
    let mut rng = Rng(0x5EED_1E2F);
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| {
                // Zeros often, so leading and trailing ones come up.
                if rng.below(3) == 0 {
                    '0'
                } else {
                    char::from(b'0' + rng.below(10) as u8)
                }
            })
            .collect()
    };
    for _ in 0..20_000 {
        let mut doc = String::from("[");
        for i in 0..1 + rng.below(8) {
            if i > 0 {
                doc.push_str(if rng.below(2) == 0 { "," } else { ", " });
            }
            if rng.below(4) == 0 {
                doc.push('-');
            }
            let int = match rng.below(4) {
                0 => "0".to_owned(),
                _ => {
                    let n = rng.below(24);
                    let rest = digits(&mut rng, n);
                    format!("{}{rest}", 1 + rng.below(9))
                }
            };
            doc.push_str(&int);
            if rng.below(2) == 0 {
                doc.push('.');
                let n = 1 + rng.below(22);
                doc.push_str(&digits(&mut rng, n));
            }
            if rng.below(2) == 0 {
                doc.push_str(rng.pick::<&str>(&["e", "E"]));
                doc.push_str(rng.pick::<&str>(&["", "+", "-"]));
                let exp = match rng.below(5) {
                    0 => rng.below(10).to_string(),
                    1 => rng.below(30).to_string(),
                    2 => (270 + rng.below(60)).to_string(),
                    3 => format!("00{}", rng.below(400)),
                    _ => rng.below(100_000).to_string(),
                };
                doc.push_str(&exp);
            }
        }
        doc.push(']');
        assert_eq!(
            restringify(doc.as_bytes()),
            reference::restringify(doc.as_bytes()),
            "{doc}"
        );
    }
    for lit in [
        "1.0",
        "1e2",
        "0.50",
        "-0",
        "-0.0",
        "0e5",
        "1E+2",
        "1e21",
        "1e20",
        "123e18",
        "1e-6",
        "1e-7",
        "0.000001",
        "0.0000001",
        "12.5e-7",
        "1.5e300",
        "1e290",
        "1e291",
        "1e-290",
        "1e-291",
        "1e-320",
        "1e309",
        "-1e309",
        "100000000000000000000",
        "1000000000000000000000",
        "123456789012345e6",
        "1234567890123456e6",
        "0.1e-5",
        "0.01e-4",
        "-5e-0",
        "1e0000000000002",
    ] {
        assert_eq!(
            restringify(lit.as_bytes()),
            reference::restringify(lit.as_bytes()),
            "{lit}"
        );
    }
}

/// The fast paths added with the work budget: indentation of tabs, mixed or 8–15 bytes
/// predicted from the previous member line, CRLF lines, short strings in the `int_run` loop.
#[test]
fn predicted_indentation_and_string_items_match_the_reference() {
    let cases: &[&[u8]] = &[
        b"{\n\t\"a\": 1,\n\t\"b\": 2,\n\t\"c\": {\n\t\t\"d\": 3,\n\t\t\"e\": 4\n\t}\n}",
        b"{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n",
        b"{\n          \"a\": 1,\n          \"b\": 2,\n          \"c\": 3,\n         \"d\": 4,\n           \"e\": 5\n}",
        b"{\n               \"a\": 1,\n               \"b\": 2,\n                \"c\": 3\n}",
        b"{\n \t\"a\": 1,\n \t\"b\": 2,\n\t \"c\": 3,\n\n \t\"d\": 4\n}",
        b"{\n  \"a\": 1,\n  \"b\": 2,\n  \n  \"c\": 3,\n  \"a\": 4\n}",
        b"{\n  \"1\": 1,\n  \"0\": 2\n}",
        br#"["x", "y", "", "0123456789abc", "0123456789abcd", "0123456789abcdef", "z"]"#,
        br#"["x", "\u0041", "y", 1, "z", 1.0, "w" , "v"]"#,
        br#"["x","y",1,"z",-1,"\n",0,"a"]"#,
        br#"["x", "y"  ,"z",  "w"]"#,
        br#"[1, "a", {"b": "c"}, "d", ["e", "f"], "g"]"#,
        b"[\"a\", \"b\x01\", \"c\"]",
        b"[\"a\", \"b",
        b"[\"a\", \"b\"",
        b"[\"a\", \"b\",",
        b"1 ]",
        b"1\n]",
        b" }",
        b"\n}",
        b"{} \n}",
        b"[\r\n  1\r\n]",
        b"[\r]",
    ];
    for &case in cases {
        assert_eq!(
            restringify(case),
            reference::restringify(case),
            "{}",
            String::from_utf8_lossy(case)
        );
    }
    // Every prefix too (the fast paths read up to 16 bytes ahead of the cursor).
    for &case in cases {
        for end in 0..case.len() {
            assert_eq!(
                restringify(&case[..end]),
                reference::restringify(&case[..end])
            );
        }
    }
}

/// A document event as `JSON.stringify(event, null, indent)` prints it, ids, timestamps,
/// strings with escapes, a few floats, nested signers: what a Chaindoc delivery looks like
/// once a proxy has pretty-printed it. Without `newline`: Python's default `", "` and `": "`.
fn pretty_event(indent: &str, newline: &str) -> String {
    pretty_json(EVENT, indent, newline)
}

const EVENT: &str = r#"{"id":"evt_00000042","event":"document.signed","createdAt":"2026-12-01T10:42:00.000Z","data":{"document":{"id":"doc_7f3a42","title":"Lease \"Flat 42\"","status":"signed","pages":3,"tags":["lease","2026"],"note":"line one\nline two"},"signers":[{"email":"ann@example.com","name":"Ann Müller","signedAt":"2026-12-01T10:00:02Z","field":{"page":1,"x":0.25,"y":0.5}},{"email":"bob@example.com","name":"Bob","signedAt":null,"field":{"page":2,"x":0.125,"y":0.75}}],"amount":1250.5,"currency":"EUR","test":false}}"#;

/// `compact` (minified JSON without empty containers) printed with `indent` and `newline`.
fn pretty_json(compact: &str, indent: &str, newline: &str) -> String {
    let mut out = String::new();
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    let line = |out: &mut String, depth: usize| {
        out.push_str(newline);
        out.push_str(&indent.repeat(depth));
    };
    for c in compact.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                depth += 1;
                line(&mut out, depth);
            }
            '}' | ']' => {
                depth -= 1;
                line(&mut out, depth);
                out.push(c);
            }
            ',' if newline.is_empty() => out.push_str(", "),
            ',' => {
                out.push(c);
                line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Genuine deliveries stay below the budget. One document event (~560–710 bytes, objects
/// nested three deep, escapes), pretty-printed (2 or 4 spaces, a tab, CRLF lines) or with
/// Python's `", "` and `": "` separators, spends under half its budget (the floor of 2048
/// units); a batch of 12 or 40 of them (~7–10 and ~22–33 KiB) at most 0.85 units per byte
/// (0.4–0.82 measured: the small objects, one every ~80 bytes, and escapes; the whitespace
/// costs ~0.05). The event and the batch of 12 re-serialize within the budget; over the second
/// MAC's floor, the batch of 40 may not (`a_dear_second_mac_is_refused_over_its_floor`).
#[test]
fn pretty_printed_events_spend_a_fraction_of_the_budget() {
    let shapes = [
        ("  ", "\n"),
        ("    ", "\n"),
        ("\t", "\n"),
        ("  ", "\r\n"),
        ("", ""),
    ];
    for (indent, newline) in shapes {
        let one = pretty_event(indent, newline);
        let batch = |n| pretty_json(&format!("[{}]", vec![EVENT; n].join(",")), indent, newline);
        let (few, many) = (batch(12), batch(40));
        assert!(few.len() < budget::SECOND_MAC_FLOOR);
        for (body, most, verifies) in [
            (&one, budget::limit(one.len()) / 2, true),
            (&few, few.len() * 17 / 20, true),
            (&many, many.len() * 17 / 20, false),
        ] {
            let work = work_units(body.as_bytes()).expect("valid JSON");
            assert!(
                work <= most,
                "{work} units for {} bytes:\n{body}",
                body.len()
            );
            if verifies {
                assert!(
                    restringify_bounded(body.as_bytes()).map(|r| r.into_vec(body.as_bytes()))
                        == reference::restringify(body.as_bytes()),
                    "{indent:?} {newline:?}, {} bytes",
                    body.len()
                );
            }
        }
    }
}

/// Over its floor (16 KiB), the fallback MACs an output that differs from the body only when
/// the pass and that MAC together cost at most two HMACs of the body (`budget::second_mac_fits`),
/// so that a forged request costs at most 3× a valid one. Compact events with one space in
/// front (a full pass, then a MAC as long as the body: 3.8× before the rule) are refused from
/// about 15 KiB on and verified below that; the same events without the space need no second MAC
/// and re-serialize at any size within the budget; a body whose output is much shorter than it
/// (whitespace dropped) still verifies far over the floor. Through the verifier too: a body
/// correctly signed over its re-serialization fails as a mismatch when refused.
#[test]
fn a_dear_second_mac_is_refused_over_its_floor() {
    use crate::{ErrorCode, SignOptions, Verifier, sign};
    let events = |n: usize| format!("[{}]", vec![EVENT; n].join(","));
    let spaced = |n: usize| format!(" {}", events(n));
    let dropped = format!("[0{}]", " ".repeat(100_000));
    let cases = [
        (spaced(1), true),
        (spaced(20), true),
        (spaced(45), false),
        (spaced(400), false),
        (dropped, true),
    ];
    let verifier = Verifier::new("chaindoc", ["second_mac_secret"]).expect("verifier");
    let at = 1_767_225_600;
    for (body, fits) in cases {
        let canonical = restringify(body.as_bytes()).expect("valid JSON");
        assert_ne!(canonical, body.as_bytes());
        assert_eq!(
            restringify_bounded(body.as_bytes()).is_some(),
            fits,
            "{} bytes",
            body.len()
        );
        let headers = sign(
            "chaindoc",
            b"second_mac_secret",
            &canonical,
            &SignOptions::at(at),
        )
        .expect("signs");
        let result = verifier.verify_at(&headers, body.as_bytes(), at);
        if fits {
            assert_eq!(&result.expect("verifies").payload[..], &canonical[..]);
        } else {
            let error = result.expect_err("refused");
            assert_eq!(error.code(), ErrorCode::SignatureMismatch);
        }
    }
    // Canonical bodies need no second MAC: any size within the budget re-serializes.
    let canonical = events(400);
    assert!(matches!(
        restringify_bounded(canonical.as_bytes()),
        Some(Restrung::Same)
    ));
}

/// The verifier's fallback at its budget's edge: a correctly signed body whose canonical form
/// differs from it verifies when the pass spends exactly its limit, and is refused like any
/// other mismatch one unit of allowance below (the same bytes minus one padding byte).
#[test]
fn the_fallback_budget_edge_verifies_under_and_refuses_over() {
    use crate::{ErrorCode, SignOptions, Verifier, sign};
    let verifier = Verifier::new("chaindoc", ["budget_edge_secret"]).expect("verifier");
    let numbers = ",1.0".repeat(64);
    let body_with = |pad: usize| format!("[\"{}\"{numbers}]", "a".repeat(pad));
    // A string without escapes costs nothing: the work is the same for every padding.
    let work = work_units(body_with(0).as_bytes()).expect("valid JSON");
    assert_eq!(work_units(body_with(5000).as_bytes()), Some(work));
    let base = body_with(0).len();
    assert!(
        budget::limit(base) < work,
        "64 numbers must exceed a short body's budget"
    );
    // Padding that makes the limit exactly the work.
    let pad = (0..work)
        .find(|&p| budget::limit(base + p) == work)
        .expect("edge");
    for (pad, ok) in [(pad, true), (pad - 1, false)] {
        let body = body_with(pad);
        let canonical = restringify(body.as_bytes()).expect("valid JSON");
        assert_ne!(canonical, body.as_bytes());
        let headers = sign(
            "chaindoc",
            b"budget_edge_secret",
            &canonical,
            &SignOptions::at(1_767_225_600),
        )
        .expect("signs");
        let result = verifier.verify_at(&headers, body.as_bytes(), 1_767_225_600);
        if ok {
            let verified = result.expect("within the budget");
            assert_eq!(&verified.payload[..], &canonical[..]);
        } else {
            assert_eq!(
                result.expect_err("over the budget").code(),
                ErrorCode::SignatureMismatch
            );
        }
        assert_eq!(restringify_bounded(body.as_bytes()).is_some(), ok);
    }
}

/// Every costly step is charged: a body made of one of them in bulk is refused, the same body
/// without the budget still re-serializes.
#[test]
fn each_costly_step_counts_against_the_budget() {
    for item in [
        "1.0",
        "1e-310",
        "0.1000000000000001",
        r#""\n\t""#,
        "[[[0]]]",
        r#"{"a":{"b":0}}"#,
        " 0 ",
        r#"{"1":0,"0":1}"#,
    ] {
        let body = format!("[{}]", vec![item; 2000].join(","));
        assert!(restringify(body.as_bytes()).is_some(), "{item}");
        assert!(restringify_bounded(body.as_bytes()).is_none(), "{item}");
    }
}

/// The member loop's branch-free string end agrees with `short_string` wherever it finds one,
/// and finds one whenever sixteen bytes follow the quote and `short_string` does; so do its key
/// ends, whose first words are the key's first eight bytes.
#[test]
fn short_string_even_agrees() {
    use super::string::{short_key_even, short_string, short_string_even};
    let alphabet = [b'a', b'"', b'\\', b'\n', 0x1f, b' ', 0xc3, 0xa9];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..200_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = 1 + (state >> 59) as usize % 24;
        let mut input = vec![b'"'];
        let mut bits = state;
        for i in 0..len {
            if i % 10 == 9 {
                bits = bits.rotate_left(29) ^ state;
            }
            // Mostly plain bytes, so that ends fall anywhere in the two words.
            let pick = (bits & 0x3f) as usize;
            input.push(if pick < 8 { alphabet[pick] } else { b'a' });
            bits >>= 6;
        }
        let (old, even) = (short_string(&input, 0), short_string_even(&input, 0));
        if let Some(end) = even {
            assert_eq!(old, Some(end), "{input:?}");
        } else if input.len() >= 17 {
            assert_eq!(old, None, "{input:?}");
        }
        let head = |end: usize| {
            let mut word = [0; 8];
            let n = end.min(8);
            word[..n].copy_from_slice(&input[..n]);
            u64::from_le_bytes(word)
        };
        let whole = old.map(|end| (end, head(end)));
        assert_eq!(short_key_even(&input, 0).or(whole), whole, "{input:?}");
        if input.len() >= 17 {
            assert_eq!(short_key_even(&input, 0), whole, "{input:?}");
        }
    }
}

/// Random documents (duplicates, index keys, escapes, nesting) pretty-printed: the member loop
/// reads nested objects itself, and closes them (reordered or not) into the object around them.
#[test]
fn pretty_printed_random_docs_match_the_tree() {
    let mut rng = Rng(0x5EED_C0FF_EE00_0001);
    for i in 0..3_000 {
        let mut doc = String::new();
        let depth = 1 + rng.below(6);
        random_doc(&mut rng, depth, &mut doc);
        let (indent, newline) = [("  ", "\n"), ("\t", "\n"), ("    ", "\r\n"), ("", "")][i % 4];
        let pretty = pretty_json(&doc, indent, newline);
        assert_eq!(
            restringify(pretty.as_bytes()),
            reference::restringify(pretty.as_bytes()),
            "input {pretty:?}"
        );
    }
    // Objects nested in members, up to the depth limit and past it.
    for n in [MAX_DEPTH, MAX_DEPTH + 1] {
        let doc = pretty_json(
            &format!("{}null{}", "{\"a\":".repeat(n), "}".repeat(n)),
            " ",
            "\n",
        );
        assert_eq!(
            restringify(doc.as_bytes()),
            reference::restringify(doc.as_bytes())
        );
        assert_eq!(restringify(doc.as_bytes()).is_some(), n == MAX_DEPTH);
    }
}

/// The SSE2 string ends (x86_64) give the SWAR forms' answers, ends anywhere in the sixteen
/// bytes or past them, with every kind of special byte and inputs shorter than sixteen bytes.
#[test]
fn sse2_string_ends_agree() {
    use super::string::{
        short_key_even, short_key_even_swar, short_string_even, short_string_even_swar,
    };
    let alphabet = [
        b'a', b'"', b'\\', b'\n', 0x1f, 0x00, b' ', 0x20, 0x7f, 0x80, 0xc3, 0xff,
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..300_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = (state >> 58) as usize % 26;
        let mut input = vec![b'"'];
        let mut bits = state;
        for i in 0..len {
            if i % 8 == 7 {
                bits = bits.rotate_left(29) ^ state.rotate_left(i as u32);
            }
            let pick = (bits & 0x3f) as usize;
            input.push(if pick < alphabet.len() {
                alphabet[pick]
            } else {
                b'a' + (pick % 26) as u8
            });
            bits >>= 6;
        }
        assert_eq!(
            short_string_even(&input, 0),
            short_string_even_swar(&input, 0),
            "{input:?}"
        );
        assert_eq!(
            short_key_even(&input, 0),
            short_key_even_swar(&input, 0),
            "{input:?}"
        );
    }
}
