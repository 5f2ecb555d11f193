//! `arichat`: the command line of the arichat SDK.

mod assign;
mod columns;
mod deal;
mod demo;
mod error;
mod fit;
mod number_args;
mod progress;
mod score;
mod send;
mod stream;
mod table;

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::intent::{HybridClassifier, IntentClassifier};
use arichat_core::{Channel, Lead, PhoneNumber, Region};
use clap::{Parser, Subcommand};

use crate::error::Failure;

/// arichat: conversations from WhatsApp, Messenger, Instagram and Telegram, as ranked leads.
#[derive(Parser)]
#[command(name = "arichat", version = arichat_core::VERSION)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The quickstart: replay the bundled sample webhooks of all four channels and print
    /// the prioritized queue with the reasons.
    Demo {
        /// Folder with manifest.json, scorecard.toml and the webhook bodies.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
    /// Normalize a webhook body into events, printed one JSON object per line.
    Normalize {
        /// The channel the body came from.
        #[arg(long, value_parser = parse_channel)]
        channel: Channel,
        /// The business account for bodies that do not name it: the Telegram bot id,
        /// required for Telegram.
        #[arg(long)]
        account: Option<String>,
        /// Print each event as a structured-mode CloudEvent 1.0 (`id` = the idempotency
        /// key, `type` = `com.arichat.<kind>.v1`).
        #[arg(long)]
        cloudevents: bool,
        /// Path to the body, or `-` for stdin.
        file: String,
    },
    /// Classify messages, one per line on stdin, into intents (one JSON object per line).
    Classify,
    /// Normalize a phone number to E.164.
    Phone {
        /// The number as written.
        number: String,
        /// ISO 3166-1 alpha-2 region for national numbers (for example CO).
        #[arg(long)]
        region: Option<String>,
    },
    /// Check a lead JSON document (history replays to the current state) and print it normalized.
    CheckLead {
        /// Path to the JSON file, or `-` for stdin.
        file: String,
    },
    /// Learn a scorecard from a labelled CSV file; prints it as TOML.
    Fit(fit::FitArgs),
    /// Score every row of a CSV file: prints it back with score, grade and stage columns.
    Score(score::ScoreArgs),
    /// Assign a campaign bundle to every customer of a CSV file: prints one CSV row per
    /// assignment with its reason, rule path and offer (or, with --explain, why each
    /// campaign was or was not assigned).
    Assign(assign::AssignArgs),
    /// Send a text message through a channel (token in ARICHAT_TOKEN; WhatsApp also
    /// ARICHAT_PHONE_NUMBER_ID, Messenger/Instagram ARICHAT_PAGE_ID). Prints the receipt
    /// as JSON; on failure prints `<code>: <reason>` on stderr and exits non-zero.
    Send(send::SendArgs),
    /// Read a deal message (`@monto 1500 @cliente Juan @tubos 5`, `monto=1500 ...`):
    /// prints the tags, the deal or the seller's problems, the receipt check and the
    /// commission as JSON.
    Deal(deal::DealArgs),
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse::<Channel>().map_err(|e| e.to_string())
}

/// Reads a subcommand's input file, or stdin for `-`, naming the file on failure.
fn read_named(file: &str) -> Result<Vec<u8>, Failure> {
    read_input(file).map_err(|source| Failure::Unreadable {
        path: file.to_owned(),
        source,
    })
}

fn read_input(file: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
    let file = file.as_ref();
    if file == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}

type CliResult = Result<Vec<String>, Failure>;

/// Serializing our own event and intent types does not fail; this keeps the type honest.
fn json_failed(e: serde_json::Error) -> Failure {
    Failure::Write(e.into())
}

fn run(cli: Cli) -> CliResult {
    match cli.command {
        Command::Normalize {
            channel,
            account,
            cloudevents,
            file,
        } => {
            let body = read_named(&file)?;
            let mut options = NormalizeOptions::new(chrono::Utc::now());
            if let Some(account) = account {
                options = options.with_account(account);
            }
            let events = normalize(channel, &body, &options)?;
            if cloudevents {
                return Ok(events
                    .iter()
                    .map(arichat_channels::cloudevents::CloudEvent::event_json)
                    .collect());
            }
            events
                .iter()
                .map(|e| serde_json::to_string(e).map_err(json_failed))
                .collect()
        }
        Command::Demo { data } => {
            let dir = data.unwrap_or_else(demo::default_data_dir);
            Ok(vec![demo::run(&dir)?])
        }
        Command::Classify => {
            // One line out per line in, as it comes: memory stays flat on any input.
            let classifier = HybridClassifier::new();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in std::io::stdin().lines() {
                let line = line.map_err(|source| match source.kind() {
                    std::io::ErrorKind::InvalidData => {
                        Failure::InvalidInput(format!("stdin is not UTF-8: {source}"))
                    }
                    _ => Failure::Unreadable {
                        path: "-".to_owned(),
                        source,
                    },
                })?;
                serde_json::to_writer(&mut out, &classifier.classify(&line))
                    .map_err(json_failed)?;
                out.write_all(b"\n").map_err(Failure::Write)?;
            }
            out.flush().map_err(Failure::Write)?;
            Ok(Vec::new())
        }
        Command::Phone { number, region } => {
            let region = region.as_deref().map(str::parse::<Region>).transpose()?;
            Ok(vec![PhoneNumber::parse(&number, region)?.to_string()])
        }
        Command::CheckLead { file } => {
            let text = String::from_utf8(read_named(&file)?)
                .map_err(|e| Failure::InvalidInput(format!("{file} is not UTF-8: {e}")))?;
            Ok(vec![Lead::from_json(&text)?.to_json()])
        }
        Command::Fit(args) => Ok(vec![fit::run(&args)?]),
        Command::Send(args) => Ok(vec![send::run(&args)?]),
        Command::Deal(args) => Ok(vec![deal::run(&args)?]),
        Command::Score(args) => {
            score::run(&args, &mut std::io::stdout().lock())?;
            Ok(Vec::new())
        }
        Command::Assign(args) => {
            assign::run(&args, &mut std::io::stdout().lock())?;
            Ok(Vec::new())
        }
    }
}

fn print(lines: Vec<String>) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}").map_err(Failure::Write)?;
    }
    out.flush().map_err(Failure::Write)
}

/// Writes to stderr, ignoring failure: with stderr closed there is nobody to tell, and
/// `eprintln!` would panic (exit 101) instead.
fn note(args: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// Every error ends as `code: message` on stderr and a non-zero exit: 2 for arguments
/// clap refuses (`invalid_arguments`), 1 for the rest. A reader that closed stdout
/// early (`| head -1`) gets a silent exit 0, as ripgrep does: it read what it wanted.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version: their text is the output.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            note(format_args!(
                "invalid_arguments: {}",
                text.trim_start_matches("error: ").trim_end()
            ));
            return ExitCode::from(2);
        }
    };
    match run(cli).and_then(print) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            note(format_args!("{}: {e}", e.code()));
            ExitCode::FAILURE
        }
    }
}
