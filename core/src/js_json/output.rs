//! The output buffer the streaming pass writes into.

/// Appends `input[from..to]` to `out`.
#[inline(always)]
pub(super) fn push_run(out: &mut OutBuf, input: &[u8], from: usize, to: usize) {
    out.extend_from_input(input, from, to);
}

/// The output under construction: a zero-filled buffer and the length written so far. Unlike a
/// `Vec`'s spare capacity, the bytes past the length can be written without `unsafe`, so short
/// runs are copied as one fixed-size block whose surplus the next write overwrites.
#[derive(Default)]
pub(super) struct OutBuf {
    pub(super) buf: Vec<u8>,
    pub(super) len: usize,
}

/// Room kept past the length for fixed-size block copies.
const SLACK: usize = 32;

impl OutBuf {
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
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
    pub(super) fn ensure(&mut self, more: usize, input_rest: usize) {
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
    pub(super) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.ensure(bytes.len(), 0);
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    #[inline]
    pub(super) fn push(&mut self, b: u8) {
        self.ensure(1, 0);
        self.buf[self.len] = b;
        self.len += 1;
    }

    pub(super) fn into_vec(mut self) -> Vec<u8> {
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
