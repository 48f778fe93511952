//! `hooksig`: sign and verify webhooks from a terminal, e.g. to test a receiver with curl.

mod demo;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use hooksig::{Scheme, SecretFormat, SignOptions, Verifier};

#[derive(Parser)]
#[command(
    name = "hooksig",
    version,
    about = "Sign and verify webhook signatures"
)]
struct Cli {
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
    /// Sign a sample event for every scheme, verify it, and show each rejection code.
    Demo,
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
}

fn usage(text: impl Into<String>) -> Failure {
    Failure {
        exit: 2,
        text: text.into(),
    }
}

impl From<hooksig::Error> for Failure {
    fn from(err: hooksig::Error) -> Self {
        Failure {
            exit: if err.code().is_config_error() { 2 } else { 1 },
            text: format!("{}: {}", err.code(), err),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Schemes => {
            for id in hooksig::SCHEME_IDS {
                println!("{id}");
            }
            Ok(())
        }
        Command::Sign(args) => sign(args),
        Command::Verify(args) => verify(args),
        Command::Demo => demo::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.text);
            ExitCode::from(f.exit)
        }
    }
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

fn sign(args: SignArgs) -> Result<(), Failure> {
    let body = read_body(args.body.as_ref())?;
    let verifier = args.secret.verifier()?.build()?;
    let options = SignOptions {
        timestamp: args.timestamp,
        id: args.id.as_deref(),
        event_type: args.event_type.as_deref(),
    };
    for (name, value) in verifier.sign(&body, &options)? {
        println!("{name}: {value}");
    }
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<(), Failure> {
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
