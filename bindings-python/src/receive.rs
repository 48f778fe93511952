//! `hooksig.Receiver` and `hooksig.Answer`: the core's receiver policy (`hooksig::receive`),
//! which the Flask and FastAPI adapters drive and never re-decide.
//!
//! Everything here converts arguments and hands over to the core; the statuses, headers and
//! bodies are the core's bytes.

use hooksig::receive::{self, GuardAnswer, HandlerOutcome};
use hooksig::{ErrorCode, INTERNAL_ERROR_CODE};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::boundary::boundary;
use crate::convert::{self, Arg};
use crate::errors;
use crate::verifier::{Checked, PyVerified, PyVerifier};

/// One HTTP answer decided by the core: write `status`, `headers`, `Content-Type:
/// application/json` and exactly `body`.
#[pyclass(frozen, module = "hooksig", name = "Answer")]
pub struct PyAnswer {
    /// The HTTP status.
    #[pyo3(get)]
    status: u16,
    /// Headers besides `Content-Type` (`Allow`, `Retry-After`), as `(name, value)` pairs.
    #[pyo3(get)]
    headers: Vec<(&'static str, String)>,
    /// `"application/json"`, except the answer to Twitch's challenge (`"text/plain;
    /// charset=utf-8"`).
    #[pyo3(get)]
    content_type: &'static str,
    /// The JSON body, exact bytes.
    #[pyo3(get)]
    body: Py<PyBytes>,
}

impl PyAnswer {
    fn new(py: Python<'_>, answer: receive::Answer) -> PyAnswer {
        PyAnswer {
            status: answer.status,
            content_type: answer.content_type,
            headers: answer.headers,
            body: PyBytes::new(py, answer.body.as_bytes()).unbind(),
        }
    }
}

#[pymethods]
impl PyAnswer {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Answer(status={}, headers={:?}, body={:?})",
            self.status,
            self.headers,
            String::from_utf8_lossy(self.body.bind(py).as_bytes())
        )
    }
}

/// The receiver policy for one integration (thread-safe, immutable): which requests are
/// answered before verification, how a failed verification and the replay guard's answers are
/// written, and when a handler counts as failed.
#[pyclass(frozen, module = "hooksig", name = "Receiver")]
pub struct PyReceiver {
    inner: receive::Receiver,
}

#[pymethods]
impl PyReceiver {
    #[new]
    #[pyo3(signature = (limit = Arg::omitted()))]
    #[pyo3(text_signature = "(limit=10485760)")]
    fn new(py: Python<'_>, limit: Arg<'_>) -> PyResult<Self> {
        let default = i64::try_from(receive::DEFAULT_BODY_LIMIT).unwrap_or(i64::MAX);
        let limit = limit.or::<i64>("limit", default)?;
        let limit = usize::try_from(limit)
            .map_err(|_| errors::invalid_argument(py, "limit must be a non-negative int"))?;
        Ok(PyReceiver {
            inner: receive::Receiver::with_limit(limit),
        })
    }

    /// The largest body accepted, in bytes: read at most this many.
    #[getter]
    fn limit(&self) -> usize {
        self.inner.limit()
    }

    /// Before reading the body: an `Answer` to write instead (405 for a method other than POST,
    /// 413 for a declared `Content-Length` over the limit), or `None` (read the body).
    #[pyo3(signature = (method, content_length = None))]
    fn start(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        content_length: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<PyAnswer>> {
        let method = convert::text(method, "method")?;
        let length = match convert::opt::<i64>(content_length, "content_length")? {
            // A negative length is no declared length (servers refuse it before us).
            Some(n) => u64::try_from(n).ok(),
            None => None,
        };
        Ok(self
            .inner
            .start(&method, length)
            .map(|a| PyAnswer::new(py, a)))
    }

    /// 413 `body_too_large`: the body grew past the limit while it was read.
    fn body_too_large(&self, py: Python<'_>) -> PyAnswer {
        PyAnswer::new(py, self.inner.body_too_large())
    }

    /// 400 `body_read_failed`: the body could not be read (client aborted, bad chunking).
    fn body_read_failed(&self, py: Python<'_>) -> PyAnswer {
        PyAnswer::new(py, self.inner.body_read_failed())
    }

    /// Verifies the request like `verifier.verify(...)`, but returns the rejection `Answer`
    /// instead of raising (a forged request costs no exception). A verified vendor handshake
    /// (Slack `url_verification`, Zoom `endpoint.url_validation`, Twitch
    /// `webhook_callback_verification`) also returns its `Answer`: the handler does not run.
    /// `url` and `method`: the request line, as for `Verifier.verify`. Wrong argument types
    /// still raise `InvalidArgument`.
    #[pyo3(signature = (verifier, headers, body, now = None, *, url = None, method = None))]
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        py: Python<'_>,
        verifier: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        url: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let verifier = verifier
            .cast::<PyVerifier>()
            .map_err(|_| errors::invalid_argument(py, "verifier must be a hooksig.Verifier"))?;
        Ok(
            match verifier
                .get()
                .check(py, headers, body, now, [url, method], Some(&self.inner))?
            {
                Ok(Checked::Verified(verified)) => Py::new(py, verified)?.into_any(),
                Ok(Checked::Handshake(answer)) => {
                    Py::new(py, PyAnswer::new(py, answer))?.into_any()
                }
                Err(err) => Py::new(py, PyAnswer::new(py, self.inner.rejected(&err)))?.into_any(),
            },
        )
    }

    /// The answer for a hooksig exception (`error.code`), e.g. one `Verifier.verify` raised.
    fn rejected(&self, py: Python<'_>, error: &Bound<'_, PyAny>) -> PyResult<PyAnswer> {
        let code = error.getattr("code").ok().and_then(|c| {
            c.cast::<PyString>()
                .ok()
                .map(|s| s.to_string_lossy().into_owned())
        });
        match code.as_deref().and_then(ErrorCode::parse) {
            Some(code) => Ok(PyAnswer::new(py, receive::Answer::error(code))),
            None if code.as_deref() == Some(INTERNAL_ERROR_CODE) => Err(errors::invalid_argument(
                py,
                "an \"internal\" error has no answer: let it propagate (the framework's 500)",
            )),
            None => Err(errors::invalid_argument(
                py,
                "error must be a hooksig error with a hooksig code",
            )),
        }
    }

    /// After the replay guard answered (`"new"`, `"duplicate"`, `"in_progress"`,
    /// `"unavailable"`): `None` (run the handler) or the `Answer` to write.
    fn guarded(&self, py: Python<'_>, answer: &Bound<'_, PyAny>) -> PyResult<Option<PyAnswer>> {
        let answer = convert::choice(
            answer,
            "answer",
            GuardAnswer::parse,
            "\"new\", \"duplicate\", \"in_progress\" or \"unavailable\"",
        )?;
        Ok(self.inner.guarded(answer).map(|a| PyAnswer::new(py, a)))
    }

    /// After the handler: `status` is the status it answered, `None` if it raised. Returns
    /// `"keep"` (confirm the key) or `"release"` (forget it: the retry runs the handler).
    fn finished(
        &self,
        py: Python<'_>,
        status: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<&'static str> {
        let outcome = match convert::opt::<i64>(status, "status")? {
            None => HandlerOutcome::Raised,
            Some(s) => HandlerOutcome::Status(u16::try_from(s).map_err(|_| {
                errors::invalid_argument(py, "status must be an HTTP status (0-65535)")
            })?),
        };
        Ok(self.inner.finished(outcome).as_str())
    }

    /// The success answer of the demo and test handlers (200, `{"status":"received",...}`).
    #[staticmethod]
    fn received(py: Python<'_>, verified: &Bound<'_, PyAny>) -> PyResult<PyAnswer> {
        let v = verified
            .cast::<PyVerified>()
            .map_err(|_| errors::invalid_argument(py, "verified must be a hooksig.Verified"))?
            .get();
        let answer = boundary(py, || Ok(v.received()))?;
        Ok(PyAnswer::new(py, answer))
    }

    fn __repr__(&self) -> String {
        format!("Receiver(limit={})", self.inner.limit())
    }
}
