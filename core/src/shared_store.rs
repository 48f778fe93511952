//! The replay-store contract for a store shared by several receiver processes or machines
//! (Redis), defined once here: the key format, the two-phase marker, its TTLs, and how each
//! reply is read. The per-language adapters (redis-py, node-redis, ioredis, phpredis) only
//! execute the [`StoreCommand`]s with the user's own client and hand the replies back.
//!
//! One delivery's cycle:
//!
//! 1. [`SharedStore::claim`]: `SET <prefix><key> processing NX EX <processing_ttl>`. Atomic:
//!    of any number of processes seeing one delivery, exactly one sets it.
//! 2. [`SharedStore::claimed`] with whether it was set: `Some(GuardAnswer::New)` runs the
//!    handler; `None` means the key exists — run [`SharedStore::lookup`] (`GET`) and pass the
//!    value to [`SharedStore::looked_up`]: `done` is a duplicate; `processing` (or a key that
//!    expired in between) is [`GuardAnswer::InProgress`] — not a duplicate yet, because that
//!    delivery's handler may still fail, so the sender is asked to retry (409).
//! 3. After the handler, [`SharedStore::settle`] with the receiver's [`KeyAction`]:
//!    `SET <key> done EX <ttl>` (kept) or `DEL <key>` (released, so the retry runs it again).
//!
//! Any command that fails or times out ([`STORE_TIMEOUT_MS`]) is
//! [`GuardAnswer::Unavailable`]: 503 with `Retry-After`, so the sender retries. If the link
//! drops between a failed handler and its `DEL`, the `processing` marker expires after
//! `processing_ttl` seconds and the sender's next retry runs the handler: no event is lost.
//! Expiry follows the store's clock.
//!
//! ```
//! use hooksig::receive::{GuardAnswer, KeyAction};
//! use hooksig::shared_store::{SharedStore, StoreCommand};
//!
//! let store = SharedStore::new(660).unwrap();
//! let claim = store.claim("stripe:evt_1");
//! assert_eq!(claim.argv(), ["SET", "hooksig:replay:stripe:evt_1", "processing", "NX", "EX", "60"]);
//! assert_eq!(store.claimed(true), Some(GuardAnswer::New));
//! // ... the handler succeeded ...
//! assert_eq!(
//!     store.settle("stripe:evt_1", KeyAction::Keep).argv(),
//!     ["SET", "hooksig:replay:stripe:evt_1", "done", "EX", "660"]
//! );
//! // The same delivery again: the SET NX does not set, GET answers "done".
//! assert_eq!(store.claimed(false), None);
//! assert_eq!(store.lookup("stripe:evt_1"), StoreCommand::Get { key: "hooksig:replay:stripe:evt_1".into() });
//! assert_eq!(store.looked_up(Some(b"done")), GuardAnswer::Duplicate);
//! ```

use crate::error::{Error, ErrorCode, Result};
use crate::receive::{GuardAnswer, KeyAction};
use crate::replay::default_ttl;
use crate::verifier::Verifier;

/// The prefix of every key, the same in every language's adapter.
pub const STORE_PREFIX: &str = "hooksig:replay:";

/// Seconds a delivery stays `processing` (claimed, handler not finished) before a retry may run
/// it again. Must exceed the handler's longest run.
pub const PROCESSING_TTL_SECS: u64 = 60;

/// Milliseconds an adapter waits for one store command before answering
/// [`GuardAnswer::Unavailable`] (a paused store must not hold requests).
pub const STORE_TIMEOUT_MS: u64 = 2_000;

/// The marker value of a claimed delivery whose handler has not finished.
pub const PROCESSING: &str = "processing";

/// The marker value of a delivery whose handler succeeded.
pub const DONE: &str = "done";

/// The largest TTL in seconds: Redis refuses expiries whose milliseconds overflow an `i64`.
pub const MAX_STORE_TTL_SECS: u64 = (i64::MAX / 1000) as u64;

/// One command for the store, as data. [`StoreCommand::argv`] is its Redis form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StoreCommand {
    /// `SET key value [NX] EX ttl`. With `only_if_absent` the reply says whether it was set.
    Set {
        /// The full key (prefix included).
        key: String,
        /// [`PROCESSING`] or [`DONE`].
        value: &'static str,
        /// Seconds until the store drops the key.
        ttl: u64,
        /// `NX`: set only if the key does not exist.
        only_if_absent: bool,
    },
    /// `GET key`.
    Get {
        /// The full key.
        key: String,
    },
    /// `DEL key`.
    Del {
        /// The full key.
        key: String,
    },
}

impl StoreCommand {
    /// The command's name: `SET`, `GET` or `DEL`.
    pub fn name(&self) -> &'static str {
        match self {
            StoreCommand::Set { .. } => "SET",
            StoreCommand::Get { .. } => "GET",
            StoreCommand::Del { .. } => "DEL",
        }
    }

    /// The full key the command reads or writes.
    pub fn key(&self) -> &str {
        match self {
            StoreCommand::Set { key, .. }
            | StoreCommand::Get { key }
            | StoreCommand::Del { key } => key,
        }
    }

    /// The Redis command line, e.g. `["SET", key, "processing", "NX", "EX", "60"]`, for clients
    /// that send raw commands.
    pub fn argv(&self) -> Vec<String> {
        let mut argv = vec![self.name().to_owned(), self.key().to_owned()];
        if let StoreCommand::Set {
            value,
            ttl,
            only_if_absent,
            ..
        } = self
        {
            argv.push((*value).to_owned());
            if *only_if_absent {
                argv.push("NX".to_owned());
            }
            argv.push("EX".to_owned());
            argv.push(ttl.to_string());
        }
        argv
    }
}

/// The contract for one shared store: its key prefix and TTLs.
///
/// ```
/// use hooksig::shared_store::SharedStore;
/// use hooksig::Verifier;
/// let store = SharedStore::for_verifier(&Verifier::new("stripe", ["whsec_x"]).unwrap());
/// assert_eq!((store.ttl(), store.processing_ttl()), (660, 60));
/// assert_eq!(SharedStore::new(0).unwrap_err().code().as_str(), "invalid_argument");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedStore {
    prefix: String,
    ttl: u64,
    processing_ttl: u64,
}

impl SharedStore {
    /// A store remembering handled deliveries for `ttl` seconds, with the [`STORE_PREFIX`] and
    /// a processing TTL of [`PROCESSING_TTL_SECS`] (at most `ttl`). `invalid_argument` unless
    /// `1 <= ttl <= MAX_STORE_TTL_SECS`.
    pub fn new(ttl: u64) -> Result<SharedStore> {
        SharedStore::with_options(ttl, PROCESSING_TTL_SECS, STORE_PREFIX)
    }

    /// A store with the verifier's replay window ([`default_ttl`]) and the defaults.
    pub fn for_verifier(verifier: &Verifier) -> SharedStore {
        let ttl = default_ttl(verifier).clamp(1, MAX_STORE_TTL_SECS);
        SharedStore {
            prefix: STORE_PREFIX.to_owned(),
            ttl,
            processing_ttl: PROCESSING_TTL_SECS.min(ttl),
        }
    }

    /// A store with every setting given. The processing TTL is capped at `ttl`; both must be
    /// between 1 and [`MAX_STORE_TTL_SECS`] (`invalid_argument` otherwise). Any prefix is
    /// accepted, the empty one included.
    pub fn with_options(ttl: u64, processing_ttl: u64, prefix: &str) -> Result<SharedStore> {
        let ttl = checked_ttl("ttl", ttl)?;
        let processing_ttl = checked_ttl("processing_ttl", processing_ttl)?.min(ttl);
        Ok(SharedStore {
            prefix: prefix.to_owned(),
            ttl,
            processing_ttl,
        })
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Seconds a handled delivery is remembered.
    pub fn ttl(&self) -> u64 {
        self.ttl
    }

    /// Seconds a claimed delivery stays `processing`.
    pub fn processing_ttl(&self) -> u64 {
        self.processing_ttl
    }

    /// The store key of a delivery's [`dedupe_key`](crate::Verified::dedupe_key).
    pub fn key(&self, dedupe_key: &str) -> String {
        format!("{}{dedupe_key}", self.prefix)
    }

    /// Step 1: `SET key processing NX EX processing_ttl`.
    pub fn claim(&self, dedupe_key: &str) -> StoreCommand {
        StoreCommand::Set {
            key: self.key(dedupe_key),
            value: PROCESSING,
            ttl: self.processing_ttl,
            only_if_absent: true,
        }
    }

    /// Step 2, from whether the claim set the key: `Some(New)` (run the handler), or `None`
    /// (the key exists: run [`lookup`](Self::lookup)).
    pub fn claimed(&self, was_set: bool) -> Option<GuardAnswer> {
        was_set.then_some(GuardAnswer::New)
    }

    /// `GET key`, after a claim that did not set the key.
    pub fn lookup(&self, dedupe_key: &str) -> StoreCommand {
        StoreCommand::Get {
            key: self.key(dedupe_key),
        }
    }

    /// The answer from the value `GET` returned: [`DONE`] is a duplicate; anything else
    /// (`processing`, or nothing because the marker expired in between) is in progress.
    pub fn looked_up(&self, value: Option<&[u8]>) -> GuardAnswer {
        match value {
            Some(v) if v == DONE.as_bytes() => GuardAnswer::Duplicate,
            _ => GuardAnswer::InProgress,
        }
    }

    /// Step 3, after the handler: `SET key done EX ttl` when the key is kept, `DEL key` when it
    /// is released.
    pub fn settle(&self, dedupe_key: &str, action: KeyAction) -> StoreCommand {
        let key = self.key(dedupe_key);
        match action {
            KeyAction::Keep => StoreCommand::Set {
                key,
                value: DONE,
                ttl: self.ttl,
                only_if_absent: false,
            },
            KeyAction::Release => StoreCommand::Del { key },
        }
    }
}

fn checked_ttl(name: &str, secs: u64) -> Result<u64> {
    if (1..=MAX_STORE_TTL_SECS).contains(&secs) {
        Ok(secs)
    } else {
        Err(Error::new(
            ErrorCode::InvalidArgument,
            None,
            format!("{name} must be between 1 and {MAX_STORE_TTL_SECS} seconds"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_ttl_is_capped_at_ttl() {
        let s = SharedStore::with_options(10, 60, "p:").unwrap();
        assert_eq!(s.processing_ttl(), 10);
        assert_eq!(
            s.claim("k").argv(),
            ["SET", "p:k", "processing", "NX", "EX", "10"]
        );
    }

    #[test]
    fn ttl_bounds() {
        assert!(SharedStore::new(MAX_STORE_TTL_SECS).is_ok());
        let err = SharedStore::new(MAX_STORE_TTL_SECS + 1).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        let err = SharedStore::with_options(5, 0, "").unwrap_err();
        assert!(err.to_string().contains("processing_ttl"));
    }

    #[test]
    fn release_deletes_and_lookup_reads() {
        let s = SharedStore::with_options(5, 5, "").unwrap();
        assert_eq!(s.settle("k", KeyAction::Release).argv(), ["DEL", "k"]);
        assert_eq!(s.lookup("k").argv(), ["GET", "k"]);
        assert_eq!(s.looked_up(Some(b"processing")), GuardAnswer::InProgress);
        assert_eq!(s.looked_up(None), GuardAnswer::InProgress);
        assert_eq!(s.looked_up(Some(b"DONE")), GuardAnswer::InProgress);
    }

    #[test]
    fn untimed_verifier_gets_a_day() {
        let v = Verifier::new("github", ["x"]).unwrap();
        assert_eq!(SharedStore::for_verifier(&v).ttl(), 86_400);
    }
}
