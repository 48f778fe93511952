//! Python values in, core types out: headers, bodies, secrets, schemes.
//!
//! Wrong *types* raise `TypeError` (a programming mistake that mypy catches statically); every
//! *value* of an accepted type — any header text, any body bytes — goes to the core, so request
//! content can only ever produce a hooksig error.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyByteArrayMethods, PyBytes, PyDict, PyList, PyString, PyTuple};
use zeroize::Zeroizing;

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
        if let Some(whole) = whole_object_view(obj)? {
            return Ok(whole);
        }
        let copy = obj.call_method0("tobytes")?;
        return Ok(Body::Bytes(copy.cast_into::<PyBytes>()?));
    }
    Err(PyTypeError::new_err(format!(
        "{BODY_TYPES}, not {}",
        obj.get_type().name()?
    )))
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
    Err(PyTypeError::new_err(format!(
        "header {what}s must be str or bytes, not {}",
        obj.get_type().name()?
    )))
}

/// Collects `(name, value)` pairs from a mapping (`.items()`, which for Starlette's `Headers`
/// and `email.message.Message` repeats a name per value) or an iterable of pairs. A value of
/// `None` counts as an absent header.
pub fn headers(obj: &Bound<'_, PyAny>) -> PyResult<HeaderPairs> {
    const HEADER_TYPES: &str =
        "headers must be a mapping of str to str, or an iterable of (name, value) pairs";
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_none()
    {
        return Err(PyTypeError::new_err(format!(
            "{HEADER_TYPES}, not {}",
            obj.get_type().name()?
        )));
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
        .map_err(|_| PyTypeError::new_err(HEADER_TYPES))?;
    for item in iter {
        let item = item?;
        let (name, value) = if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(PyTypeError::new_err(HEADER_TYPES));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(l) = item.cast::<PyList>() {
            if l.len() != 2 {
                return Err(PyTypeError::new_err(HEADER_TYPES));
            }
            (l.get_item(0)?, l.get_item(1)?)
        } else {
            return Err(PyTypeError::new_err(HEADER_TYPES));
        };
        push(&name, &value)?;
    }
    Ok(out)
}

/// A secret: `str` (its UTF-8 bytes, decoded further by `secret_format`) or `bytes`. Never
/// echoed in any message.
pub fn secret(obj: &Bound<'_, PyAny>) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Zeroizing::new(text_bytes(s).into_owned().into_bytes()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Zeroizing::new(b.as_bytes().to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "a secret must be str or bytes, not {}",
        obj.get_type().name()?
    )))
}

/// A list of secrets: any iterable of str/bytes except a single str/bytes.
pub fn secrets(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Zeroizing<Vec<u8>>>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "secrets must be a list of str or bytes; pass one secret as secret=...",
        ));
    }
    obj.try_iter()
        .map_err(|_| PyTypeError::new_err("secrets must be a list of str or bytes"))?
        .map(|s| secret(&s?))
        .collect()
}
