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
fn type_name(obj: &Bound<'_, PyAny>) -> String {
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

/// [`int`], with `None` (or an omitted argument) as `None`.
pub fn opt_int(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<i64>> {
    match obj {
        Some(o) if !o.is_none() => int(o, name).map(Some),
        _ => Ok(None),
    }
}

/// [`int`] for an [`Arg`]: `default` when omitted; an explicit `None` is a wrong type.
pub fn int_or(arg: &Arg<'_>, name: &str, default: i64) -> PyResult<i64> {
    arg.0.as_ref().map_or(Ok(default), |o| int(o, name))
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

/// [`text`], owned, with `None` (or an omitted argument) as `None`.
pub fn opt_text(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    match obj {
        Some(o) if !o.is_none() => text(o, name).map(|s| Some(s.into_owned())),
        _ => Ok(None),
    }
}

/// [`text`] for an [`Arg`]: `default` when omitted; an explicit `None` is a wrong type.
pub fn text_or(arg: &Arg<'_>, name: &str, default: &str) -> PyResult<String> {
    arg.0.as_ref().map_or(Ok(default.to_owned()), |o| {
        text(o, name).map(Cow::into_owned)
    })
}

/// A `bool` (exactly: `1` or `"yes"` are refused).
pub fn flag(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    obj.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| {
        invalid_argument(
            obj.py(),
            format!("{name} must be a bool, not {}", type_name(obj)),
        )
    })
}

/// [`flag`], with `None` (or an omitted argument) as `None`.
pub fn opt_flag(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<bool>> {
    match obj {
        Some(o) if !o.is_none() => flag(o, name).map(Some),
        _ => Ok(None),
    }
}

/// [`flag`] for an [`Arg`]: `default` when omitted; an explicit `None` is a wrong type.
pub fn flag_or(arg: &Arg<'_>, name: &str, default: bool) -> PyResult<bool> {
    arg.0.as_ref().map_or(Ok(default), |o| flag(o, name))
}

/// Header pairs copied out of the Python object (a few short strings per request).
pub type HeaderPairs = Vec<(Vec<u8>, Vec<u8>)>;

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

/// A header name or value: `str` (as UTF-8) or `bytes`.
fn header_part(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(text_bytes(s).into_owned().into_bytes());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(invalid_argument(
        obj.py(),
        format!(
            "header {what}s must be str or bytes, not {}",
            type_name(obj)
        ),
    ))
}

/// Collects `(name, value)` pairs from a mapping (`.items()`, which for Starlette's `Headers`
/// and `email.message.Message` repeats a name per value) or an iterable of pairs. A value of
/// `None` counts as an absent header.
pub fn headers(obj: &Bound<'_, PyAny>) -> PyResult<HeaderPairs> {
    read_headers(obj).map_err(|e| retype(obj.py(), e, "headers"))
}

fn read_headers(obj: &Bound<'_, PyAny>) -> PyResult<HeaderPairs> {
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
    let mut push = |name: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>| -> PyResult<()> {
        if !value.is_none() {
            out.push((header_part(name, "name")?, header_part(value, "value")?));
        }
        Ok(())
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        for (name, value) in d.iter() {
            push(&name, &value)?;
        }
        return Ok(out);
    }
    let pairs = if obj.hasattr("items")? {
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
        push(&name, &value)?;
    }
    Ok(out)
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
