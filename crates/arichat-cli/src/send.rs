//! `arichat send`: one message through a channel's send API.

use arichat_channels::client::{
    ChannelClient, GraphEndpoint, HttpSpec, MessengerSpec, SendError, SendGuarantee, TelegramSpec,
    WhatsAppSpec,
};
use arichat_channels::outbound::{Delivery, MessageTag, Outbound};
use arichat_core::Channel;

/// Arguments of `arichat send`. The token comes from `ARICHAT_TOKEN`; WhatsApp needs
/// `ARICHAT_PHONE_NUMBER_ID`, Messenger and Instagram `ARICHAT_PAGE_ID` (the page or
/// Instagram account id).
#[derive(clap::Args)]
pub struct SendArgs {
    /// whatsapp, messenger, instagram or telegram.
    #[arg(long, value_parser = crate::parse_channel)]
    channel: Channel,
    /// The recipient: phone number / wa_id, PSID / IGSID, or Telegram chat id.
    #[arg(long)]
    to: String,
    /// The text to send.
    #[arg(long)]
    text: String,
    /// API base URL (a test server or a local Bot API server).
    #[arg(long)]
    api_base: Option<String>,
    /// Graph API version (WhatsApp, Messenger, Instagram).
    #[arg(long)]
    graph_version: Option<String>,
    /// Send with the HUMAN_AGENT tag (Messenger/Instagram, outside the 24-hour window).
    #[arg(long)]
    human_agent: bool,
    /// After a timeout, a dropped connection or an ambiguous 5xx the message may have
    /// been delivered: at_most_once (default) stops with `outcome_unknown` and the
    /// request id; at_least_once sends again, risking a duplicate.
    #[arg(long, value_parser = guarantee_names())]
    guarantee: Option<String>,
    /// Whole-request timeout in seconds (default 30).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Requests at most, the first included (default 4).
    #[arg(long)]
    max_attempts: Option<u32>,
}

fn guarantee_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(SendGuarantee::ALL.iter().map(|g| g.as_str()))
}

/// What can go wrong before or during the send.
#[derive(Debug)]
pub enum SendCliError {
    /// A required environment variable is missing.
    MissingEnv(&'static str),
    /// The client refused or the vendor answered an error.
    Send(Box<SendError>),
}

impl std::fmt::Display for SendCliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendCliError::MissingEnv(var) => write!(f, "set {var}"),
            SendCliError::Send(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SendCliError {}

impl SendCliError {
    /// A stable snake_case code: the client's, or `missing_config`.
    pub fn code(&self) -> &'static str {
        match self {
            SendCliError::MissingEnv(_) => "missing_config",
            SendCliError::Send(e) => e.code(),
        }
    }

    fn send(e: SendError) -> Self {
        SendCliError::Send(Box::new(e))
    }
}

fn env(var: &'static str) -> Result<String, SendCliError> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or(SendCliError::MissingEnv(var))
}

/// Builds the channel's client from the environment and sends; prints the receipt as JSON.
pub fn run(args: &SendArgs) -> Result<String, SendCliError> {
    let token = Some(env("ARICHAT_TOKEN")?.into());
    let http = HttpSpec {
        timeout: args.timeout,
        max_attempts: args.max_attempts,
        guarantee: args.guarantee.clone(),
        retry_base_delay: None,
    };
    let endpoint = GraphEndpoint {
        api_base: args.api_base.clone(),
        graph_version: args.graph_version.clone(),
    };
    let client: Box<dyn ChannelClient> = match args.channel {
        Channel::Whatsapp => Box::new(
            WhatsAppSpec {
                access_token: token,
                phone_number_id: Some(env("ARICHAT_PHONE_NUMBER_ID")?),
                endpoint,
                http,
            }
            .client()
            .map_err(SendCliError::send)?,
        ),
        Channel::Telegram => Box::new(
            TelegramSpec {
                token,
                access_token: None,
                api_base: endpoint.api_base,
                http,
            }
            .client()
            .map_err(SendCliError::send)?,
        ),
        channel => Box::new(
            MessengerSpec {
                channel: Some(channel.as_str().to_owned()),
                access_token: token,
                page_id: Some(env("ARICHAT_PAGE_ID")?),
                account_id: None,
                endpoint,
                http,
            }
            .client()
            .map_err(SendCliError::send)?,
        ),
    };
    let tag = args.human_agent.then_some(MessageTag::HumanAgent);
    let delivery = Delivery::direct(args.channel, tag, false);
    let message = Outbound::text(args.text.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SendCliError::send(SendError::InvalidRequest(e.to_string())))?;
    let receipt = runtime
        .block_on(client.deliver(&args.to, &message, delivery))
        .map_err(SendCliError::send)?;
    Ok(serde_json::json!({
        "channel": receipt.channel,
        "message_ids": receipt.message_ids,
        "delivery": receipt.delivery,
    })
    .to_string())
}
