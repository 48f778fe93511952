//! The replay-store contract over one SQL table (`hooksig::sql_store`) that sql.js executes.

use hooksig::sql_store::{self, Dialect, Placeholder, SqlParam, SqlReply, SqlStatement as Core};
use napi::Env;
use napi::bindgen_prelude::Either;
use napi_derive::napi;

use crate::error::run;
use crate::receiver::{GuardAnswer, KeyAction};
use crate::shared_store::core_store;

/// The default table name: `hooksig_replay`.
#[napi]
pub const DEFAULT_SQL_TABLE: &str = sql_store::DEFAULT_TABLE;

/// One SQL statement, with the dialect's placeholders (`$1`… for PostgreSQL, `?` for SQLite).
#[napi(object)]
pub struct SqlStatement {
    /// `claim`, `lookup`, `keep`, `release`, `purge` or `create`.
    #[napi(ts_type = "'claim' | 'lookup' | 'keep' | 'release' | 'purge' | 'create'")]
    pub name: String,
    /// The statement text.
    pub sql: String,
    /// The positional parameters: keys (strings) and Unix seconds (numbers).
    pub params: Vec<Either<String, i64>>,
    /// What to read back: the affected-row count, the first column of the first row, or nothing.
    #[napi(ts_type = "'rowcount' | 'value' | 'nothing'")]
    pub reply: String,
}

/// The replay-store contract over one SQL table: `claim(key, now)` then `claimed(rows)`; if
/// that is `null`, `lookup(key, now)` and `lookedUp(state)`; after the handler
/// `settle(key, 'keep' | 'release', now)`. `createTable()` is the DDL, `purge(now)` optional.
#[napi]
pub struct SqlStore {
    inner: sql_store::SqlStore,
    placeholder: Placeholder,
}

impl SqlStore {
    fn statement(&self, s: Core) -> SqlStatement {
        SqlStatement {
            name: s.name.to_owned(),
            sql: s.sql(self.placeholder),
            params: s
                .params
                .iter()
                .map(|p| match p {
                    SqlParam::Text(t) => Either::A(t.clone()),
                    SqlParam::Int(i) => Either::B(*i),
                })
                .collect(),
            reply: match s.reply {
                SqlReply::RowCount => "rowcount",
                SqlReply::FirstValue => "value",
                SqlReply::Nothing => "nothing",
            }
            .to_owned(),
        }
    }
}

#[napi]
impl SqlStore {
    /// A store over `table` in a `dialect` (`postgres` or `sqlite`) database, with the TTLs and
    /// prefix of `SharedStore`. Throws `invalid_argument` for a table that is not an identifier.
    #[napi(catch_unwind, constructor)]
    pub fn new(
        env: Env,
        ttl: i64,
        processing_ttl: i64,
        prefix: String,
        #[napi(ts_arg_type = "string")] table: String,
        #[napi(ts_arg_type = "'postgres' | 'sqlite'")] dialect: String,
    ) -> napi::Result<Self> {
        run(&env, || {
            let d = Dialect::named(&dialect)?;
            let shared = core_store(ttl, processing_ttl, &prefix)?;
            let placeholder = match d {
                Dialect::Postgres => Placeholder::Dollar,
                Dialect::Sqlite => Placeholder::Question,
            };
            Ok(SqlStore {
                inner: sql_store::SqlStore::new(shared, &table, d)?,
                placeholder,
            })
        })
    }

    /// The table name.
    #[napi(catch_unwind, getter)]
    pub fn table(&self) -> String {
        self.inner.table().to_owned()
    }

    /// `postgres` or `sqlite`.
    #[napi(catch_unwind, getter, ts_return_type = "'postgres' | 'sqlite'")]
    pub fn dialect(&self) -> String {
        self.inner.dialect().as_str().to_owned()
    }

    /// Seconds a handled delivery is remembered.
    #[napi(catch_unwind, getter)]
    pub fn ttl(&self) -> i64 {
        crate::js_safe(self.inner.shared().ttl())
    }

    /// Seconds a claimed delivery stays "processing".
    #[napi(catch_unwind, getter)]
    pub fn processing_ttl(&self) -> i64 {
        crate::js_safe(self.inner.shared().processing_ttl())
    }

    /// The key prefix.
    #[napi(catch_unwind, getter)]
    pub fn prefix(&self) -> String {
        self.inner.shared().prefix().to_owned()
    }

    /// `CREATE TABLE IF NOT EXISTS <table> (...)`.
    #[napi(catch_unwind)]
    pub fn create_table(&self) -> SqlStatement {
        self.statement(self.inner.create_table())
    }

    /// The claim: parameters `[key, now + processingTtl, now]`; read the row count.
    #[napi(catch_unwind)]
    pub fn claim(&self, key: String, now: i64) -> SqlStatement {
        self.statement(self.inner.claim(&key, now))
    }

    /// `'new'` if the claim wrote a row, `null` if a live row exists (then `lookup`).
    #[napi(catch_unwind)]
    pub fn claimed(&self, rows: i64) -> Option<GuardAnswer> {
        let rows = u64::try_from(rows).unwrap_or(0);
        self.inner.claimed(rows).map(Into::into)
    }

    /// The live row's state: parameters `[key, now]`; read the first value.
    #[napi(catch_unwind)]
    pub fn lookup(&self, key: String, now: i64) -> SqlStatement {
        self.statement(self.inner.lookup(&key, now))
    }

    /// `'duplicate'` for `done`; `'in_progress'` for anything else (`processing`, `null`).
    #[napi(catch_unwind)]
    pub fn looked_up(&self, state: Option<String>) -> GuardAnswer {
        self.inner.looked_up(state.as_deref()).into()
    }

    /// After the handler: `keep` → upsert `done` (`[key, now + ttl]`), `release` → `DELETE`
    /// (`[key]`).
    #[napi(catch_unwind)]
    pub fn settle(&self, key: String, action: KeyAction, now: i64) -> SqlStatement {
        self.statement(self.inner.settle(&key, action.into(), now))
    }

    /// `DELETE FROM <table> WHERE expires_at <= now`: parameters `[now]`.
    #[napi(catch_unwind)]
    pub fn purge(&self, now: i64) -> SqlStatement {
        self.statement(self.inner.purge(now))
    }
}
