use std::collections::HashMap;
use std::fmt;

use arichat_core::{Channel, ChannelAccountId, CoreError, Event, TenantDirectory, TenantId};
use secrecy::SecretString;

use super::{
    secret, telegram, MattermostTokens, SignatureVerifier, VerifyError, TELEGRAM_SECRET_HEADER,
};
use crate::{normalize, ChannelError, NormalizeOptions};

/// One channel account of a tenant and the secrets that authenticate its webhooks.
///
/// For WhatsApp, Messenger and Instagram `secrets` are the Meta app secrets that sign
/// `X-Hub-Signature-256` (several during a rotation); for Telegram they are the
/// `secret_token`s given to `setWebhook` for this bot; for Mattermost the tokens of the
/// team's outgoing webhook or slash command. `Debug` never shows a secret.
#[derive(Clone, serde::Deserialize)]
pub struct WebhookAccount {
    /// The channel.
    pub channel: Channel,
    /// The account as the vendor names it: WhatsApp `phone_number_id` (and, for
    /// account-level fields such as `account_update`, the WhatsApp Business Account id
    /// as a second entry), Facebook page id, Instagram account id, Telegram bot id, Mattermost team id.
    pub account: ChannelAccountId,
    /// The tenant that owns it.
    pub tenant: TenantId,
    /// The secrets that authenticate its webhooks.
    pub secrets: Vec<String>,
}

impl fmt::Debug for WebhookAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookAccount")
            .field("channel", &self.channel)
            .field("account", &self.account)
            .field("tenant", &self.tenant)
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .finish()
    }
}

/// The secrets of one account, checked when it was added.
#[derive(Clone)]
struct Entry {
    tenant: TenantId,
    signature: SignatureVerifier,
    tokens: Vec<SecretString>,
}

/// Per-tenant webhook verification: every channel account maps to its tenant and that
/// tenant's secrets, and a body is accepted only with the secrets of the accounts it
/// names.
///
/// A verifier that simply holds every tenant's app secret accepts a body naming tenant
/// A's phone number signed with tenant B's secret, and routing then hands it to A.
/// [`WebhookVerifier::normalize`] closes that gap in this order:
///
/// 1. the signature header must be present and well-formed (`verification_failed`);
/// 2. the body is normalized under its size and depth limits, but no event leaves yet;
/// 3. each distinct account the events name must be registered (`unknown_account`),
///    and the signature must match one of *that account's* secrets
///    (`verification_failed`); a body naming no account (no events) passes only with a
///    signature some registered account's secret matches;
/// 4. each event gets its account's tenant (`event.tenant_id`) and the events are
///    returned.
///
/// Telegram bodies do not name their bot: the host says which bot's URL received the
/// request (`account`), and the `X-Telegram-Bot-Api-Secret-Token` header must equal
/// one of that bot's secret tokens, compared in constant time.
///
/// Blank secrets, an account with no secret and an empty account or tenant id are
/// refused when the account is added (`invalid_config`).
///
/// ```
/// use arichat_channels::verify::{SignatureVerifier, WebhookVerifier};
/// use arichat_channels::NormalizeOptions;
/// use arichat_core::Channel;
///
/// let mut verifier = WebhookVerifier::new();
/// verifier.add(Channel::Whatsapp, "PN-A", "tenant-a", ["secret-a"])?;
/// verifier.add(Channel::Whatsapp, "PN-B", "tenant-b", ["secret-b"])?;
///
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages",
///   "value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"PN-A"},
///   "messages":[{"from":"573001234567","id":"wamid.1","timestamp":"1700000000","type":"text","text":{"body":"hola"}}]}}]}]}"#;
/// let options = NormalizeOptions::new(chrono::Utc::now());
///
/// let signed_by_a = SignatureVerifier::sign("secret-a", body);
/// let events = verifier.normalize(Channel::Whatsapp, body, Some(&signed_by_a), &options)?;
/// assert_eq!(events[0].tenant_id.as_ref().unwrap().as_str(), "tenant-a");
///
/// // Tenant B's secret does not speak for tenant A's number.
/// let signed_by_b = SignatureVerifier::sign("secret-b", body);
/// let err = verifier.normalize(Channel::Whatsapp, body, Some(&signed_by_b), &options).unwrap_err();
/// assert_eq!(err.code(), "verification_failed");
/// # Ok::<(), arichat_channels::ChannelError>(())
/// ```
#[derive(Clone, Default)]
pub struct WebhookVerifier {
    accounts: HashMap<Channel, HashMap<ChannelAccountId, Entry>>,
}

impl WebhookVerifier {
    /// A verifier with no account: every body is refused until accounts are added.
    /// Warms the process up ([`arichat_core::warm`]): a verifier lives as long as its
    /// server, whose first webhook should not pay for the phone metadata.
    pub fn new() -> Self {
        arichat_core::warm();
        Self::default()
    }

    /// A verifier over `accounts` (for example read from a JSON or TOML file).
    ///
    /// # Errors
    /// `invalid_config`, naming the position of the first bad account.
    pub fn from_accounts(
        accounts: impl IntoIterator<Item = WebhookAccount>,
    ) -> Result<Self, ChannelError> {
        let mut verifier = Self::new();
        for (i, a) in accounts.into_iter().enumerate() {
            verifier
                .add(a.channel, a.account, a.tenant, a.secrets)
                .map_err(|e| match e {
                    ChannelError::Core(CoreError::InvalidConfig { what, reason }) => {
                        ChannelError::Core(CoreError::InvalidConfig {
                            what,
                            reason: format!("account #{i}: {reason}"),
                        })
                    }
                    other => other,
                })?;
        }
        Ok(verifier)
    }

    /// Registers `account` on `channel` as `tenant`'s, authenticated by `secrets`
    /// (replacing an earlier registration of the same account).
    ///
    /// # Errors
    /// `invalid_config` when `secrets` is empty, a secret is blank, or `account` or
    /// `tenant` is empty; the verifier is unchanged.
    pub fn add<I, S>(
        &mut self,
        channel: Channel,
        account: impl Into<ChannelAccountId>,
        tenant: impl Into<TenantId>,
        secrets: I,
    ) -> Result<&mut Self, ChannelError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let (account, tenant) = (account.into(), tenant.into());
        let what = match channel {
            Channel::Telegram => "telegram secret token",
            Channel::Mattermost => "mattermost token",
            _ => "app secret",
        };
        for (name, id) in [("account", account.as_str()), ("tenant", tenant.as_str())] {
            if id.trim().is_empty() {
                return Err(ChannelError::Core(CoreError::InvalidConfig {
                    what: "webhook account",
                    reason: format!("the {name} id is empty"),
                }));
            }
        }
        let tokens = secret::secrets(what, secrets)?;
        let signature = SignatureVerifier::from_checked(tokens.clone());
        self.accounts.entry(channel).or_default().insert(
            account,
            Entry {
                tenant,
                signature,
                tokens,
            },
        );
        Ok(self)
    }

    /// The account → tenant directory, for routing events normalized elsewhere.
    pub fn directory(&self) -> TenantDirectory {
        let mut dir = TenantDirectory::new();
        for (channel, accounts) in &self.accounts {
            for (account, entry) in accounts {
                dir.insert(*channel, account.clone(), entry.tenant.clone());
            }
        }
        dir
    }

    /// Verifies and normalizes one webhook request; the events come back routed
    /// (`tenant_id` set). `header` is the value of `X-Hub-Signature-256` for Meta
    /// channels, of `X-Telegram-Bot-Api-Secret-Token` for Telegram and of `Authorization`
    /// for Mattermost slash commands (`None` when
    /// the request lacks it). For Telegram, `options.account` names the bot; without
    /// it the bot is the one registered with the request's secret token.
    ///
    /// # Errors
    /// `verification_failed` (missing, malformed or foreign signature or token),
    /// `unknown_account` (the body or `options.account` names an account not
    /// registered), `account_required` (a Telegram request without `options.account`
    /// whose token two registered bots share), and the errors of [`normalize`].
    pub fn normalize(
        &self,
        channel: Channel,
        body: &[u8],
        header: Option<&str>,
        options: &NormalizeOptions,
    ) -> Result<Vec<Event>, ChannelError> {
        if channel == Channel::Telegram {
            return self.normalize_telegram(body, header, options);
        }
        if channel == Channel::Mattermost {
            return self.normalize_mattermost(body, header, options);
        }
        let digest = SignatureVerifier::parse_header(header)?;
        let mut events = normalize(channel, body, options)?;
        let mut checked: Vec<&ChannelAccountId> = Vec::new();
        for event in &events {
            let account = &event.channel_account_id;
            if !checked.contains(&account) {
                self.entry(channel, account)?
                    .signature
                    .verify_digest(body, &digest)?;
                checked.push(account);
            }
        }
        if events.is_empty() {
            let signed_by_someone = self
                .accounts
                .get(&channel)
                .into_iter()
                .flat_map(|m| m.values())
                .any(|e| e.signature.verify_digest(body, &digest).is_ok());
            if !signed_by_someone {
                return Err(VerifyError::SignatureMismatch.into());
            }
        }
        for event in &mut events {
            let entry = self.entry(channel, &event.channel_account_id)?;
            event.tenant_id = Some(entry.tenant.clone());
        }
        Ok(events)
    }

    /// The body names its team; the team's tokens check the body's token and the
    /// `Authorization` header's (`header`, slash commands).
    fn normalize_mattermost(
        &self,
        body: &[u8],
        header: Option<&str>,
        options: &NormalizeOptions,
    ) -> Result<Vec<Event>, ChannelError> {
        options.limits.check(body)?;
        let hook = crate::mattermost::Hook::parse(body, None)?;
        let team = ChannelAccountId::new(hook.team_id.as_str());
        let entry = self.entry(Channel::Mattermost, &team)?;
        MattermostTokens::from_checked(entry.tokens.clone()).verify(&hook, header)?;
        let mut events = hook.events(options);
        for event in &mut events {
            event.tenant_id = Some(entry.tenant.clone());
        }
        Ok(events)
    }

    fn normalize_telegram(
        &self,
        body: &[u8],
        header: Option<&str>,
        options: &NormalizeOptions,
    ) -> Result<Vec<Event>, ChannelError> {
        let got = header.ok_or(VerifyError::MissingSignature(TELEGRAM_SECRET_HEADER))?;
        // Every token is compared, so the time taken does not tell which one matched.
        let matches = |entry: &Entry| {
            entry
                .tokens
                .iter()
                .fold(false, |any, token| any | telegram::matches(got, token))
        };
        let (account, entry) = match &options.account {
            Some(account) => (account, self.entry(Channel::Telegram, account)?),
            // The secret token names the bot: each bot is registered with its own.
            None => {
                let mut found = None;
                let mut count = 0;
                for (account, entry) in self.accounts.get(&Channel::Telegram).into_iter().flatten()
                {
                    if matches(entry) {
                        found = Some((account, entry));
                        count += 1;
                    }
                }
                match (found, count) {
                    (Some(found), 1) => found,
                    (None, _) => return Err(VerifyError::SignatureMismatch.into()),
                    // Two bots share the token: only the caller can say which one this is.
                    _ => {
                        return Err(ChannelError::AccountRequired {
                            channel: Channel::Telegram,
                        })
                    }
                }
            }
        };
        if !matches(entry) {
            return Err(VerifyError::SignatureMismatch.into());
        }
        let mut events = if options.account.is_some() {
            normalize(Channel::Telegram, body, options)?
        } else {
            normalize(
                Channel::Telegram,
                body,
                &options.clone().with_account(account.clone()),
            )?
        };
        for event in &mut events {
            event.tenant_id = Some(entry.tenant.clone());
        }
        Ok(events)
    }

    fn entry(&self, channel: Channel, account: &ChannelAccountId) -> Result<&Entry, ChannelError> {
        self.accounts
            .get(&channel)
            .and_then(|m| m.get(account))
            .ok_or_else(|| {
                CoreError::UnknownAccount {
                    channel,
                    account: account.to_string(),
                }
                .into()
            })
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut accounts: Vec<String> = self
            .accounts
            .iter()
            .flat_map(|(c, m)| {
                m.iter().map(move |(a, e)| {
                    format!(
                        "{c}:{a} -> {} ({} secrets redacted)",
                        e.tenant,
                        e.tokens.len()
                    )
                })
            })
            .collect();
        accounts.sort();
        f.debug_struct("WebhookVerifier")
            .field("accounts", &accounts)
            .finish()
    }
}
