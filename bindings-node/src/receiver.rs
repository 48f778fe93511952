//! The receiver policy (`hooksig::receive`): every status, header and body byte the
//! integrations write comes from here; they only do the I/O.

use hooksig::ErrorCode as CoreCode;
use hooksig::receive::{self, GuardAnswer as CoreGuard, HandlerOutcome, KeyAction as CoreKey};
use napi_derive::napi;

/// The `Content-Type` of every `ReceiverAnswer` but a Twitch challenge's: `application/json`.
#[napi]
pub const RECEIVER_CONTENT_TYPE: &str = receive::CONTENT_TYPE;

/// The `Content-Type` of the answer to Twitch's `webhook_callback_verification`:
/// `text/plain; charset=utf-8`.
#[napi]
pub const RECEIVER_TEXT_CONTENT_TYPE: &str = receive::TEXT_CONTENT_TYPE;

/// The body limit a `Receiver` enforces by default: 10 MiB.
#[napi]
pub const DEFAULT_BODY_LIMIT: u32 = receive::DEFAULT_BODY_LIMIT as u32;

/// The `Retry-After` seconds of the 409 and 503 answers: 30.
#[napi]
pub const RETRY_AFTER_SECS: u32 = receive::RETRY_AFTER_SECS;

/// One HTTP answer decided by the core: write `status`, `Content-Type: <contentType>`, the
/// `headers` (e.g. `Allow`, `Retry-After`) and exactly `body`.
#[napi(object)]
pub struct ReceiverAnswer {
    /// The HTTP status.
    pub status: u32,
    /// The `Content-Type` to write (`RECEIVER_CONTENT_TYPE` or `RECEIVER_TEXT_CONTENT_TYPE`).
    pub content_type: String,
    /// Headers besides `Content-Type`, in the order to write them.
    #[napi(ts_type = "Array<[string, string]>")]
    pub headers: Vec<(String, String)>,
    /// The body (exact bytes): JSON, or the challenge itself for Twitch's handshake.
    pub body: String,
}

impl From<receive::Answer> for ReceiverAnswer {
    fn from(a: receive::Answer) -> Self {
        ReceiverAnswer {
            status: u32::from(a.status),
            content_type: a.content_type.to_owned(),
            headers: a
                .headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
            body: a.body,
        }
    }
}

mirror_enum! {
    " What a replay guard answered for a verified delivery's key."
    GuardAnswer = CoreGuard {
        /// Not seen before (now remembered): run the handler.
        New,
        /// Already handled: answered 200 `{"status":"duplicate"}`.
        Duplicate,
        /// Another request is processing it (RedisReplayGuard's marker): 409.
        InProgress,
        /// The store failed or could not be reached: 503.
        Unavailable,
    }
}

mirror_enum! {
    " What the guard does with the key after the handler."
    KeyAction = CoreKey {
        /// The handler succeeded: keep the key (`guard.confirm(key)` when the guard has one).
        Keep,
        /// The handler failed: `guard.forget(key)`, so that the sender's retry runs it again.
        Release,
    }
}

/// The fields of a `Verified` that the success answer names.
#[napi(object, use_nullable = true)]
pub struct ReceivedFields {
    /// The scheme id.
    pub scheme: String,
    /// The message / delivery / event id, or `null`.
    pub id: Option<String>,
    /// The event type, or `null`.
    pub event_type: Option<String>,
}

/// The receiver policy, one per integration instance: what to answer before reading the body,
/// for a rejected request, for each replay-guard answer, and what a failed handler is.
#[napi]
pub struct Receiver {
    inner: receive::Receiver,
}

#[napi]
impl Receiver {
    /// A receiver accepting bodies of at most `limit` bytes (default 10 MiB).
    #[napi(catch_unwind, constructor)]
    pub fn new(limit: Option<i64>) -> Self {
        let limit = limit.map(|l| usize::try_from(l.max(0)).unwrap_or(usize::MAX));
        let inner = limit.map_or_else(receive::Receiver::new, receive::Receiver::with_limit);
        Receiver { inner }
    }

    /// The body limit in bytes: read at most this many.
    #[napi(catch_unwind, getter)]
    pub fn limit(&self) -> i64 {
        crate::js_safe(u64::try_from(self.inner.limit()).unwrap_or(u64::MAX))
    }

    /// Before reading the body (`contentLength`: the header as sent, or `null`): 405 for a
    /// method other than POST, 413 for a declared length over the limit, or `null` (read on).
    #[napi(catch_unwind)]
    pub fn start(&self, method: String, content_length: Option<String>) -> Option<ReceiverAnswer> {
        let declared = content_length.and_then(|v| v.trim().parse::<u64>().ok());
        self.inner.start(&method, declared).map(Into::into)
    }

    /// 413 `body_too_large`: the body grew past the limit while it was read.
    #[napi(catch_unwind)]
    pub fn body_too_large(&self) -> ReceiverAnswer {
        self.inner.body_too_large().into()
    }

    /// 400 `body_read_failed`: the client aborted, or the body could not be read.
    #[napi(catch_unwind)]
    pub fn body_read_failed(&self) -> ReceiverAnswer {
        self.inner.body_read_failed().into()
    }

    /// The answer for a failed verification's code (`{"error":…,"message":…}`); `internal` is
    /// `Receiver.internal()`, any other unknown string `invalid_argument`.
    #[napi(catch_unwind, ts_args_type = "code: ErrorCode | string")]
    pub fn rejected(&self, code: String) -> ReceiverAnswer {
        match CoreCode::parse(&code) {
            Some(code) => receive::Answer::error(code),
            None if code == hooksig::INTERNAL_ERROR_CODE => receive::Answer::internal(),
            None => receive::Answer::error(CoreCode::InvalidArgument),
        }
        .into()
    }

    /// After the replay guard answered: `null` (run the handler) or the answer to write
    /// (duplicate 200, in progress 409, store unavailable 503 with Retry-After).
    #[napi(catch_unwind)]
    pub fn guarded(&self, answer: GuardAnswer) -> Option<ReceiverAnswer> {
        self.inner.guarded(answer.into()).map(Into::into)
    }

    /// After the handler (`status`; `null`: it threw or sent nothing): `keep` for a 2xx, else
    /// `release`.
    #[napi(catch_unwind, ts_args_type = "status: number | null")]
    pub fn finished(&self, status: Option<f64>) -> KeyAction {
        let outcome = match status {
            Some(s) if s.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&s) => {
                HandlerOutcome::Status(s as u16)
            }
            Some(_) => HandlerOutcome::Status(0),
            None => HandlerOutcome::Raised,
        };
        self.inner.finished(outcome).into()
    }

    /// The success answer of the demo and test handlers (200):
    /// `{"status":"received","scheme":…,"id":…,"event_type":…}` for a `Verified`.
    #[napi(
        catch_unwind,
        ts_args_type = "verified: Pick<Verified, 'scheme' | 'id' | 'eventType'>"
    )]
    pub fn received(verified: ReceivedFields) -> ReceiverAnswer {
        receive::Receiver::received_fields(
            &verified.scheme,
            verified.id.as_deref(),
            verified.event_type.as_deref(),
        )
        .into()
    }

    /// 500 `{"error":"internal","message":…}`: the answer when hooksig itself failed (a bug).
    #[napi(catch_unwind)]
    pub fn internal() -> ReceiverAnswer {
        receive::Answer::internal().into()
    }
}
