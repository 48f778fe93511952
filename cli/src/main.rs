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
    Schemes,
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
    /// Retry while the receiver fails: `algoguard` (15 s, 30 s, 1 min, … 8 attempts),
    /// `chaindoc` (1, 5, 15 min), or a list such as `1s,5s,30s`.
    #[arg(long, value_name = "SCHEDULE", num_args = 0..=1, default_missing_value = "algoguard")]
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
    /// Timestamp tolerance in seconds, both ways.
    #[arg(long, default_value_t = 300)]
    tolerance: i64,
    /// Stop after this many requests (for scripts and tests).
    #[arg(long)]
    max_requests: Option<usize>,
    /// Worker threads: requests handled at once (the process has this many + 2 threads).
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// Connections that may wait for a free worker; more are answered 503 with Retry-After.
    #[arg(long, default_value_t = 64)]
    queue: usize,
    /// Seconds a client has to send one whole request (head and body), and to read the answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    read_timeout: f64,
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
    /// Print a ready-to-run curl command that POSTs the signed body to this URL.
    #[arg(long, value_name = "URL")]
    curl: Option<String>,
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
    /// Timestamp tolerance in seconds, both ways.
    #[arg(long, default_value_t = 300)]
    tolerance: i64,
    /// The clock to check against (Unix seconds; default: now).
    #[arg(long)]
    now: Option<i64>,
    /// Force the JSON re-serialization fallback on or off.
    #[arg(long)]
    json_fallback: Option<bool>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = output::Output::new(cli.json);
    let result = match cli.command {
        Command::Schemes => {
            if out.is_json() {
                out.value(serde_json::json!(hooksig::SCHEME_IDS));
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
    let verifier = args.secret.verifier()?.tolerance(args.tolerance).build()?;
    if !(args.read_timeout.is_finite() && args.read_timeout > 0.0 && args.read_timeout < 1e9) {
        return Err(usage("--read-timeout must be a positive number of seconds"));
    }
    listen::run(
        listen::Listen {
            host: args.host,
            port: args.port,
            verifier,
            max_requests: args.max_requests,
            workers: args.workers,
            queue: args.queue,
            timeout: Duration::from_secs_f64(args.read_timeout),
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
            std::fs::read(p).map_err(|e| usage(format!("cannot read {}: {e}", p.display())))
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
        for var in &self.secret_envs {
            all.push(std::env::var(var).map_err(|_| {
                usage(format!(
                    "environment variable {var} is not set (or not UTF-8)"
                ))
            })?);
        }
        if all.is_empty() {
            return Err(usage("give at least one --secret or --secret-env"));
        }
        Ok(all)
    }

    fn verifier(&self) -> Result<hooksig::VerifierBuilder, Failure> {
        Ok(Verifier::builder(Scheme::named(&self.scheme)?)
            .secrets(self.secrets()?)
            .secret_format(SecretFormat::parse(&self.secret_format)?))
    }
}

fn sign(args: SignArgs, out: &mut output::Output) -> Result<(), Failure> {
    let body = read_body(args.body.as_ref())?;
    let verifier = args.secret.verifier()?.build()?;
    let options = SignOptions {
        timestamp: args.timestamp,
        id: args.id.as_deref(),
        event_type: args.event_type.as_deref(),
    };
    let headers = verifier.sign(&body, &options)?;
    if let Some(url) = &args.curl {
        let mut cmd = format!(
            "curl -i -X POST {} \\\n  -H 'Content-Type: application/json'",
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
                .ok_or_else(|| usage(format!("header `{h}` is not of the form `Name: value`")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body = read_body(args.body.as_ref())?;
    let mut builder = args.secret.verifier()?.tolerance(args.tolerance);
    if let Some(on) = args.json_fallback {
        builder = builder.json_fallback(on);
    }
    let verifier = builder.build()?;
    let result = match args.now {
        Some(now) => verifier.verify_at(&headers, &body, now),
        None => verifier.verify(&headers, &body),
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
