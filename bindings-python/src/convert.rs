//! Python values in, core types out: headers, bodies, secrets, options.
//!
//! Wrong *types* and out-of-range numbers raise `hooksig.InvalidArgument` (a `TypeError` and an
//! `InvalidConfig`: a programming mistake that mypy catches statically); every *value* of an
//! accepted type — any header text, any body bytes — goes to the core, so request content can
//! only ever produce a hooksig error. Options are taken as `&Bound<PyAny>` (or [`Arg`]) and
//! converted here rather than by pyo3, whose own conversion errors are plain `TypeError`s.

use std::borrow::Cow;

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyByteArrayMethods, PyBytes, PyDict, PyList, PyString, PyTuple,
};
use zeroize::Zeroizing;

use crate::errors::{invalid_argument, invalid_secret, retype};

/// An argument with a non-`None` default, handed over by pyo3 unconverted (its extraction never
/// fails) so that a wrong type raises `InvalidArgument`, and an explicit `None` is told apart
/// from an omitted argument. Default it with `Arg::omitted()` in `#[pyo3(signature = ...)]`.
pub struct Arg<'py>(Option<Bound<'py, PyAny>>);

impl Arg<'_> {
    pub fn omitted() -> Self {
        Arg(None)
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Arg<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Arg(Some(obj.to_owned())))
    }
}

/// The name of an object's type, for messages (never the value: it could be a secret).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// An `int` that fits in 64 bits (not a `bool`; anything with `__index__` is accepted).
pub fn int(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() {
        return Err(invalid_argument(
            py,
            format!("{name} must be an int, not bool"),
        ));
    }
    obj.extract::<i64>().map_err(|e| {
        if e.is_instance_of::<PyOverflowError>(py) {
            invalid_argument(py, format!("{name} must fit in a signed 64-bit integer"))
        } else {
            invalid_argument(py, format!("{name} must be an int, not {}", type_name(obj)))
        }
    })
}

/// A `str` option. Lone surrogates cannot be UTF-8 and are refused (options are configuration;
/// request content is never refused this way).
pub fn text<'a>(obj: &'a Bound<'_, PyAny>, name: &str) -> PyResult<Cow<'a, str>> {
    let py = obj.py();
    let s = obj.cast::<PyString>().map_err(|_| {
        invalid_argument(py, format!("{name} must be a str, not {}", type_name(obj)))
    })?;
    s.to_cow()
        .map_err(|_| invalid_argument(py, format!("{name} is not valid text (lone surrogate)")))
}

/// A `str` naming one of a few values (`parse`), else `InvalidArgument`: "`name` must be
/// `expected`".
pub fn choice<T>(
    obj: &Bound<'_, PyAny>,
    name: &str,
    parse: impl FnOnce(&str) -> Option<T>,
    expected: &str,
) -> PyResult<T> {
    parse(&text(obj, name)?)
        .ok_or_else(|| invalid_argument(obj.py(), format!("{name} must be {expected}")))
}

/// An option's type: an `int` ([`int`]), a `str` ([`text`]) or exactly a `bool` (`1` or
/// `"yes"` are refused).
pub trait Opt: Sized {
    fn read(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Self>;
}

impl Opt for i64 {
    fn read(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Self> {
        int(obj, name)
    }
}

impl Opt for String {
    fn read(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Self> {
        text(obj, name).map(Cow::into_owned)
    }
}

impl Opt for bool {
    fn read(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Self> {
        obj.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| {
            let kind = type_name(obj);
            invalid_argument(obj.py(), format!("{name} must be a bool, not {kind}"))
        })
    }
}

/// An option, with `None` (or an omitted argument) as `None`.
pub fn opt<T: Opt>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    obj.filter(|o| !o.is_none())
        .map(|o| T::read(o, name))
        .transpose()
}

/// [`text`], with `None` (or an omitted argument) as `None`.
pub fn opt_text<'a>(
    obj: Option<&'a Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<Cow<'a, str>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| text(o, name))
        .transpose()
}

impl Arg<'_> {
    /// The option, or `default` when omitted; an explicit `None` is a wrong type.
    pub fn or<T: Opt>(&self, name: &str, default: impl Into<T>) -> PyResult<T> {
        self.0
            .as_ref()
            .map_or(Ok(default.into()), |o| T::read(o, name))
    }
}

/// The `(name, value)` objects of a request's headers, type-checked, each a `str` or `bytes`
/// (pairs whose value is `None` are left out). Holding them keeps every name and value alive,
/// so [`HeaderObjects::pairs`] can lend their bytes without copying, for as long as the call
/// needs them, with or without the GIL (`str` and `bytes` are immutable).
pub struct HeaderObjects<'py>(Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>);

/// Header bytes borrowed from [`HeaderObjects`] (copied only for a `str` with a lone surrogate).
pub type HeaderPairs<'a> = Vec<(Cow<'a, [u8]>, Cow<'a, [u8]>)>;

impl HeaderObjects<'_> {
    /// The names and values as bytes, for the core's `Headers` (case-insensitive lookups).
    pub fn pairs(&self) -> HeaderPairs<'_> {
        self.0
            .iter()
            .map(|(name, value)| (part_bytes(name), part_bytes(value)))
            .collect()
    }
}

/// A request body, read without copying where the object allows it.
pub enum Body<'py> {
    /// Immutable: the bytes stay valid and unchanged while the GIL is released.
    Bytes(Bound<'py, PyBytes>),
    /// Mutable, read in place while the GIL is held (no Python code can run meanwhile).
    ByteArray(Bound<'py, PyByteArray>),
    /// Text encoded to UTF-8 (the encoding is a copy by nature).
    Owned(Vec<u8>),
}

impl Body<'_> {
    /// Whether the bytes may be read with the GIL released.
    pub fn is_immutable(&self) -> bool {
        !matches!(self, Body::ByteArray(_))
    }

    /// The bytes.
    ///
    /// For a bytearray, the caller must keep the GIL held for as long as it uses the slice:
    /// only Python code can resize or write a bytearray, and none runs while we hold the GIL
    /// and call no Python API (`verify` converts every input before touching the body).
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b.as_bytes(),
            // SAFETY: see above — the slice is only used under the GIL with no Python code
            // running (`is_immutable()` is false, so `verify` never detaches with it).
            Body::ByteArray(b) => unsafe { b.as_bytes() },
            Body::Owned(v) => v,
        }
    }
}

const BODY_TYPES: &str = "body must be bytes, bytearray, memoryview or str";

/// Extracts a body.
///
/// `memoryview`: the stable ABI for Python 3.9 has no buffer protocol (it entered the limited
/// API in 3.11, and on Windows `python3.dll` does not export it before), so a view is read
/// through its `obj` without copying when it covers a whole `bytes`/`bytearray` (the usual
/// `memoryview(data)`), and copied once with `tobytes()` otherwise (slices, other exporters).
pub fn body<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Body<'py>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Body::Bytes(b.clone()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Body::ByteArray(b.clone()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Body::Owned(text_bytes(s).into_owned().into_bytes()));
    }
    let py = obj.py();
    let memoryview = py.import("builtins")?.getattr("memoryview")?;
    if obj.is_instance(&memoryview)? {
        // A released view raises ValueError on every attribute: a wrong argument too.
        let read = || -> PyResult<Body<'py>> {
            if let Some(whole) = whole_object_view(obj)? {
                return Ok(whole);
            }
            let copy = obj.call_method0("tobytes")?;
            Ok(Body::Bytes(copy.cast_into::<PyBytes>()?))
        };
        return read().map_err(|e| {
            let new = invalid_argument(
                py,
                format!("body memoryview is not readable: {}", e.value(py)),
            );
            new.set_cause(py, Some(e));
            new
        });
    }
    Err(invalid_argument(
        py,
        format!("{BODY_TYPES}, not {}", type_name(obj)),
    ))
}

/// The `bytes`/`bytearray` behind a memoryview that spans all of it, byte for byte.
fn whole_object_view<'py>(view: &Bound<'py, PyAny>) -> PyResult<Option<Body<'py>>> {
    // A C-contiguous view of unsigned bytes whose size equals its object's length starts at
    // offset 0 and covers every byte, in order: reading the object reads the view.
    let contiguous: bool = view.getattr("c_contiguous")?.extract()?;
    let format: String = view.getattr("format")?.extract()?;
    if !contiguous || format != "B" {
        return Ok(None);
    }
    let nbytes: usize = view.getattr("nbytes")?.extract()?;
    let target = view.getattr("obj")?;
    if let Ok(b) = target.cast::<PyBytes>() {
        if b.as_bytes().len() == nbytes {
            return Ok(Some(Body::Bytes(b.clone())));
        }
    } else if let Ok(b) = target.cast::<PyByteArray>() {
        if b.len() == nbytes {
            return Ok(Some(Body::ByteArray(b.clone())));
        }
    }
    Ok(None)
}

/// UTF-8 of a str; lone surrogates (not encodable) become U+FFFD, which cannot verify.
fn text_bytes<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    s.to_cow().unwrap_or_else(|_| s.to_string_lossy())
}

/// A header name or value must be a `str` (read as UTF-8) or `bytes`.
fn check_part(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Ok(());
    }
    Err(invalid_argument(
        obj.py(),
        format!(
            "header {what}s must be str or bytes, not {}",
            type_name(obj)
        ),
    ))
}

/// The bytes of a part that [`check_part`] accepted.
fn part_bytes<'a>(obj: &'a Bound<'_, PyAny>) -> Cow<'a, [u8]> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Cow::Borrowed(b.as_bytes());
    }
    match obj.cast::<PyString>() {
        Ok(s) => str_utf8(s),
        Err(_) => Cow::Borrowed(&[]), // unreachable: checked by `check_part`
    }
}

#[cfg(not(windows))]
unsafe extern "C" {
    /// CPython's `PyUnicode_AsUTF8AndSize`: a public C API function in every CPython 3 (and part
    /// of the stable ABI since 3.10). pyo3 declares it only for `abi3-py310`+, so under our
    /// `abi3-py39` `PyString::to_cow` encodes into a new `bytes` object (an allocation and a
    /// copy per header part). On Linux and macOS an abi3 extension resolves its symbols against
    /// the running interpreter, which exports this function on every supported version; on
    /// Windows `python3.dll` exports it only from 3.10, so there the copying path is kept.
    #[link_name = "PyUnicode_AsUTF8AndSize"]
    fn unicode_as_utf8_and_size(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::ffi::c_char;
}

/// The UTF-8 of a `str`, borrowed from the string object when it can be (lone surrogates, which
/// have no UTF-8 form, become U+FFFD in a copy: such a header cannot verify).
fn str_utf8<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, [u8]> {
    #[cfg(not(windows))]
    {
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and we hold the GIL. On success CPython returns its UTF-8
        // form (the compact ASCII data itself, or a copy cached in the object), valid and
        // unchanged for as long as the object lives — `'a`, the borrow of `s` (a `str` is
        // immutable; the cache is freed only with the object).
        let data = unsafe { unicode_as_utf8_and_size(s.as_ptr(), &mut size) };
        if !data.is_null() {
            if let Ok(len) = usize::try_from(size) {
                // SAFETY: `data` points to `size` initialized bytes, valid for `'a` (above).
                return Cow::Borrowed(unsafe {
                    std::slice::from_raw_parts(data.cast::<u8>(), len)
                });
            }
        }
        // A lone surrogate: CPython set a UnicodeEncodeError; drop it and take the lossy path.
        drop(PyErr::take(s.py()));
    }
    match text_bytes(s) {
        Cow::Borrowed(t) => Cow::Borrowed(t.as_bytes()),
        Cow::Owned(t) => Cow::Owned(t.into_bytes()),
    }
}

/// Collects the `(name, value)` objects of a mapping (`.items()`, which for Starlette's
/// `Headers` and `email.message.Message` repeats a name per value) or an iterable of pairs,
/// checking the types of all of them. A value of `None` counts as an absent header. Only the
/// pairs whose name is one of `wanted` (ASCII case-insensitively, as the core compares them)
/// are kept: the core never looks at the others, so they need not be handed over.
pub fn headers<'py>(obj: &Bound<'py, PyAny>, wanted: &[Box<str>]) -> PyResult<HeaderObjects<'py>> {
    read_headers(obj, wanted).map_err(|e| retype(obj.py(), e, "headers"))
}

fn read_headers<'py>(obj: &Bound<'py, PyAny>, wanted: &[Box<str>]) -> PyResult<HeaderObjects<'py>> {
    let py = obj.py();
    const HEADER_TYPES: &str =
        "headers must be a mapping of str to str, or an iterable of (name, value) pairs";
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_none()
    {
        return Err(invalid_argument(
            py,
            format!("{HEADER_TYPES}, not {}", type_name(obj)),
        ));
    }
    let mut out = Vec::new();
    let mut push = |name: Bound<'py, PyAny>, value: Bound<'py, PyAny>| -> PyResult<()> {
        if !value.is_none() {
            check_part(&name, "name")?;
            check_part(&value, "value")?;
            let n = part_bytes(&name);
            if wanted.iter().any(|w| n.eq_ignore_ascii_case(w.as_bytes())) {
                drop(n);
                out.push((name, value));
            }
        }
        Ok(())
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        for (name, value) in d.iter() {
            push(name, value)?;
        }
        return Ok(HeaderObjects(out));
    }
    // A list or tuple of pairs has no `.items()`: skip the lookup (a failed `hasattr` builds
    // and discards an AttributeError, about a microsecond).
    let is_sequence = obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>();
    let pairs = if !is_sequence && obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        obj.clone()
    };
    let iter = pairs
        .try_iter()
        .map_err(|_| invalid_argument(py, format!("{HEADER_TYPES}, not {}", type_name(obj))))?;
    for item in iter {
        let item = item?;
        let (name, value) = if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(invalid_argument(py, HEADER_TYPES));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(l) = item.cast::<PyList>() {
            if l.len() != 2 {
                return Err(invalid_argument(py, HEADER_TYPES));
            }
            (l.get_item(0)?, l.get_item(1)?)
        } else {
            return Err(invalid_argument(py, HEADER_TYPES));
        };
        push(name, value)?;
    }
    Ok(HeaderObjects(out))
}

/// A secret: `str` (its UTF-8 bytes, decoded further by `secret_format`) or `bytes`. Never
/// echoed in any message. A `str` with a lone surrogate has no UTF-8 form: `InvalidSecret`.
pub fn secret(obj: &Bound<'_, PyAny>) -> PyResult<Zeroizing<Vec<u8>>> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.to_cow() {
            Ok(text) => Ok(Zeroizing::new(text.into_owned().into_bytes())),
            Err(_) => Err(invalid_secret(
                py,
                "the secret is not valid text (lone surrogate)",
            )),
        };
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Zeroizing::new(b.as_bytes().to_vec()));
    }
    Err(invalid_argument(
        py,
        format!("a secret must be str or bytes, not {}", type_name(obj)),
    ))
}

/// A list of secrets: any iterable of str/bytes except a single str/bytes.
pub fn secrets(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Zeroizing<Vec<u8>>>> {
    let py = obj.py();
    const SECRETS_TYPES: &str = "secrets must be a list of str or bytes";
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(invalid_argument(
            py,
            format!("{SECRETS_TYPES}; pass one secret as secret=..."),
        ));
    }
    let read = || -> PyResult<Vec<Zeroizing<Vec<u8>>>> {
        obj.try_iter()
            .map_err(|_| invalid_argument(py, format!("{SECRETS_TYPES}, not {}", type_name(obj))))?
            .map(|s| secret(&s?))
            .collect()
    };
    read().map_err(|e| retype(py, e, "secrets"))
}
