// The receiver's configuration, read from the environment once at start. It refuses to
// start without its secrets: an unset variable must never become an empty secret that
// anyone can match (arichat throws invalid_config for a blank secret or token).
//
// Several tenants: ARICHAT_ACCOUNTS is a JSON array of
//   {"channel": "whatsapp", "account": "<phone_number_id>", "tenant": "acme", "secrets": ["<app secret>"]}
// (page id for messenger, Instagram account id for instagram, bot id and secret_token for
// telegram). One tenant: META_APP_SECRETS (comma separated, several during a rotation)
// with ARICHAT_PHONE_NUMBER_ID / ARICHAT_PAGE_ID / ARICHAT_INSTAGRAM_ACCOUNT_ID, and
// TELEGRAM_SECRET_TOKEN with TELEGRAM_BOT_ID; ARICHAT_TENANT names the tenant.
'use strict'

function singleTenantAccounts(env) {
  const tenant = env.ARICHAT_TENANT || 'default'
  const appSecrets = (env.META_APP_SECRETS || '').split(',')
  const accounts = []
  const meta = [
    ['whatsapp', env.ARICHAT_PHONE_NUMBER_ID],
    ['messenger', env.ARICHAT_PAGE_ID],
    ['instagram', env.ARICHAT_INSTAGRAM_ACCOUNT_ID],
  ]
  for (const [channel, account] of meta) {
    if (account) accounts.push({ channel, account, tenant, secrets: appSecrets })
  }
  if (env.TELEGRAM_BOT_ID) {
    accounts.push({ channel: 'telegram', account: env.TELEGRAM_BOT_ID, tenant, secrets: [env.TELEGRAM_SECRET_TOKEN || ''] })
  }
  return accounts
}

/**
 * The webhook verifier, the Meta verify token and the default Telegram bot, or an
 * Error (with `code` when arichat refused a value) naming what is missing.
 */
function loadConfig(env, arichat) {
  const accounts = env.ARICHAT_ACCOUNTS ? JSON.parse(env.ARICHAT_ACCOUNTS) : singleTenantAccounts(env)
  if (accounts.length === 0) {
    throw new Error('no webhook account configured: set ARICHAT_ACCOUNTS, or an account id with its secret')
  }
  // Throws invalid_config for a blank secret (an unset META_APP_SECRETS or TELEGRAM_SECRET_TOKEN).
  const verifier = new arichat.WebhookVerifier(accounts)
  const verifyToken = env.META_VERIFY_TOKEN || ''
  if (accounts.some((a) => a.channel !== 'telegram')) {
    // The blank check comes before the query is read: this throws invalid_config when
    // META_VERIFY_TOKEN is unset, and verification_failed otherwise.
    try {
      arichat.metaHandshake('', verifyToken)
    } catch (err) {
      if (err.code === 'invalid_config') throw err
    }
  }
  const telegramBot = accounts.find((a) => a.channel === 'telegram')
  return { verifier, verifyToken, defaultTelegramBot: telegramBot && telegramBot.account }
}

module.exports = { loadConfig }
