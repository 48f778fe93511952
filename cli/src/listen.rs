//! `hooksig listen`: a local receiver that verifies every request and shows what arrived.

use std::io::Read;

use hooksig::{ReplayGuard, Verifier};

use crate::Failure;
use crate::output::{Output, Received};

/// Largest body accepted (webhook senders stay far below).
const MAX_BODY: u64 = 16 * 1024 * 1024;

pub(crate) struct Listen<'a> {
    pub(crate) host: &'a str,
    pub(crate) port: u16,
    pub(crate) verifier: &'a Verifier,
    pub(crate) max_requests: Option<usize>,
}

pub(crate) fn run(cfg: &Listen<'_>, out: &mut Output) -> Result<(), Failure> {
    let server = tiny_http::Server::http((cfg.host, cfg.port)).map_err(|e| Failure {
        exit: 2,
        text: format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port),
        code: None,
    })?;
    let port = server.server_addr().to_ip().map_or(cfg.port, |a| a.port());
    out.listening(cfg.host, port, cfg.verifier.scheme().id());
    let guard = ReplayGuard::for_verifier(cfg.verifier);
    for (index, mut request) in server.incoming_requests().enumerate() {
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| (h.field.to_string(), h.value.to_string()))
            .collect();
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body);
        let (status, answer, seen) = if read.is_err() || body.len() as u64 > MAX_BODY {
            (
                413,
                r#"{"error":"body_too_large"}"#.to_owned(),
                Received::Unreadable,
            )
        } else {
            match cfg.verifier.verify(&headers, &body) {
                Ok(v) if !guard.check_and_remember(&v.dedupe_key(), crate::unix_now()) => (
                    200,
                    r#"{"status":"duplicate"}"#.to_owned(),
                    Received::Duplicate(v.dedupe_key()),
                ),
                Ok(v) => (
                    200,
                    r#"{"status":"received"}"#.to_owned(),
                    Received::Verified {
                        id: v.id.clone(),
                        event_type: v.event_type.clone(),
                        timestamp: v.timestamp,
                        key_index: v.key_index,
                        payload: v.payload.to_vec(),
                    },
                ),
                Err(e) => (
                    e.code().http_status(),
                    format!(r#"{{"error":"{}"}}"#, e.code()),
                    Received::Rejected(e),
                ),
            }
        };
        out.received(
            request.method().as_str(),
            request.url(),
            &headers,
            status,
            &seen,
        );
        let response = tiny_http::Response::from_string(answer)
            .with_status_code(status)
            .with_header(
                tiny_http::Header::from_bytes("Content-Type", "application/json")
                    .map_err(|()| crate::usage("bad response header"))?,
            );
        // A client that hung up is its own problem; keep serving.
        let _ = request.respond(response);
        if cfg.max_requests.is_some_and(|max| index + 1 >= max) {
            break;
        }
    }
    Ok(())
}
