//! The receiver policy: everything an HTTP integration decides around a verification, decided
//! once here so that every framework adapter answers the same status, headers and body bytes.
//!
//! An adapter drives one [`Receiver`] through one request:
//!
//! 1. [`Receiver::start`] with the method and the declared `Content-Length`: `Some(answer)`
//!    means write it and stop (405 for a method other than POST, 413 for a declared length over
//!    the limit). Otherwise read at most [`Receiver::limit`] bytes of body
//!    ([`Receiver::body_too_large`] if it grows past the limit, [`Receiver::body_read_failed`]
//!    if the client aborts).
//! 2. Verify. On error write [`Receiver::rejected`]. On success ask [`Receiver::handshake`]:
//!    `Some` is a vendor's endpoint handshake (Slack, Zoom, Twitch) — write its answer and
//!    stop (no guard, no handler).
//! 3. With a replay guard: ask it about [`crate::Verified::dedupe_key`] and pass its answer to
//!    [`Receiver::guarded`]: `Some(answer)` means write it and stop (duplicate, in progress,
//!    store unavailable).
//! 4. Run the handler; pass its outcome to [`Receiver::finished`], which says whether the guard
//!    keeps the key or forgets it (so that the sender's retry runs the handler again).
//!
//! Without a guard, skip steps 3's guard call and 4's key action: the handler always runs after
//! a successful verification.
//!
//! ```
//! use hooksig::receive::{GuardAnswer, HandlerOutcome, KeyAction, Receiver};
//! use hooksig::{ReplayGuard, SignOptions, Verifier};
//!
//! let verifier = Verifier::new("algoguard", ["whsec_demo"]).unwrap();
//! let guard = ReplayGuard::for_verifier(&verifier);
//! let receiver = Receiver::new();
//! let (now, body) = (1_767_225_600, br#"{"id":"evt_1","type":"license.created"}"#);
//! let headers = verifier.sign(body, &SignOptions::at(now)).unwrap();
//!
//! assert!(receiver.start("POST", Some(body.len() as u64)).is_none());
//! let verified = verifier.verify_at(&headers, body, now).unwrap();
//! let key = verified.dedupe_key();
//! assert!(receiver.guarded(GuardAnswer::from(guard.check_and_remember(&key, now))).is_none());
//! // ... run the handler ...
//! match receiver.finished(HandlerOutcome::Status(200)) {
//!     KeyAction::Keep => {}
//!     KeyAction::Release => guard.forget(&key),
//! }
//! let answer = Receiver::received(&verified);
//! assert_eq!(answer.status, 200);
//!
//! // The same delivery again is a duplicate: 200 without running the handler.
//! let again = receiver.guarded(GuardAnswer::from(guard.check_and_remember(&key, now)));
//! assert_eq!(again.unwrap().body, r#"{"status":"duplicate"}"#);
//! ```

use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::headers::Headers;
use crate::mac::{SignedContent, SignedRequest};
use crate::scheme::{Scheme, TemplatePart};
use crate::secret::Key;
use crate::verifier::{Verified, Verifier};

/// The body limit a [`Receiver::new`] enforces: 10 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// The `Retry-After` value (seconds) of the 409 (delivery in progress) and 503 (replay store
/// unavailable) answers.
pub const RETRY_AFTER_SECS: u32 = 30;

/// The `Retry-After` value (seconds) of a [`Refusal::ServerBusy`] answer: a worker frees up soon.
pub const BUSY_RETRY_AFTER_SECS: u32 = 1;

/// The `Content-Type` of every [`Answer`] except a Twitch challenge's ([`TEXT_CONTENT_TYPE`]).
pub const CONTENT_TYPE: &str = "application/json";

/// One HTTP answer. The `Content-Type` is always [`CONTENT_TYPE`] (`application/json`);
/// `headers` are the others (`Allow`, `Retry-After`).
///
/// ```
/// use hooksig::receive::Receiver;
/// let answer = Receiver::new().start("GET", None).unwrap();
/// assert_eq!(answer.status, 405);
/// assert_eq!(answer.headers, vec![("Allow", "POST".to_string())]);
/// assert_eq!(
///     answer.body,
///     r#"{"error":"method_not_allowed","message":"the method is not allowed; webhooks are delivered with POST"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` to write: [`CONTENT_TYPE`] (`application/json`), except the answer to
    /// Twitch's challenge ([`Receiver::handshake`]), which is [`TEXT_CONTENT_TYPE`].
    pub content_type: &'static str,
    /// Headers besides `Content-Type`, in the order to write them.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body (exact bytes; no spaces).
    pub body: String,
}

impl Answer {
    /// The canonical error answer for `code`: its HTTP status and
    /// `{"error":"<code>","message":"<description>"}`.
    ///
    /// ```
    /// use hooksig::ErrorCode;
    /// use hooksig::receive::Answer;
    /// let a = Answer::error(ErrorCode::SignatureMismatch);
    /// assert_eq!(a.status, 401);
    /// assert_eq!(a.body, r#"{"error":"signature_mismatch","message":"no signature matched any secret"}"#);
    /// ```
    pub fn error(code: ErrorCode) -> Answer {
        Answer::coded(
            code.http_status(),
            code.as_str(),
            code.description(),
            match code {
                ErrorCode::MethodNotAllowed => vec![("Allow", "POST".to_owned())],
                ErrorCode::DeliveryInProgress | ErrorCode::ReplayStoreUnavailable => {
                    vec![("Retry-After", RETRY_AFTER_SECS.to_string())]
                }
                _ => Vec::new(),
            },
        )
    }

    /// The answer of an HTTP server's [`Refusal`] (`hooksig listen`), in the same shape.
    pub fn refused(refusal: Refusal) -> Answer {
        let headers = match refusal {
            Refusal::ServerBusy => vec![("Retry-After", BUSY_RETRY_AFTER_SECS.to_string())],
            _ => Vec::new(),
        };
        Answer::coded(
            refusal.http_status(),
            refusal.as_str(),
            refusal.description(),
            headers,
        )
    }

    /// 500 `{"error":"internal","message":"an unexpected failure inside hooksig"}`: what an
    /// integration answers when hooksig itself failed (a bug), in the same shape.
    ///
    /// ```
    /// use hooksig::receive::Answer;
    /// assert_eq!(Answer::internal().status, 500);
    /// assert_eq!(Answer::internal().body, r#"{"error":"internal","message":"an unexpected failure inside hooksig"}"#);
    /// ```
    pub fn internal() -> Answer {
        Answer::coded(
            crate::error::INTERNAL_ERROR_STATUS,
            crate::error::INTERNAL_ERROR_CODE,
            crate::error::INTERNAL_ERROR_DESCRIPTION,
            Vec::new(),
        )
    }

    fn coded(
        status: u16,
        code: &str,
        description: &str,
        headers: Vec<(&'static str, String)>,
    ) -> Answer {
        Answer {
            status,
            content_type: CONTENT_TYPE,
            headers,
            body: format!(
                "{{\"error\":{},\"message\":{}}}",
                json_str(code),
                json_str(description)
            ),
        }
    }
}

/// Why an HTTP server refused a request before the receiver policy saw it. Only a server that
/// parses HTTP itself (`hooksig listen`) answers these; the framework integrations leave them
/// to their framework's server. They complete the vocabulary of answers, in the same JSON
/// shape as [`Answer::error`], but are not [`ErrorCode`]s: no API call fails with them.
///
/// ```
/// use hooksig::receive::{Answer, Refusal};
/// let a = Answer::refused(Refusal::ServerBusy);
/// assert_eq!((a.status, a.headers.clone()), (503, vec![("Retry-After", "1".to_string())]));
/// assert_eq!(a.body, r#"{"error":"server_busy","message":"the server is at its connection or queue limit; retry shortly"}"#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// 400 `bad_request`: the request line or head is not HTTP/1.x.
    BadRequest,
    /// 408 `request_timeout`: the request was not complete within the server's deadline.
    RequestTimeout,
    /// 431 `header_too_large`: the head is over the server's size or header-count limit.
    HeaderTooLarge,
    /// 503 `server_busy` (`Retry-After: 1`): every worker and queue slot is taken.
    ServerBusy,
}

impl Refusal {
    /// Every refusal, in declaration order.
    pub const ALL: [Refusal; 4] = [
        Refusal::BadRequest,
        Refusal::RequestTimeout,
        Refusal::HeaderTooLarge,
        Refusal::ServerBusy,
    ];

    /// The stable string code, e.g. `"request_timeout"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::BadRequest => "bad_request",
            Refusal::RequestTimeout => "request_timeout",
            Refusal::HeaderTooLarge => "header_too_large",
            Refusal::ServerBusy => "server_busy",
        }
    }

    /// The HTTP status.
    pub fn http_status(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::RequestTimeout => 408,
            Refusal::HeaderTooLarge => 431,
            Refusal::ServerBusy => 503,
        }
    }

    /// The fixed one-sentence description.
    pub fn description(self) -> &'static str {
        match self {
            Refusal::BadRequest => "the request is not valid HTTP/1.x",
            Refusal::RequestTimeout => "the request was not complete within the server's deadline",
            Refusal::HeaderTooLarge => "the request head is over the server's limits",
            Refusal::ServerBusy => "the server is at its connection or queue limit; retry shortly",
        }
    }
}

/// What the replay guard answered for a verified delivery's key.
///
/// ```
/// use hooksig::receive::GuardAnswer;
/// // The in-memory guard's `check_and_remember` returns `true` for a new key.
/// assert_eq!(GuardAnswer::from(true), GuardAnswer::New);
/// assert_eq!(GuardAnswer::from(false), GuardAnswer::Duplicate);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GuardAnswer {
    /// Not seen before: now remembered (or marked in progress); run the handler.
    New,
    /// Already processed: answer 200 `{"status":"duplicate"}` without running the handler.
    Duplicate,
    /// Another request is processing it (a shared store's in-progress marker): 409.
    InProgress,
    /// The store could not be asked: 503.
    Unavailable,
}

impl GuardAnswer {
    /// Every answer, in declaration order (the C binding's `hooksig_guard_answer` values are
    /// the indexes).
    pub const ALL: [GuardAnswer; 4] = [
        GuardAnswer::New,
        GuardAnswer::Duplicate,
        GuardAnswer::InProgress,
        GuardAnswer::Unavailable,
    ];

    /// The name bindings use for the answer: `"new"`, `"duplicate"`, `"in_progress"` or
    /// `"unavailable"`.
    ///
    /// ```
    /// use hooksig::receive::GuardAnswer;
    /// assert_eq!(GuardAnswer::InProgress.as_str(), "in_progress");
    /// assert_eq!(GuardAnswer::parse("duplicate"), Some(GuardAnswer::Duplicate));
    /// assert_eq!(GuardAnswer::parse("Duplicate"), None);
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            GuardAnswer::New => "new",
            GuardAnswer::Duplicate => "duplicate",
            GuardAnswer::InProgress => "in_progress",
            GuardAnswer::Unavailable => "unavailable",
        }
    }

    /// The answer named `name` (exactly as [`GuardAnswer::as_str`] writes it), or `None`.
    pub fn parse(name: &str) -> Option<GuardAnswer> {
        GuardAnswer::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl From<bool> for GuardAnswer {
    /// `true` (new) → [`GuardAnswer::New`], `false` → [`GuardAnswer::Duplicate`].
    fn from(is_new: bool) -> GuardAnswer {
        if is_new {
            GuardAnswer::New
        } else {
            GuardAnswer::Duplicate
        }
    }
}

/// How the handler ended.
///
/// ```
/// use hooksig::receive::{HandlerOutcome, KeyAction, Receiver};
/// let r = Receiver::new();
/// assert_eq!(r.finished(HandlerOutcome::Status(204)), KeyAction::Keep);
/// assert_eq!(r.finished(HandlerOutcome::Status(422)), KeyAction::Release);
/// assert_eq!(r.finished(HandlerOutcome::Raised), KeyAction::Release);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandlerOutcome {
    /// It answered this HTTP status.
    Status(u16),
    /// It raised / threw / returned an error.
    Raised,
}

/// What to do with the delivery's key after the handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAction {
    /// The handler succeeded: keep the key (a shared store confirms its in-progress marker).
    Keep,
    /// The handler failed: forget the key, so that the sender's retry runs the handler again.
    Release,
}

impl KeyAction {
    /// Both actions, in declaration order (the C binding's `hooksig_key_action` values are the
    /// indexes).
    pub const ALL: [KeyAction; 2] = [KeyAction::Keep, KeyAction::Release];

    /// The name bindings use for the action: `"keep"` or `"release"`.
    ///
    /// ```
    /// use hooksig::receive::KeyAction;
    /// assert_eq!(KeyAction::Release.as_str(), "release");
    /// assert_eq!(KeyAction::parse("keep"), Some(KeyAction::Keep));
    /// assert_eq!(KeyAction::parse("forget"), None);
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyAction::Keep => "keep",
            KeyAction::Release => "release",
        }
    }

    /// The action named `name` (exactly as [`KeyAction::as_str`] writes it), or `None`.
    pub fn parse(name: &str) -> Option<KeyAction> {
        KeyAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// The receiver policy, one per integration instance (cheap to copy).
///
/// ```
/// use hooksig::receive::{DEFAULT_BODY_LIMIT, Receiver};
/// assert_eq!(Receiver::new().limit(), DEFAULT_BODY_LIMIT);
/// let small = Receiver::with_limit(1024);
/// assert!(small.start("POST", Some(1024)).is_none());
/// assert_eq!(small.start("POST", Some(1025)).unwrap().status, 413);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receiver {
    limit: usize,
}

impl Default for Receiver {
    fn default() -> Receiver {
        Receiver::new()
    }
}

impl Receiver {
    /// A receiver with the [`DEFAULT_BODY_LIMIT`].
    pub fn new() -> Receiver {
        Receiver::with_limit(DEFAULT_BODY_LIMIT)
    }

    /// A receiver accepting bodies of at most `limit` bytes (any value is accepted; 0 admits
    /// only empty bodies).
    pub fn with_limit(limit: usize) -> Receiver {
        Receiver { limit }
    }

    /// The body limit in bytes: read at most this many.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Before reading the body. `Some(answer)`: write it and stop — 405 (with `Allow: POST`)
    /// for any method other than `POST` (HEAD included: servers drop its body), 413 for a
    /// declared `Content-Length` over the limit. `None`: read at most [`limit`](Self::limit)
    /// bytes. Methods are case-sensitive (RFC 9110): only `POST` is accepted.
    ///
    /// ```
    /// use hooksig::receive::Receiver;
    /// let r = Receiver::with_limit(10);
    /// assert!(r.start("POST", None).is_none());
    /// assert_eq!(r.start("PUT", Some(1)).unwrap().status, 405);
    /// assert_eq!(r.start("POST", Some(11)).unwrap().status, 413);
    /// ```
    pub fn start(&self, method: &str, content_length: Option<u64>) -> Option<Answer> {
        if method != "POST" {
            return Some(Answer::error(ErrorCode::MethodNotAllowed));
        }
        match content_length {
            Some(len) if len > self.limit as u64 => Some(self.body_too_large()),
            _ => None,
        }
    }

    /// 413 `body_too_large`: the body grew past the limit while it was read.
    pub fn body_too_large(&self) -> Answer {
        Answer::error(ErrorCode::BodyTooLarge)
    }

    /// 400 `body_read_failed`: the client aborted, or the chunked encoding was bad.
    pub fn body_read_failed(&self) -> Answer {
        Answer::error(ErrorCode::BodyReadFailed)
    }

    /// The answer for a failed verification: the code's HTTP status and
    /// `{"error":"<code>","message":"<description>"}` (the fixed description, never the
    /// error's request-specific message).
    ///
    /// ```
    /// use hooksig::Verifier;
    /// use hooksig::receive::Receiver;
    /// let v = Verifier::new("github", ["s"]).unwrap();
    /// let err = v.verify_at(&[] as &[(&str, &str)], b"{}", 0).unwrap_err();
    /// let a = Receiver::new().rejected(&err);
    /// assert_eq!(a.status, 400);
    /// assert_eq!(a.body, r#"{"error":"missing_signature","message":"the signature header is missing or empty"}"#);
    /// ```
    pub fn rejected(&self, err: &Error) -> Answer {
        Answer::error(err.code())
    }

    /// After the guard answered for a verified delivery. `None`: run the handler. Otherwise
    /// write the answer: 200 `{"status":"duplicate"}`, 409 `delivery_in_progress` or 503
    /// `replay_store_unavailable` (both with `Retry-After: 30`).
    ///
    /// ```
    /// use hooksig::receive::{GuardAnswer, Receiver};
    /// let r = Receiver::new();
    /// assert!(r.guarded(GuardAnswer::New).is_none());
    /// assert_eq!(r.guarded(GuardAnswer::InProgress).unwrap().status, 409);
    /// assert_eq!(r.guarded(GuardAnswer::Unavailable).unwrap().headers, vec![("Retry-After", "30".to_string())]);
    /// ```
    pub fn guarded(&self, answer: GuardAnswer) -> Option<Answer> {
        match answer {
            GuardAnswer::New => None,
            GuardAnswer::Duplicate => Some(Answer {
                status: 200,
                content_type: CONTENT_TYPE,
                headers: Vec::new(),
                body: r#"{"status":"duplicate"}"#.to_owned(),
            }),
            GuardAnswer::InProgress => Some(Answer::error(ErrorCode::DeliveryInProgress)),
            GuardAnswer::Unavailable => Some(Answer::error(ErrorCode::ReplayStoreUnavailable)),
        }
    }

    /// After the handler: the one rule for a failed handler in every language — it raised, or
    /// it answered a status outside 200–299 — releases the key; success keeps it.
    pub fn finished(&self, outcome: HandlerOutcome) -> KeyAction {
        match outcome {
            HandlerOutcome::Status(200..=299) => KeyAction::Keep,
            HandlerOutcome::Status(_) | HandlerOutcome::Raised => KeyAction::Release,
        }
    }

    /// The success answer the demo and test handlers write (200):
    /// `{"status":"received","scheme":"<id>","id":<string or null>,"event_type":<string or null>}`.
    ///
    /// ```
    /// use hooksig::{SignOptions, Verifier};
    /// use hooksig::receive::Receiver;
    /// let v = Verifier::new("github", ["s"]).unwrap();
    /// let h = v.sign(b"{}", &SignOptions::default()).unwrap();
    /// let ok = v.verify(&h, b"{}").unwrap();
    /// assert_eq!(
    ///     Receiver::received(&ok).body,
    ///     r#"{"status":"received","scheme":"github","id":null,"event_type":null}"#
    /// );
    /// ```
    pub fn received(verified: &Verified<'_>) -> Answer {
        Receiver::received_fields(
            verified.scheme,
            verified.id.as_deref(),
            verified.event_type.as_deref(),
        )
    }

    /// [`received`](Self::received) from the fields it names, for bindings that keep them
    /// without the core's `Verified`.
    ///
    /// ```
    /// use hooksig::receive::Receiver;
    /// assert_eq!(
    ///     Receiver::received_fields("stripe", Some("evt_\"1"), None).body,
    ///     r#"{"status":"received","scheme":"stripe","id":"evt_\"1","event_type":null}"#
    /// );
    /// ```
    pub fn received_fields(scheme: &str, id: Option<&str>, event_type: Option<&str>) -> Answer {
        Answer {
            status: 200,
            content_type: CONTENT_TYPE,
            headers: Vec::new(),
            body: format!(
                "{{\"status\":\"received\",\"scheme\":{},\"id\":{},\"event_type\":{}}}",
                json_str(scheme),
                Value::from(id),
                Value::from(event_type),
            ),
        }
    }
}

/// The `Content-Type` of Twitch's challenge answer: the challenge as plain text.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// A vendor's endpoint handshake, recognised in a request whose signature verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// Slack Events API `url_verification`: 200 with the `challenge` (as JSON
    /// `{"challenge":"…"}`, one of the three forms Slack accepts).
    SlackUrlVerification,
    /// Zoom `endpoint.url_validation`: 200 `{"plainToken":…,"encryptedToken":<hex HMAC-SHA256
    /// of plainToken under the secret that verified the request>}`.
    ZoomUrlValidation,
    /// Twitch EventSub `webhook_callback_verification`: 200 `text/plain` with the `challenge`.
    TwitchCallbackVerification,
    /// Discord interactions `PING` (`"type": 1`): 200 `{"type":1}` (`PONG`).
    DiscordPing,
}

impl Handshake {
    /// `"slack_url_verification"`, `"zoom_url_validation"`, `"twitch_callback_verification"`,
    /// `"discord_ping"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Handshake::SlackUrlVerification => "slack_url_verification",
            Handshake::ZoomUrlValidation => "zoom_url_validation",
            Handshake::TwitchCallbackVerification => "twitch_callback_verification",
            Handshake::DiscordPing => "discord_ping",
        }
    }
}

impl Receiver {
    /// After a successful verification, before the replay guard and the handler: the answer
    /// to a vendor's endpoint handshake, which the receiver gives itself (the handler does not
    /// run and no replay key is taken: a handshake is not a delivery, and Zoom re-validates the
    /// same endpoint periodically). `None` for every other request.
    ///
    /// Only requests whose signature verified reach this, so an attacker cannot make the
    /// endpoint compute a Zoom `encryptedToken` for a token of their choosing.
    ///
    /// - `slack`: a JSON body `{"type":"url_verification","challenge":"…"}` → 200
    ///   `{"challenge":"…"}`.
    /// - `zoom`: `{"event":"endpoint.url_validation","payload":{"plainToken":"…"}}` → 200
    ///   `{"plainToken":"…","encryptedToken":"<hex HMAC-SHA256(secret, plainToken)>"}`, the
    ///   secret being the one that verified the request.
    /// - `twitch`: header `Twitch-Eventsub-Message-Type: webhook_callback_verification` and a
    ///   JSON body with a string `challenge` → 200 `text/plain` with the challenge.
    /// - `discord`: an interaction whose `type` is the number 1 (`PING`) → 200 `{"type":1}`
    ///   (`PONG`). A Webhook Events body (it has an `event` object; its `type` 1 is an event,
    ///   not a ping) is the handler's.
    ///
    /// ```
    /// use hooksig::receive::{Handshake, Receiver};
    /// use hooksig::{SignOptions, Verifier};
    /// let v = Verifier::new("slack", ["s3cret"]).unwrap();
    /// let body = br#"{"token":"t","challenge":"abc","type":"url_verification"}"#;
    /// let h = v.sign(body, &SignOptions::at(1_767_225_600)).unwrap();
    /// let ok = v.verify_at(&h, body, 1_767_225_600).unwrap();
    /// let (kind, answer) = Receiver::new().handshake(&v, &ok, &h).unwrap();
    /// assert_eq!(kind, Handshake::SlackUrlVerification);
    /// assert_eq!((answer.status, answer.body.as_str()), (200, r#"{"challenge":"abc"}"#));
    /// ```
    pub fn handshake<H: Headers + ?Sized>(
        &self,
        verifier: &Verifier,
        verified: &Verified<'_>,
        headers: &H,
    ) -> Option<(Handshake, Answer)> {
        // A composite's answer comes from the verifier that matched: its scheme, its keys.
        let verifier = verifier.matched(verified);
        let scheme = verifier.scheme();
        let builtin = |id: &str| Scheme::builtin(id).is_some_and(|b| b == scheme);
        let json = || serde_json::from_slice::<Value>(&verified.payload).ok();
        let ok = |content_type, body| Answer {
            status: 200,
            content_type,
            headers: Vec::new(),
            body,
        };
        if builtin("slack") {
            let v = json()?;
            if v.get("type")?.as_str()? != "url_verification" {
                return None;
            }
            let challenge = v.get("challenge")?.as_str()?;
            let body = serde_json::json!({ "challenge": challenge }).to_string();
            return Some((Handshake::SlackUrlVerification, ok(CONTENT_TYPE, body)));
        }
        if builtin("zoom") {
            let v = json()?;
            if v.get("event")?.as_str()? != "endpoint.url_validation" {
                return None;
            }
            let plain = v.get("payload")?.get("plainToken")?.as_str()?;
            let mac = hmac_hex(verifier, verified.key_index, plain.as_bytes())?;
            let body = format!(
                "{{\"plainToken\":{},\"encryptedToken\":\"{}\"}}",
                json_str(plain),
                mac
            );
            return Some((Handshake::ZoomUrlValidation, ok(CONTENT_TYPE, body)));
        }
        if builtin("discord") {
            let v = json()?;
            if v.get("type")?.as_u64()? != 1 || v.get("event").is_some() {
                return None;
            }
            return Some((
                Handshake::DiscordPing,
                ok(CONTENT_TYPE, r#"{"type":1}"#.to_owned()),
            ));
        }
        if builtin("twitch") {
            let mut kind = None;
            let name = scheme.handshake_header.unwrap_or(TWITCH_MESSAGE_TYPE);
            headers.for_each_value(name, &mut |v| {
                kind.get_or_insert(crate::headers::trim(v));
            });
            if kind? != b"webhook_callback_verification" {
                return None;
            }
            let v = json()?;
            let challenge = v.get("challenge")?.as_str()?.to_owned();
            return Some((
                Handshake::TwitchCallbackVerification,
                ok(TEXT_CONTENT_TYPE, challenge),
            ));
        }
        None
    }
}

/// The header that tells Twitch's challenge request from a notification.
pub const TWITCH_MESSAGE_TYPE: &str = "Twitch-Eventsub-Message-Type";

/// Hex HMAC of `message` under the verifier's secret `index` (the one that verified the
/// request); `None` for an ed25519 key (Zoom's secrets are HMAC keys).
fn hmac_hex(verifier: &Verifier, index: usize, message: &[u8]) -> Option<String> {
    match verifier.keys().get(index)? {
        Key::Hmac(key) => {
            let content = SignedContent {
                template: &[TemplatePart::Body],
                id: b"",
                timestamp: b"",
                body: message,
                body_tail: b"",
                request: SignedRequest::default(),
            };
            Some(hex::encode(key.compute(&content).as_slice()))
        }
        _ => None,
    }
}

/// A JSON string literal (serde_json's escaping: `"`, `\` and control characters; other
/// characters as UTF-8, as `JSON.stringify` writes them).
fn json_str(s: &str) -> String {
    Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignOptions, Verifier};

    const NOW: i64 = 1_767_225_600;

    /// Signs `body` for `scheme`, adds `extra` headers, verifies and asks for a handshake.
    fn handshake_of(
        scheme: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Option<(Handshake, Answer)> {
        let v = Verifier::new(scheme, ["whsec_other", "zoom_secret_token_demo"]).unwrap();
        let opts = SignOptions {
            id: Some("e76c6bd4-55c9-4987-8304-da1588d8988b"),
            ..SignOptions::at(NOW)
        };
        // Signed with the second secret: the answer must use the one that verified.
        let signer = Verifier::new(scheme, ["zoom_secret_token_demo"]).unwrap();
        let mut headers: Vec<(String, String)> = signer
            .sign(body.as_bytes(), &opts)
            .unwrap()
            .into_iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        for (n, val) in extra {
            headers.push(((*n).to_owned(), (*val).to_owned()));
        }
        let ok = v.verify_at(&headers, body.as_bytes(), NOW).unwrap();
        assert_eq!(ok.key_index, 1);
        Receiver::new().handshake(&v, &ok, &headers)
    }

    #[test]
    fn slack_url_verification_is_answered_with_the_challenge() {
        let body = r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
        let (kind, a) = handshake_of("slack", body, &[]).unwrap();
        assert_eq!(kind, Handshake::SlackUrlVerification);
        assert_eq!((a.status, a.content_type), (200, CONTENT_TYPE));
        assert_eq!(
            a.body,
            r#"{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"#
        );
        // An ordinary event callback, or a challenge that is not a string: the handler's.
        assert!(handshake_of("slack", r#"{"type":"event_callback","event":{}}"#, &[]).is_none());
        assert!(
            handshake_of("slack", r#"{"type":"url_verification","challenge":1}"#, &[]).is_none()
        );
        assert!(handshake_of("slack", "not json", &[]).is_none());
    }

    #[test]
    fn zoom_url_validation_is_answered_with_the_hmac_of_the_plain_token() {
        let body = r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
        let (kind, a) = handshake_of("zoom", body, &[]).unwrap();
        assert_eq!(kind, Handshake::ZoomUrlValidation);
        // Python: hmac.new(b"zoom_secret_token_demo", b"qgg8vlvZRS6UYooatFL8Aw", sha256).hexdigest()
        assert_eq!(
            a.body,
            r#"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"ffcf1152d78e29ceaeac447bc5af9a6f8926bac6f923b95e21f34a4dd0526296"}"#
        );
        assert_eq!((a.status, a.content_type), (200, CONTENT_TYPE));
        assert!(handshake_of("zoom", r#"{"event":"meeting.started","payload":{}}"#, &[]).is_none());
    }

    #[test]
    fn twitch_callback_verification_is_answered_in_plain_text() {
        let body = r#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"status":"webhook_callback_verification_pending"}}"#;
        let kind_header = [(TWITCH_MESSAGE_TYPE, "webhook_callback_verification")];
        let (kind, a) = handshake_of("twitch", body, &kind_header).unwrap();
        assert_eq!(kind, Handshake::TwitchCallbackVerification);
        assert_eq!((a.status, a.content_type), (200, TEXT_CONTENT_TYPE));
        assert_eq!(a.body, "pogchamp-kappa-360noscope-vohiyo");
        // A notification (or no message-type header) is the handler's, challenge or not.
        assert!(handshake_of("twitch", body, &[(TWITCH_MESSAGE_TYPE, "notification")]).is_none());
        assert!(handshake_of("twitch", body, &[]).is_none());
    }

    #[test]
    fn other_schemes_have_no_handshake() {
        let body =
            r#"{"type":"url_verification","challenge":"x","event":"endpoint.url_validation"}"#;
        assert!(handshake_of("github", body, &[]).is_none());
        assert!(handshake_of("stripe", body, &[]).is_none());
    }

    #[test]
    fn guard_answer_and_key_action_names_round_trip() {
        for a in GuardAnswer::ALL {
            assert_eq!(GuardAnswer::parse(a.as_str()), Some(a));
        }
        for a in KeyAction::ALL {
            assert_eq!(KeyAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(GuardAnswer::parse(""), None);
        assert_eq!(KeyAction::parse("KEEP"), None);
    }

    #[test]
    fn every_non_post_method_is_405_with_allow() {
        let r = Receiver::new();
        for m in [
            "GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "post", "",
        ] {
            let a = r.start(m, Some(0)).expect("answered");
            assert_eq!(a.status, 405, "{m}");
            assert_eq!(a.headers, vec![("Allow", "POST".to_owned())]);
            assert!(
                a.body
                    .starts_with(r#"{"error":"method_not_allowed","message":""#)
            );
        }
        assert!(r.start("POST", None).is_none());
        assert!(r.start("POST", Some(DEFAULT_BODY_LIMIT as u64)).is_none());
    }

    #[test]
    fn declared_length_over_the_limit_is_413() {
        let r = Receiver::with_limit(0);
        assert!(r.start("POST", Some(0)).is_none());
        let a = r.start("POST", Some(1)).expect("413");
        assert_eq!((a.status, a.headers.len()), (413, 0));
        assert_eq!(a, r.body_too_large());
        assert_eq!(
            a.body,
            r#"{"error":"body_too_large","message":"the request body is larger than the receiver accepts"}"#
        );
        assert!(
            Receiver::with_limit(usize::MAX)
                .start("POST", Some(u64::MAX))
                .is_none()
        );
        assert_eq!(
            Receiver::new()
                .start("POST", Some(u64::MAX))
                .map(|a| a.status),
            Some(413)
        );
    }

    #[test]
    fn body_read_failed_is_400() {
        let a = Receiver::new().body_read_failed();
        assert_eq!(a.status, 400);
        assert_eq!(
            a.body,
            r#"{"error":"body_read_failed","message":"the request body could not be read"}"#
        );
    }

    #[test]
    fn every_code_has_a_json_body_that_parses_back() {
        for code in ErrorCode::ALL {
            let a = Answer::error(code);
            assert_eq!(a.status, code.http_status());
            let v: Value = serde_json::from_str(&a.body).expect("json");
            assert_eq!(v["error"], code.as_str());
            assert_eq!(v["message"], code.description());
            assert!(a.body.starts_with(r#"{"error":"#), "key order");
            assert!(!a.body.contains(' ') || a.body.contains("\"message\":\""));
        }
    }

    #[test]
    fn guard_answers() {
        let r = Receiver::new();
        assert_eq!(r.guarded(GuardAnswer::New), None);
        let d = r.guarded(GuardAnswer::Duplicate).expect("dup");
        assert_eq!(
            (d.status, d.body.as_str()),
            (200, r#"{"status":"duplicate"}"#)
        );
        assert!(d.headers.is_empty());
        let p = r.guarded(GuardAnswer::InProgress).expect("409");
        assert_eq!(p.status, 409);
        assert_eq!(p.headers, vec![("Retry-After", "30".to_owned())]);
        assert_eq!(
            p.body,
            r#"{"error":"delivery_in_progress","message":"this delivery is being processed by another request; retry later"}"#
        );
        let u = r.guarded(GuardAnswer::Unavailable).expect("503");
        assert_eq!(u.status, 503);
        assert_eq!(u.headers, vec![("Retry-After", "30".to_owned())]);
        assert_eq!(
            u.body,
            r#"{"error":"replay_store_unavailable","message":"the replay store is unavailable; retry later"}"#
        );
    }

    #[test]
    fn failed_handler_rule() {
        let r = Receiver::new();
        for s in [200, 201, 202, 204, 299] {
            assert_eq!(
                r.finished(HandlerOutcome::Status(s)),
                KeyAction::Keep,
                "{s}"
            );
        }
        for s in [0, 100, 199, 300, 302, 400, 422, 500, 503] {
            assert_eq!(
                r.finished(HandlerOutcome::Status(s)),
                KeyAction::Release,
                "{s}"
            );
        }
        assert_eq!(r.finished(HandlerOutcome::Raised), KeyAction::Release);
    }

    #[test]
    fn rejected_uses_the_fixed_description_not_the_message() {
        let v = Verifier::new("algoguard", ["whsec_k"]).expect("verifier");
        let body = br#"{"id":"evt_1"}"#;
        let h = v.sign(body, &SignOptions::at(1_000)).expect("sign");
        let err = v.verify_at(&h, body, 2_000).expect_err("stale");
        let a = Receiver::new().rejected(&err);
        assert_eq!(a.status, 401);
        assert_eq!(
            a.body,
            r#"{"error":"timestamp_expired","message":"the timestamp is older than the tolerance allows"}"#
        );
        assert!(a.headers.is_empty());
    }

    #[test]
    fn received_escapes_and_orders_keys() {
        let v = Verifier::new("stripe", ["whsec_k"]).expect("verifier");
        let body = "{\"id\":\"evt_\\\"1\\\\\",\"type\":\"a\\\"b\u{e9}\\n\\u0001\"}";
        let h = v
            .sign(body.as_bytes(), &SignOptions::at(1_000))
            .expect("sign");
        let ok = v.verify_at(&h, body.as_bytes(), 1_000).expect("ok");
        assert_eq!(ok.event_type.as_deref(), Some("a\"b\u{e9}\n\u{1}"));
        let a = Receiver::received(&ok);
        assert_eq!(a.status, 200);
        assert_eq!(
            a.body,
            "{\"status\":\"received\",\"scheme\":\"stripe\",\"id\":\"evt_\\\"1\\\\\",\"event_type\":\"a\\\"b\u{e9}\\n\\u0001\"}"
        );
        let parsed: Value = serde_json::from_str(&a.body).expect("json");
        assert_eq!(parsed["id"], "evt_\"1\\");
    }
}
