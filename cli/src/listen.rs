//! `hooksig listen`: a local receiver that verifies every request and shows what arrived.
//!
//! An adapter over [`hooksig::receive::Receiver`]: the method policy (405), the body limit
//! (413, `--max-body`), the answers to rejected, duplicate and verified deliveries are the
//! core's, byte for byte the same as every other hooksig integration's. Its "handler" prints the
//! delivery and answers `Receiver::received`'s body. What is left here is HTTP/1.1 itself.
//!
//! One reader thread and a fixed pool of workers. The reader accepts connections and reads
//! every request (head and body) without blocking, waiting on all sockets at once (`poll(2)`);
//! only a request that has fully arrived goes to a worker, which verifies it and answers. So an
//! idle or slow client occupies no thread at all: one that sends `Content-Length: 5000` and
//! then one byte delays nobody, and 300 idle connections leave the thread count at
//! `--workers` + 2. Each connection has one deadline for its whole request (`--read-timeout`,
//! default 10 s): past it, the answer is 408 (or the connection is closed if it sent nothing).
//! Limits: `--max-body` per body (10 MiB by default), 64 KiB per head, `--max-connections` connections being read
//! (more are answered 503 with Retry-After, as is a request when the worker queue is full),
//! 256 MiB of buffered request bytes in all.
//!
//! tiny_http, used before, started one thread per connection and read bodies on the main loop
//! with no deadline (one stalled body blocked every other request).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver as Queue, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use hooksig::receive::{Answer, GuardAnswer, HandlerOutcome, KeyAction, Receiver, Refusal};
use hooksig::{ReplayGuard, RequestLine, Verifier};

use crate::Failure;
use crate::output::{Output, Received};

/// Largest request head (request line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Most header lines in one request.
const MAX_HEADERS: usize = 128;
/// Request bytes held by the reader for all connections together.
const MAX_BUFFERED: usize = 256 * 1024 * 1024;
/// Bytes read from one connection before the reader turns to the others.
const READ_BURST: usize = 1024 * 1024;

pub(crate) struct Listen {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) verifier: Verifier,
    /// The public base URL senders use (`--public-url`), for the schemes that sign the URL;
    /// without it, `http://<Host header><path>`.
    pub(crate) public_url: Option<String>,
    /// The receiver policy (its body limit is `--max-body`).
    pub(crate) receiver: Receiver,
    /// Remember verified deliveries and answer their replays as duplicates (default on).
    pub(crate) replay_guard: bool,
    pub(crate) max_requests: Option<usize>,
    /// Worker threads (requests verified and answered at once).
    pub(crate) workers: usize,
    /// Fully read requests waiting for a worker; more are answered 503.
    pub(crate) queue: usize,
    /// Connections being read at once; more are answered 503.
    pub(crate) max_connections: usize,
    /// Deadline for reading one request (head and body), and for writing its answer.
    pub(crate) timeout: Duration,
}

/// What the workers share.
struct Shared {
    verifier: Verifier,
    public_url: Option<String>,
    receiver: Receiver,
    guard: Option<ReplayGuard>,
    out: Mutex<Output>,
    timeout: Duration,
    max_requests: Option<usize>,
    served: AtomicUsize,
    done: Mutex<SyncSender<()>>,
}

pub(crate) fn run(cfg: Listen, out: &mut Output) -> Result<(), Failure> {
    if cfg.workers == 0 || cfg.queue == 0 || cfg.max_connections == 0 || cfg.timeout.is_zero() {
        return Err(crate::usage(
            "--workers, --queue, --max-connections and --read-timeout must be positive",
        ));
    }
    let listener = TcpListener::bind((cfg.host.as_str(), cfg.port)).map_err(|e| Failure {
        exit: 2,
        text: format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port),
        code: None,
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| crate::usage(format!("cannot listen without blocking: {e}")))?;
    let port = listener.local_addr().map_or(cfg.port, |a| a.port());
    let scheme = cfg.verifier.scheme().id().to_owned();
    let (done_tx, done_rx) = mpsc::sync_channel::<()>(1);
    let shared = Arc::new(Shared {
        guard: cfg
            .replay_guard
            .then(|| ReplayGuard::for_verifier(&cfg.verifier)),
        receiver: cfg.receiver,
        verifier: cfg.verifier,
        public_url: cfg.public_url,
        out: Mutex::new(Output::new(out.is_json())),
        timeout: cfg.timeout,
        max_requests: cfg.max_requests,
        served: AtomicUsize::new(0),
        done: Mutex::new(done_tx),
    });
    let (job_tx, job_rx) = mpsc::sync_channel::<(TcpStream, Job)>(cfg.queue);
    let job_rx = Arc::new(Mutex::new(job_rx));
    for n in 0..cfg.workers {
        let shared = Arc::clone(&shared);
        let job_rx = Arc::clone(&job_rx);
        std::thread::Builder::new()
            .name(format!("listen-worker-{n}"))
            .spawn(move || worker(&shared, &job_rx))
            .map_err(|e| crate::usage(format!("cannot start a worker thread: {e}")))?;
    }
    let reader = Reader {
        listener,
        receiver: cfg.receiver,
        jobs: job_tx,
        timeout: cfg.timeout,
        max_connections: cfg.max_connections,
        pending: Vec::new(),
        buffered: 0,
    };
    std::thread::Builder::new()
        .name("listen-reader".into())
        .spawn(move || reader.run())
        .map_err(|e| crate::usage(format!("cannot start the reader thread: {e}")))?;
    drop(shared);
    out.listening(&cfg.host, port, &scheme);
    // Returns once a worker has served --max-requests; without it, never (Ctrl-C stops).
    let _ = done_rx.recv();
    Ok(())
}

/// A request that was read whole.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Why a request was not read whole: the answer (the core's [`Refusal`] answers for HTTP-level
/// refusals, the receiver's own for the body).
type Refused = Answer;

/// An HTTP-level refusal (the request is not HTTP this server reads: timeout, head too large,
/// unparseable head, busy): the core's answer for it.
fn refuse(refusal: Refusal) -> Refused {
    Answer::refused(refusal)
}

/// What the reader hands a worker.
enum Job {
    Request(Request),
    /// The request line when it was read, and why the rest was not.
    Refused(Option<(String, String)>, Refused),
}

/// A parsed request head.
struct Head {
    len: usize,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Body,
}

enum Body {
    Length(usize),
    /// Chunked: decoded so far, and the offset (after the head) of the next chunk-size line.
    Chunked {
        decoded: Vec<u8>,
        pos: usize,
    },
}

/// A connection whose request is still arriving.
struct Pending {
    stream: TcpStream,
    buf: Vec<u8>,
    deadline: Instant,
    head: Option<Head>,
    continued: bool,
}

/// What became of a connection after reading what it had sent.
enum Step {
    Wait,
    /// Closed (or silent until the deadline) before sending a byte: nothing to answer.
    Drop,
    Done(Job),
}

struct Reader {
    listener: TcpListener,
    receiver: Receiver,
    jobs: SyncSender<(TcpStream, Job)>,
    timeout: Duration,
    max_connections: usize,
    pending: Vec<Pending>,
    buffered: usize,
}

impl Reader {
    fn run(mut self) {
        loop {
            let now = Instant::now();
            let wait = self
                .pending
                .iter()
                .map(|p| p.deadline.saturating_duration_since(now))
                .min()
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(1));
            let ready = wait_readable(&self.listener, &self.pending, wait);
            let mut keep = Vec::with_capacity(self.pending.len() + 1);
            let pending = std::mem::take(&mut self.pending);
            for (i, mut p) in pending.into_iter().enumerate() {
                let mut step = if ready.get(i + 1).copied().unwrap_or(true) {
                    self.pump(&mut p)
                } else {
                    Step::Wait
                };
                if matches!(step, Step::Wait) && Instant::now() >= p.deadline {
                    step = if p.buf.is_empty() {
                        Step::Drop
                    } else {
                        Step::Done(Job::Refused(
                            request_line(p.head.as_ref()),
                            refuse(Refusal::RequestTimeout),
                        ))
                    };
                }
                match step {
                    Step::Wait => keep.push(p),
                    Step::Drop => self.buffered -= p.buf.len(),
                    Step::Done(job) => {
                        self.buffered -= p.buf.len();
                        self.dispatch(p.stream, job);
                    }
                }
            }
            self.pending = keep;
            if ready.first().copied().unwrap_or(true) {
                self.accept();
            }
        }
    }

    fn accept(&mut self) {
        loop {
            let stream = match self.listener.accept() {
                Ok((stream, _)) => stream,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    // Out of descriptors, or a connection reset before accept: back off.
                    std::thread::sleep(Duration::from_millis(10));
                    return;
                }
            };
            if self.pending.len() >= self.max_connections || stream.set_nonblocking(true).is_err() {
                busy(&stream);
                continue;
            }
            let _ = stream.set_nodelay(true);
            self.pending.push(Pending {
                stream,
                buf: Vec::new(),
                deadline: Instant::now() + self.timeout,
                head: None,
                continued: false,
            });
        }
    }

    /// Reads what the connection has sent, and says whether its request is complete.
    fn pump(&mut self, p: &mut Pending) -> Step {
        let mut chunk = [0u8; 16 * 1024];
        let mut burst = 0;
        while burst < READ_BURST {
            match (&p.stream).read(&mut chunk) {
                Ok(0) if p.buf.is_empty() => return Step::Drop,
                Ok(0) => {
                    return match progress(p, &self.receiver) {
                        // Closed before the body (or head) was complete.
                        Step::Wait => Step::Done(Job::Refused(
                            request_line(p.head.as_ref()),
                            match p.head {
                                Some(_) => self.receiver.body_read_failed(),
                                None => refuse(Refusal::BadRequest),
                            },
                        )),
                        other => other,
                    };
                }
                Ok(n) => {
                    if self.buffered + n > MAX_BUFFERED {
                        busy(&p.stream);
                        return Step::Drop;
                    }
                    p.buf.extend_from_slice(&chunk[..n]);
                    self.buffered += n;
                    burst += n;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Step::Drop,
            }
        }
        progress(p, &self.receiver)
    }

    /// Hands a request to the workers, or answers 503 when their queue is full.
    fn dispatch(&self, stream: TcpStream, job: Job) {
        match self.jobs.try_send((stream, job)) {
            Ok(()) => {}
            Err(TrySendError::Full((stream, _)) | TrySendError::Disconnected((stream, _))) => {
                busy(&stream);
            }
        }
    }
}

/// Answers 503 with Retry-After at once, without blocking, and closes.
fn busy(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = respond(stream, &refuse(Refusal::ServerBusy), false);
    close(stream);
}

/// Ends the answer and discards what the client sent beyond the request (closing a socket
/// with unread bytes would reset the connection before the client reads the answer).
fn close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_nonblocking(true);
    let mut sink = [0u8; 8192];
    let mut total = 0;
    while total < MAX_HEAD {
        match (&*stream).read(&mut sink) {
            Ok(n) if n > 0 => total += n,
            _ => return,
        }
    }
}

fn request_line(head: Option<&Head>) -> Option<(String, String)> {
    head.map(|h| (h.method.clone(), h.path.clone()))
}

/// Parses what has arrived: the head once (then the receiver's method and declared-length
/// policy, before `100 Continue`), then the body as its framing says, within the limit.
fn progress(p: &mut Pending, receiver: &Receiver) -> Step {
    if p.head.is_none() {
        match parse_head(&p.buf, receiver) {
            Ok(None) if p.buf.len() >= MAX_HEAD => {
                return Step::Done(Job::Refused(None, refuse(Refusal::HeaderTooLarge)));
            }
            Ok(None) => return Step::Wait,
            Err((line, refusal)) => return Step::Done(Job::Refused(line, refusal)),
            Ok(Some((head, expect_continue))) => {
                if expect_continue && !p.continued && p.buf.len() == head.len {
                    p.continued = true;
                    let _ = (&p.stream).write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
                }
                p.head = Some(head);
            }
        }
    }
    let Some(head) = p.head.as_mut() else {
        return Step::Wait;
    };
    let line = Some((head.method.clone(), head.path.clone()));
    let raw = &p.buf[head.len..];
    let body = match &mut head.body {
        Body::Length(n) if raw.len() >= *n => raw[..*n].to_vec(),
        Body::Length(_) => return Step::Wait,
        Body::Chunked { decoded, pos } => match decode_chunks(raw, pos, decoded, receiver) {
            Ok(true) => std::mem::take(decoded),
            Ok(false) => return Step::Wait,
            Err(refusal) => return Step::Done(Job::Refused(line, refusal)),
        },
    };
    Step::Done(Job::Request(Request {
        method: head.method.clone(),
        path: head.path.clone(),
        headers: std::mem::take(&mut head.headers),
        body,
    }))
}

type HeadError = (Option<(String, String)>, Refused);

/// The head, once all of it has arrived (and whether the client waits for `100 Continue`).
fn parse_head(buf: &[u8], receiver: &Receiver) -> Result<Option<(Head, bool)>, HeadError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut slots);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err((None, refuse(Refusal::HeaderTooLarge)));
        }
        Err(_) => return Err((None, refuse(Refusal::BadRequest))),
    };
    let method = req.method.unwrap_or_default().to_owned();
    let path = req.path.unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let line = Some((method.clone(), path.clone()));
    let values = |name: &str| {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect::<Vec<_>>()
    };
    let chunked = values("transfer-encoding");
    let lengths = values("content-length");
    let expect_continue = values("expect")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("100-continue"));
    let declared = match (chunked.as_slice(), lengths.as_slice()) {
        ([], []) => Some(0),
        ([], [one]) => match one.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => return Err((line, receiver.body_read_failed())),
        },
        ([te], []) if te.eq_ignore_ascii_case("chunked") => None,
        // Both framings, repeated lengths, or another transfer coding: refused, not guessed.
        _ => return Err((line, receiver.body_read_failed())),
    };
    if let Some(answer) = receiver.start(&method, declared) {
        return Err((line, answer));
    }
    let body = match declared {
        // Within the limit (a usize), as `start` checked.
        Some(n) => Body::Length(usize::try_from(n).unwrap_or(usize::MAX)),
        None => Body::Chunked {
            decoded: Vec::new(),
            pos: 0,
        },
    };
    Ok(Some((
        Head {
            len,
            method,
            path,
            headers,
            body,
        },
        expect_continue,
    )))
}

/// Decodes the complete chunks of `raw` from `pos` on into `out`; true once the last chunk
/// (and the trailers) arrived.
fn decode_chunks(
    raw: &[u8],
    pos: &mut usize,
    out: &mut Vec<u8>,
    receiver: &Receiver,
) -> Result<bool, Refused> {
    let bad = || receiver.body_read_failed();
    loop {
        let rest = &raw[*pos..];
        let Some(eol) = rest.iter().position(|&b| b == b'\n') else {
            return if rest.len() > 4096 {
                Err(bad())
            } else {
                Ok(false)
            };
        };
        let line = rest[..eol].strip_suffix(b"\r").unwrap_or(&rest[..eol]);
        let size_text = line.split(|&b| b == b';').next().unwrap_or_default();
        let size_text = std::str::from_utf8(size_text).map_err(|_| bad())?.trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad())?;
        if size == 0 {
            // Trailers, up to an empty line.
            let mut at = *pos + eol + 1;
            loop {
                let rest = &raw[at..];
                let Some(eol) = rest.iter().position(|&b| b == b'\n') else {
                    return if rest.len() > MAX_HEAD {
                        Err(bad())
                    } else {
                        Ok(false)
                    };
                };
                if rest[..eol]
                    .strip_suffix(b"\r")
                    .unwrap_or(&rest[..eol])
                    .is_empty()
                {
                    return Ok(true);
                }
                at += eol + 1;
            }
        }
        if out.len().saturating_add(size) > receiver.limit() {
            return Err(receiver.body_too_large());
        }
        let start = *pos + eol + 1;
        let Some(end) = start.checked_add(size) else {
            return Err(bad());
        };
        if raw.len() < end + 2 {
            return Ok(false);
        }
        match &raw[end..end + 2] {
            b"\r\n" => *pos = end + 2,
            [b'\n', _] => *pos = end + 1,
            _ => return Err(bad()),
        }
        out.extend_from_slice(&raw[start..end]);
    }
}

/// Waits until the listener or a connection is readable (or `timeout`); one flag per socket,
/// the listener first.
#[cfg(unix)]
fn wait_readable(listener: &TcpListener, pending: &[Pending], timeout: Duration) -> Vec<bool> {
    use std::os::fd::AsRawFd;
    let mut fds: Vec<libc::pollfd> = std::iter::once(listener.as_raw_fd())
        .chain(pending.iter().map(|p| p.stream.as_raw_fd()))
        .map(|fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    // Round up, so that a deadline a fraction of a millisecond away is not a busy loop.
    let ms = i32::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(1000);
    let Ok(count) = libc::nfds_t::try_from(fds.len()) else {
        return vec![true; fds.len()];
    };
    // SAFETY: `fds` is a valid, exclusively borrowed array of `count` pollfd structs that
    // outlives the call; poll only writes their `revents` fields.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), count, ms) };
    if n < 0 {
        // EINTR or the like: look at every socket (non-blocking reads cannot hang).
        return vec![true; fds.len()];
    }
    fds.iter().map(|f| f.revents != 0).collect()
}

/// Without poll(2): a short sleep, then every socket is tried (reads do not block).
#[cfg(not(unix))]
fn wait_readable(_listener: &TcpListener, pending: &[Pending], timeout: Duration) -> Vec<bool> {
    std::thread::sleep(timeout.min(Duration::from_millis(5)));
    vec![true; pending.len() + 1]
}

fn worker(shared: &Shared, jobs: &Mutex<Queue<(TcpStream, Job)>>) {
    loop {
        let (stream, job) = {
            let Ok(jobs) = jobs.lock() else { return };
            match jobs.recv() {
                Ok(next) => next,
                Err(_) => return,
            }
        };
        serve(shared, &stream, job);
    }
}

fn serve(shared: &Shared, stream: &TcpStream, job: Job) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(shared.timeout));
    let (method, path, headers, answer, seen) = match job {
        Job::Refused(line, answer) => {
            let (method, path) = line.unwrap_or_default();
            let seen = Received::Refused(error_code(&answer));
            (method, path, Vec::new(), answer, seen)
        }
        Job::Request(req) => {
            let (answer, seen) = verify(shared, &req);
            (req.method, req.path, req.headers, answer, seen)
        }
    };
    let index = shared.served.fetch_add(1, Ordering::SeqCst);
    if shared.max_requests.is_none_or(|max| index < max) {
        if let Ok(mut out) = shared.out.lock() {
            out.received(&method, &path, &headers, answer.status, &seen);
        }
    }
    // A client that hung up is its own problem; keep serving.
    let _ = respond(stream, &answer, method == "HEAD");
    close(stream);
    if shared.max_requests == Some(index + 1) {
        if let Ok(done) = shared.done.lock() {
            let _ = done.try_send(());
        }
    }
}

/// The `"error"` of an answer's body (for the printed line).
fn error_code(answer: &Answer) -> String {
    serde_json::from_str::<serde_json::Value>(&answer.body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Verify, guard, "handle" (print), as the receiver policy says.
fn verify(shared: &Shared, req: &Request) -> (Answer, Received) {
    let r = &shared.receiver;
    // The URL the sender requested, for the schemes that sign it (built only for them).
    let url = shared
        .verifier
        .signs_request_line()
        .then(|| match &shared.public_url {
            Some(base) => RequestLine::public_url(base, &req.path),
            None => {
                let host = req
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("host"))
                    .map_or("", |(_, v)| v.as_str());
                format!("http://{host}{}", req.path)
            }
        });
    let line = url.as_deref().map(|url| RequestLine {
        method: &req.method,
        url,
    });
    let v = match shared
        .verifier
        .verify_request(&req.headers, &req.body, line)
    {
        Ok(v) => v,
        Err(e) => return (r.rejected(&e), Received::Rejected(e)),
    };
    // Slack's, Zoom's and Twitch's endpoint handshakes: answered by the policy, after the
    // signature verified; no handler, no replay key.
    if let Some((kind, answer)) = r.handshake(&shared.verifier, &v, &req.headers) {
        return (answer, Received::Handshake(kind.as_str()));
    }
    let key = v.dedupe_key();
    if let Some(guard) = &shared.guard {
        let seen = guard.check_and_remember(&key, crate::unix_now());
        if let Some(answer) = r.guarded(GuardAnswer::from(seen)) {
            return (answer, Received::Duplicate(key));
        }
    }
    // The handler prints the delivery (in `serve`) and answers the canonical success body.
    let answer = Receiver::received(&v);
    if let (Some(guard), KeyAction::Release) = (
        &shared.guard,
        r.finished(HandlerOutcome::Status(answer.status)),
    ) {
        guard.forget(&key);
    }
    let seen = Received::Verified {
        id: v.id.clone(),
        event_type: v.event_type.clone(),
        timestamp: v.timestamp,
        key_index: v.key_index,
        payload: v.payload.to_vec(),
    };
    (answer, seen)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        408 => "Request Timeout",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes the answer (without its body for HEAD, whose Content-Length still describes it).
fn respond(mut stream: &TcpStream, answer: &Answer, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        reason(answer.status),
        answer.content_type,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    if !head_only {
        head.push_str(&answer.body);
    }
    stream.write_all(head.as_bytes())?;
    stream.flush()
}
