//! `Hooksig\Ext\SharedStore`: the core's replay-store contract for Redis (C's
//! `hooksig_shared_store`): the argv of each step and the reading of each reply.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::{KeyAction, SharedStore, StoreCommand, shared_store};

use crate::answer::binary;
use crate::failure::{Fail, guard};
use crate::input::{bytes, c_int, c_u64, text};
use crate::receiver::guard_number;

#[php_class]
#[php(name = "Hooksig\\Ext\\SharedStore")]
pub struct ExtSharedStore {
    inner: SharedStore,
}

#[php_impl]
impl ExtSharedStore {
    /// `hooksig_shared_store_new`. The TTLs are C's `uint64_t`: a negative one wraps around
    /// (out of range, refused by the core) exactly as it does through FFI.
    pub fn __construct(ttl: i64, processing_ttl: i64, prefix: &Zval) -> PhpResult<ExtSharedStore> {
        guard(|| {
            let prefix = text(bytes(prefix, "prefix")?, "prefix")?;
            let inner = SharedStore::with_options(c_u64(ttl), c_u64(processing_ttl), prefix)?;
            Ok(ExtSharedStore { inner })
        })
    }

    /// `hooksig_store_default_prefix`.
    pub fn default_prefix() -> String {
        shared_store::STORE_PREFIX.to_owned()
    }

    pub fn ttl(&self) -> i64 {
        i64::try_from(self.inner.ttl()).unwrap_or(i64::MAX)
    }

    pub fn processing_ttl(&self) -> i64 {
        i64::try_from(self.inner.processing_ttl()).unwrap_or(i64::MAX)
    }

    /// `hooksig_shared_store_command`: the Redis argv of a step (0 claim, 1 lookup, 2 keep,
    /// 3 release).
    pub fn command(&self, step: i64, key: &Zval) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let key = text(bytes(key, "key")?, "key")?;
            let command: StoreCommand = match c_int(step) {
                0 => self.inner.claim(key),
                1 => self.inner.lookup(key),
                2 => self.inner.settle(key, KeyAction::Keep),
                3 => self.inner.settle(key, KeyAction::Release),
                other => {
                    return Err(Fail::invalid_argument(format!(
                        "step must be a hooksig_store_step (0 to 3), not {other}"
                    )));
                }
            };
            let mut argv = ZendHashTable::new();
            for arg in command.argv() {
                let _ = argv.push(binary(arg.as_bytes()));
            }
            Ok(argv)
        })
    }

    /// `hooksig_shared_store_claimed`: a guard answer, or null when the lookup must follow.
    pub fn claimed(&self, was_set: bool) -> PhpResult<Option<i64>> {
        guard(|| Ok(self.inner.claimed(was_set).map(guard_number)))
    }

    /// `hooksig_shared_store_looked_up`: GET's value (null: none) to a guard answer.
    pub fn looked_up(&self, value: Option<&Zval>) -> PhpResult<i64> {
        let value = value.and_then(|v| v.zend_str()).map(|s| s.as_bytes());
        guard(|| Ok(guard_number(self.inner.looked_up(value))))
    }
}
