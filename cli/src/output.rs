//! How the CLI prints: aligned and coloured on a terminal, plain when piped, JSON with `--json`.

use std::io::Write;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use serde_json::json;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = AnsiColor::Green.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();

/// What `listen` saw in one request.
pub(crate) enum Received {
    Verified {
        id: Option<String>,
        event_type: Option<String>,
        timestamp: Option<i64>,
        key_index: usize,
        payload: Vec<u8>,
    },
    Duplicate(String),
    /// A vendor's endpoint handshake the receiver answered itself (no handler, no key).
    Handshake(&'static str),
    Rejected(hooksig::Error),
    /// Not read whole (too large, too slow, malformed): the code answered.
    Refused(String),
}

/// The payload for JSON output: `"payload"` holds the authenticated bytes exactly when they
/// are UTF-8 (control characters included, escaped by the JSON encoder); otherwise it is null
/// and `"payload_base64"` holds them.
pub(crate) fn payload_fields(
    payload: &[u8],
    into: &mut serde_json::Map<String, serde_json::Value>,
) {
    match std::str::from_utf8(payload) {
        Ok(text) => {
            into.insert("payload".into(), text.into());
        }
        Err(_) => {
            use base64::Engine as _;
            into.insert("payload".into(), serde_json::Value::Null);
            into.insert(
                "payload_base64".into(),
                base64::engine::general_purpose::STANDARD
                    .encode(payload)
                    .into(),
            );
        }
    }
}

pub(crate) struct Output {
    json: bool,
    // anstream strips the colours when stdout is not a terminal (or NO_COLOR is set).
    out: anstream::AutoStream<std::io::Stdout>,
}

impl Output {
    pub(crate) fn new(json: bool) -> Output {
        Output {
            json,
            out: anstream::AutoStream::auto(std::io::stdout()),
        }
    }

    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    fn line(&mut self, text: std::fmt::Arguments<'_>) {
        // Output errors (a closed pipe) are not worth dying over mid-request.
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    /// One JSON value on its own line, written to stdout as it is: not through the colour
    /// layer, which strips control characters (U+007F among them) when stdout is not a
    /// terminal and would change the authenticated bytes.
    pub(crate) fn value(&mut self, value: serde_json::Value) {
        let mut raw = std::io::stdout().lock();
        let _ = writeln!(raw, "{value}");
        let _ = raw.flush();
    }

    pub(crate) fn attempt(
        &mut self,
        n: usize,
        total: usize,
        status: Option<u16>,
        body: &str,
        next: Option<Duration>,
    ) {
        if self.json {
            self.value(json!({
                "attempt": n, "of": total, "status": status, "body": body,
                "retry_in_ms": next.map(|d| d.as_millis() as u64),
            }));
            return;
        }
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        let style = if ok { GOOD } else { BAD };
        let status = status.map_or_else(|| "no answer".to_owned(), |s| s.to_string());
        let retry = next.map_or(String::new(), |d| {
            format!(
                "  {DIM}retrying in {}{DIM:#}",
                humantime::format_duration(d)
            )
        });
        self.line(format_args!(
            "attempt {n}/{total}  {style}{status:<9}{style:#} {}{retry}",
            body.trim()
        ));
    }

    pub(crate) fn listening(&mut self, host: &str, port: u16, scheme: &str) {
        if self.json {
            self.value(json!({"listening": format!("http://{host}:{port}/"), "scheme": scheme}));
        } else {
            self.line(format_args!(
                "{BOLD}listening on http://{host}:{port}/{BOLD:#} for {scheme} webhooks (Ctrl-C stops)"
            ));
        }
    }

    pub(crate) fn received(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        status: u16,
        seen: &Received,
    ) {
        if self.json {
            let mut v = json!({"method": method, "path": url, "status": status});
            match seen {
                Received::Verified {
                    id,
                    event_type,
                    timestamp,
                    key_index,
                    payload,
                } => {
                    let mut verified = json!({
                        "id": id, "event_type": event_type, "timestamp": timestamp,
                        "key_index": key_index,
                    });
                    if let Some(map) = verified.as_object_mut() {
                        payload_fields(payload, map);
                    }
                    v["verified"] = verified;
                }
                Received::Duplicate(key) => v["duplicate"] = json!(key),
                Received::Handshake(kind) => v["handshake"] = json!(kind),
                Received::Rejected(e) => {
                    v["error"] = json!({"code": e.code().as_str(), "header": e.header(), "message": e.message()});
                }
                Received::Refused(code) => v["error"] = json!({"code": code}),
            }
            self.value(v);
            return;
        }
        let style = if status < 300 { GOOD } else { BAD };
        self.line(format_args!("{style}{status}{style:#} {method} {url}"));
        match seen {
            Received::Verified {
                id,
                event_type,
                timestamp,
                key_index,
                payload,
            } => {
                let show = |v: Option<String>| v.unwrap_or_else(|| "-".into());
                self.line(format_args!(
                    "  {DIM}event{DIM:#}      {}",
                    show(event_type.clone())
                ));
                self.line(format_args!(
                    "  {DIM}id{DIM:#}         {}",
                    show(id.clone())
                ));
                self.line(format_args!(
                    "  {DIM}timestamp{DIM:#}  {}",
                    show(timestamp.map(|t| t.to_string()))
                ));
                self.line(format_args!("  {DIM}secret{DIM:#}     #{key_index}"));
                for (name, value) in headers {
                    self.line(format_args!("  {DIM}{name}: {value}{DIM:#}"));
                }
                self.line(format_args!("{}", pretty(payload)));
            }
            Received::Duplicate(key) => {
                self.line(format_args!(
                    "  duplicate delivery {key}: answered 200, not processed"
                ));
            }
            Received::Handshake(kind) => {
                self.line(format_args!(
                    "  handshake {kind}: answered for you, not processed"
                ));
            }
            Received::Rejected(e) => {
                self.line(format_args!("  {BAD}{}{BAD:#}: {e}", e.code()));
            }
            Received::Refused(code) => self.line(format_args!("  {BAD}{code}{BAD:#}")),
        }
    }
}

/// Pretty-prints a JSON payload; anything else as (lossy) text.
fn pretty(payload: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(payload).into_owned())
}
