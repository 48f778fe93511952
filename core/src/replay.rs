//! An in-memory replay guard: remembers verified deliveries for a while so that a retried or
//! replayed one can be answered without running the handler twice.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use crate::verifier::Verifier;

/// Default number of remembered deliveries (about 10 MB of keys at 100 bytes each).
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Margin added to a verifier's past tolerance: a delivery is remembered a little longer than
/// the window in which its timestamp would still be accepted.
const TTL_MARGIN_SECS: u64 = 60;

/// Remembered for a day when the scheme has no timestamp to bound replays by.
const UNTIMED_TTL_SECS: u64 = 24 * 60 * 60;

/// Thread-safe check-and-remember of delivery keys (use [`crate::Verified::dedupe_key`]).
///
/// - **Atomic:** [`ReplayGuard::check_and_remember`] decides and records under one lock, so of
///   two concurrent deliveries with the same key exactly one is told it is new.
/// - **Expiry:** entries expire `ttl` seconds after they were remembered (clock injected, so
///   tests don't sleep).
/// - **Bounded:** at most `capacity` entries. When full, expired entries are dropped first, then
///   the oldest entry is evicted (first in, first out). An evicted key could be accepted again;
///   size the capacity above your delivery rate × ttl.
///
/// ```
/// use hooksig::ReplayGuard;
/// let guard = ReplayGuard::new(300, 1000);
/// assert!(guard.check_and_remember("github:id:1", 1_000));   // new: run the handler
/// assert!(!guard.check_and_remember("github:id:1", 1_100));  // duplicate: answer 200, skip
/// guard.forget("github:id:1");                               // the handler failed: allow a retry
/// assert!(guard.check_and_remember("github:id:1", 1_200));
/// assert!(guard.check_and_remember("github:id:2", 1_000));
/// assert!(guard.check_and_remember("github:id:2", 1_301));   // expired after 300 s
/// ```
#[derive(Debug)]
pub struct ReplayGuard {
    ttl: u64,
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// key → expiry time.
    expires: HashMap<String, i64>,
    /// Insertion order with the expiry at insertion; stale rows (forgotten or re-remembered
    /// keys) are skipped when they reach the front.
    order: VecDeque<(i64, String)>,
}

impl ReplayGuard {
    /// A guard remembering each key for `ttl_secs`, holding at most `capacity` keys (at least 1).
    pub fn new(ttl_secs: u64, capacity: usize) -> ReplayGuard {
        ReplayGuard {
            ttl: ttl_secs,
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// A guard sized for a verifier: ttl = its past tolerance + 60 s, or 24 h for schemes
    /// without timestamps; default capacity.
    pub fn for_verifier(verifier: &Verifier) -> ReplayGuard {
        ReplayGuard::new(default_ttl(verifier), DEFAULT_REPLAY_CAPACITY)
    }

    /// The time-to-live in seconds.
    pub fn ttl(&self) -> u64 {
        self.ttl
    }

    /// The maximum number of remembered keys.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// `true` if `key` was not seen within its ttl (it is now remembered until `now + ttl`);
    /// `false` if it is a duplicate.
    pub fn check_and_remember(&self, key: &str, now: i64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&expiry) = state.expires.get(key) {
            if expiry > now {
                return false;
            }
        }
        state.purge_expired(now);
        while state.expires.len() >= self.capacity {
            if !state.evict_oldest() {
                break;
            }
        }
        let expiry = now.saturating_add(i64::try_from(self.ttl).unwrap_or(i64::MAX));
        state.expires.insert(key.to_owned(), expiry);
        state.order.push_back((expiry, key.to_owned()));
        true
    }

    /// [`check_and_remember`](Self::check_and_remember) at the system clock.
    pub fn remember(&self, key: &str) -> bool {
        self.check_and_remember(key, crate::verifier::unix_now())
    }

    /// Forgets `key`, so that the sender's retry is processed (call it when the handler failed).
    pub fn forget(&self, key: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.expires.remove(key);
    }

    /// Number of keys currently remembered (expired ones included until purged).
    pub fn len(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .expires
            .len()
    }

    /// `true` when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The ttl [`ReplayGuard::for_verifier`] uses; bindings that build their own guards (Redis)
/// take the same value.
pub fn default_ttl(verifier: &Verifier) -> u64 {
    match (verifier.scheme().has_timestamp(), verifier.tolerance().past) {
        (true, Some(past)) => past.saturating_add(TTL_MARGIN_SECS),
        _ => UNTIMED_TTL_SECS,
    }
}

impl State {
    fn purge_expired(&mut self, now: i64) {
        while let Some((expiry, _)) = self.order.front() {
            if *expiry > now {
                break;
            }
            if let Some((expiry, key)) = self.order.pop_front() {
                if self.expires.get(&key) == Some(&expiry) {
                    self.expires.remove(&key);
                }
            }
        }
    }

    /// Drops the oldest live entry; `false` when there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some((expiry, key)) = self.order.pop_front() {
            if self.expires.get(&key) == Some(&expiry) {
                self.expires.remove(&key);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn capacity_evicts_oldest_first() {
        let g = ReplayGuard::new(1_000, 2);
        assert!(g.check_and_remember("a", 0));
        assert!(g.check_and_remember("b", 1));
        assert!(g.check_and_remember("c", 2));
        assert_eq!(g.len(), 2);
        assert!(g.check_and_remember("a", 3), "a was evicted");
        assert!(!g.check_and_remember("c", 3));
    }

    #[test]
    fn forgotten_then_re_remembered_keys_are_not_evicted_by_stale_rows() {
        let g = ReplayGuard::new(10, 10);
        assert!(g.check_and_remember("k", 0));
        g.forget("k");
        assert!(g.check_and_remember("k", 5));
        // The stale row (expiry 10) reaches the front at t=10 but must not drop the new entry.
        assert!(!g.check_and_remember("k", 12));
        assert!(g.check_and_remember("k", 15));
    }

    #[test]
    fn exactly_one_of_many_threads_wins() {
        let g = Arc::new(ReplayGuard::new(300, 1_000));
        let winners = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (g, winners) = (Arc::clone(&g), Arc::clone(&winners));
                std::thread::spawn(move || {
                    for i in 0..1_000 {
                        if g.check_and_remember(&format!("k{i}"), 0) {
                            winners.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(winners.load(Ordering::Relaxed), 1_000);
    }
}
