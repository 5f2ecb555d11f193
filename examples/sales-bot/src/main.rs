//! `arichat-sales-bot`: the example sales bot (see the crate docs and README.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use arichat_core::money::Region;
use arichat_sales_bot::{Bot, BotError, Config, HOOK_PATH};
use clap::Parser;

/// Records sales posted in Mattermost. Secrets come from the environment:
/// DATABASE_URL (or ARICHAT_POSTGRES_URL), MATTERMOST_URL, MATTERMOST_BOT_TOKEN,
/// MATTERMOST_HOOK_TOKENS (comma-separated), and optionally MATTERMOST_BOT_USER_ID and
/// ARICHAT_TESSERACT.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; point the outgoing webhook and the slash command at
    /// http://ADDRESS/mattermost.
    #[arg(long, default_value = "127.0.0.1:8066")]
    listen: SocketAddr,
    /// How the team writes amounts (ISO 3166-1 alpha-2). Its currency must be the
    /// commission rules': EC (Ecuador) writes US dollars as 1.500,00.
    #[arg(long, default_value = "EC")]
    region: Region,
    /// The commission rules (TOML).
    #[arg(long, default_value = "examples/sales/commissions.toml")]
    commissions: PathBuf,
    /// PostgreSQL connections (sales recorded at once).
    #[arg(long, default_value_t = 4)]
    connections: usize,
}

async fn run(args: Args) -> Result<(), BotError> {
    let config = Config::from_env(args.region, &args.commissions, args.connections)?;
    let bot = Bot::new(config).await?;
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    eprintln!(
        "sales-bot: listening on http://{}{HOOK_PATH}",
        listener.local_addr()?
    );
    arichat_sales_bot::serve(listener, bot, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sales-bot: {e}");
            ExitCode::FAILURE
        }
    }
}
