//! `hooksig.SharedStore` and `hooksig.StoreCommand`: the core's replay-store contract
//! (`hooksig::shared_store`), which `hooksig.redis.RedisReplayGuard` executes with the user's
//! client. Key format, marker values, TTLs and the reading of each reply are the core's.

use hooksig::receive::{GuardAnswer, KeyAction};
use hooksig::shared_store::{self, SharedStore, StoreCommand};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::convert::{self, Arg};
use crate::errors;

/// One command for the store: `name` is `"SET"`, `"GET"` or `"DEL"`; a `SET` also has
/// `value`, `ttl` (seconds) and `only_if_absent` (`NX`).
#[pyclass(frozen, module = "hooksig", name = "StoreCommand")]
pub struct PyStoreCommand {
    /// `"SET"`, `"GET"` or `"DEL"`.
    #[pyo3(get)]
    name: &'static str,
    /// The value a `SET` writes (`"processing"` or `"done"`), else `None`.
    #[pyo3(get)]
    value: Option<&'static str>,
    /// The expiry in seconds of a `SET`, else `None`.
    #[pyo3(get)]
    ttl: Option<u64>,
    /// `True` for `SET ... NX`.
    #[pyo3(get)]
    only_if_absent: bool,
    inner: StoreCommand,
}

#[pymethods]
impl PyStoreCommand {
    /// The full key (prefix included).
    #[getter]
    fn key(&self) -> &str {
        self.inner.key()
    }

    /// The Redis command line, e.g. `["SET", key, "processing", "NX", "EX", "60"]`.
    fn argv(&self) -> Vec<String> {
        self.inner.argv()
    }

    fn __repr__(&self) -> String {
        format!("StoreCommand({:?})", self.inner.argv())
    }
}

/// The replay-store contract for a store shared by several processes: `claim`, then
/// `claimed(was_set)`; if that is `None`, `lookup` and `looked_up(value)`; after the handler
/// `settle(key, "keep" | "release")`. Answers are `"new"`, `"duplicate"` or `"in_progress"`.
#[pyclass(frozen, module = "hooksig", name = "SharedStore")]
pub struct PySharedStore {
    pub(crate) inner: SharedStore,
}

pub(crate) const KEY_ACTIONS: &str = "\"keep\" or \"release\"";

fn command(inner: StoreCommand) -> PyStoreCommand {
    let (value, ttl, only_if_absent) = match inner {
        StoreCommand::Set {
            value,
            ttl,
            only_if_absent,
            ..
        } => (Some(value), Some(ttl), only_if_absent),
        _ => (None, None, false),
    };
    PyStoreCommand {
        name: inner.name(),
        value,
        ttl,
        only_if_absent,
        inner,
    }
}

fn seconds(py: Python<'_>, value: i64, name: &str) -> PyResult<u64> {
    u64::try_from(value).map_err(|_| {
        errors::invalid_argument(
            py,
            format!(
                "{name} must be between 1 and {} seconds",
                shared_store::MAX_STORE_TTL_SECS
            ),
        )
    })
}

#[pymethods]
impl PySharedStore {
    #[new]
    #[pyo3(signature = (ttl, *, prefix = Arg::omitted(), processing_ttl = Arg::omitted()))]
    #[pyo3(text_signature = "(ttl, *, prefix='hooksig:replay:', processing_ttl=60)")]
    fn new(
        py: Python<'_>,
        ttl: &Bound<'_, PyAny>,
        prefix: Arg<'_>,
        processing_ttl: Arg<'_>,
    ) -> PyResult<Self> {
        let ttl = seconds(py, convert::int(ttl, "ttl")?, "ttl")?;
        let default_processing = shared_store::PROCESSING_TTL_SECS as i64;
        let processing = processing_ttl.or::<i64>("processing_ttl", default_processing)?;
        let processing = seconds(py, processing, "processing_ttl")?;
        let prefix = prefix.or::<String>("prefix", shared_store::STORE_PREFIX)?;
        SharedStore::with_options(ttl, processing, &prefix)
            .map(|inner| PySharedStore { inner })
            .map_err(|e| errors::to_pyerr(py, &e))
    }

    /// The key prefix.
    #[getter]
    fn prefix(&self) -> &str {
        self.inner.prefix()
    }

    /// Seconds a handled delivery is remembered.
    #[getter]
    fn ttl(&self) -> u64 {
        self.inner.ttl()
    }

    /// Seconds a claimed delivery stays "processing" (at most `ttl`).
    #[getter]
    fn processing_ttl(&self) -> u64 {
        self.inner.processing_ttl()
    }

    /// `SET <prefix><key> processing NX EX <processing_ttl>`.
    fn claim(&self, key: &Bound<'_, PyAny>) -> PyResult<PyStoreCommand> {
        Ok(command(self.inner.claim(&convert::text(key, "key")?)))
    }

    /// `"new"` if the claim set the key, `None` if it exists (then `lookup`).
    fn claimed(&self, was_set: bool) -> Option<&'static str> {
        self.inner.claimed(was_set).map(GuardAnswer::as_str)
    }

    /// `GET <prefix><key>`.
    fn lookup(&self, key: &Bound<'_, PyAny>) -> PyResult<PyStoreCommand> {
        Ok(command(self.inner.lookup(&convert::text(key, "key")?)))
    }

    /// `"duplicate"` for `done`, `"in_progress"` for anything else (`processing`, `None`).
    fn looked_up(&self, value: Option<&Bound<'_, PyAny>>) -> PyResult<&'static str> {
        let answer = match value {
            None => self.inner.looked_up(None),
            Some(v) if v.is_none() => self.inner.looked_up(None),
            Some(v) => {
                if let Ok(b) = v.cast::<PyBytes>() {
                    self.inner.looked_up(Some(b.as_bytes()))
                } else if let Ok(s) = v.cast::<PyString>() {
                    self.inner.looked_up(Some(s.to_cow()?.as_bytes()))
                } else {
                    // A client decoding replies to something else: not "done".
                    self.inner.looked_up(Some(b""))
                }
            }
        };
        Ok(GuardAnswer::as_str(answer))
    }

    /// After the handler: `"keep"` → `SET <key> done EX <ttl>`, `"release"` → `DEL <key>`.
    fn settle(
        &self,
        key: &Bound<'_, PyAny>,
        action: &Bound<'_, PyAny>,
    ) -> PyResult<PyStoreCommand> {
        let key = convert::text(key, "key")?;
        let action = convert::choice(action, "action", KeyAction::parse, KEY_ACTIONS)?;
        Ok(command(self.inner.settle(&key, action)))
    }

    fn __repr__(&self) -> String {
        format!(
            "SharedStore(prefix={:?}, ttl={}, processing_ttl={})",
            self.inner.prefix(),
            self.inner.ttl(),
            self.inner.processing_ttl()
        )
    }
}
