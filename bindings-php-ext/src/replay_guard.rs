//! `Hooksig\Ext\ReplayGuard`: the core's in-memory replay guard (C's `hooksig_replay_guard`).

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use hooksig::ReplayGuard;

use crate::failure::guard;
use crate::input::{bytes, text};

#[php_class]
#[php(name = "Hooksig\\Ext\\ReplayGuard")]
pub struct ExtReplayGuard {
    inner: ReplayGuard,
}

#[php_impl]
impl ExtReplayGuard {
    /// `hooksig_replay_guard_new` (the composer package passes a negative value as 0, which the
    /// core refuses).
    pub fn __construct(ttl: i64, capacity: i64) -> PhpResult<ExtReplayGuard> {
        guard(|| {
            let ttl = u64::try_from(ttl).unwrap_or(0);
            let capacity = usize::try_from(capacity).unwrap_or(0);
            Ok(ExtReplayGuard {
                inner: ReplayGuard::try_new(ttl, capacity)?,
            })
        })
    }

    /// True when the key is new (now remembered); `now` null uses the clock.
    pub fn check_and_remember(&self, key: &Zval, now: Option<i64>) -> PhpResult<bool> {
        guard(|| {
            let key = text(bytes(key, "key")?, "key")?;
            Ok(match now {
                None => self.inner.remember(key),
                Some(now) => self.inner.check_and_remember(key, now),
            })
        })
    }

    pub fn forget(&self, key: &Zval) -> PhpResult<()> {
        guard(|| {
            self.inner.forget(text(bytes(key, "key")?, "key")?);
            Ok(())
        })
    }

    pub fn ttl(&self) -> i64 {
        i64::try_from(self.inner.ttl()).unwrap_or(i64::MAX)
    }

    pub fn capacity(&self) -> i64 {
        i64::try_from(self.inner.capacity()).unwrap_or(i64::MAX)
    }

    /// Keys held (it takes the guard's lock: under `guard` like every call that can fail).
    pub fn len(&self) -> PhpResult<i64> {
        guard(|| Ok(i64::try_from(self.inner.len()).unwrap_or(i64::MAX)))
    }
}
