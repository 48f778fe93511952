//! V8's member order: duplicate keys (first position, last value) and array-index keys first,
//! recorded when an object closes and applied in the final copying pass.

use super::budget;
use super::stream::{Member, Stream};

/// Objects up to this many members are checked for duplicate keys pairwise;
/// larger ones through a hash table.
const PAIRWISE_MAX: usize = 8;

/// A member in its final position: key span (quotes and `:` included) and value span.
#[derive(Clone, Copy)]
pub(super) struct Placed {
    key: u32,
    key_end: u32,
    value: u32,
    end: u32,
}

/// An object whose members must be written in another order: its span in the
/// output as scanned (`{` to `}` included) and its members in V8 order
/// (`placed[first..first + len]`).
#[derive(Clone, Copy)]
pub(super) struct Reordered {
    pub(super) start: u32,
    end: u32,
    first: u32,
    len: u32,
}

/// Whether an object with `members` is certainly left as written: fewer than two members, or
/// a few whose prints show that no key can be an array index (see [`Stream::close_object`])
/// and that no two keys are alike (see [`Stream::duplicates`]). Decided without branches,
/// the common case of the close check.
#[inline(always)]
pub(super) fn plain_close(members: &[Member]) -> bool {
    let n = members.len();
    if n < 2 {
        return true;
    }
    if n > PAIRWISE_MAX {
        return false;
    }
    // Keys with different prints differ; keys with equal prints are only suspects, left to
    // the full check.
    let mut suspect = false;
    for (j, mj) in members.iter().enumerate() {
        suspect |= ((mj.print >> 8) as u8).is_ascii_digit();
        for mi in &members[..j] {
            suspect |= mi.print == mj.print;
        }
    }
    !suspect
}

impl Stream<'_> {
    /// The output bytes of the member key at `m` (quotes included, `:` excluded).
    fn key_bytes(&self, m: Member) -> &[u8] {
        &self.out[m.key as usize..m.value as usize - 1]
    }

    /// The length of the member key at `m` and its print: equal keys have equal prints.
    #[inline]
    fn key_print(m: Member) -> (u32, u32) {
        (m.value - 1 - m.key, m.print)
    }

    /// An object's `}` was just consumed: its members are `members[base..]`.
    /// Records a reorder when V8 would print the members in another order or
    /// fewer of them (duplicate keys), then forgets the members.
    pub(super) fn close_object(&mut self, start: u32, base: usize) -> Option<()> {
        let n = self.members.len() - base;
        if plain_close(&self.members[base..]) {
            self.members.truncate(base);
            return Some(());
        }
        if n >= 2 {
            self.work += n * budget::MEMBER_CHECKED;
            // Only a key whose first character is a digit can be an array index: most objects
            // have none, and their order check ends here (the print's second byte is that
            // character, or the closing quote).
            let digit_key = self.members[base..]
                .iter()
                .any(|m| ((m.print >> 8) as u8).is_ascii_digit());
            let mut in_order = true;
            if digit_key {
                // Key bytes must be in `out` to be compared.
                self.flush_to(self.pos);
                let mut last_index: Option<u32> = None;
                let mut seen_other = false;
                for m in &self.members[base..] {
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
            // Keys are compared by length and print first (equal keys have equal prints), so
            // distinct keys rarely need a byte comparison, or `out`.
            let ms = &self.members[base..];
            let mut prints = [(0u32, 0u32); PAIRWISE_MAX];
            for (p, &m) in prints.iter_mut().zip(ms) {
                *p = Self::key_print(m);
            }
            let mut alike = false;
            for j in 1..n {
                for i in 0..j {
                    alike |= prints[i] == prints[j];
                }
            }
            if !alike {
                return None;
            }
            self.flush_to(self.pos);
            let ms = &self.members[base..];
            let dup = (1..n).any(|j| {
                (0..j).any(|i| {
                    prints[i] == prints[j] && self.key_bytes(ms[i]) == self.key_bytes(ms[j])
                })
            });
            return dup.then(|| self.first_of(base));
        }
        self.flush_to(self.pos);
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

    /// Copies `out[from..to]` into `result`, writing every reordered object inside
    /// it in its final order (recursing once per nested reordered level, at most
    /// [`MAX_DEPTH`](super::MAX_DEPTH)).
    pub(super) fn emit(&self, result: &mut Vec<u8>, from: u32, to: u32) {
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

/// The value of an output key (quotes included) if it is a canonical array
/// index: the decimal string of an integer in `0..=2^32-2` without leading
/// zeros ("0", "10"; not "01", "-1", "4294967295"). V8 stores those as
/// elements and enumerates them first. (An escaped digit in the input is a
/// raw digit in the output, so the output form decides.)
pub(super) fn array_index(key: &[u8]) -> Option<u32> {
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
