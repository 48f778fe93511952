//! The replay-store contract of [`shared_store`](crate::shared_store), over SQL: one table in
//! the application's own database (PostgreSQL or SQLite), defined once here — the DDL, the
//! claim / lookup / settle / purge statements per dialect with their parameter order, and how
//! each reply is read. The per-language adapters (psycopg, sqlite3, `pg`, better-sqlite3, PDO)
//! only execute the [`SqlStatement`]s with the user's own connection or pool.
//!
//! The table, named by the user (an identifier, optionally schema-qualified):
//!
//! ```sql
//! CREATE TABLE IF NOT EXISTS hooksig_replay (
//!   replay_key TEXT PRIMARY KEY,      -- hooksig:replay:<dedupe key>, as in Redis
//!   state TEXT NOT NULL,              -- 'processing' or 'done'
//!   expires_at BIGINT NOT NULL        -- Unix seconds
//! )
//! ```
//!
//! One delivery's cycle, the same as in Redis:
//!
//! 1. [`SqlStore::claim`]: `INSERT … VALUES (key, 'processing', now + processing_ttl)
//!    ON CONFLICT (replay_key) DO UPDATE SET … WHERE <table>.expires_at <= now`. Atomic: of
//!    any number of processes seeing one delivery, exactly one inserts (or takes over an
//!    expired row — expired rows are reclaimed by the claim itself, no cron is needed).
//! 2. [`SqlStore::claimed`] with the statement's affected-row count: `1` is
//!    [`GuardAnswer::New`]; `0` means a live row exists — run [`SqlStore::lookup`] and pass the
//!    `state` it returned (or `None`) to [`SqlStore::looked_up`]: `done` is a duplicate,
//!    anything else in progress (409).
//! 3. After the handler, [`SqlStore::settle`]: keep → upsert `done` with `now + ttl`;
//!    release → `DELETE` (the retry runs the handler again).
//!
//! Any statement that fails or times out is [`GuardAnswer::Unavailable`] (503 + `Retry-After`),
//! exactly as a Redis failure. Expiry follows the application's clock: every statement that
//! reads or writes an expiry takes `now` (Unix seconds) as a parameter, so tests inject a clock.
//! [`SqlStore::purge`] deletes expired rows (optional: expired rows never answer anything).
//!
//! ```
//! use hooksig::receive::{GuardAnswer, KeyAction};
//! use hooksig::sql_store::{Dialect, Placeholder, SqlParam, SqlStore};
//! use hooksig::shared_store::SharedStore;
//!
//! let store = SqlStore::new(SharedStore::new(660).unwrap(), "hooksig_replay", Dialect::Postgres).unwrap();
//! let claim = store.claim("stripe:evt_1", 1_000);
//! assert_eq!(claim.params, [
//!     SqlParam::Text("hooksig:replay:stripe:evt_1".into()),
//!     SqlParam::Int(1_060),
//!     SqlParam::Int(1_000),
//! ]);
//! assert!(claim.sql(Placeholder::Dollar).contains("VALUES ($1, 'processing', $2)"));
//! assert_eq!(store.claimed(1), Some(GuardAnswer::New));
//! assert_eq!(store.claimed(0), None);
//! assert_eq!(store.looked_up(Some("done")), GuardAnswer::Duplicate);
//! assert_eq!(store.settle("stripe:evt_1", KeyAction::Keep, 1_005).params[1], SqlParam::Int(1_665));
//! ```

use crate::error::{Error, ErrorCode, Result};
use crate::receive::{GuardAnswer, KeyAction};
use crate::shared_store::{DONE, PROCESSING, SharedStore};

/// The default table name.
pub const DEFAULT_TABLE: &str = "hooksig_replay";

/// The longest table name (or each part of a schema-qualified one): PostgreSQL's 63 bytes.
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// The SQL dialect of the user's database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL 9.5+ (`ON CONFLICT`).
    Postgres,
    /// SQLite 3.24+ (upsert).
    Sqlite,
}

impl Dialect {
    /// `"postgres"` or `"sqlite"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// [`parse`](Self::parse), or `invalid_argument` naming the accepted names.
    pub fn named(name: &str) -> Result<Dialect> {
        Dialect::parse(name).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                None,
                "dialect must be \"postgres\" or \"sqlite\"",
            )
        })
    }

    /// From `"postgres"` (or `"postgresql"`, `"pgsql"`) or `"sqlite"`.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name {
            "postgres" | "postgresql" | "pgsql" => Some(Dialect::Postgres),
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            _ => None,
        }
    }
}

/// How a driver spells the n-th positional parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `?` (sqlite3, better-sqlite3, PDO).
    Question,
    /// `$1`, `$2`, … (node-postgres).
    Dollar,
    /// `%s` (psycopg, DB-API `format`).
    Percent,
}

impl Placeholder {
    /// `"?"`, `"$"` or `"%s"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Placeholder::Question => "?",
            Placeholder::Dollar => "$",
            Placeholder::Percent => "%s",
        }
    }

    /// From `"?"` (or `"qmark"`), `"$"` (or `"numeric"`, `"dollar"`), `"%s"` (or `"format"`,
    /// `"pyformat"`).
    pub fn parse(name: &str) -> Option<Placeholder> {
        match name {
            "?" | "qmark" | "question" => Some(Placeholder::Question),
            "$" | "dollar" | "numeric" => Some(Placeholder::Dollar),
            "%s" | "format" | "pyformat" | "percent" => Some(Placeholder::Percent),
            _ => None,
        }
    }
}

/// One positional parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SqlParam {
    /// A key.
    Text(String),
    /// Unix seconds.
    Int(i64),
}

/// What an adapter reads back from a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SqlReply {
    /// The affected-row count (claim): pass it to [`SqlStore::claimed`].
    RowCount,
    /// The first column of the first row, or `None` without rows (lookup): pass it to
    /// [`SqlStore::looked_up`].
    FirstValue,
    /// Nothing (settle, purge, DDL).
    Nothing,
}

/// One statement for the store, as data: its text with `{}` where each parameter goes (in
/// order, each used once), its parameters, and what to read back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SqlStatement {
    /// `"claim"`, `"lookup"`, `"keep"`, `"release"`, `"purge"` or `"create"`.
    pub name: &'static str,
    template: String,
    /// The positional parameters, in order.
    pub params: Vec<SqlParam>,
    /// What the adapter reads back.
    pub reply: SqlReply,
}

impl SqlStatement {
    /// The text with the driver's placeholders.
    pub fn sql(&self, placeholder: Placeholder) -> String {
        let mut out = String::with_capacity(self.template.len() + 8);
        let mut n = 0;
        let mut rest = self.template.as_str();
        while let Some(i) = rest.find("{}") {
            out.push_str(&rest[..i]);
            n += 1;
            match placeholder {
                Placeholder::Question => out.push('?'),
                Placeholder::Percent => out.push_str("%s"),
                Placeholder::Dollar => {
                    out.push('$');
                    out.push_str(&n.to_string());
                }
            }
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// The contract of [`SharedStore`] (keys, TTLs, answers) over one SQL table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlStore {
    store: SharedStore,
    table: String,
    dialect: Dialect,
}

/// Checks a table name: `name` or `schema.name`, each part `[A-Za-z_][A-Za-z0-9_]*` of at most
/// [`MAX_IDENTIFIER_LEN`] bytes (it is spliced into the statements unquoted).
///
/// ```
/// use hooksig::sql_store::valid_table;
/// assert!(valid_table("hooksig_replay") && valid_table("app.webhook_seen"));
/// assert!(!valid_table("x; DROP TABLE y") && !valid_table("1x") && !valid_table("a.b.c"));
/// ```
pub fn valid_table(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() <= 2
        && parts.iter().all(|p| {
            let mut chars = p.chars();
            p.len() <= MAX_IDENTIFIER_LEN
                && chars
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

impl SqlStore {
    /// A store over `table` (`invalid_argument` unless [`valid_table`]).
    pub fn new(store: SharedStore, table: &str, dialect: Dialect) -> Result<SqlStore> {
        if !valid_table(table) {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                None,
                format!(
                    "table must be an SQL identifier ([A-Za-z_][A-Za-z0-9_]*, at most \
                     {MAX_IDENTIFIER_LEN} characters, optionally schema.table)"
                ),
            ));
        }
        Ok(SqlStore {
            store,
            table: table.to_owned(),
            dialect,
        })
    }

    /// The key/TTL contract.
    pub fn shared(&self) -> &SharedStore {
        &self.store
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The DDL: one `CREATE TABLE IF NOT EXISTS` statement, no parameters.
    pub fn create_table(&self) -> SqlStatement {
        let int = match self.dialect {
            Dialect::Postgres => "BIGINT",
            Dialect::Sqlite => "INTEGER",
        };
        SqlStatement {
            name: "create",
            template: format!(
                "CREATE TABLE IF NOT EXISTS {} (replay_key TEXT PRIMARY KEY NOT NULL, \
                 state TEXT NOT NULL, expires_at {int} NOT NULL)",
                self.table
            ),
            params: Vec::new(),
            reply: SqlReply::Nothing,
        }
    }

    fn expiry(now: i64, ttl: u64) -> SqlParam {
        SqlParam::Int(now.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX)))
    }

    /// Step 1, parameters `(key, now + processing_ttl, now)`; read the affected-row count.
    pub fn claim(&self, dedupe_key: &str, now: i64) -> SqlStatement {
        let t = &self.table;
        SqlStatement {
            name: "claim",
            template: format!(
                "INSERT INTO {t} (replay_key, state, expires_at) VALUES ({{}}, '{PROCESSING}', {{}}) \
                 ON CONFLICT (replay_key) DO UPDATE SET state = excluded.state, \
                 expires_at = excluded.expires_at WHERE {t}.expires_at <= {{}}"
            ),
            params: vec![
                SqlParam::Text(self.store.key(dedupe_key)),
                Self::expiry(now, self.store.processing_ttl()),
                SqlParam::Int(now),
            ],
            reply: SqlReply::RowCount,
        }
    }

    /// Step 2, from the claim's affected-row count: `Some(New)` when a row was written,
    /// `None` when a live row exists (run [`lookup`](Self::lookup)).
    pub fn claimed(&self, rows: u64) -> Option<GuardAnswer> {
        (rows > 0).then_some(GuardAnswer::New)
    }

    /// The live row's state, parameters `(key, now)`; read the first value.
    pub fn lookup(&self, dedupe_key: &str, now: i64) -> SqlStatement {
        SqlStatement {
            name: "lookup",
            template: format!(
                "SELECT state FROM {} WHERE replay_key = {{}} AND expires_at > {{}}",
                self.table
            ),
            params: vec![
                SqlParam::Text(self.store.key(dedupe_key)),
                SqlParam::Int(now),
            ],
            reply: SqlReply::FirstValue,
        }
    }

    /// [`DONE`] is a duplicate; anything else (`processing`, or no row because it expired in
    /// between) is in progress — the same reading as Redis's.
    pub fn looked_up(&self, state: Option<&str>) -> GuardAnswer {
        self.store.looked_up(state.map(str::as_bytes))
    }

    /// Step 3. Keep: parameters `(key, now + ttl)`, an upsert of `done`; release: `(key)`, a
    /// `DELETE`.
    pub fn settle(&self, dedupe_key: &str, action: KeyAction, now: i64) -> SqlStatement {
        let t = &self.table;
        let key = SqlParam::Text(self.store.key(dedupe_key));
        match action {
            KeyAction::Keep => SqlStatement {
                name: "keep",
                template: format!(
                    "INSERT INTO {t} (replay_key, state, expires_at) VALUES ({{}}, '{DONE}', {{}}) \
                     ON CONFLICT (replay_key) DO UPDATE SET state = excluded.state, \
                     expires_at = excluded.expires_at"
                ),
                params: vec![key, Self::expiry(now, self.store.ttl())],
                reply: SqlReply::Nothing,
            },
            KeyAction::Release => SqlStatement {
                name: "release",
                template: format!("DELETE FROM {t} WHERE replay_key = {{}}"),
                params: vec![key],
                reply: SqlReply::Nothing,
            },
        }
    }

    /// Deletes expired rows, parameter `(now)`. Optional housekeeping.
    pub fn purge(&self, now: i64) -> SqlStatement {
        SqlStatement {
            name: "purge",
            template: format!("DELETE FROM {} WHERE expires_at <= {{}}", self.table),
            params: vec![SqlParam::Int(now)],
            reply: SqlReply::Nothing,
        }
    }
}

/// One statement of the store's contract, numbered as the bindings number them (C's
/// `hooksig_sql_step`): a binding that takes a step number turns it into this once, and
/// [`SqlStore::statement`] decides the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlStep {
    /// [`SqlStore::claim`] (0).
    Claim,
    /// [`SqlStore::lookup`] (1).
    Lookup,
    /// [`SqlStore::settle`] with [`KeyAction::Keep`] (2).
    Keep,
    /// [`SqlStore::settle`] with [`KeyAction::Release`] (3).
    Release,
    /// [`SqlStore::purge`] (4).
    Purge,
    /// [`SqlStore::create_table`] (5).
    CreateTable,
}

impl SqlStep {
    /// Every step, in number order.
    pub const ALL: [SqlStep; 6] = [
        SqlStep::Claim,
        SqlStep::Lookup,
        SqlStep::Keep,
        SqlStep::Release,
        SqlStep::Purge,
        SqlStep::CreateTable,
    ];

    /// The step numbered `n`, or an `invalid_argument`-style message naming the range.
    ///
    /// ```
    /// use hooksig::sql_store::SqlStep;
    /// assert_eq!(SqlStep::from_number(2), Ok(SqlStep::Keep));
    /// assert!(SqlStep::from_number(6).unwrap_err().contains("0 to 5"));
    /// ```
    pub fn from_number(n: i64) -> std::result::Result<SqlStep, String> {
        usize::try_from(n)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
            .ok_or_else(|| format!("step must be a hooksig_sql_step (0 to 5), not {n}"))
    }

    /// Whether the statement names a delivery key (purge and the DDL do not).
    pub fn takes_key(self) -> bool {
        !matches!(self, SqlStep::Purge | SqlStep::CreateTable)
    }
}

impl SqlStore {
    /// The statement of `step` for `dedupe_key` at `now` (the key is ignored by the steps
    /// that take none, see [`SqlStep::takes_key`]).
    pub fn statement(&self, step: SqlStep, dedupe_key: &str, now: i64) -> SqlStatement {
        match step {
            SqlStep::Claim => self.claim(dedupe_key, now),
            SqlStep::Lookup => self.lookup(dedupe_key, now),
            SqlStep::Keep => self.settle(dedupe_key, KeyAction::Keep, now),
            SqlStep::Release => self.settle(dedupe_key, KeyAction::Release, now),
            SqlStep::Purge => self.purge(now),
            SqlStep::CreateTable => self.create_table(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(d: Dialect) -> SqlStore {
        SqlStore::new(SharedStore::new(600).unwrap(), "t", d).unwrap()
    }

    #[test]
    fn steps_by_number_are_the_contract_in_order() {
        let s = store(Dialect::Postgres);
        let direct = [
            s.claim("k", 7),
            s.lookup("k", 7),
            s.settle("k", KeyAction::Keep, 7),
            s.settle("k", KeyAction::Release, 7),
            s.purge(7),
            s.create_table(),
        ];
        for (n, want) in direct.iter().enumerate() {
            let step = SqlStep::from_number(n as i64).unwrap();
            assert_eq!(step, SqlStep::ALL[n]);
            assert_eq!(&s.statement(step, "k", 7), want, "step {n}");
            assert_eq!(step.takes_key(), n < 4);
        }
        for bad in [-1, 6, i64::MIN, i64::MAX] {
            let message = SqlStep::from_number(bad).unwrap_err();
            assert!(message.contains("0 to 5") && message.contains(&bad.to_string()));
        }
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let c = store(Dialect::Postgres).claim("k", 5);
        assert!(
            c.sql(Placeholder::Dollar)
                .ends_with("WHERE t.expires_at <= $3")
        );
        assert_eq!(c.sql(Placeholder::Question).matches('?').count(), 3);
        assert_eq!(c.sql(Placeholder::Percent).matches("%s").count(), 3);
        assert_eq!(c.params[1], SqlParam::Int(65));
    }

    #[test]
    fn ddl_per_dialect() {
        assert!(
            store(Dialect::Postgres)
                .create_table()
                .sql(Placeholder::Dollar)
                .contains("expires_at BIGINT")
        );
        assert!(
            store(Dialect::Sqlite)
                .create_table()
                .sql(Placeholder::Question)
                .contains("expires_at INTEGER")
        );
    }

    #[test]
    fn table_names() {
        let s = SharedStore::new(1).unwrap();
        for bad in ["", "a-b", "a.", ".a", "a b", "\"a\"", &"x".repeat(64)] {
            assert!(
                SqlStore::new(s.clone(), bad, Dialect::Sqlite).is_err(),
                "{bad}"
            );
        }
        assert!(SqlStore::new(s, &"x".repeat(63), Dialect::Sqlite).is_ok());
    }

    #[test]
    fn settle_and_purge() {
        let s = store(Dialect::Sqlite);
        let keep = s.settle("k", KeyAction::Keep, 10);
        assert_eq!(
            keep.params,
            [
                SqlParam::Text("hooksig:replay:k".into()),
                SqlParam::Int(610)
            ]
        );
        let rel = s.settle("k", KeyAction::Release, 10);
        assert_eq!(
            rel.sql(Placeholder::Question),
            "DELETE FROM t WHERE replay_key = ?"
        );
        assert_eq!(s.purge(7).params, [SqlParam::Int(7)]);
        assert_eq!(s.looked_up(None), GuardAnswer::InProgress);
        assert_eq!(s.looked_up(Some("processing")), GuardAnswer::InProgress);
        assert_eq!(s.claimed(2), Some(GuardAnswer::New));
    }
}
