//! `hooksig.ReplayGuard`: the core's in-memory replay guard (`hooksig::ReplayGuard`).

use pyo3::prelude::*;

use crate::boundary::boundary;
use crate::convert::{self, Arg};
use crate::errors;
use crate::verifier::PyVerifier;

/// Remembers verified deliveries for a while so that a retry or a replay is answered without
/// running the handler twice: the core's in-memory `ReplayGuard` (atomic check-and-remember,
/// entries expire after `ttl` seconds, at most `capacity` entries, oldest evicted first).
/// Thread-safe; one process only (see `RedisReplayGuard` for several).
#[pyclass(frozen, module = "hooksig", name = "ReplayGuard")]
pub(crate) struct PyReplayGuard {
    inner: hooksig::ReplayGuard,
}

#[pymethods]
impl PyReplayGuard {
    #[new]
    #[pyo3(signature = (ttl = None, capacity = Arg::omitted(), verifier = None))]
    #[pyo3(text_signature = "(ttl=None, capacity=100000, verifier=None)")]
    fn new(
        py: Python<'_>,
        ttl: Option<&Bound<'_, PyAny>>,
        capacity: Arg<'_>,
        verifier: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let verifier = match verifier {
            Some(v) if !v.is_none() => Some(v.cast::<PyVerifier>().map_err(|_| {
                errors::invalid_argument(py, "verifier must be a hooksig.Verifier")
            })?),
            _ => None,
        };
        let ttl = match (convert::opt::<i64>(ttl, "ttl")?, verifier) {
            // A negative ttl or capacity is refused by the core like 0.
            (Some(ttl), _) => u64::try_from(ttl).unwrap_or(0),
            (None, Some(v)) => v.get().replay_ttl(),
            (None, None) => {
                return Err(errors::invalid_argument(
                    py,
                    "ReplayGuard needs ttl=SECONDS or verifier=... (whose replay_ttl is used)",
                ));
            }
        };
        let default_capacity = i64::try_from(hooksig::DEFAULT_REPLAY_CAPACITY).unwrap_or(i64::MAX);
        let capacity = capacity.or::<i64>("capacity", default_capacity)?;
        let capacity = usize::try_from(capacity).unwrap_or(0);
        let inner =
            hooksig::ReplayGuard::try_new(ttl, capacity).map_err(|e| errors::to_pyerr(py, &e))?;
        Ok(PyReplayGuard { inner })
    }

    /// `True` if `key` is new (it is now remembered for `ttl` seconds), `False` if it is a
    /// duplicate. Atomic. `now` (Unix seconds) replaces the system clock, for tests.
    #[pyo3(signature = (key, now = None))]
    fn check_and_remember(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let key = convert::text(key, "key")?;
        let now = convert::opt::<i64>(now, "now")?;
        let guard = &self.inner;
        boundary(py, || {
            Ok(match now {
                Some(now) => guard.check_and_remember(&key, now),
                None => guard.remember(&key),
            })
        })
    }

    /// Forgets `key` (call it when the handler failed, so that the sender's retry runs it).
    fn forget(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let key = convert::text(key, "key")?;
        boundary(py, || {
            self.inner.forget(&key);
            Ok(())
        })
    }

    /// Seconds a key is remembered.
    #[getter]
    fn ttl(&self) -> u64 {
        self.inner.ttl()
    }

    /// The most keys remembered at once.
    #[getter]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// Keys currently remembered (expired ones included until purged).
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "ReplayGuard(ttl={}, capacity={}, len={})",
            self.inner.ttl(),
            self.inner.capacity(),
            self.inner.len()
        )
    }
}
