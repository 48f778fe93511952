//! `hooksig.SqlStore` and `hooksig.SqlStatement`: the core's replay-store contract over one SQL
//! table (`hooksig::sql_store`), which `hooksig.sql.SqlReplayGuard` executes with the user's
//! connection. The DDL, the statements, their parameter order and the reading of each reply are
//! the core's.

use hooksig::receive::{GuardAnswer, KeyAction};
use hooksig::sql_store::{self, Dialect, Placeholder, SqlParam, SqlReply, SqlStatement, SqlStore};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{self, Arg};
use crate::errors;
use crate::shared_store::{KEY_ACTIONS, PySharedStore};

/// One SQL statement: `name`, `params` (positional, in order: `str` keys and `int` Unix
/// seconds), `reply` (`"rowcount"`, `"value"` or `"nothing"`) and `sql(placeholder)`.
#[pyclass(frozen, module = "hooksig", name = "SqlStatement")]
pub struct PySqlStatement {
    inner: SqlStatement,
}

#[pymethods]
impl PySqlStatement {
    /// `"claim"`, `"lookup"`, `"keep"`, `"release"`, `"purge"` or `"create"`.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name
    }

    /// The positional parameters.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for p in &self.inner.params {
            match p {
                SqlParam::Text(s) => list.append(s)?,
                SqlParam::Int(i) => list.append(i)?,
            }
        }
        Ok(list)
    }

    /// What to read back: `"rowcount"`, `"value"` (first column of the first row) or `"nothing"`.
    #[getter]
    fn reply(&self) -> &'static str {
        match self.inner.reply {
            SqlReply::RowCount => "rowcount",
            SqlReply::FirstValue => "value",
            SqlReply::Nothing => "nothing",
        }
    }

    /// The text with the driver's placeholders: `"?"` (qmark), `"$"` (`$1`, `$2`…) or `"%s"`.
    #[pyo3(signature = (placeholder = "?"))]
    fn sql(&self, py: Python<'_>, placeholder: &str) -> PyResult<String> {
        let p = Placeholder::parse(placeholder).ok_or_else(|| {
            errors::invalid_argument(py, "placeholder must be \"?\", \"$\" or \"%s\"")
        })?;
        Ok(self.inner.sql(p))
    }

    fn __repr__(&self) -> String {
        format!(
            "SqlStatement({:?}, {:?})",
            self.inner.name,
            self.inner.sql(Placeholder::Question)
        )
    }
}

/// The replay-store contract over one SQL table: `claim(key, now)` then `claimed(rowcount)`;
/// if that is `None`, `lookup(key, now)` and `looked_up(state)`; after the handler
/// `settle(key, "keep" | "release", now)`. `create_table()` is the DDL, `purge(now)` optional.
#[pyclass(frozen, module = "hooksig", name = "SqlStore")]
pub struct PySqlStore {
    inner: SqlStore,
}

fn statement(inner: SqlStatement) -> PySqlStatement {
    PySqlStatement { inner }
}

#[pymethods]
impl PySqlStore {
    #[new]
    #[pyo3(signature = (store, *, table = Arg::omitted(), dialect = Arg::omitted()))]
    #[pyo3(text_signature = "(store, *, table='hooksig_replay', dialect='postgres')")]
    fn new(
        py: Python<'_>,
        store: &Bound<'_, PySharedStore>,
        table: Arg<'_>,
        dialect: Arg<'_>,
    ) -> PyResult<Self> {
        let table = table.or::<String>("table", sql_store::DEFAULT_TABLE)?;
        let dialect = dialect.or::<String>("dialect", "postgres")?;
        let dialect = Dialect::parse(&dialect).ok_or_else(|| {
            errors::invalid_argument(py, "dialect must be \"postgres\" or \"sqlite\"")
        })?;
        SqlStore::new(store.get().inner.clone(), &table, dialect)
            .map(|inner| PySqlStore { inner })
            .map_err(|e| errors::to_pyerr(py, &e))
    }

    /// The table name.
    #[getter]
    fn table(&self) -> &str {
        self.inner.table()
    }

    /// `"postgres"` or `"sqlite"`.
    #[getter]
    fn dialect(&self) -> &'static str {
        self.inner.dialect().as_str()
    }

    /// The key prefix.
    #[getter]
    fn prefix(&self) -> &str {
        self.inner.shared().prefix()
    }

    /// Seconds a handled delivery is remembered.
    #[getter]
    fn ttl(&self) -> u64 {
        self.inner.shared().ttl()
    }

    /// Seconds a claimed delivery stays "processing".
    #[getter]
    fn processing_ttl(&self) -> u64 {
        self.inner.shared().processing_ttl()
    }

    /// `CREATE TABLE IF NOT EXISTS <table> (...)`.
    fn create_table(&self) -> PySqlStatement {
        statement(self.inner.create_table())
    }

    /// The claim: parameters `(key, now + processing_ttl, now)`; read the row count.
    fn claim(&self, key: &Bound<'_, PyAny>, now: &Bound<'_, PyAny>) -> PyResult<PySqlStatement> {
        let now = convert::int(now, "now")?;
        Ok(statement(
            self.inner.claim(&convert::text(key, "key")?, now),
        ))
    }

    /// `"new"` if the claim wrote a row, `None` if a live row exists (then `lookup`).
    fn claimed(&self, rows: i64) -> Option<&'static str> {
        self.inner
            .claimed(u64::try_from(rows).unwrap_or(0))
            .map(GuardAnswer::as_str)
    }

    /// The live row's state: parameters `(key, now)`; read the first value.
    fn lookup(&self, key: &Bound<'_, PyAny>, now: &Bound<'_, PyAny>) -> PyResult<PySqlStatement> {
        let now = convert::int(now, "now")?;
        Ok(statement(
            self.inner.lookup(&convert::text(key, "key")?, now),
        ))
    }

    /// `"duplicate"` for `done`, `"in_progress"` for anything else (`processing`, `None`).
    fn looked_up(&self, state: Option<&Bound<'_, PyAny>>) -> PyResult<&'static str> {
        let text = match state {
            Some(v) if !v.is_none() => Some(v.str()?.to_cow()?.into_owned()),
            _ => None,
        };
        Ok(self.inner.looked_up(text.as_deref()).as_str())
    }

    /// After the handler: `"keep"` → upsert `done` (parameters `(key, now + ttl)`),
    /// `"release"` → `DELETE` (parameters `(key,)`).
    fn settle(
        &self,
        key: &Bound<'_, PyAny>,
        action: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PySqlStatement> {
        let key = convert::text(key, "key")?;
        let action = convert::choice(action, "action", KeyAction::parse, KEY_ACTIONS)?;
        let now = convert::int(now, "now")?;
        Ok(statement(self.inner.settle(&key, action, now)))
    }

    /// `DELETE FROM <table> WHERE expires_at <= now`: parameters `(now,)`.
    fn purge(&self, now: &Bound<'_, PyAny>) -> PyResult<PySqlStatement> {
        Ok(statement(self.inner.purge(convert::int(now, "now")?)))
    }

    fn __repr__(&self) -> String {
        format!(
            "SqlStore(table={:?}, dialect={:?}, ttl={}, processing_ttl={})",
            self.inner.table(),
            self.inner.dialect().as_str(),
            self.inner.shared().ttl(),
            self.inner.shared().processing_ttl()
        )
    }
}
