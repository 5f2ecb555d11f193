// Webhook receiver for WhatsApp, Messenger and Instagram (Meta) and Telegram.
//
// Meta signs the exact bytes it sends (X-Hub-Signature-256), so the POST routes use
// express.raw() to keep the body as a Buffer: a JSON parser would re-encode it and the
// signature would no longer match. Verify first, then normalize.
//
//   META_APP_SECRETS="new-secret,old-secret"  (comma separated: several during a rotation)
//   META_VERIFY_TOKEN=...                       (the token typed into the Meta app dashboard)
//   TELEGRAM_SECRET_TOKEN=...                   (the secret_token given to setWebhook)
//   TELEGRAM_BOT_ID=...                         (a Telegram update does not name its bot)
//   PORT=3000
//
// Inbound text messages are answered through arichat's send clients (replier.js): set
// ARICHAT_WHATSAPP_TOKEN + ARICHAT_PHONE_NUMBER_ID, ARICHAT_MESSENGER_TOKEN +
// ARICHAT_PAGE_ID, ARICHAT_INSTAGRAM_TOKEN + ARICHAT_INSTAGRAM_ACCOUNT_ID and/or
// ARICHAT_TELEGRAM_TOKEN (ARICHAT_API_BASE points every client at a test server).
'use strict'

const express = require('express')
const arichat = require('arichat')
const { makeReplier } = require('./replier')

const { metaHandshake, normalize, Normalizer, verifySignature, verifyTelegramSecret } = arichat
const reply = makeReplier(arichat)

const appSecrets = (process.env.META_APP_SECRETS || '').split(',').filter(Boolean)
const verifyToken = process.env.META_VERIFY_TOKEN || ''
const telegramSecret = process.env.TELEGRAM_SECRET_TOKEN || ''
const telegramBotId = process.env.TELEGRAM_BOT_ID || 'telegram-bot'
// Telegram updates do not name their bot: one Normalizer holds the bot id as account.
const telegramNormalizer = new Normalizer({ account: telegramBotId })

// 1 MiB is also arichat's default body limit (a larger body throws body_too_large).
const rawJson = express.raw({ type: 'application/json', limit: '1mb' })

const app = express()

// What to answer for an arichat error: 403 for a failed verification, 400 for a body
// rejected whole (invalid_json, body_too_large, body_too_deep, unexpected_shape).
function statusFor(err) {
  if (err && err.code === 'verification_failed') return 403
  if (err && typeof err.code === 'string' && /^[a-z_]+$/.test(err.code)) return 400
  return 500
}

function handle(events) {
  for (const event of events) {
    // Hand the event to a queue here; dedupe on event.idempotency_key (Meta and
    // Telegram redeliver).
    const text = event.kind === 'message' && event.content.type === 'text' ? event.content.body : ''
    console.log(
      JSON.stringify({
        key: event.idempotency_key,
        kind: event.kind,
        channel: event.channel,
        account: event.channel_account_id,
        contact: event.contact && event.contact.identity,
        at: event.occurred_at,
        text,
      }),
    )
    // Answer after the 200 went out; reply() refuses (outside_window, ...) before any request.
    reply(event).then(
      (receipt) => receipt && console.log(JSON.stringify({ replied: event.idempotency_key, ids: receipt.messageIds })),
      (err) => console.warn(`reply failed (${err.code}, ${err.attempts} attempts): ${err.message}`),
    )
  }
}

// Meta's subscription handshake: GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...
// (the same route serves Messenger and Instagram subscriptions).
app.get('/webhooks/:channel(whatsapp|messenger|instagram)', (req, res) => {
  const query = req.originalUrl.split('?')[1] || ''
  try {
    res.type('text/plain').send(metaHandshake(query, verifyToken))
  } catch (err) {
    console.warn(`handshake refused: ${err.message}`)
    res.sendStatus(statusFor(err))
  }
})

// Meta deliveries: verify the signature over the raw bytes, then normalize.
app.post('/webhooks/:channel(whatsapp|messenger|instagram)', rawJson, (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  try {
    verifySignature(body, req.get('X-Hub-Signature-256'), appSecrets)
    const events = normalize(req.params.channel, body)
    // Answer quickly: Meta retries a webhook that is not acknowledged with 200.
    res.sendStatus(200)
    handle(events)
  } catch (err) {
    console.warn(`${req.params.channel} webhook rejected (${err.code}): ${err.message}`)
    res.sendStatus(statusFor(err))
  }
})

// Telegram deliveries: check the secret token, then normalize with the bot as account.
app.post('/webhooks/telegram', rawJson, (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  try {
    verifyTelegramSecret(req.get('X-Telegram-Bot-Api-Secret-Token'), telegramSecret)
    const events = telegramNormalizer.normalize('telegram', body)
    res.sendStatus(200)
    handle(events)
  } catch (err) {
    console.warn(`telegram webhook rejected (${err.code}): ${err.message}`)
    res.sendStatus(statusFor(err))
  }
})

const port = Number(process.env.PORT || 3000)
if (require.main === module) {
  if (appSecrets.length === 0) console.warn('META_APP_SECRETS is empty: every Meta POST will be refused')
  app.listen(port, () => console.log(`listening on http://localhost:${port}`))
}

module.exports = app
