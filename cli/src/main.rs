//! `hooksig`: sign and verify webhooks from a terminal, e.g. to test a receiver with curl.

mod demo;
mod listen;
mod output;
mod send;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};
use hooksig::{Scheme, SecretFormat, SignOptions, Verifier};

#[derive(Parser)]
#[command(
    name = "hooksig",
    version,
    about = "Sign and verify webhook signatures"
)]
struct Cli {
    /// Machine-readable JSON output (one object per line) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in scheme ids.
    Schemes {
        /// Also each scheme's default tolerance, signature header and whether it is
        /// timestamped (`--json`: one object per scheme instead of the id list).
        #[arg(long)]
        details: bool,
    },
    /// Sign a body and print the headers, one `Name: value` per line.
    Sign(SignArgs),
    /// Verify a body against headers; exit 0 when valid, 1 when rejected, 2 on usage errors.
    Verify(VerifyArgs),
    /// Sign a body and POST it to a receiver, retrying on the vendors' schedules.
    Send(SendArgs),
    /// Run a local receiver that verifies each request and prints what arrived.
    Listen(ListenArgs),
    /// Sign a sample event for every scheme, verify it, and show each rejection code.
    Demo,
}

#[derive(Args)]
struct SendArgs {
    /// The receiver's URL.
    url: String,
    #[command(flatten)]
    secret: SecretArgs,
    /// Event type, for schemes that send it as a header.
    #[arg(long)]
    event_type: Option<String>,
    /// Message id (default: one generated id, kept across retries).
    #[arg(long)]
    id: Option<String>,
    /// Retry while the receiver fails: `--retry` alone is AlgoGuard's schedule (15 s, 30 s,
    /// 1 min, … 8 attempts); `--retry=chaindoc` (1, 5, 15 min) or `--retry=1s,5s,30s` pick
    /// another (with `=`, so that `--retry body.json` keeps body.json as the body).
    #[arg(
        long,
        value_name = "SCHEDULE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "algoguard"
    )]
    retry: Option<String>,
    /// Seconds to wait for each answer (the vendors use 8–10 s).
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Body file, or `-` for standard input (default).
    body: Option<PathBuf>,
}

#[derive(Args)]
struct ListenArgs {
    #[command(flatten)]
    secret: SecretArgs,
    /// Port (0 picks a free one and prints it).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Timestamp tolerance in seconds, both ways (default: the scheme's, 300, 600 for
    /// twitch and box, 60 for linear, 180 for workos; `hooksig schemes --details` lists them).
    #[arg(long)]
    tolerance: Option<i64>,
    /// Stop after this many requests (for scripts and tests).
    #[arg(long)]
    max_requests: Option<usize>,
    /// Largest body accepted, in bytes (larger ones are answered 413 `body_too_large`).
    #[arg(long, default_value_t = hooksig::receive::DEFAULT_BODY_LIMIT, value_name = "BYTES")]
    max_body: usize,
    /// Do not remember verified deliveries: a replay is verified and shown again instead of
    /// being answered `{"status":"duplicate"}`.
    #[arg(long)]
    no_replay_guard: bool,
    /// Worker threads that verify and answer requests (the process has this many + 2 threads;
    /// requests are read by one more thread without blocking, so slow clients hold no worker).
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// Fully read requests that may wait for a free worker; more are answered 503 with
    /// Retry-After.
    #[arg(long, default_value_t = 64)]
    queue: usize,
    /// Connections being read at once; more are answered 503 with Retry-After.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a client has to send one whole request (head and body), and to read the answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    read_timeout: f64,
    /// The public base URL senders post to (e.g. `https://hooks.example.com` behind a proxy),
    /// for twilio, square and hubspot, which sign the URL; default: `http://<Host><path>`.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
}

#[derive(Args)]
struct SecretArgs {
    /// Scheme id (see `hooksig schemes`).
    #[arg(long)]
    scheme: String,
    /// Secret (repeat for rotation when verifying). Prefer --secret-env: arguments are visible
    /// to other users of the machine.
    #[arg(long = "secret")]
    secrets: Vec<String>,
    /// Read a secret from this environment variable (repeatable).
    #[arg(long = "secret-env", value_name = "VAR")]
    secret_envs: Vec<String>,
    /// How secrets are decoded: auto, text, base64 or hex.
    #[arg(long, default_value = "auto")]
    secret_format: String,
}

#[derive(Args)]
struct SignArgs {
    #[command(flatten)]
    secret: SecretArgs,
    /// Unix seconds (default: now).
    #[arg(long)]
    timestamp: Option<i64>,
    /// Message id, for schemes that send one.
    #[arg(long)]
    id: Option<String>,
    /// Event type, for schemes that send it as a header.
    #[arg(long)]
    event_type: Option<String>,
    /// Print a ready-to-run curl command that POSTs the signed body to this URL (also the
    /// signed URL of twilio, square and hubspot when --url is not given).
    #[arg(long, value_name = "URL")]
    curl: Option<String>,
    /// The URL the request goes to, for the schemes that sign it (twilio, square, hubspot).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The request method, for the schemes that sign it (hubspot); default POST.
    #[arg(long)]
    method: Option<String>,
    /// Body file, or `-` for standard input (default).
    body: Option<PathBuf>,
}

#[derive(Args)]
struct VerifyArgs {
    #[command(flatten)]
    secret: SecretArgs,
    /// A request header `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Timestamp tolerance in seconds, both ways (default: the scheme's, 300, 600 for
    /// twitch and box, 60 for linear, 180 for workos; `hooksig schemes --details` lists them).
    #[arg(long)]
    tolerance: Option<i64>,
    /// The clock to check against (Unix seconds; default: now).
    #[arg(long)]
    now: Option<i64>,
    /// Force the JSON re-serialization fallback on or off.
    #[arg(long)]
    json_fallback: Option<bool>,
    /// The URL the sender requested, for the schemes that sign it (twilio, square, hubspot).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The request method, for the schemes that sign it (hubspot); default POST.
    #[arg(long)]
    method: Option<String>,
    /// Body file, or `-` for standard input (default).
    body: Option<PathBuf>,
}

/// A failure and the exit code it maps to.
struct Failure {
    exit: u8,
    text: String,
    /// The stable error code, when the failure is a hooksig error.
    code: Option<&'static str>,
}

fn usage(text: impl Into<String>) -> Failure {
    Failure {
        exit: 2,
        text: text.into(),
        code: None,
    }
}

impl From<hooksig::Error> for Failure {
    fn from(err: hooksig::Error) -> Self {
        Failure {
            exit: if err.code().is_config_error() { 2 } else { 1 },
            text: format!("{}: {}", err.code(), err),
            code: Some(err.code().as_str()),
        }
    }
}

/// Parses the arguments. clap's own messages quote the offending value (`invalid value
/// 'whsec_…' for '--tolerance'`, `unexpected argument 'whsec_…'`): those are rewritten to name
/// the argument only, since the value may be a secret given in the wrong place.
fn parse_args() -> Result<Cli, ExitCode> {
    use clap::error::{ContextKind, ErrorKind};
    let err = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(err) => err,
    };
    match err.kind() {
        // These name arguments only, never a value the user typed.
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::MissingRequiredArgument
        | ErrorKind::MissingSubcommand
        | ErrorKind::ArgumentConflict => {
            let _ = err.print();
            return Err(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)));
        }
        _ => {}
    }
    let context = |kind| err.get(kind).map(ToString::to_string);
    let mut text = match err.kind() {
        ErrorKind::UnknownArgument => "unexpected argument".to_owned(),
        ErrorKind::InvalidSubcommand => "unrecognized subcommand".to_owned(),
        ErrorKind::InvalidValue
        | ErrorKind::ValueValidation
        | ErrorKind::InvalidUtf8
        | ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => match context(ContextKind::InvalidArg) {
            Some(arg) => format!("invalid value for '{arg}'"),
            None => "invalid value".to_owned(),
        },
        _ => "invalid arguments".to_owned(),
    };
    if let Some(source) = std::error::Error::source(&err) {
        text.push_str(&format!(": {source}"));
    }
    text.push_str(" (the value is not shown, in case it is a secret)");
    if let Some(valid) = context(ContextKind::ValidValue) {
        text.push_str(&format!("\n  [possible values: {valid}]"));
    }
    if let Some(tip) = context(ContextKind::SuggestedArg) {
        text.push_str(&format!("\n  tip: a similar argument exists: '{tip}'"));
    }
    if let Some(tip) = context(ContextKind::SuggestedSubcommand) {
        text.push_str(&format!("\n  tip: a similar subcommand exists: '{tip}'"));
    }
    eprintln!("error: {text}\n\nFor more information, try '--help'.");
    Err(ExitCode::from(2))
}

fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let mut out = output::Output::new(cli.json);
    let result = match cli.command {
        Command::Schemes { details: true } => {
            let rows = hooksig::Scheme::all().iter().map(|s| {
                let t = s.default_tolerance().past.unwrap_or_default();
                (s, t)
            });
            if out.is_json() {
                let list: Vec<serde_json::Value> = rows
                    .map(|(s, t)| {
                        serde_json::json!({
                            "id": s.id(),
                            "signature_header": s.signature_header(),
                            "timestamped": s.has_timestamp(),
                            "default_tolerance": t,
                        })
                    })
                    .collect();
                out.value(serde_json::Value::Array(list));
            } else {
                for (s, t) in rows {
                    let t = if s.has_timestamp() {
                        t.to_string()
                    } else {
                        "-".into()
                    };
                    println!("{}\t{}\t{}", s.id(), t, s.signature_header());
                }
            }
            Ok(())
        }
        Command::Schemes { details: false } => {
            if out.is_json() {
                out.value(serde_json::json!(hooksig::SCHEME_IDS.as_slice()));
            } else {
                for id in hooksig::SCHEME_IDS {
                    println!("{id}");
                }
            }
            Ok(())
        }
        Command::Sign(args) => sign(args, &mut out),
        Command::Verify(args) => verify(args, &mut out),
        Command::Send(args) => send_cmd(args, &mut out),
        Command::Listen(args) => listen_cmd(args, &mut out),
        Command::Demo => demo::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if out.is_json() {
                out.value(serde_json::json!({"ok": false, "code": f.code, "message": f.text, "exit": f.exit}));
            } else {
                eprintln!("{}", f.text);
            }
            ExitCode::from(f.exit)
        }
    }
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) fn unix_now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn send_cmd(args: SendArgs, out: &mut output::Output) -> Result<(), Failure> {
    let body = read_body(args.body.as_ref())?;
    let verifier = args.secret.verifier()?.build()?;
    let schedule = match &args.retry {
        Some(text) => send::parse_schedule(text).map_err(usage)?,
        None => Vec::new(),
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(usage("--timeout must be a positive number of seconds"));
    }
    send::run(
        &send::SendRequest {
            url: &args.url,
            verifier: &verifier,
            body: &body,
            id: args.id.as_deref(),
            event_type: args.event_type.as_deref(),
            timestamp: None,
            schedule: &schedule,
            timeout: Duration::from_secs_f64(args.timeout),
        },
        out,
    )
}

fn listen_cmd(args: ListenArgs, out: &mut output::Output) -> Result<(), Failure> {
    let mut verifier = args.secret.verifier()?;
    if let Some(t) = args.tolerance {
        verifier = verifier.tolerance(t);
    }
    let verifier = verifier.build()?;
    if !(args.read_timeout.is_finite() && args.read_timeout > 0.0 && args.read_timeout < 1e9) {
        return Err(usage("--read-timeout must be a positive number of seconds"));
    }
    listen::run(
        listen::Listen {
            host: args.host,
            port: args.port,
            verifier,
            receiver: hooksig::receive::Receiver::with_limit(args.max_body),
            replay_guard: !args.no_replay_guard,
            max_requests: args.max_requests,
            workers: args.workers,
            queue: args.queue,
            max_connections: args.max_connections,
            timeout: Duration::from_secs_f64(args.read_timeout),
            public_url: args.public_url,
        },
        out,
    )
}

/// Quotes a string for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn read_body(path: Option<&PathBuf>) -> Result<Vec<u8>, Failure> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            // The path is not echoed: a secret given where the body file goes would be printed.
            std::fs::read(p).map_err(|e| {
                usage(format!(
                    "cannot read the body file (the BODY argument): {e}"
                ))
            })
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| usage(format!("cannot read standard input: {e}")))?;
            Ok(buf)
        }
    }
}

impl SecretArgs {
    fn secrets(&self) -> Result<Vec<String>, Failure> {
        let mut all = self.secrets.clone();
        for (n, var) in self.secret_envs.iter().enumerate() {
            // The argument's text is never printed: a secret passed here by mistake would end
            // up in logs and terminal scrollback.
            let value = std::env::var_os(var).ok_or_else(|| {
                usage(format!(
                    "--secret-env{}: the environment variable named by this argument is not set{}",
                    nth(n, self.secret_envs.len()),
                    if looks_like_secret(var) {
                        " (the value looks like a secret, not a variable name; pass the \
                         variable's NAME, e.g. --secret-env WEBHOOK_SECRET)"
                    } else {
                        " (its name is not shown, in case it is a secret)"
                    }
                ))
            })?;
            all.push(value.into_string().map_err(|_| {
                usage(format!(
                    "--secret-env{}: the environment variable named by this argument is not UTF-8",
                    nth(n, self.secret_envs.len())
                ))
            })?);
        }
        if all.is_empty() {
            return Err(usage("give at least one --secret or --secret-env"));
        }
        Ok(all)
    }

    fn verifier(&self) -> Result<hooksig::VerifierBuilder, Failure> {
        // The CLI writes its own messages for these two arguments rather than the core's, so
        // that no message can echo the value (a secret pasted into the wrong argument).
        let scheme = Scheme::named(&self.scheme).map_err(|e| Failure {
            exit: 2,
            text: format!(
                "{}: --scheme: not a known scheme id{}; `hooksig schemes` lists them",
                e.code(),
                if looks_like_secret(&self.scheme) {
                    " (the value looks like a secret and is not shown: give the secret with \
                     --secret-env)"
                } else {
                    " (the value is not shown, in case it is a secret)"
                }
            ),
            code: Some(e.code().as_str()),
        })?;
        let format = SecretFormat::parse(&self.secret_format).map_err(|e| Failure {
            exit: 2,
            text: format!(
                "{}: --secret-format: expected auto, text, base64 or hex (the value is not \
                 shown, in case it is a secret)",
                e.code()
            ),
            code: Some(e.code().as_str()),
        })?;
        Ok(Verifier::builder(scheme)
            .secrets(self.secrets()?)
            .secret_format(format))
    }
}

/// " (the 2nd)" when an argument is repeated, "" when it is given once.
fn nth(index: usize, count: usize) -> String {
    if count < 2 {
        return String::new();
    }
    let n = index + 1;
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!(" (the {n}{suffix})")
}

/// Whether a value looks like a secret rather than a name: a vendor secret prefix, or a long
/// run of mixed letters and digits. Only used to word a hint; values are never printed.
fn looks_like_secret(value: &str) -> bool {
    const PREFIXES: [&str; 5] = ["whsec_", "whpk_", "whsk_", "sk_", "shpss_"];
    let lower = value.to_ascii_lowercase();
    if PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let has_lower = value.chars().any(|c| c.is_ascii_lowercase());
    let has_upper = value.chars().any(|c| c.is_ascii_uppercase());
    let has_digit = value.chars().any(|c| c.is_ascii_digit());
    value.len() >= 16 && has_digit && (has_lower || !has_upper) || value.contains(['+', '/', '='])
}

fn sign(args: SignArgs, out: &mut output::Output) -> Result<(), Failure> {
    let body = read_body(args.body.as_ref())?;
    let verifier = args.secret.verifier()?.build()?;
    let options = SignOptions {
        timestamp: args.timestamp,
        id: args.id.as_deref(),
        event_type: args.event_type.as_deref(),
        url: args.url.as_deref().or(args.curl.as_deref()),
        method: args.method.as_deref(),
    };
    let headers = verifier.sign(&body, &options)?;
    if let Some(url) = &args.curl {
        // Twilio posts forms (a JSON body carries bodySHA256 in the URL instead).
        let form = verifier.scheme().id() == "twilio" && !url.contains("bodySHA256=");
        let content_type = if form {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let mut cmd = format!(
            "curl -i -X {} {} \\\n  -H 'Content-Type: {content_type}'",
            args.method.as_deref().unwrap_or("POST"),
            shell_quote(url)
        );
        for (name, value) in &headers {
            cmd.push_str(&format!(
                " \\\n  -H {}",
                shell_quote(&format!("{name}: {value}"))
            ));
        }
        // --data-binary sends the bytes exactly; -d would strip newlines and break the MAC.
        let data = match args.body.as_ref().filter(|p| p.as_os_str() != "-") {
            Some(path) => format!("@{}", path.display()),
            None => String::from_utf8_lossy(&body).into_owned(),
        };
        cmd.push_str(&format!(" \\\n  --data-binary {}", shell_quote(&data)));
        if out.is_json() {
            out.value(serde_json::json!({"curl": cmd}));
        } else {
            println!("{cmd}");
        }
    } else if out.is_json() {
        let map: serde_json::Map<String, serde_json::Value> =
            headers.into_iter().map(|(n, v)| (n, v.into())).collect();
        out.value(serde_json::Value::Object(map));
    } else {
        for (name, value) in headers {
            println!("{name}: {value}");
        }
    }
    Ok(())
}

fn verify(args: VerifyArgs, out: &mut output::Output) -> Result<(), Failure> {
    let headers = args
        .headers
        .iter()
        .map(|h| {
            h.split_once(':')
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                // The text is not echoed: it could be a secret given to the wrong argument.
                .ok_or_else(|| usage("-H/--header: a header must be of the form `Name: value` (no colon in one of them; its text is not shown)"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body = read_body(args.body.as_ref())?;
    let mut builder = args.secret.verifier()?;
    if let Some(t) = args.tolerance {
        builder = builder.tolerance(t);
    }
    if let Some(on) = args.json_fallback {
        builder = builder.json_fallback(on);
    }
    let verifier = builder.build()?;
    let line = args.url.as_deref().map(|url| hooksig::RequestLine {
        method: args.method.as_deref().unwrap_or("POST"),
        url,
    });
    let result = match args.now {
        Some(now) => verifier.verify_request_at(&headers, &body, line, now),
        None => verifier.verify_request(&headers, &body, line),
    }?;
    if out.is_json() {
        let mut v = serde_json::json!({
            "ok": true, "scheme": result.scheme, "timestamp": result.timestamp,
            "id": result.id, "event_type": result.event_type, "key_index": result.key_index,
        });
        if let Some(map) = v.as_object_mut() {
            output::payload_fields(&result.payload, map);
        }
        out.value(v);
        return Ok(());
    }
    println!("ok: verified {} webhook", result.scheme);
    let show = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    println!(
        "timestamp: {}",
        show(result.timestamp.map(|t| t.to_string()))
    );
    println!("id: {}", show(result.id));
    println!("event_type: {}", show(result.event_type));
    println!("key_index: {}", result.key_index);
    if result.payload.as_ref() != body.as_slice() {
        println!(
            "payload: the sender signed a re-serialized body ({} bytes); use this payload:",
            result.payload.len()
        );
        println!("{}", String::from_utf8_lossy(&result.payload));
    }
    Ok(())
}
