//! An in-memory replay guard: remembers verified deliveries for a while so that a retried or
//! replayed one can be answered without running the handler twice.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Error, ErrorCode, Result};
use crate::verifier::Verifier;

/// Default number of remembered deliveries (about 10 MB of keys at 100 bytes each).
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Margin added to a verifier's tolerance window: a delivery is remembered a little longer than
/// the window in which its timestamp would still be accepted.
const TTL_MARGIN_SECS: u64 = 60;

/// Stale rows tolerated in the order queue beyond the live ones before it is compacted.
const COMPACTION_SLACK: usize = 1024;

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
    /// key → (expiry time, generation of the row in `order` that belongs to it).
    expires: HashMap<Arc<str>, (i64, u64)>,
    /// Insertion order: (expiry, generation, key). A row is live when its generation is the one
    /// `expires` holds for its key; stale rows (forgotten or re-remembered keys) are skipped when
    /// they reach the front, and dropped all at once when they outnumber the live ones (see
    /// [`State::compact`]), so `order` never holds more than `2 × capacity + 1025` rows.
    order: VecDeque<(i64, u64, Arc<str>)>,
    /// Generation counter: each remembered key gets a fresh one.
    next_generation: u64,
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

    /// As [`ReplayGuard::new`], for a ttl and capacity given by a user: 0 for either is refused
    /// with [`ErrorCode::InvalidArgument`] (a guard that remembers nothing protects nothing).
    /// Every binding's constructor calls it.
    ///
    /// ```
    /// use hooksig::{ErrorCode, ReplayGuard};
    /// assert_eq!(ReplayGuard::try_new(300, 10).unwrap().capacity(), 10);
    /// let err = ReplayGuard::try_new(0, 10).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::InvalidArgument);
    /// assert_eq!(err.message(), "ttl must be at least 1 second");
    /// ```
    pub fn try_new(ttl_secs: u64, capacity: usize) -> Result<ReplayGuard> {
        if ttl_secs == 0 {
            return Err(Error::config(
                ErrorCode::InvalidArgument,
                "ttl must be at least 1 second",
            ));
        }
        if capacity == 0 {
            return Err(Error::config(
                ErrorCode::InvalidArgument,
                "capacity must be at least 1",
            ));
        }
        Ok(ReplayGuard::new(ttl_secs, capacity))
    }

    /// A guard sized for a verifier: ttl = [`default_ttl`] (its past + future tolerance + 60 s,
    /// or 24 h for schemes without timestamps); default capacity.
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
        if let Some(&(expiry, _)) = state.expires.get(key) {
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
        let generation = state.next_generation;
        state.next_generation = generation.wrapping_add(1);
        let key: Arc<str> = Arc::from(key);
        state.expires.insert(Arc::clone(&key), (expiry, generation));
        state.order.push_back((expiry, generation, key));
        state.compact();
        true
    }

    /// [`check_and_remember`](Self::check_and_remember) at the system clock.
    pub fn remember(&self, key: &str) -> bool {
        self.check_and_remember(key, crate::timestamp::unix_now())
    }

    /// Forgets `key`, so that the sender's retry is processed (call it when the handler failed).
    pub fn forget(&self, key: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.expires.remove(key);
        state.compact();
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
///
/// A delivery dated `ts` is accepted while `ts - future <= now <= ts + past`, a span of
/// `past + future` seconds that may start at the first acceptance (a delivery dated `future`
/// seconds ahead). So a timed scheme remembers a delivery for `past + future + 60` seconds
/// (660 s with the default 300 s each way). Untimed schemes, and a verifier with either bound
/// disabled (nothing then limits how long a replay would be accepted), get 24 h. A composite
/// ([`Verifier::any_of`]) gets the longest of its verifiers' ttls.
///
/// ```
/// use hooksig::{Verifier, default_ttl};
/// assert_eq!(default_ttl(&Verifier::new("stripe", ["whsec_x"]).unwrap()), 660);
/// assert_eq!(default_ttl(&Verifier::new("github", ["x"]).unwrap()), 86_400);
/// ```
pub fn default_ttl(verifier: &Verifier) -> u64 {
    if verifier.is_any_of() {
        return verifier
            .members()
            .iter()
            .map(|m| default_ttl(m))
            .max()
            .unwrap_or(UNTIMED_TTL_SECS);
    }
    let tolerance = verifier.tolerance();
    match (
        verifier.scheme().has_timestamp(),
        tolerance.past,
        tolerance.future,
    ) {
        (true, Some(past), Some(future)) => {
            past.saturating_add(future).saturating_add(TTL_MARGIN_SECS)
        }
        _ => UNTIMED_TTL_SECS,
    }
}

impl State {
    fn is_live(&self, generation: u64, key: &str) -> bool {
        self.expires.get(key).is_some_and(|&(_, g)| g == generation)
    }

    fn purge_expired(&mut self, now: i64) {
        while let Some((expiry, _, _)) = self.order.front() {
            if *expiry > now {
                break;
            }
            if let Some((_, generation, key)) = self.order.pop_front() {
                if self.is_live(generation, &key) {
                    self.expires.remove(&key);
                }
            }
        }
    }

    /// Drops the oldest live entry; `false` when there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some((_, generation, key)) = self.order.pop_front() {
            if self.is_live(generation, &key) {
                self.expires.remove(&key);
                return true;
            }
        }
        false
    }

    /// Drops every stale row once they outnumber the live ones by more than
    /// [`COMPACTION_SLACK`]. A compaction costs the queue's length, and the stale rows it drops
    /// took at least as many calls to accumulate: amortised O(1). The queue therefore holds at
    /// most `2 × live + COMPACTION_SLACK` rows, where live ≤ capacity, whatever the sequence of
    /// calls (`forget` included).
    fn compact(&mut self) {
        if self.order.len() > self.expires.len().saturating_mul(2) + COMPACTION_SLACK {
            let expires = &self.expires;
            self.order.retain(|(_, generation, key)| {
                expires.get(key).is_some_and(|&(_, g)| g == *generation)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn expiry_boundary_exact_keys_and_forget() {
        let g = ReplayGuard::new(300, 100);
        assert!(g.check_and_remember("github:id:d-1", 1_000));
        assert!(
            !g.check_and_remember("github:id:d-1", 1_299),
            "remembered for ttl - 1"
        );
        assert!(
            g.check_and_remember("GITHUB:id:d-1", 1_000),
            "keys are exact bytes"
        );
        assert!(g.check_and_remember("", 1_000), "an empty key is a key");
        assert!(!g.check_and_remember("", 1_000));
        assert!(
            g.check_and_remember("github:id:d-1", 1_300),
            "new again at now + ttl"
        );
        assert!(!g.check_and_remember("github:id:d-1", 1_301));
        g.forget("never-seen");
        assert_eq!(g.len(), 1, "the keys that expired at 1_300 were purged");
    }

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

    fn order_len(g: &ReplayGuard) -> usize {
        g.state.lock().expect("lock").order.len()
    }

    #[test]
    fn check_and_forget_cycles_keep_the_queue_bounded_by_the_capacity() {
        // Issue 12 item 4: `forget` used to leave its row in `order` (2 M cycles: +183 MiB).
        let g = ReplayGuard::new(300, 10);
        let bound = 2 * 10 + COMPACTION_SLACK + 1;
        for i in 0..100_000 {
            assert!(g.check_and_remember("k", 1_000 + i % 7));
            g.forget("k");
            assert!(order_len(&g) <= bound, "cycle {i}: {} rows", order_len(&g));
        }
        // Also with the same `now` every time (rows that differ only by generation).
        for _ in 0..10_000 {
            assert!(g.check_and_remember("k", 5_000));
            g.forget("k");
        }
        assert!(order_len(&g) <= bound);
        assert!(g.is_empty());
        // A large capacity does not loosen the bound when few keys are live.
        let big = ReplayGuard::new(300, 1_000_000);
        for _ in 0..100_000 {
            assert!(big.check_and_remember("k", 1));
            big.forget("k");
        }
        assert!(order_len(&big) <= COMPACTION_SLACK + 1);
    }

    #[test]
    fn re_remembering_expired_keys_keeps_the_queue_bounded() {
        let g = ReplayGuard::new(1, 4);
        for now in 0..10_000 {
            assert!(g.check_and_remember("a", now * 2));
            assert!(g.check_and_remember("b", now * 2));
        }
        assert!(order_len(&g) <= 2 * 4 + COMPACTION_SLACK + 1);
        assert!(g.len() <= 4);
    }

    #[test]
    fn compaction_keeps_the_live_entries_and_their_order() {
        let g = ReplayGuard::new(1_000, 3);
        assert!(g.check_and_remember("a", 0));
        assert!(g.check_and_remember("b", 1));
        for _ in 0..3_000 {
            assert!(g.check_and_remember("x", 2));
            g.forget("x");
        }
        assert!(order_len(&g) < 3_000, "compacted at least once");
        assert!(g.check_and_remember("c", 3));
        assert!(!g.check_and_remember("a", 4) && !g.check_and_remember("b", 4));
        assert!(g.check_and_remember("d", 5), "full: evicts the oldest (a)");
        assert!(g.check_and_remember("a", 6), "a was the oldest");
        assert!(!g.check_and_remember("d", 6));
    }

    #[test]
    fn the_default_ttl_covers_the_future_tolerance_too() {
        use crate::{Tolerance, Verifier};
        let v = Verifier::new("algoguard", ["whsec_k"]).expect("verifier");
        assert_eq!(default_ttl(&v), 300 + 300 + 60);
        // A delivery dated +250 s is accepted at T and would still be accepted at T+500
        // (its age is then 250 s): the guard must still remember it.
        let (t, dated) = (1_767_225_600, 1_767_225_600 + 250);
        let body = br#"{"id":"evt_f"}"#;
        let headers = v.sign(body, &crate::SignOptions::at(dated)).expect("sign");
        let guard = ReplayGuard::for_verifier(&v);
        let first = v.verify_at(&headers, body, t).expect("accepted at T");
        assert!(guard.check_and_remember(&first.dedupe_key(), t));
        let replay = v
            .verify_at(&headers, body, t + 500)
            .expect("still inside the window");
        assert!(!guard.check_and_remember(&replay.dedupe_key(), t + 500));
        // Asymmetric and disabled bounds.
        let asym = Verifier::builder(crate::Scheme::named("stripe").expect("stripe"))
            .secret("whsec_k")
            .tolerance_window(Tolerance {
                past: Some(100),
                future: Some(20),
            })
            .build()
            .expect("verifier");
        assert_eq!(default_ttl(&asym), 180);
        let open = Verifier::builder(crate::Scheme::named("stripe").expect("stripe"))
            .secret("whsec_k")
            .tolerance_window(Tolerance {
                past: Some(100),
                future: None,
            })
            .build()
            .expect("verifier");
        assert_eq!(default_ttl(&open), UNTIMED_TTL_SECS);
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
