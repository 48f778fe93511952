//! The in-memory replay guard: the core's `ReplayGuard`, shared by every request of a process.

use napi_derive::napi;

/// Options of `checkAndRemember`.
#[napi(object)]
pub struct ReplayCheckOptions {
    /// The clock, in Unix seconds (default: the system clock). For tests.
    pub now: Option<i64>,
}

/// Remembers verified deliveries (by `Verified.dedupeKey`) for `ttl` seconds (default: the
/// verifier's `replayTtl`), in memory for one process (several share `hooksig/redis` or
/// `hooksig/sql`). Holds at most `capacity` keys (default 100 000): when full, expired keys go
/// first, then the oldest (an evicted delivery would be accepted again).
#[napi]
pub struct ReplayGuard {
    inner: hooksig::ReplayGuard,
}

#[napi]
impl ReplayGuard {
    /// Throws `HooksigError('invalid_argument')` for a `ttl` or `capacity` that is not a positive
    /// integer, `HooksigError('invalid_config')` when neither `ttl` nor `verifier` is given.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "options: ReplayGuardOptions"
    )]
    pub fn new(ttl: i64, capacity: Option<i64>) -> Self {
        // lib/replay.js has checked both are positive safe integers.
        let ttl = u64::try_from(ttl).unwrap_or(1);
        let capacity = capacity
            .and_then(|c| usize::try_from(c).ok())
            .unwrap_or(hooksig::DEFAULT_REPLAY_CAPACITY);
        ReplayGuard {
            inner: hooksig::ReplayGuard::new(ttl, capacity),
        }
    }

    /// `true` if `key` was not seen within the ttl (it is now remembered: run the handler);
    /// `false` for a duplicate. Atomic: of concurrent calls with one key, exactly one gets `true`.
    #[napi(catch_unwind)]
    pub fn check_and_remember(&self, key: String, options: Option<ReplayCheckOptions>) -> bool {
        match options.and_then(|o| o.now) {
            Some(now) => self.inner.check_and_remember(&key, now),
            None => self.inner.remember(&key),
        }
    }

    /// Forgets `key`, so that the sender's retry is processed (when the handler failed).
    #[napi(catch_unwind)]
    pub fn forget(&self, key: String) {
        self.inner.forget(&key);
    }

    /// How many keys are remembered (expired ones included until they are purged).
    #[napi(catch_unwind, getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// Seconds a key is remembered.
    #[napi(catch_unwind, getter)]
    pub fn ttl(&self) -> i64 {
        crate::js_safe(self.inner.ttl())
    }

    /// The most keys remembered at once.
    #[napi(catch_unwind, getter)]
    pub fn capacity(&self) -> i64 {
        crate::js_safe(u64::try_from(self.inner.capacity()).unwrap_or(u64::MAX))
    }
}
