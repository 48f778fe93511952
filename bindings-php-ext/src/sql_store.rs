//! `Hooksig\Ext\SqlStore`: the core's replay-store contract over one SQL table (C's
//! `hooksig_sql_store`): the statements, their parameters and the reading of each reply.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::sql_store::{Dialect, Placeholder, SqlParam, SqlReply, SqlStep};
use hooksig::{SharedStore, SqlStore};

use crate::answer::binary;
use crate::failure::{Fail, guard};
use crate::input::{bytes, c_int, c_u64, text};
use crate::receiver::guard_number;

#[php_class]
#[php(name = "Hooksig\\Ext\\SqlStore")]
pub struct ExtSqlStore {
    inner: SqlStore,
}

#[php_impl]
impl ExtSqlStore {
    /// `hooksig_sql_store_new` with `?` placeholders (PDO's); dialect 0 PostgreSQL, 1 SQLite.
    pub fn __construct(
        ttl: i64,
        processing_ttl: i64,
        prefix: &Zval,
        table: &Zval,
        dialect: i64,
    ) -> PhpResult<ExtSqlStore> {
        guard(|| {
            let prefix = text(bytes(prefix, "prefix")?, "prefix")?;
            let table = text(bytes(table, "table")?, "table")?;
            let dialect = match c_int(dialect) {
                0 => Dialect::Postgres,
                1 => Dialect::Sqlite,
                other => {
                    return Err(Fail::invalid_argument(format!(
                        "dialect must be a hooksig_sql_dialect (0 or 1), not {other}"
                    )));
                }
            };
            let shared = SharedStore::with_options(c_u64(ttl), c_u64(processing_ttl), prefix)?;
            Ok(ExtSqlStore {
                inner: SqlStore::new(shared, table, dialect)?,
            })
        })
    }

    /// `hooksig_sql_store_statement`: `[sql, params, reply]` (params strings or ints; reply 0
    /// nothing, 1 row count, 2 first value).
    pub fn statement(&self, step: i64, key: &Zval, now: i64) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let s = &self.inner;
            let step = SqlStep::from_number(c_int(step).into()).map_err(Fail::invalid_argument)?;
            let key = if step.takes_key() {
                text(bytes(key, "key")?, "key")?
            } else {
                ""
            };
            let st = s.statement(step, key, now);
            let mut params = ZendHashTable::new();
            for p in &st.params {
                let _ = match p {
                    SqlParam::Text(t) => params.push(binary(t.as_bytes())),
                    SqlParam::Int(i) => params.push(*i),
                };
            }
            let reply: i64 = match st.reply {
                SqlReply::Nothing => 0,
                SqlReply::RowCount => 1,
                SqlReply::FirstValue => 2,
            };
            let mut out = ZendHashTable::new();
            let _ = out.push(binary(st.sql(Placeholder::Question).as_bytes()));
            let _ = out.push(params);
            let _ = out.push(reply);
            Ok(out)
        })
    }

    /// `hooksig_sql_store_claimed`: a guard answer, or null when the lookup must follow.
    pub fn claimed(&self, rows: i64) -> PhpResult<Option<i64>> {
        guard(|| {
            Ok(self
                .inner
                .claimed(u64::try_from(rows).unwrap_or(0))
                .map(guard_number))
        })
    }

    /// `hooksig_sql_store_looked_up`: the state read (null: no row) to a guard answer.
    pub fn looked_up(&self, state: Option<&Zval>) -> PhpResult<i64> {
        let state = state
            .and_then(|v| v.zend_str())
            .map(|s| std::str::from_utf8(s.as_bytes()).unwrap_or(""));
        guard(|| Ok(guard_number(self.inner.looked_up(state))))
    }
}
