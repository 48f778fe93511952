//! The replay-store contract (`hooksig::shared_store`) that redis.js executes.

use hooksig::shared_store::{self, StoreCommand as CoreCommand};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;

use crate::error::run;
use crate::receiver::{GuardAnswer, KeyAction};

/// The prefix of every replay-store key: `hooksig:replay:`.
#[napi]
pub const STORE_PREFIX: &str = shared_store::STORE_PREFIX;

/// Seconds a claimed delivery stays "processing" by default: 60.
#[napi]
pub const PROCESSING_TTL: u32 = shared_store::PROCESSING_TTL_SECS as u32;

/// Milliseconds a store command may take before the store counts as unavailable: 2000.
#[napi]
pub const STORE_TIMEOUT_MS: u32 = shared_store::STORE_TIMEOUT_MS as u32;

/// One store command: `name` is `SET`, `GET` or `DEL`; a `SET` has `value`, `ttl` (seconds) and
/// `onlyIfAbsent` (`NX`).
#[napi(object, use_nullable = true)]
pub struct StoreCommand {
    /// `SET`, `GET` or `DEL`.
    #[napi(ts_type = "'SET' | 'GET' | 'DEL'")]
    pub name: String,
    /// The full key (prefix included).
    pub key: String,
    /// `processing` or `done` for a `SET`, else `null`.
    pub value: Option<String>,
    /// The expiry in seconds of a `SET`, else `null`.
    pub ttl: Option<i64>,
    /// `true` for `SET ... NX`.
    pub only_if_absent: bool,
    /// The Redis command line, e.g. `['SET', key, 'processing', 'NX', 'EX', '60']`.
    pub argv: Vec<String>,
}

impl From<CoreCommand> for StoreCommand {
    fn from(c: CoreCommand) -> Self {
        let (value, ttl, only_if_absent) = match &c {
            CoreCommand::Set {
                value,
                ttl,
                only_if_absent,
                ..
            } => (
                Some((*value).to_owned()),
                Some(crate::js_safe(*ttl)),
                *only_if_absent,
            ),
            _ => (None, None, false),
        };
        StoreCommand {
            name: c.name().to_owned(),
            key: c.key().to_owned(),
            value,
            ttl,
            only_if_absent,
            argv: c.argv(),
        }
    }
}

/// The core's store from JavaScript numbers: a negative TTL is out of range like 0 (the core's
/// error names it).
pub(crate) fn core_store(
    ttl: i64,
    processing_ttl: i64,
    prefix: &str,
) -> hooksig::Result<shared_store::SharedStore> {
    let secs = |n: i64| u64::try_from(n).unwrap_or(0);
    shared_store::SharedStore::with_options(secs(ttl), secs(processing_ttl), prefix)
}

/// The replay-store contract for one shared store: `claim`, then `claimed(wasSet)`; if that is
/// `null`, `lookup` and `lookedUp(value)`; after the handler `settle(key, 'keep' | 'release')`.
#[napi]
pub struct SharedStore {
    inner: shared_store::SharedStore,
}

#[napi]
impl SharedStore {
    /// A store remembering handled deliveries for `ttl` seconds, claimed ones for
    /// `processingTtl` (capped at `ttl`), under `prefix`. Throws `invalid_argument` unless both
    /// TTLs are between 1 second and Redis's largest expiry.
    #[napi(catch_unwind, constructor)]
    pub fn new(env: Env, ttl: i64, processing_ttl: i64, prefix: String) -> napi::Result<Self> {
        run(&env, || {
            let inner = core_store(ttl, processing_ttl, &prefix)?;
            Ok(SharedStore { inner })
        })
    }

    /// The key prefix.
    #[napi(catch_unwind, getter)]
    pub fn prefix(&self) -> String {
        self.inner.prefix().to_owned()
    }

    /// Seconds a handled delivery is remembered.
    #[napi(catch_unwind, getter)]
    pub fn ttl(&self) -> i64 {
        crate::js_safe(self.inner.ttl())
    }

    /// Seconds a claimed delivery stays "processing".
    #[napi(catch_unwind, getter)]
    pub fn processing_ttl(&self) -> i64 {
        crate::js_safe(self.inner.processing_ttl())
    }

    /// `SET <prefix><key> processing NX EX <processingTtl>`.
    #[napi(catch_unwind)]
    pub fn claim(&self, key: String) -> StoreCommand {
        self.inner.claim(&key).into()
    }

    /// `'new'` if the claim set the key, `null` if the key exists (then `lookup`).
    #[napi(catch_unwind)]
    pub fn claimed(&self, was_set: bool) -> Option<GuardAnswer> {
        self.inner.claimed(was_set).map(Into::into)
    }

    /// `GET <prefix><key>`.
    #[napi(catch_unwind)]
    pub fn lookup(&self, key: String) -> StoreCommand {
        self.inner.lookup(&key).into()
    }

    /// `'duplicate'` for `done`; `'in_progress'` for anything else (`processing`, `null`).
    #[napi(catch_unwind)]
    pub fn looked_up(&self, value: Option<Either<String, Buffer>>) -> GuardAnswer {
        match &value {
            None => self.inner.looked_up(None),
            Some(Either::A(s)) => self.inner.looked_up(Some(s.as_bytes())),
            Some(Either::B(b)) => self.inner.looked_up(Some(b)),
        }
        .into()
    }

    /// After the handler: `keep` → `SET <key> done EX <ttl>`, `release` → `DEL <key>`.
    #[napi(catch_unwind)]
    pub fn settle(&self, key: String, action: KeyAction) -> StoreCommand {
        self.inner.settle(&key, action.into()).into()
    }
}
