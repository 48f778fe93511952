//! `hooksig listen`: a local receiver that verifies every request and shows what arrived.
//!
//! std's `TcpListener`, a fixed pool of worker threads fed by a bounded queue, and `httparse`
//! for the request head. Every request has one deadline for its head and body together
//! (`--read-timeout`), so a client that stalls mid-body holds one worker for at most that long
//! while the other workers keep answering; the thread count is `--workers` + 2 whatever the
//! number of connections; connections beyond the queue are answered `503` with `Retry-After`
//! at once (webhook senders retry). tiny_http, used before, starts one thread per connection
//! and reads bodies with no deadline (one stalled body blocked every other request).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use hooksig::{ReplayGuard, Verifier};

use crate::Failure;
use crate::output::{Output, Received};

/// Largest body accepted (webhook senders stay far below).
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// Largest request head (request line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Most header lines in one request.
const MAX_HEADERS: usize = 128;
/// How long a refused or finished connection is drained before it is closed (so the client
/// reads the answer instead of a reset).
const LINGER: Duration = Duration::from_secs(1);

pub(crate) struct Listen {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) verifier: Verifier,
    pub(crate) max_requests: Option<usize>,
    /// Worker threads (requests handled at once).
    pub(crate) workers: usize,
    /// Accepted connections waiting for a worker; more are answered 503.
    pub(crate) queue: usize,
    /// Deadline for reading one request (head and body), and for writing its answer.
    pub(crate) timeout: Duration,
}

/// What the workers share.
struct Shared {
    verifier: Verifier,
    guard: ReplayGuard,
    out: Mutex<Output>,
    timeout: Duration,
    max_requests: Option<usize>,
    served: AtomicUsize,
    done: Mutex<SyncSender<()>>,
}

pub(crate) fn run(cfg: Listen, out: &mut Output) -> Result<(), Failure> {
    if cfg.workers == 0 || cfg.queue == 0 || cfg.timeout.is_zero() {
        return Err(crate::usage(
            "--workers, --queue and --read-timeout must be positive",
        ));
    }
    let listener = TcpListener::bind((cfg.host.as_str(), cfg.port)).map_err(|e| Failure {
        exit: 2,
        text: format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port),
        code: None,
    })?;
    let port = listener.local_addr().map_or(cfg.port, |a| a.port());
    let scheme = cfg.verifier.scheme().id().to_owned();
    let (done_tx, done_rx) = mpsc::sync_channel::<()>(1);
    let shared = Arc::new(Shared {
        guard: ReplayGuard::for_verifier(&cfg.verifier),
        verifier: cfg.verifier,
        out: Mutex::new(Output::new(out.is_json())),
        timeout: cfg.timeout,
        max_requests: cfg.max_requests,
        served: AtomicUsize::new(0),
        done: Mutex::new(done_tx),
    });
    let (conn_tx, conn_rx) = mpsc::sync_channel::<TcpStream>(cfg.queue);
    let conn_rx = Arc::new(Mutex::new(conn_rx));
    for n in 0..cfg.workers {
        let shared = Arc::clone(&shared);
        let conn_rx = Arc::clone(&conn_rx);
        std::thread::Builder::new()
            .name(format!("listen-worker-{n}"))
            .spawn(move || worker(&shared, &conn_rx))
            .map_err(|e| crate::usage(format!("cannot start a worker thread: {e}")))?;
    }
    let timeout = cfg.timeout;
    std::thread::Builder::new()
        .name("listen-accept".into())
        .spawn(move || accept_loop(&listener, &conn_tx, timeout))
        .map_err(|e| crate::usage(format!("cannot start the accept thread: {e}")))?;
    drop(shared);
    out.listening(&cfg.host, port, &scheme);
    // Returns once a worker has served --max-requests; without it, never (Ctrl-C stops).
    let _ = done_rx.recv();
    Ok(())
}

fn accept_loop(listener: &TcpListener, queue: &SyncSender<TcpStream>, timeout: Duration) {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors, or a connection reset before accept: back off briefly.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(timeout));
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream)) => {
                // Every worker is busy and the queue is full: say so now rather than hold the
                // connection (the sender retries).
                let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
                let _ = respond(
                    &stream,
                    503,
                    r#"{"error":"server_busy"}"#,
                    &[("Retry-After", "1")],
                );
                let _ = stream.shutdown(Shutdown::Write);
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

fn worker(shared: &Shared, queue: &Mutex<Receiver<TcpStream>>) {
    loop {
        let stream = {
            let Ok(queue) = queue.lock() else { return };
            match queue.recv() {
                Ok(stream) => stream,
                Err(_) => return,
            }
        };
        serve(shared, &stream);
    }
}

/// A reader that fails with `TimedOut` once the deadline has passed, however the bytes trickle.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        match (&*self.stream).read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }
    }
}

/// A request that was read whole.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Why a request was not read whole: the status and code to answer with.
struct Refusal {
    status: u16,
    code: &'static str,
}

const fn refuse(status: u16, code: &'static str) -> Refusal {
    Refusal { status, code }
}

/// What came of reading one connection.
enum Read1 {
    /// Closed (or silent until the deadline) before sending a byte: nothing to answer.
    Nothing,
    Request(Request),
    Refused(Option<(String, String)>, Refusal),
}

fn serve(shared: &Shared, stream: &TcpStream) {
    let mut reader = Deadline {
        stream,
        until: Instant::now() + shared.timeout,
    };
    let (method, path, headers, status, answer, seen) = match read_request(&mut reader, stream) {
        Read1::Nothing => return,
        Read1::Refused(line, refusal) => {
            let (method, path) = line.unwrap_or_default();
            (
                method,
                path,
                Vec::new(),
                refusal.status,
                serde_json::json!({"error": refusal.code}).to_string(),
                Received::Refused(refusal.code),
            )
        }
        Read1::Request(req) => {
            let (status, answer, seen) = verify(shared, &req);
            (req.method, req.path, req.headers, status, answer, seen)
        }
    };
    let index = shared.served.fetch_add(1, Ordering::SeqCst);
    let counted = shared.max_requests.is_none_or(|max| index < max);
    if counted {
        if let Ok(mut out) = shared.out.lock() {
            out.received(&method, &path, &headers, status, &seen);
        }
    }
    // A client that hung up is its own problem; keep serving.
    let _ = respond(stream, status, &answer, &[]);
    let _ = stream.shutdown(Shutdown::Write);
    if !matches!(seen, Received::Verified { .. } | Received::Duplicate(_)) {
        linger(stream);
    }
    if shared.max_requests == Some(index + 1) {
        if let Ok(done) = shared.done.lock() {
            let _ = done.try_send(());
        }
    }
}

fn verify(shared: &Shared, req: &Request) -> (u16, String, Received) {
    match shared.verifier.verify(&req.headers, &req.body) {
        Ok(v)
            if !shared
                .guard
                .check_and_remember(&v.dedupe_key(), crate::unix_now()) =>
        {
            (
                200,
                r#"{"status":"duplicate"}"#.to_owned(),
                Received::Duplicate(v.dedupe_key()),
            )
        }
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
            serde_json::json!({"error": e.code().as_str()}).to_string(),
            Received::Rejected(e),
        ),
    }
}

/// Reads what is left of a refused request for a moment, so that closing the socket does not
/// reset the connection before the client has read the answer.
fn linger(stream: &TcpStream) {
    let mut reader = Deadline {
        stream,
        until: Instant::now() + LINGER,
    };
    let mut sink = [0u8; 8192];
    let mut total = 0usize;
    while total < (1 << 20) {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => total += n,
        }
    }
}

fn timed_out(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::TimedOut
}

fn read_request(reader: &mut Deadline<'_>, stream: &TcpStream) -> Read1 {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    // The head: read until httparse sees all of it.
    let (head_len, method, path, headers) = loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut slots);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let headers = req
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect::<Vec<_>>();
                break (
                    len,
                    req.method.unwrap_or_default().to_owned(),
                    req.path.unwrap_or_default().to_owned(),
                    headers,
                );
            }
            Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => {
                return Read1::Refused(None, refuse(431, "header_too_large"));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Read1::Refused(None, refuse(431, "header_too_large"));
            }
            Err(_) => return Read1::Refused(None, refuse(400, "bad_request")),
        }
        match reader.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Read1::Nothing,
            Err(e) if timed_out(&e) && buf.is_empty() => return Read1::Nothing,
            Ok(0) => return Read1::Refused(None, refuse(400, "bad_request")),
            Err(e) if timed_out(&e) => {
                return Read1::Refused(None, refuse(408, "request_timeout"));
            }
            Err(_) => return Read1::Nothing,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let line = Some((method.clone(), path.clone()));
    let header = |name: &str| {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect::<Vec<_>>()
    };
    let chunked = header("transfer-encoding");
    let lengths = header("content-length");
    let expect_continue = header("expect")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("100-continue"));
    let mut rest = buf.split_off(head_len);
    let body = if !chunked.is_empty() {
        if !lengths.is_empty() || chunked.len() != 1 || !chunked[0].eq_ignore_ascii_case("chunked")
        {
            return Read1::Refused(line, refuse(400, "bad_request"));
        }
        if expect_continue {
            let _ = (&*stream).write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        match read_chunked(reader, rest) {
            Ok(body) => body,
            Err(refusal) => return Read1::Refused(line, refusal),
        }
    } else {
        let length = match lengths.as_slice() {
            [] => 0,
            [one] => match one.parse::<u64>() {
                Ok(n) => n,
                Err(_) => return Read1::Refused(line, refuse(400, "bad_request")),
            },
            _ => return Read1::Refused(line, refuse(400, "bad_request")),
        };
        if length > MAX_BODY {
            return Read1::Refused(line, refuse(413, "body_too_large"));
        }
        if expect_continue && (rest.len() as u64) < length {
            let _ = (&*stream).write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        let length = length as usize;
        rest.truncate(length);
        while rest.len() < length {
            let want = (length - rest.len()).min(chunk.len());
            match reader.read(&mut chunk[..want]) {
                Ok(0) => return Read1::Refused(line, refuse(400, "bad_request")),
                Ok(n) => rest.extend_from_slice(&chunk[..n]),
                Err(e) if timed_out(&e) => {
                    return Read1::Refused(line, refuse(408, "request_timeout"));
                }
                Err(_) => return Read1::Nothing,
            }
        }
        rest
    };
    Read1::Request(Request {
        method,
        path,
        headers,
        body,
    })
}

/// Decodes a chunked body (`rest` holds the bytes already read past the head).
fn read_chunked(reader: &mut Deadline<'_>, rest: Vec<u8>) -> Result<Vec<u8>, Refusal> {
    let mut input = ChunkInput {
        reader,
        buf: rest,
        pos: 0,
    };
    let mut body = Vec::new();
    loop {
        let line = input.line()?;
        let size_text = line.split(|&b| b == b';').next().unwrap_or_default();
        let size_text = std::str::from_utf8(size_text)
            .map_err(|_| refuse(400, "bad_request"))?
            .trim();
        let size = u64::from_str_radix(size_text, 16).map_err(|_| refuse(400, "bad_request"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !input.line()?.is_empty() {}
            return Ok(body);
        }
        if body.len() as u64 + size > MAX_BODY {
            return Err(refuse(413, "body_too_large"));
        }
        for _ in 0..size {
            body.push(input.byte()?);
        }
        if !input.line()?.is_empty() {
            return Err(refuse(400, "bad_request"));
        }
    }
}

struct ChunkInput<'r, 'a> {
    reader: &'r mut Deadline<'a>,
    buf: Vec<u8>,
    pos: usize,
}

impl ChunkInput<'_, '_> {
    fn byte(&mut self) -> Result<u8, Refusal> {
        if self.pos == self.buf.len() {
            self.buf.resize(8192, 0);
            self.pos = 0;
            match self.reader.read(&mut self.buf) {
                Ok(0) => return Err(refuse(400, "bad_request")),
                Ok(n) => self.buf.truncate(n),
                Err(e) if timed_out(&e) => return Err(refuse(408, "request_timeout")),
                Err(_) => return Err(refuse(400, "bad_request")),
            }
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(b)
    }

    /// One line without its CRLF (at most 4 KiB).
    fn line(&mut self) -> Result<Vec<u8>, Refusal> {
        let mut line = Vec::new();
        loop {
            match self.byte()? {
                b'\n' => {
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                    return Ok(line);
                }
                _ if line.len() >= 4096 => return Err(refuse(400, "bad_request")),
                b => line.push(b),
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn respond(
    mut stream: &TcpStream,
    status: u16,
    body: &str,
    extra: &[(&str, &str)],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(body);
    stream.write_all(head.as_bytes())?;
    stream.flush()
}
