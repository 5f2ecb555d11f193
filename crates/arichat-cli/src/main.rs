//! `arichat`: the command line of the arichat SDK.

use std::process::ExitCode;

use arichat_core::{Lead, PhoneNumber, Region};
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
}

fn run(cli: Cli) -> Result<String, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Phone { number, region } => {
            let region = region.as_deref().map(str::parse::<Region>).transpose()?;
            Ok(PhoneNumber::parse(&number, region)?.to_string())
        }
        Command::CheckLead { file } => {
            let text = if file == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)?
            };
            Ok(Lead::from_json(&text)?.to_json())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("arichat: {e}");
            ExitCode::FAILURE
        }
    }
}
