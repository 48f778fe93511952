//! Header access without building a map: bindings hand over whatever they hold.

/// A source of request headers, looked up by name, ASCII case-insensitively.
///
/// Implemented for slices, arrays and vectors of `(name, value)` pairs whose parts are
/// `&str`, `String`, `&[u8]` or `Vec<u8>`. A binding can implement it directly on its own
/// header container to avoid copying.
///
/// ```
/// use hooksig::Headers;
/// let h = [("X-Thing", "a"), ("x-thing", "b")];
/// let mut seen = Vec::new();
/// h.for_each_value("X-THING", &mut |v| seen.push(v.to_vec()));
/// assert_eq!(seen, vec![b"a".to_vec(), b"b".to_vec()]);
/// ```
pub trait Headers {
    /// Calls `f` with the raw value of every header called `name`, in order.
    fn for_each_value<'a>(&'a self, name: &str, f: &mut dyn FnMut(&'a [u8]));
}

impl<N: AsRef<[u8]>, V: AsRef<[u8]>> Headers for [(N, V)] {
    fn for_each_value<'a>(&'a self, name: &str, f: &mut dyn FnMut(&'a [u8])) {
        for (n, v) in self {
            if n.as_ref().eq_ignore_ascii_case(name.as_bytes()) {
                f(v.as_ref());
            }
        }
    }
}

impl<N: AsRef<[u8]>, V: AsRef<[u8]>, const K: usize> Headers for [(N, V); K] {
    fn for_each_value<'a>(&'a self, name: &str, f: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, f)
    }
}

impl<N: AsRef<[u8]>, V: AsRef<[u8]>> Headers for Vec<(N, V)> {
    fn for_each_value<'a>(&'a self, name: &str, f: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, f)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn for_each_value<'a>(&'a self, name: &str, f: &mut dyn FnMut(&'a [u8])) {
        (**self).for_each_value(name, f)
    }
}

/// Strips the spaces and tabs HTTP allows around a field value.
pub(crate) fn trim(value: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = value.iter().position(|b| !is_ows(b)).unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

/// Splits a header value on one byte with `memchr` (the plain byte loop of `<[u8]>::split` showed up as a
/// tenth of a 64-byte verification in the profile).
pub(crate) fn split(value: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(value);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(separator, r) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The first non-empty (trimmed) value of a header.
pub(crate) fn first_value<'h, H: Headers + ?Sized>(headers: &'h H, name: &str) -> Option<&'h [u8]> {
    let mut found = None;
    headers.for_each_value(name, &mut |v| {
        let v = trim(v);
        if found.is_none() && !v.is_empty() {
            found = Some(v);
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_strips_spaces_and_tabs_only() {
        assert_eq!(trim(b" \tabc \t"), b"abc");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b"\nabc"), b"\nabc");
    }
}
