//! Word-at-a-time (SWAR) scans over the input: plain string bytes and JSON whitespace; on
//! x86_64 a 16-byte SSE2 test (`sse2`, through `safe_arch`: no `unsafe` here) for the string
//! ends of the member loop.

/// Index just past a run of string bytes that need no attention: stops at `"`,
/// `\`, a control character (< 0x20) or the end. Eight bytes at a time.
#[inline(always)]
pub(super) fn plain_run(bytes: &[u8], i: usize) -> usize {
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
pub(super) fn special_bytes(word: u64) -> u64 {
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
pub(super) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Index just past a run of JSON whitespace starting at `i`. The usual run (the rest of an
/// indentation, or nothing after `: `) ends within eight bytes: that word is checked inline.
#[inline(always)]
pub(super) fn ws_run(bytes: &[u8], i: usize) -> usize {
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

/// SSE2 (baseline on x86_64) forms of the scans, through `safe_arch`'s safe wrappers.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(super) mod sse2 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, m128i, min_u8_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };

    /// Bit `k` set when byte `k` of `block` is `"`, `\` or a control character (< 0x20);
    /// and the same for `"` alone.
    #[inline(always)]
    pub(in super::super) fn special_mask(block: [u8; 16]) -> (u32, u32) {
        let v = m128i::from(block);
        let quote = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'"' as i8));
        let backslash = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'\\' as i8));
        // `min(v, 0x1f) == v` exactly when `v <= 0x1f` (unsigned).
        let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, set_splat_i8_m128i(0x1f)), v);
        let any = bitor_m128i(bitor_m128i(quote, backslash), control);
        (
            move_mask_i8_m128i(any) as u32,
            move_mask_i8_m128i(quote) as u32,
        )
    }
}

/// The sixteen bytes at `i`, if there are sixteen.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(super) fn block_at(bytes: &[u8], i: usize) -> Option<[u8; 16]> {
    bytes.get(i..i + 16)?.try_into().ok()
}
