//! `hooksig send`: sign a body and POST it, with the vendors' retry schedules.

use std::time::Duration;

use hooksig::{SignOptions, Verifier};

use crate::Failure;
use crate::output::Output;

/// AlgoGuard's documented schedule: 15 s, 30 s, 1 min, … doubling, 8 attempts in all.
const ALGOGUARD: [u64; 7] = [15, 30, 60, 120, 240, 480, 960];
/// Chaindoc's: retries after 1, 5 and 15 minutes.
const CHAINDOC: [u64; 3] = [60, 300, 900];

/// Parses `algoguard`, `chaindoc`, `none` or a comma list of durations (`500ms,2s,1m`).
pub(crate) fn parse_schedule(text: &str) -> Result<Vec<Duration>, String> {
    match text {
        "algoguard" => Ok(ALGOGUARD.map(Duration::from_secs).to_vec()),
        "chaindoc" => Ok(CHAINDOC.map(Duration::from_secs).to_vec()),
        "none" => Ok(Vec::new()),
        list => list
            .split(',')
            .enumerate()
            .map(|(n, d)| {
                // The entry's text is not echoed (it could be a secret in the wrong place).
                humantime::parse_duration(d.trim()).map_err(|_| {
                    format!(
                        "--retry: entry {} is not a duration like 500ms, 15s or 1m, nor \
                         algoguard, chaindoc or none",
                        n + 1
                    )
                })
            })
            .collect(),
    }
}

pub(crate) struct SendRequest<'a> {
    pub(crate) url: &'a str,
    pub(crate) verifier: &'a Verifier,
    pub(crate) body: &'a [u8],
    pub(crate) id: Option<&'a str>,
    pub(crate) event_type: Option<&'a str>,
    pub(crate) timestamp: Option<i64>,
    pub(crate) schedule: &'a [Duration],
    pub(crate) timeout: Duration,
}

/// Sends once, then once per schedule entry while the receiver fails (no answer or non-2xx).
/// Each attempt is signed afresh (new timestamp, same id), as senders do.
pub(crate) fn run(req: &SendRequest<'_>, out: &mut Output) -> Result<(), Failure> {
    let agent = ureq::AgentBuilder::new().timeout(req.timeout).build();
    let derived_id;
    let id = match req.id {
        Some(id) => Some(id),
        None => {
            // Keep one id across retries so that the receiver can deduplicate them.
            derived_id = format!("msg_{:x}", crate::unix_now_nanos());
            Some(derived_id.as_str())
        }
    };
    let attempts = req.schedule.len() + 1;
    for attempt in 1..=attempts {
        let headers = req.verifier.sign(
            req.body,
            &SignOptions {
                timestamp: req.timestamp,
                id,
                event_type: req.event_type,
                url: Some(req.url),
                method: None,
            },
        )?;
        let mut call = agent.post(req.url).set("Content-Type", "application/json");
        for (name, value) in &headers {
            call = call.set(name, value);
        }
        let (status, text) = match call.send_bytes(req.body) {
            Ok(resp) => (Some(resp.status()), resp.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(code, resp)) => {
                (Some(code), resp.into_string().unwrap_or_default())
            }
            Err(ureq::Error::Transport(t)) => (None, t.to_string()),
        };
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        let next = req.schedule.get(attempt - 1).filter(|_| !ok);
        out.attempt(attempt, attempts, status, &text, next.copied());
        if ok {
            return Ok(());
        }
        match next {
            Some(wait) => std::thread::sleep(*wait),
            None => break,
        }
    }
    Err(Failure {
        exit: 1,
        text: format!("delivery failed after {attempts} attempt(s)"),
        code: None,
    })
}
