//! `arichat`: the command line of the arichat SDK.

mod demo;
mod error;
mod fit;
mod score;
mod send;
mod table;

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::intent::{IntentClassifier, RuleClassifier};
use arichat_core::{Channel, Lead, PhoneNumber, Region};
use clap::{Parser, Subcommand};

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
        /// The business account for bodies that do not name it (the Telegram bot id).
        #[arg(long)]
        account: Option<String>,
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
    /// Send a text message through a channel (token in ARICHAT_TOKEN; WhatsApp also
    /// ARICHAT_PHONE_NUMBER_ID, Messenger/Instagram ARICHAT_PAGE_ID). Prints the receipt
    /// as JSON; on failure prints `<code>: <reason>` on stderr and exits non-zero.
    Send(send::SendArgs),
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse::<Channel>().map_err(|e| e.to_string())
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

type CliResult = Result<Vec<String>, Box<dyn std::error::Error>>;

fn run(cli: Cli) -> CliResult {
    match cli.command {
        Command::Normalize {
            channel,
            account,
            file,
        } => {
            let body = read_input(&file)?;
            let mut options = NormalizeOptions::new(chrono::Utc::now());
            if let Some(account) = account {
                options = options.with_account(account);
            }
            normalize(channel, &body, &options)?
                .iter()
                .map(|e| serde_json::to_string(e).map_err(Into::into))
                .collect()
        }
        Command::Demo { data } => {
            let dir = data.unwrap_or_else(demo::default_data_dir);
            Ok(vec![demo::run(&dir)?])
        }
        Command::Classify => {
            let classifier = RuleClassifier::new();
            let mut lines = Vec::new();
            for line in std::io::stdin().lines() {
                let classification = classifier.classify(&line?);
                lines.push(serde_json::to_string(&classification)?);
            }
            Ok(lines)
        }
        Command::Phone { number, region } => {
            let region = region.as_deref().map(str::parse::<Region>).transpose()?;
            Ok(vec![PhoneNumber::parse(&number, region)?.to_string()])
        }
        Command::CheckLead { file } => {
            let text = String::from_utf8(read_input(&file)?)?;
            Ok(vec![Lead::from_json(&text)?.to_json()])
        }
        Command::Fit(args) => Ok(vec![fit::run(&args)?]),
        Command::Send(args) => Ok(vec![send::run(&args)?]),
        Command::Score(args) => {
            score::run(&args, &mut std::io::stdout().lock())?;
            Ok(Vec::new())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(lines) => {
            let mut out = std::io::stdout().lock();
            for line in lines {
                if writeln!(out, "{line}").is_err() {
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("arichat: {e}");
            ExitCode::FAILURE
        }
    }
}
