//! One verified hook → a recorded sale, or what the seller must fix.

use arichat_channels::client::MattermostClient;
use arichat_channels::mattermost::{Hook, HookKind};
use arichat_channels::verify::MattermostTokens;
use arichat_channels::NormalizeOptions;
use arichat_core::commission::{Commission, CommissionRules, SaleInput};
use arichat_core::deal::{parse_deal, Deal, DealGrammar};
use arichat_core::money::{
    check_receipt, Amount, Currency, ReceiptCheck, Region, DEFAULT_TOLERANCE_BPS,
};
use arichat_deals::{DealsError, Recorded, SaleRecord, Tesseract};
use chrono::Utc;

use crate::pool::Pool;
use crate::{BotError, Config};

/// The emoji a recorded post gets (✅).
pub const RECORDED_EMOJI: &str = "white_check_mark";

/// The sales bot: verifies, parses, reads the receipt, records, answers.
pub struct Bot {
    tokens: MattermostTokens,
    pub(crate) mattermost: MattermostClient,
    grammar: DealGrammar,
    region: Region,
    rules: CommissionRules,
    tesseract: Tesseract,
    deals: Pool,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("region", &self.region)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

/// A sale the bot recorded.
#[derive(Debug, Clone)]
pub struct Sale {
    /// The deal as the seller wrote it.
    pub deal: Deal,
    /// Its commission, with the explanation.
    pub commission: Commission,
    /// The receipt's total when one was attached (it matched: see [`Refusal`]).
    pub receipt: Option<Amount>,
}

/// Why a sale was not recorded, for the seller to fix (answered in Spanish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The message: the core's messages (`falta @cliente`, `monto ambiguo: …`).
    Message(Vec<String>),
    /// The amount is written in a currency the team's commissions are not paid in.
    Currency {
        /// The amount's currency.
        written: Currency,
        /// The rules'.
        team: Currency,
    },
    /// The receipt's total is more than the tolerance away from the declared amount.
    ReceiptMismatch {
        /// Declared, minor units.
        declared: i64,
        /// Read, minor units.
        read: i64,
        /// Their currency.
        currency: Currency,
    },
    /// No total could be read on the receipt.
    ReceiptUnreadable,
    /// The attachment is not a PNG or JPEG image.
    ReceiptNotAnImage,
}

/// What a hook led to.
#[derive(Debug)]
pub enum Outcome {
    /// Recorded now.
    Recorded(Box<Sale>),
    /// The post was recorded before (a redelivered hook): nothing was written.
    Duplicate,
    /// Not recorded: the seller can fix it.
    Refused(Refusal),
    /// Not recorded: the bot's side failed (database, Mattermost, Tesseract).
    Failed(BotError),
}

impl Bot {
    /// Opens the database (applying migrations) and the Mattermost client.
    ///
    /// # Errors
    /// [`BotError::Config`] when the region's currency is not the commission rules'
    /// (every recorded sale would be refused); the database's and the client's errors.
    pub async fn new(config: Config) -> Result<Bot, BotError> {
        if config.region.currency() != config.rules.currency() {
            return Err(BotError::Config(format!(
                "region {} writes {} but the commission rules pay in {}",
                config.region.as_str(),
                config.region.currency().as_str(),
                config.rules.currency().as_str()
            )));
        }
        let deals = Pool::open(config.database_url, config.connections).await?;
        Ok(Bot {
            tokens: config.hook_tokens,
            mattermost: MattermostClient::new(config.mattermost)?,
            grammar: DealGrammar::default().with_region(config.region),
            region: config.region,
            rules: config.rules,
            tesseract: config.tesseract,
            deals,
        })
    }

    /// How the team writes amounts (replies use its decimal mark).
    pub fn region(&self) -> Region {
        self.region
    }

    /// Checks the hook's token (and a slash command's `Authorization` header) in
    /// constant time against every configured token.
    ///
    /// # Errors
    /// `verification_failed` (never with a token).
    pub fn verify(&self, hook: &Hook, authorization: Option<&str>) -> Result<(), BotError> {
        Ok(self.tokens.verify(hook, authorization)?)
    }

    /// The key a hook's sale is recorded under: the event's idempotency key
    /// (`mattermost:<team>:post:<post_id>`; a slash command's
    /// `mattermost:<team>:command:<trigger_id>`).
    pub fn sale_key(hook: &Hook) -> String {
        match hook.kind {
            HookKind::OutgoingWebhook if !hook.post_id.is_empty() => hook.post_key(),
            _ => hook
                .events(&NormalizeOptions::new(Utc::now()))
                .into_iter()
                .next()
                .map(|e| e.idempotency_key)
                .unwrap_or_default(),
        }
    }

    /// A verified hook, in order: the message (refused with the core's messages), the
    /// currency, the first attached receipt (downloaded, read by Tesseract, its total
    /// checked at 5 %: a mismatch or an unreadable total is refused, not recorded), the
    /// commission, the sale recorded once per [`Bot::sale_key`].
    pub async fn handle(&self, hook: &Hook) -> Outcome {
        match self.try_handle(hook).await {
            Ok(outcome) => outcome,
            Err(e) => Outcome::Failed(e),
        }
    }

    async fn try_handle(&self, hook: &Hook) -> Result<Outcome, BotError> {
        let parsed = parse_deal(&hook.text, &self.grammar);
        let deal = match parsed.deal {
            Some(deal) => deal,
            None => {
                let messages = parsed.problems.into_iter().map(|p| p.message).collect();
                return Ok(Outcome::Refused(Refusal::Message(messages)));
            }
        };
        let team = self.rules.currency();
        if deal.amount.currency != team {
            return Ok(Outcome::Refused(Refusal::Currency {
                written: deal.amount.currency,
                team,
            }));
        }
        let receipt = match hook.file_ids.first() {
            None => None,
            Some(file_id) => match self.read_receipt(file_id, &deal).await? {
                Ok(total) => Some(total),
                Err(refusal) => return Ok(Outcome::Refused(refusal)),
            },
        };
        let commission = self.rules.compute(&SaleInput {
            seller: hook.user_name.clone(),
            amount_minor: deal.amount.minor,
            currency: deal.amount.currency,
            units: deal.units.unwrap_or(0),
        })?;
        let record = SaleRecord::from_deal(
            Bot::sale_key(hook),
            hook.user_name.clone(),
            &deal,
            Some(&commission),
            hook.occurred_at.unwrap_or_else(Utc::now),
        )?;
        Ok(match self.deals.record(&record).await? {
            Recorded::New => Outcome::Recorded(Box::new(Sale {
                deal,
                commission,
                receipt,
            })),
            Recorded::Duplicate => Outcome::Duplicate,
        })
    }

    /// The receipt's total when it matches the deal, the refusal otherwise.
    async fn read_receipt(
        &self,
        file_id: &str,
        deal: &Deal,
    ) -> Result<Result<Amount, Refusal>, BotError> {
        let image = self.mattermost.download_file(file_id).await?;
        let tesseract = self.tesseract.clone();
        // Tesseract is a child process: off the async workers.
        let read = tokio::task::spawn_blocking(move || tesseract.read(&image))
            .await
            .map_err(|e| BotError::Io(std::io::Error::other(e)))?;
        let read = match read {
            Ok(read) => read,
            Err(DealsError::InvalidImage(_)) => return Ok(Err(Refusal::ReceiptNotAnImage)),
            Err(e) => return Err(e.into()),
        };
        let total = read.total(self.region);
        let check = check_receipt(
            deal.amount.minor,
            total.as_ref().map(|a| a.minor),
            DEFAULT_TOLERANCE_BPS,
        );
        Ok(match (check, total) {
            (ReceiptCheck::Match { .. }, Some(total)) => Ok(total),
            (ReceiptCheck::Mismatch { .. }, Some(total)) => Err(Refusal::ReceiptMismatch {
                declared: deal.amount.minor,
                read: total.minor,
                currency: deal.amount.currency,
            }),
            _ => Err(Refusal::ReceiptUnreadable),
        })
    }
}
