//! `hooksig_sql_store` and `hooksig_sql_statement`: the core's replay-store contract over one
//! SQL table (PostgreSQL or SQLite): the DDL, the claim / lookup / settle / purge statements
//! with their parameters, and the reading of each reply. The caller only executes each statement
//! with its own connection (PHP: PDO) and passes the reply back.

use crate::prelude::*;
use hooksig::shared_store::SharedStore;
use hooksig::sql_store::{Dialect, Placeholder, SqlParam, SqlReply, SqlStep, SqlStore};

use crate::receiver::hooksig_guard_answer;
use crate::shared_store::{HOOKSIG_STORE_LOOKUP_NEEDED, claimed, reply};

/// The SQL dialect of `hooksig_sql_store_new`.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_sql_dialect {
    /// PostgreSQL 9.5+.
    HOOKSIG_SQL_POSTGRES = 0,
    /// SQLite 3.24+.
    HOOKSIG_SQL_SQLITE = 1,
}

/// Which statement `hooksig_sql_store_statement` builds.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_sql_step {
    /// The claim: parameters (key, now + processing ttl, now); read the affected-row count.
    HOOKSIG_SQL_CLAIM = 0,
    /// The live row's state: parameters (key, now); read the first value (or none).
    HOOKSIG_SQL_LOOKUP = 1,
    /// The handler succeeded: upsert `done` until now + ttl; parameters (key, now + ttl).
    HOOKSIG_SQL_KEEP = 2,
    /// The handler failed: `DELETE`; parameters (key).
    HOOKSIG_SQL_RELEASE = 3,
    /// Delete expired rows; parameters (now). `key` is ignored.
    HOOKSIG_SQL_PURGE = 4,
    /// `CREATE TABLE IF NOT EXISTS`; no parameters. `key` and `now` are ignored.
    HOOKSIG_SQL_CREATE = 5,
}

/// What to read back from a statement (`hooksig_sql_statement_reply`).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_sql_reply {
    /// Nothing.
    HOOKSIG_SQL_REPLY_NOTHING = 0,
    /// The affected-row count: pass it to `hooksig_sql_store_claimed`.
    HOOKSIG_SQL_REPLY_ROWCOUNT = 1,
    /// The first column of the first row (or none): pass it to `hooksig_sql_store_looked_up`.
    HOOKSIG_SQL_REPLY_VALUE = 2,
}

/// The replay-store contract over one SQL table. Immutable: share it between threads.
pub struct hooksig_sql_store {
    inner: SqlStore,
    placeholder: Placeholder,
}

enum Param {
    Text(CText),
    Int(i64),
}

/// One statement: its text (with `?` or `$1`… placeholders), positional parameters and reply
/// kind.
pub struct hooksig_sql_statement {
    sql: CText,
    params: Vec<Param>,
    reply: hooksig_sql_reply,
}

/// A store over `table` (an identifier, optionally `schema.table`, else
/// `HOOKSIG_INVALID_ARGUMENT`) in a `dialect` (`hooksig_sql_dialect`) database, with the TTLs
/// and prefix of `hooksig_shared_store_new`. `dollar_placeholders` non-zero writes `$1`, `$2`…
/// (libpq), zero `?` (PDO, SQLite).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hooksig_sql_store_new(
    ttl_s: u64,
    processing_ttl_s: u64,
    prefix: *const c_char,
    prefix_len: usize,
    table: *const c_char,
    table_len: usize,
    dialect: i32,
    dollar_placeholders: i32,
    out: *mut *mut hooksig_sql_store,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let prefix = text(prefix, prefix_len, "prefix")?;
            let table = text(table, table_len, "table")?;
            let dialect = match dialect {
                0 => Dialect::Postgres,
                1 => Dialect::Sqlite,
                n => {
                    let message =
                        format!("dialect must be a hooksig_sql_dialect (0 or 1), not {n}");
                    return Err(invalid(message));
                }
            };
            let shared = SharedStore::with_options(ttl_s, processing_ttl_s, prefix)?;
            let inner = SqlStore::new(shared, table, dialect)?;
            let placeholder = if dollar_placeholders != 0 {
                Placeholder::Dollar
            } else {
                Placeholder::Question
            };
            Ok(hooksig_sql_store { inner, placeholder })
        })
    }
}

/// The statement for `step` (a `hooksig_sql_step`) on the delivery key `key` at `now` (Unix
/// seconds, the application's clock).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_store_statement(
    store: *const hooksig_sql_store,
    step: i32,
    key: *const c_char,
    key_len: usize,
    now: i64,
    out: *mut *mut hooksig_sql_statement,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let store = handle(store, "store")?;
            let step = SqlStep::from_number(step.into()).map_err(invalid)?;
            let key = if step.takes_key() {
                text(key, key_len, "key")?
            } else {
                ""
            };
            let st = store.inner.statement(step, key, now);
            let params = st.params.iter().map(|p| match p {
                SqlParam::Text(t) => Param::Text(CText::new(t.as_bytes())),
                SqlParam::Int(i) => Param::Int(*i),
            });
            let reply = match st.reply {
                SqlReply::Nothing => hooksig_sql_reply::HOOKSIG_SQL_REPLY_NOTHING,
                SqlReply::RowCount => hooksig_sql_reply::HOOKSIG_SQL_REPLY_ROWCOUNT,
                SqlReply::FirstValue => hooksig_sql_reply::HOOKSIG_SQL_REPLY_VALUE,
            };
            let sql = CText::new(st.sql(store.placeholder).as_bytes());
            Ok(hooksig_sql_statement {
                sql,
                params: params.collect(),
                reply,
            })
        })
    }
}

/// After a claim, from its affected-row count: `HOOKSIG_GUARD_NEW` when a row was written,
/// else `HOOKSIG_STORE_LOOKUP_NEEDED` (also for a NULL `store`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_store_claimed(
    store: *const hooksig_sql_store,
    rows: u64,
) -> i32 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(store, HOOKSIG_STORE_LOOKUP_NEEDED, |s| {
            claimed(s.inner.claimed(rows))
        })
    }
}

/// After a lookup, from the state it read (NULL for no row): `HOOKSIG_GUARD_DUPLICATE` for
/// `done`, `HOOKSIG_GUARD_IN_PROGRESS` otherwise (and for a NULL `store`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_store_looked_up(
    store: *const hooksig_sql_store,
    state: *const c_char,
    state_len: usize,
) -> hooksig_guard_answer {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(
            store,
            hooksig_guard_answer::HOOKSIG_GUARD_IN_PROGRESS,
            |s| {
                let state = reply(state, state_len).map(|b| std::str::from_utf8(b).unwrap_or(""));
                s.inner.looked_up(state).into()
            },
        )
    }
}

/// Releases a store. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_store_free(store: *mut hooksig_sql_store) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(store) }
}

/// The statement's text (NULL for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_sql(
    st: *const hooksig_sql_statement,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(st, len_out, |s| Some(s.sql.bytes())) }
}

/// What to read back (`hooksig_sql_reply`; `HOOKSIG_SQL_REPLY_NOTHING` for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_reply(st: *const hooksig_sql_statement) -> i32 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(st, 0, |s| s.reply as i32) }
}

/// The number of positional parameters (0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_param_count(
    st: *const hooksig_sql_statement,
) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(st, 0, |s| s.params.len()) }
}

/// Parameter `index` when it is text (NULL when it is an integer or out of range).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_param_text(
    st: *const hooksig_sql_statement,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_text(st, len_out, |s| match s.params.get(index)? {
            Param::Text(t) => Some(t.bytes()),
            Param::Int(_) => None,
        })
    }
}

/// Parameter `index` when it is an integer (Unix seconds; 0 otherwise).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_param_int(
    st: *const hooksig_sql_statement,
    index: usize,
) -> i64 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(st, 0, |s| match s.params.get(index) {
            Some(Param::Int(i)) => *i,
            _ => 0,
        })
    }
}

/// Releases a statement and its strings. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sql_statement_free(st: *mut hooksig_sql_statement) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(st) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::hooksig_status::HOOKSIG_INVALID_ARGUMENT;

    #[test]
    fn a_claim_round_trip_through_the_c_api() {
        let mut store = std::ptr::null_mut();
        let (prefix, table) = ("p:", "seen");
        let status = unsafe {
            hooksig_sql_store_new(
                600,
                60,
                prefix.as_ptr().cast(),
                prefix.len(),
                table.as_ptr().cast(),
                table.len(),
                hooksig_sql_dialect::HOOKSIG_SQL_POSTGRES as i32,
                1,
                &mut store,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, hooksig_status::HOOKSIG_OK);
        let mut st = std::ptr::null_mut();
        let key = "k";
        let status = unsafe {
            hooksig_sql_store_statement(
                store,
                hooksig_sql_step::HOOKSIG_SQL_CLAIM as i32,
                key.as_ptr().cast(),
                key.len(),
                100,
                &mut st,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, hooksig_status::HOOKSIG_OK);
        unsafe {
            let mut len = 0;
            let sql = hooksig_sql_statement_sql(st, &mut len);
            let sql =
                std::str::from_utf8(std::slice::from_raw_parts(sql.cast::<u8>(), len)).unwrap();
            assert!(sql.ends_with("WHERE seen.expires_at <= $3"), "{sql}");
            assert_eq!(hooksig_sql_statement_param_count(st), 3);
            let text = hooksig_sql_statement_param_text(st, 0, &mut len);
            assert_eq!(std::slice::from_raw_parts(text.cast::<u8>(), len), b"p:k");
            assert!(hooksig_sql_statement_param_text(st, 1, &mut len).is_null());
            assert_eq!(hooksig_sql_statement_param_int(st, 1), 160);
            assert_eq!(hooksig_sql_statement_reply(st), 1);
            assert_eq!(
                hooksig_sql_store_claimed(store, 1),
                hooksig_guard_answer::HOOKSIG_GUARD_NEW as i32
            );
            assert_eq!(
                hooksig_sql_store_claimed(store, 0),
                HOOKSIG_STORE_LOOKUP_NEEDED
            );
            let done = "done";
            assert_eq!(
                hooksig_sql_store_looked_up(store, done.as_ptr().cast(), done.len()),
                hooksig_guard_answer::HOOKSIG_GUARD_DUPLICATE
            );
            hooksig_sql_statement_free(st);
            hooksig_sql_store_free(store);
        }
    }

    #[test]
    fn bad_table_and_step_are_invalid_arguments() {
        let mut store = std::ptr::null_mut();
        let table = "x; DROP";
        let status = unsafe {
            hooksig_sql_store_new(
                1,
                1,
                "".as_ptr().cast(),
                0,
                table.as_ptr().cast(),
                table.len(),
                1,
                0,
                &mut store,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, HOOKSIG_INVALID_ARGUMENT);
        assert!(store.is_null());
    }
}
