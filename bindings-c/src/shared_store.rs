//! `hooksig_shared_store` and `hooksig_store_command`: the core's replay-store contract for a
//! store shared by several processes (Redis). The key format, the two-phase marker, its TTLs
//! and the reading of each reply are the core's; the caller only sends each command's argv
//! with its own client (phpredis `rawCommand(...$argv)`) and passes the reply back.
//! `sql_store.rs` is the same contract over one SQL table and shares the helpers here.

use crate::prelude::*;
use hooksig::receive::{GuardAnswer, KeyAction};
use hooksig::shared_store::{self, SharedStore, StoreCommand};

use crate::receiver::hooksig_guard_answer;

/// `hooksig_shared_store_claimed`'s answer when the key exists: send the `LOOKUP` command next.
pub const HOOKSIG_STORE_LOOKUP_NEEDED: i32 = -1;

/// Which command `hooksig_shared_store_command` builds.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_store_step {
    /// `SET <prefix><key> processing NX EX <processing_ttl>`: claim a verified delivery.
    HOOKSIG_STORE_CLAIM = 0,
    /// `GET <prefix><key>`: after a claim that did not set the key.
    HOOKSIG_STORE_LOOKUP = 1,
    /// `SET <prefix><key> done EX <ttl>`: the handler succeeded (`HOOKSIG_KEY_KEEP`).
    HOOKSIG_STORE_KEEP = 2,
    /// `DEL <prefix><key>`: the handler failed (`HOOKSIG_KEY_RELEASE`).
    HOOKSIG_STORE_RELEASE = 3,
}

/// The replay-store contract for one shared store: key prefix, TTL of handled deliveries and
/// of claimed ones. Immutable: share it between threads.
///
/// A delivery's cycle: send `HOOKSIG_STORE_CLAIM`; `hooksig_shared_store_claimed` with whether
/// it set the key answers `HOOKSIG_GUARD_NEW` (run the handler) or
/// `HOOKSIG_STORE_LOOKUP_NEEDED` (send `HOOKSIG_STORE_LOOKUP`, then
/// `hooksig_shared_store_looked_up` with its reply: duplicate or in progress). After the
/// handler send `HOOKSIG_STORE_KEEP` or `HOOKSIG_STORE_RELEASE` (from `hooksig_receiver_finished`).
/// A command that fails or times out (`HOOKSIG_STORE_TIMEOUT_MS`) is `HOOKSIG_GUARD_UNAVAILABLE`.
pub struct hooksig_shared_store(SharedStore);

/// One command: its Redis argv (`"SET"`, key, ...).
pub struct hooksig_store_command(Vec<CText>);

/// Seconds a claimed delivery stays `processing` by default (the core's value).
pub const HOOKSIG_PROCESSING_TTL: u64 = 60;
/// Milliseconds one store command may take before the store counts as unavailable.
pub const HOOKSIG_STORE_TIMEOUT_MS: u64 = 2_000;

/// A claim's answer for C: the guard answer, or `HOOKSIG_STORE_LOOKUP_NEEDED` for `None`.
pub(crate) fn claimed(answer: Option<GuardAnswer>) -> i32 {
    answer.map_or(HOOKSIG_STORE_LOOKUP_NEEDED, |a| {
        hooksig_guard_answer::from(a) as i32
    })
}

/// A store's reply bytes (`ptr` NULL or valid for `len` bytes): NULL means no value, and so
/// does a length over `PTRDIFF_MAX` (no buffer can be that long: a caller's bug, never read).
pub(crate) unsafe fn reply<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    // SAFETY: non-NULL, length within isize::MAX, and the caller guarantees `len` readable bytes.
    (!ptr.is_null() && len <= isize::MAX as usize)
        .then(|| unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// The core's default key prefix, `hooksig:replay:` (static).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_store_default_prefix(len_out: *mut usize) -> *const c_char {
    static PREFIX: std::sync::LazyLock<CText> =
        std::sync::LazyLock::new(|| CText::new(shared_store::STORE_PREFIX.as_bytes()));
    // SAFETY: forwarded from this function's contract; `&*PREFIX` is a live reference.
    unsafe { ffi_text(&raw const *PREFIX, len_out, |p| Some(p.bytes())) }
}

/// A store contract remembering handled deliveries for `ttl_s` seconds and claimed ones for
/// `processing_ttl_s` (capped at `ttl_s`), under `prefix` (UTF-8, any length, may be empty).
/// Both TTLs must be between 1 and Redis's largest expiry, else `HOOKSIG_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_new(
    ttl_s: u64,
    processing_ttl_s: u64,
    prefix: *const c_char,
    prefix_len: usize,
    out: *mut *mut hooksig_shared_store,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            // NULL with length 0 is the empty prefix, as for every buffer of this API.
            let prefix = opt_text(prefix, prefix_len, "prefix")?.unwrap_or("");
            let inner = SharedStore::with_options(ttl_s, processing_ttl_s, prefix)?;
            Ok(hooksig_shared_store(inner))
        })
    }
}

/// The command for `step` (a `hooksig_store_step`, else `HOOKSIG_INVALID_ARGUMENT`) on the
/// delivery key `key` (UTF-8: `hooksig_verified_dedupe_key`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_command(
    store: *const hooksig_shared_store,
    step: i32,
    key: *const c_char,
    key_len: usize,
    out: *mut *mut hooksig_store_command,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    use hooksig_store_step::*;
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            let store = &handle(store, "store")?.0;
            let key = text(key, key_len, "key")?;
            let command: StoreCommand = match step {
                x if x == HOOKSIG_STORE_CLAIM as i32 => store.claim(key),
                x if x == HOOKSIG_STORE_LOOKUP as i32 => store.lookup(key),
                x if x == HOOKSIG_STORE_KEEP as i32 => store.settle(key, KeyAction::Keep),
                x if x == HOOKSIG_STORE_RELEASE as i32 => store.settle(key, KeyAction::Release),
                n => {
                    return Err(invalid(format!(
                        "step must be a hooksig_store_step (0 to 3), not {n}"
                    )));
                }
            };
            let argv = command
                .argv()
                .iter()
                .map(|a| CText::new(a.as_bytes()))
                .collect();
            Ok(hooksig_store_command(argv))
        })
    }
}

/// After a claim: `HOOKSIG_GUARD_NEW` when it set the key (`was_set` non-zero), else
/// `HOOKSIG_STORE_LOOKUP_NEEDED`. `HOOKSIG_STORE_LOOKUP_NEEDED` also for a NULL `store`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_claimed(
    store: *const hooksig_shared_store,
    was_set: i32,
) -> i32 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(store, HOOKSIG_STORE_LOOKUP_NEEDED, |s| {
            claimed(s.0.claimed(was_set != 0))
        })
    }
}

/// After a lookup, from the value `GET` returned (`value`, `value_len`; NULL for no value):
/// `HOOKSIG_GUARD_DUPLICATE` for `done`, `HOOKSIG_GUARD_IN_PROGRESS` otherwise (and for a NULL
/// `store`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_looked_up(
    store: *const hooksig_shared_store,
    value: *const c_char,
    value_len: usize,
) -> hooksig_guard_answer {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(
            store,
            hooksig_guard_answer::HOOKSIG_GUARD_IN_PROGRESS,
            |s| s.0.looked_up(reply(value, value_len)).into(),
        )
    }
}

/// Seconds a handled delivery is remembered (0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_ttl(store: *const hooksig_shared_store) -> u64 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(store, 0, |s| s.0.ttl()) }
}

/// Seconds a claimed delivery stays `processing` (0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_processing_ttl(
    store: *const hooksig_shared_store,
) -> u64 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(store, 0, |s| s.0.processing_ttl()) }
}

/// Releases a store contract. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_shared_store_free(store: *mut hooksig_shared_store) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(store) }
}

/// The number of arguments of `command` (its name included; 0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_store_command_argc(
    command: *const hooksig_store_command,
) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(command, 0, |c| c.0.len()) }
}

/// Argument `index` (NULL if out of range).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_store_command_arg(
    command: *const hooksig_store_command,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(command, len_out, |c| Some(c.0.get(index)?.bytes())) }
}

/// Releases a command and its strings. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_store_command_free(command: *mut hooksig_store_command) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(command) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_constants_are_the_core_ones() {
        let mut len = 0;
        let p = unsafe { hooksig_store_default_prefix(&mut len) };
        let prefix = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
        assert_eq!(prefix, shared_store::STORE_PREFIX.as_bytes());
        assert_eq!(HOOKSIG_PROCESSING_TTL, shared_store::PROCESSING_TTL_SECS);
        assert_eq!(HOOKSIG_STORE_TIMEOUT_MS, shared_store::STORE_TIMEOUT_MS);
    }

    #[test]
    fn a_null_prefix_of_length_zero_is_the_empty_prefix() {
        let mut store = std::ptr::null_mut();
        let st = unsafe {
            hooksig_shared_store_new(9, 60, std::ptr::null(), 0, &mut store, std::ptr::null_mut())
        };
        assert_eq!(st, hooksig_status::HOOKSIG_OK);
        unsafe { hooksig_shared_store_free(store) };
        let st = unsafe {
            hooksig_shared_store_new(9, 60, std::ptr::null(), 3, &mut store, std::ptr::null_mut())
        };
        assert_eq!(st, hooksig_status::HOOKSIG_NULL_ARGUMENT);
    }

    #[test]
    fn a_claim_round_trip_through_the_c_api() {
        let mut store = std::ptr::null_mut();
        let prefix = "p:";
        let st = unsafe {
            hooksig_shared_store_new(
                9,
                60,
                prefix.as_ptr().cast(),
                2,
                &mut store,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(st, hooksig_status::HOOKSIG_OK);
        assert_eq!(unsafe { hooksig_shared_store_processing_ttl(store) }, 9);
        let mut cmd = std::ptr::null_mut();
        let key = "k";
        let st = unsafe {
            hooksig_shared_store_command(
                store,
                0,
                key.as_ptr().cast(),
                1,
                &mut cmd,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(st, hooksig_status::HOOKSIG_OK);
        let args: Vec<String> = (0..unsafe { hooksig_store_command_argc(cmd) })
            .map(|i| {
                let mut len = 0;
                let p = unsafe { hooksig_store_command_arg(cmd, i, &mut len) };
                String::from_utf8(
                    unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }.to_vec(),
                )
                .unwrap()
            })
            .collect();
        assert_eq!(args, ["SET", "p:k", "processing", "NX", "EX", "9"]);
        assert_eq!(unsafe { hooksig_shared_store_claimed(store, 1) }, 0);
        assert_eq!(
            unsafe { hooksig_shared_store_claimed(store, 0) },
            HOOKSIG_STORE_LOOKUP_NEEDED
        );
        let done = "done";
        assert_eq!(
            unsafe { hooksig_shared_store_looked_up(store, done.as_ptr().cast(), 4) },
            hooksig_guard_answer::HOOKSIG_GUARD_DUPLICATE
        );
        assert_eq!(
            unsafe { hooksig_shared_store_looked_up(store, std::ptr::null(), 0) },
            hooksig_guard_answer::HOOKSIG_GUARD_IN_PROGRESS
        );
        let st = unsafe {
            hooksig_shared_store_command(
                store,
                7,
                key.as_ptr().cast(),
                1,
                &mut cmd,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(st, hooksig_status::HOOKSIG_INVALID_ARGUMENT);
        unsafe {
            hooksig_store_command_free(cmd);
            hooksig_shared_store_free(store);
        }
    }
}
