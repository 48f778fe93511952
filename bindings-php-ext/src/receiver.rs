//! `Hooksig\Ext\Receiver`: the core's receiver policy as C's `hooksig_receiver` exposes it
//! (`_start`, `_body_too_large`, `_body_read_failed`, `_rejected_status`, `_guarded`,
//! `_finished`), with the same numbers for the guard's answers and the same refusals.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::{Answer, GuardAnswer, HandlerOutcome, KeyAction, Receiver};

use crate::answer::{opt_to_php, to_php};
use crate::failure::{Fail, guard};
use crate::input::{bytes, c_int};
use crate::status;

/// `hooksig_guard_answer`'s numbers.
pub fn guard_number(answer: GuardAnswer) -> i64 {
    match answer {
        GuardAnswer::New => 0,
        GuardAnswer::Duplicate => 1,
        GuardAnswer::InProgress => 2,
        GuardAnswer::Unavailable => 3,
    }
}

#[php_class]
#[php(name = "Hooksig\\Ext\\Receiver")]
pub struct ExtReceiver {
    inner: Receiver,
}

impl ExtReceiver {
    pub fn inner(&self) -> &Receiver {
        &self.inner
    }
}

#[php_impl]
impl ExtReceiver {
    /// `hooksig_receiver_new` (the composer package refuses a negative limit first).
    pub fn __construct(limit: i64) -> PhpResult<ExtReceiver> {
        guard(|| {
            let limit = usize::try_from(limit).map_err(|_| {
                Fail::invalid_argument(format!("limit must be at least 0, not {limit}"))
            })?;
            Ok(ExtReceiver {
                inner: Receiver::with_limit(limit),
            })
        })
    }

    pub fn limit(&self) -> i64 {
        i64::try_from(self.inner.limit()).unwrap_or(i64::MAX)
    }

    /// `hooksig_receiver_start`: `content_length` -1 when there is none.
    pub fn start(
        &self,
        method: &Zval,
        content_length: i64,
    ) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        guard(|| {
            let method = bytes(method, "method")?;
            let length = match content_length {
                -1 => None,
                n if n < 0 => {
                    return Err(Fail::invalid_argument(format!(
                        "content_length must be -1 or at least 0, not {n}"
                    )));
                }
                n => Some(n.unsigned_abs()),
            };
            let method = std::str::from_utf8(method).unwrap_or("");
            Ok(opt_to_php(self.inner.start(method, length)))
        })
    }

    pub fn body_too_large(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(to_php(&self.inner.body_too_large())))
    }

    pub fn body_read_failed(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(to_php(&self.inner.body_read_failed())))
    }

    /// `hooksig_receiver_rejected_status`: the answer for a failure's status number.
    pub fn rejected_status(&self, status: i64) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let raw = c_int(status);
            let code = status::core_code(raw).ok_or_else(|| {
                let name = status::info(raw).0;
                if name == "unknown" {
                    Fail::invalid_argument(format!("{raw} is not a hooksig_status"))
                } else {
                    Fail::invalid_argument(format!(
                        "status {raw} ({name}) is not an error a receiver answers"
                    ))
                }
            })?;
            Ok(to_php(&Answer::error(code)))
        })
    }

    /// `hooksig_receiver_guarded`: null (run the handler) or the answer.
    pub fn guarded(&self, guard_answer: i64) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        guard(|| {
            let guard_answer = c_int(guard_answer);
            let answer = GuardAnswer::ALL
                .into_iter()
                .find(|a| guard_number(*a) == i64::from(guard_answer))
                .ok_or_else(|| {
                    Fail::invalid_argument(format!(
                        "guard_answer must be a hooksig_guard_answer (0 to 3), not {guard_answer}"
                    ))
                })?;
            Ok(opt_to_php(self.inner.guarded(answer)))
        })
    }

    /// `hooksig_receiver_finished`: true to keep the key. `status` -1: the handler raised.
    pub fn finished(&self, status: i64) -> PhpResult<bool> {
        guard(|| {
            let outcome = u16::try_from(c_int(status))
                .ok()
                .map_or(HandlerOutcome::Raised, HandlerOutcome::Status);
            Ok(self.inner.finished(outcome) == KeyAction::Keep)
        })
    }

    /// The `hooksig_guard_answer` numbers, in `GUARD_NEW`, `_DUPLICATE`, `_IN_PROGRESS`,
    /// `_UNAVAILABLE` order (what `Hooksig\Receiver::GUARD_*` must equal).
    pub fn guard_answers() -> Vec<i64> {
        [
            GuardAnswer::New,
            GuardAnswer::Duplicate,
            GuardAnswer::InProgress,
            GuardAnswer::Unavailable,
        ]
        .into_iter()
        .map(guard_number)
        .collect()
    }
}
