//! `hooksig_receiver` and `hooksig_answer`: the core's receiver policy
//! (`hooksig::receive::Receiver`) for C adapters. The adapter drives one receiver per request
//! (the four steps are in `bindings-c/README.md`) and writes each `hooksig_answer` exactly
//! (status, `Content-Type`, headers, body bytes); it never decides an answer itself.

use crate::prelude::*;

use hooksig::receive::{Answer, GuardAnswer, HandlerOutcome, KeyAction, Receiver};

use crate::verified::hooksig_verified;
use crate::verifier::{hooksig_header, hooksig_verifier};

/// The body limit a receiver created with this value uses by default: 10 MiB (the core's, the
/// same in every hooksig integration). A literal so that cbindgen can write it; a unit test
/// checks it against the core.
pub const HOOKSIG_DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Pass as `content_length` to `hooksig_receiver_start` when the request declares none
/// (chunked).
pub const HOOKSIG_NO_CONTENT_LENGTH: i64 = -1;

/// Pass as `handler_status` to `hooksig_receiver_finished` when the handler raised / failed
/// without an HTTP status.
pub const HOOKSIG_HANDLER_RAISED: i32 = -1;

/// What the replay guard answered for a verified delivery's key (`hooksig_receiver_guarded`).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_guard_answer {
    /// Not seen before (now remembered): run the handler.
    HOOKSIG_GUARD_NEW = 0,
    /// Already processed: answer 200 `{"status":"duplicate"}` without the handler.
    HOOKSIG_GUARD_DUPLICATE = 1,
    /// Another request is processing it (a shared store's in-progress marker): 409.
    HOOKSIG_GUARD_IN_PROGRESS = 2,
    /// The replay store could not be asked: 503.
    HOOKSIG_GUARD_UNAVAILABLE = 3,
}

impl From<GuardAnswer> for hooksig_guard_answer {
    fn from(answer: GuardAnswer) -> Self {
        match answer {
            GuardAnswer::New => hooksig_guard_answer::HOOKSIG_GUARD_NEW,
            GuardAnswer::Duplicate => hooksig_guard_answer::HOOKSIG_GUARD_DUPLICATE,
            GuardAnswer::InProgress => hooksig_guard_answer::HOOKSIG_GUARD_IN_PROGRESS,
            GuardAnswer::Unavailable => hooksig_guard_answer::HOOKSIG_GUARD_UNAVAILABLE,
        }
    }
}

/// What to do with the delivery's key after the handler (`hooksig_receiver_finished`).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hooksig_key_action {
    /// The handler succeeded (a status 200-299): keep the key (a shared store confirms its
    /// in-progress marker).
    HOOKSIG_KEY_KEEP = 0,
    /// The handler failed (raised, or any other status): forget the key so that the sender's
    /// retry runs the handler again.
    HOOKSIG_KEY_RELEASE = 1,
}

/// The receiver policy for one endpoint: the body limit, and every answer around a
/// verification. Immutable: share one between threads.
pub struct hooksig_receiver(Receiver);

/// One HTTP answer decided by the core: write its status, `Content-Type`, headers and body
/// bytes exactly.
pub struct hooksig_answer {
    status: u16,
    content_type: CText,
    headers: Vec<(CText, CText)>,
    body: CText,
}

impl From<Answer> for hooksig_answer {
    fn from(a: Answer) -> Self {
        hooksig_answer {
            status: a.status,
            content_type: CText::new(a.content_type.as_bytes()),
            headers: a
                .headers
                .iter()
                .map(|(n, v)| (CText::new(n.as_bytes()), CText::new(v.as_bytes())))
                .collect(),
            body: CText::new(a.body.as_bytes()),
        }
    }
}

/// Runs `f` with the receiver and writes its answer (or NULL) to `out` (the contract of the
/// exported functions).
unsafe fn answer_call(
    receiver: *const hooksig_receiver,
    out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
    f: impl FnOnce(&Receiver) -> Result<Option<Answer>, Failure>,
) -> hooksig_status {
    // SAFETY: forwarded from the exported functions' contracts.
    unsafe {
        ffi_out(out, "answer_out", err_out, || {
            Ok(f(&handle(receiver, "receiver")?.0)?.map(hooksig_answer::from))
        })
    }
}

/// A receiver accepting bodies of at most `limit` bytes (`HOOKSIG_DEFAULT_BODY_LIMIT` is
/// 10 MiB; 0 admits only empty bodies).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_new(
    limit: usize,
    out: *mut *mut hooksig_receiver,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_new(out, err_out, || {
            Ok(hooksig_receiver(Receiver::with_limit(limit)))
        })
    }
}

/// The body limit in bytes: read at most this many (0 if `receiver` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_limit(receiver: *const hooksig_receiver) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(receiver, 0, |r| r.0.limit()) }
}

/// Before reading the body. `method`: as received (only `POST` is accepted, case-sensitively).
/// `content_length`: the declared `Content-Length`, or `HOOKSIG_NO_CONTENT_LENGTH` (-1); any
/// other negative value → `HOOKSIG_INVALID_ARGUMENT`. `answer_out` receives the answer to write
/// and stop (405 with `Allow: POST`, 413), or NULL: read at most `hooksig_receiver_limit` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_start(
    receiver: *const hooksig_receiver,
    method: *const c_char,
    method_len: usize,
    content_length: i64,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |r| {
            let method = bytes(method, method_len, "method")?;
            let length = match content_length {
                HOOKSIG_NO_CONTENT_LENGTH => None,
                n if n < 0 => {
                    let message = format!("content_length must be -1 or at least 0, not {n}");
                    return Err(invalid(message));
                }
                n => Some(n.unsigned_abs()),
            };
            // A method that is not UTF-8 is not "POST": answered 405 like any other.
            let method = std::str::from_utf8(method).unwrap_or("");
            Ok(r.start(method, length))
        })
    }
}

/// 413 `body_too_large`: the body grew past the limit while it was read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_body_too_large(
    receiver: *const hooksig_receiver,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |r| {
            Ok(Some(r.body_too_large()))
        })
    }
}

/// 400 `body_read_failed`: the client aborted, or the chunked encoding was bad.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_body_read_failed(
    receiver: *const hooksig_receiver,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |r| {
            Ok(Some(r.body_read_failed()))
        })
    }
}

/// The answer for a status that a receiver can answer with (a core code), or `invalid_argument`.
fn rejected(status: hooksig_status) -> Result<Option<Answer>, Failure> {
    let code = status.core_code().ok_or_else(|| {
        let (n, name) = (status as i32, status.code());
        invalid(format!(
            "status {n} ({name}) is not an error a receiver answers"
        ))
    })?;
    Ok(Some(Answer::error(code)))
}

/// The answer for a failed verification: `error` is the `hooksig_error` that `hooksig_verify`
/// gave. Its code's HTTP status and `{"error":"<code>","message":"<description>"}` (the fixed
/// description, never the error's request-specific message). An error that is not one of the
/// core's codes (`null_argument`, `invalid_utf8`, `internal`) → `HOOKSIG_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_rejected(
    receiver: *const hooksig_receiver,
    error: *const hooksig_error,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |_| {
            rejected(handle(error, "error")?.status)
        })
    }
}

/// As `hooksig_receiver_rejected`, from the `hooksig_status` a call returned (for callers that
/// passed NULL as `err_out`). `HOOKSIG_OK`, an unknown value or a status that is not a core code
/// → `HOOKSIG_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_rejected_status(
    receiver: *const hooksig_receiver,
    status: i32,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |_| {
            let known = hooksig_status::from_raw(status);
            rejected(known.ok_or_else(|| invalid(format!("{status} is not a hooksig_status")))?)
        })
    }
}

/// After the replay guard answered for a verified delivery's key. `guard_answer`: a
/// `hooksig_guard_answer` (0 to 3; others → `HOOKSIG_INVALID_ARGUMENT`). `answer_out` receives
/// NULL (`HOOKSIG_GUARD_NEW`: run the handler) or the answer to write and stop: 200
/// `{"status":"duplicate"}`, 409 `delivery_in_progress` or 503 `replay_store_unavailable`
/// (both with `Retry-After: 30`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_guarded(
    receiver: *const hooksig_receiver,
    guard_answer: i32,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |r| {
            let answer = GuardAnswer::ALL
                .into_iter()
                .find(|a| hooksig_guard_answer::from(*a) as i32 == guard_answer)
                .ok_or_else(|| {
                    invalid(format!(
                        "guard_answer must be a hooksig_guard_answer (0 to 3), not {guard_answer}"
                    ))
                })?;
            Ok(r.guarded(answer))
        })
    }
}

/// After a successful `hooksig_verify`, before the replay guard: the answer to a vendor's
/// endpoint handshake, which the receiver gives itself (`Receiver::handshake` in the core).
/// `verifier` verified the request, `verified` is what it returned; `headers` are the request
/// headers as passed to `hooksig_verify`. `answer_out` receives NULL (not a handshake: go on to
/// the guard and the handler) or the answer to write and stop: Slack `url_verification` → 200
/// `{"challenge":…}`; Zoom `endpoint.url_validation` → 200
/// `{"plainToken":…,"encryptedToken":…}` (hex HMAC-SHA256 under the secret that verified the
/// request); Twitch `webhook_callback_verification` → 200 `text/plain; charset=utf-8` with the
/// challenge as the body. The handler does not run and no replay key is taken.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_handshake(
    receiver: *const hooksig_receiver,
    verifier: *const hooksig_verifier,
    verified: *const hooksig_verified,
    headers: *const hooksig_header,
    n_headers: usize,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |r| {
            let verifier = handle(verifier, "verifier")?.inner();
            let verified = handle(verified, "verified")?;
            let mut pairs = crate::verifier::HeaderPairs::new();
            crate::verifier::header_pairs(headers, n_headers, &mut pairs)?;
            let core = verified.as_core();
            Ok(r.handshake(verifier, &core, &pairs[..]).map(|(_, a)| a))
        })
    }
}

/// The canonical success answer (200) for a verified delivery:
/// `{"status":"received","scheme":"<id>","id":<string or null>,"event_type":<string or null>}`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_received(
    receiver: *const hooksig_receiver,
    verified: *const hooksig_verified,
    answer_out: *mut *mut hooksig_answer,
    err_out: *mut *mut hooksig_error,
) -> hooksig_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_call(receiver, answer_out, err_out, |_| {
            Ok(Some(handle(verified, "verified")?.received()))
        })
    }
}

/// After the handler: the one rule for a failed handler in every hooksig integration.
/// `handler_status`: the HTTP status it answered, or `HOOKSIG_HANDLER_RAISED` (-1) when it
/// raised / failed without one. A status 200-299 → `HOOKSIG_KEY_KEEP`; anything else (and a
/// NULL `receiver`) → `HOOKSIG_KEY_RELEASE`: forget the key so that the retry runs again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_finished(
    receiver: *const hooksig_receiver,
    handler_status: i32,
) -> hooksig_key_action {
    let outcome =
        u16::try_from(handler_status).map_or(HandlerOutcome::Raised, HandlerOutcome::Status);
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ffi_get(
            receiver,
            hooksig_key_action::HOOKSIG_KEY_RELEASE,
            |r| match r.0.finished(outcome) {
                KeyAction::Keep => hooksig_key_action::HOOKSIG_KEY_KEEP,
                KeyAction::Release => hooksig_key_action::HOOKSIG_KEY_RELEASE,
            },
        )
    }
}

/// Releases a receiver. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_receiver_free(receiver: *mut hooksig_receiver) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(receiver) }
}

/// The HTTP status to write (0 if `answer` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_status(answer: *const hooksig_answer) -> i32 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(answer, 0, |a| i32::from(a.status)) }
}

/// The `Content-Type` to write, the core's: `application/json`, or `text/plain; charset=utf-8`
/// for Twitch's handshake answer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_content_type(
    answer: *const hooksig_answer,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(answer, len_out, |a| Some(a.content_type.bytes())) }
}

/// The number of headers to write besides `Content-Type` (`Allow`, `Retry-After`; 0 if
/// `answer` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_header_count(answer: *const hooksig_answer) -> usize {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_get(answer, 0, |a| a.headers.len()) }
}

/// The name of header `index` (NULL if `index` is out of range).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_header_name(
    answer: *const hooksig_answer,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(answer, len_out, |a| Some(a.headers.get(index)?.0.bytes())) }
}

/// The value of header `index` (NULL if `index` is out of range).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_header_value(
    answer: *const hooksig_answer,
    index: usize,
    len_out: *mut usize,
) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(answer, len_out, |a| Some(a.headers.get(index)?.1.bytes())) }
}

/// The body bytes to write, exactly (JSON, or Twitch's challenge as text; followed by a NUL
/// that is not counted). NULL only if `answer` is NULL. For a HEAD request, write the status
/// and headers only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_body(
    answer: *const hooksig_answer,
    len_out: *mut usize,
) -> *const u8 {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_text(answer, len_out, |a| Some(a.body.bytes())) }.cast()
}

/// Releases an answer and every string it returned. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_answer_free(answer: *mut hooksig_answer) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ffi_free(answer) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hooksig::receive;

    #[test]
    fn the_c_constants_are_the_core_ones() {
        assert_eq!(HOOKSIG_DEFAULT_BODY_LIMIT, receive::DEFAULT_BODY_LIMIT);
    }

    #[test]
    fn finished_maps_statuses_and_raised() {
        let r = hooksig_receiver(Receiver::new());
        let f = |s| unsafe { hooksig_receiver_finished(&r, s) };
        assert_eq!(f(200), hooksig_key_action::HOOKSIG_KEY_KEEP);
        assert_eq!(f(299), hooksig_key_action::HOOKSIG_KEY_KEEP);
        for s in [
            HOOKSIG_HANDLER_RAISED,
            -2,
            0,
            300,
            422,
            500,
            65_736,
            i32::MAX,
        ] {
            assert_eq!(f(s), hooksig_key_action::HOOKSIG_KEY_RELEASE, "{s}");
        }
        assert_eq!(
            unsafe { hooksig_receiver_finished(std::ptr::null(), 200) },
            hooksig_key_action::HOOKSIG_KEY_RELEASE
        );
    }

    /// `hooksig_receiver_handshake` for a request signed with `secret` under `scheme`, with
    /// `extra` headers: (status, content type, body), or None.
    fn handshake_of(
        scheme: &str,
        secret: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Option<(i32, String, String)> {
        use hooksig::{SignOptions, Verifier};
        const NOW: i64 = 1_767_225_600;
        let v = Verifier::new(scheme, ["other_secret_first", secret]).unwrap();
        let signer = Verifier::new(scheme, [secret]).unwrap();
        let mut headers: Vec<(String, String)> = signer
            .sign(body.as_bytes(), &SignOptions::at(NOW))
            .unwrap()
            .into_iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        for (n, val) in extra {
            headers.push(((*n).to_owned(), (*val).to_owned()));
        }
        let verified = hooksig_verified::from(v.verify_at(&headers, body.as_bytes(), NOW).unwrap());
        let c_headers: Vec<hooksig_header> = headers
            .iter()
            .map(|(n, val)| hooksig_header {
                name: n.as_ptr().cast(),
                name_len: n.len(),
                value: val.as_ptr().cast(),
                value_len: val.len(),
            })
            .collect();
        let verifier = hooksig_verifier::from_core(v);
        let r = hooksig_receiver(Receiver::new());
        let mut out: *mut hooksig_answer = std::ptr::null_mut();
        let status = unsafe {
            hooksig_receiver_handshake(
                &r,
                &verifier,
                &verified,
                c_headers.as_ptr(),
                c_headers.len(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, hooksig_status::HOOKSIG_OK);
        if out.is_null() {
            return None;
        }
        let text = |p: *const c_char, len: usize| {
            String::from_utf8(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }.to_vec())
                .unwrap()
        };
        let (mut ct_len, mut body_len) = (0, 0);
        let result = unsafe {
            let ct = hooksig_answer_content_type(out, &mut ct_len);
            let b = hooksig_answer_body(out, &mut body_len);
            (
                hooksig_answer_status(out),
                text(ct, ct_len),
                text(b.cast(), body_len),
            )
        };
        unsafe { hooksig_answer_free(out) };
        Some(result)
    }

    #[test]
    fn handshakes_are_answered_with_the_core_content_type() {
        let slack = r#"{"token":"t","challenge":"abc","type":"url_verification"}"#;
        assert_eq!(
            handshake_of("slack", "slack_secret", slack, &[]),
            Some((
                200,
                "application/json".to_owned(),
                r#"{"challenge":"abc"}"#.to_owned()
            ))
        );
        assert_eq!(
            handshake_of("slack", "slack_secret", r#"{"type":"event_callback"}"#, &[]),
            None
        );
        // Zoom: HMAC under the secret that verified (the second one).
        let zoom = r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
        assert_eq!(
            handshake_of("zoom", "zoom_secret_token_demo", zoom, &[]),
            Some((
                200,
                "application/json".to_owned(),
                r#"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"ffcf1152d78e29ceaeac447bc5af9a6f8926bac6f923b95e21f34a4dd0526296"}"#.to_owned()
            ))
        );
        let twitch = r#"{"challenge":"pogchamp","subscription":{}}"#;
        let kind = receive::TWITCH_MESSAGE_TYPE;
        assert_eq!(
            handshake_of(
                "twitch",
                "twitch_secret",
                twitch,
                &[(kind, "webhook_callback_verification")]
            ),
            Some((
                200,
                receive::TEXT_CONTENT_TYPE.to_owned(),
                "pogchamp".to_owned()
            ))
        );
        assert_eq!(
            handshake_of("twitch", "twitch_secret", twitch, &[(kind, "notification")]),
            None
        );
    }

    #[test]
    fn handshake_null_arguments_are_errors() {
        let r = hooksig_receiver(Receiver::new());
        let mut out: *mut hooksig_answer = std::ptr::null_mut();
        let status = unsafe {
            hooksig_receiver_handshake(
                &r,
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                0,
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_ne!(status, hooksig_status::HOOKSIG_OK);
        assert!(out.is_null());
    }
}
