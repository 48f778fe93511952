//! `hooksig_replay_guard`: the core's in-memory replay guard, for receivers that run as one
//! process (threads included); several processes need a shared store (`shared_store.rs`).

use crate::prelude::*;

use hooksig::ReplayGuard;

use crate::status::hooksig_status::HOOKSIG_NULL_ARGUMENT;
use crate::verifier::{HOOKSIG_NOW, hooksig_verifier};

/// The capacity `hooksig_replay_guard_new_for` uses (remembered deliveries). A literal so that
/// cbindgen can write it; a unit test checks it against the core's `DEFAULT_REPLAY_CAPACITY`.
pub const HOOKSIG_DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Remembers verified deliveries for a while so that a retried or replayed one can be answered
/// (200, "duplicate") without running the handler twice. Thread-safe: share one guard;
/// `hooksig_replay_guard_check_and_remember` decides and records atomically, so of several
/// concurrent deliveries with the same key exactly one is told it is new. Entries expire `ttl`
/// seconds after they were remembered; at most `capacity` are kept (when full, expired entries
/// go first, then the oldest: size the capacity above deliveries per second × ttl). In memory,
/// so per process: several processes (PHP-FPM, several machines) need a shared store.
pub struct hooksig_replay_guard(ReplayGuard);

/// A guard remembering each key for `ttl_s` seconds (at least the verifier's tolerance),
/// holding at most `capacity` keys (`HOOKSIG_DEFAULT_REPLAY_CAPACITY`: 100000, about 10 MB).
/// Either 0 → `HOOKSIG_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_new(
    ttl_s: u64,
    capacity: usize,
    out: *mut *mut hooksig_replay_guard,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let inner = ReplayGuard::try_new(ttl_s, capacity)?;
            Ok(hooksig_replay_guard(inner))
        })
    }
}

/// A guard sized for `verifier`: ttl = its past + future tolerance + 60 s (24 h for schemes
/// without a timestamp), capacity `HOOKSIG_DEFAULT_REPLAY_CAPACITY`. The guard does not keep
/// the verifier.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_new_for(
    verifier: *const hooksig_verifier,
    out: *mut *mut hooksig_replay_guard,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let inner = ReplayGuard::for_verifier(handle(verifier, "verifier")?.inner());
            Ok(hooksig_replay_guard(inner))
        })
    }
}

/// The ttl `hooksig_replay_guard_new_for` would give a guard for `verifier`, in seconds (its
/// past + future tolerance + 60 s, or 86400 for schemes without a timestamp): use it for a
/// shared store. 0 if `verifier` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_default_ttl(verifier: *const hooksig_verifier) -> u64 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(verifier, 0, |v| hooksig::default_ttl(v.inner())) }
}

/// Checks a delivery key and remembers it, atomically. `key`: UTF-8, may be empty, not NULL
/// (`hooksig_verified_dedupe_key` of a *verified* request, so forged requests cannot burn
/// keys). `now`: Unix seconds or `HOOKSIG_NOW`. `is_new_out` receives 1 when the key was not
/// seen within its ttl (now remembered: run the handler), 0 for a duplicate (answer 200 and
/// skip the handler).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_check_and_remember(
    guard: *const hooksig_replay_guard,
    key: *const c_char,
    key_len: usize,
    now: i64,
    is_new_out: *mut i32,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            if is_new_out.is_null() {
                return Err(Failure::new(
                    HOOKSIG_NULL_ARGUMENT,
                    "argument `is_new_out` is NULL",
                ));
            }
            let guard = &handle(guard, "guard")?.0;
            let key = text(key, key_len, "key")?;
            let is_new = if now == HOOKSIG_NOW {
                guard.remember(key)
            } else {
                guard.check_and_remember(key, now)
            };
            *is_new_out = i32::from(is_new);
            Ok(())
        })
    }
}

/// Forgets a key, so that the sender's retry is processed: call it when the handler failed
/// after `hooksig_replay_guard_check_and_remember` said the delivery was new. Forgetting an
/// unknown key is not an error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_forget(
    guard: *const hooksig_replay_guard,
    key: *const c_char,
    key_len: usize,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_status(err_out, || {
            let guard = &handle(guard, "guard")?.0;
            guard.forget(text(key, key_len, "key")?);
            Ok(())
        })
    }
}

/// The guard's time-to-live in seconds (0 if `guard` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_ttl(guard: *const hooksig_replay_guard) -> u64 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(guard, 0, |g| g.0.ttl()) }
}

/// The most keys the guard keeps (0 if `guard` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_capacity(
    guard: *const hooksig_replay_guard,
) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(guard, 0, |g| g.0.capacity()) }
}

/// The number of keys held, expired ones included until purged (0 if `guard` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_len(guard: *const hooksig_replay_guard) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(guard, 0, |g| g.0.len()) }
}

/// Releases a guard and everything it remembers. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_replay_guard_free(guard: *mut hooksig_replay_guard) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(guard) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_c_default_capacity_is_the_core_one() {
        assert_eq!(
            super::HOOKSIG_DEFAULT_REPLAY_CAPACITY,
            hooksig::DEFAULT_REPLAY_CAPACITY
        );
    }
}
