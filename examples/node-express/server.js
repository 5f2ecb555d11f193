// Webhook receiver for WhatsApp, Messenger and Instagram (Meta) and Telegram.
//
// Meta signs the exact bytes it sends (X-Hub-Signature-256), so the POST routes use
// express.raw() to keep the body as a Buffer: a JSON parser would re-encode it and the
// signature would no longer match. Each body is verified with the secrets of the
// account it names (WebhookVerifier), then normalized and routed to its tenant.
//
// Configuration (config.js; the server refuses to start without its secrets):
//   ARICHAT_ACCOUNTS='[{"channel":"whatsapp","account":"<phone_number_id>","tenant":"acme","secrets":["<app secret>"]}, ...]'
//   or, for one tenant: META_APP_SECRETS="new-secret,old-secret" with ARICHAT_PHONE_NUMBER_ID,
//   ARICHAT_PAGE_ID and/or ARICHAT_INSTAGRAM_ACCOUNT_ID; TELEGRAM_SECRET_TOKEN with TELEGRAM_BOT_ID
//   META_VERIFY_TOKEN=...                       (the token typed into the Meta app dashboard)
//   HOST=127.0.0.1 PORT=3000                    (loopback by default: put a TLS proxy in front)
//   ARICHAT_REDIS_URL=redis://...               (optional: redeliveries recognised across
//                                                processes; otherwise in this process's memory)
//
// Inbound text messages are answered through arichat's send clients (replier.js): set
// ARICHAT_WHATSAPP_TOKEN + ARICHAT_PHONE_NUMBER_ID, ARICHAT_MESSENGER_TOKEN +
// ARICHAT_PAGE_ID, ARICHAT_INSTAGRAM_TOKEN + ARICHAT_INSTAGRAM_ACCOUNT_ID and/or
// ARICHAT_TELEGRAM_TOKEN (ARICHAT_API_BASE points every client at a test server).
//
// Logs carry error codes, never error messages or message text: both may hold what a
// customer wrote.
'use strict'

const express = require('express')
const arichat = require('arichat')
const { makeReplier } = require('./replier')

const { loadConfig } = require('./config')

const { authHeader, metaHandshake } = arichat
const reply = makeReplier(arichat)
const { verifier, verifyToken, defaultTelegramBot } = loadConfig(process.env, arichat)

// Meta and Telegram redeliver what was not acknowledged in time, and sometimes what was:
// each event is handled once per idempotency key (7 days).
const seen = process.env.ARICHAT_REDIS_URL
  ? new arichat.RedisIdempotencyStore(process.env.ARICHAT_REDIS_URL)
  : new arichat.MemoryIdempotencyStore(100_000)
async function isNew(key) {
  return seen instanceof arichat.MemoryIdempotencyStore ? seen.checkAndInsert(key, new Date()) : seen.checkAndInsert(key)
}

// 1 MiB is also arichat's default body limit (a larger body throws body_too_large).
const rawJson = express.raw({ type: 'application/json', limit: '1mb' })

const app = express()

// What to answer for an arichat error: 403 for a failed verification or an account no
// tenant owns, 400 for a body rejected whole (invalid_json, body_too_large, ...).
function statusFor(err) {
  if (err && (err.code === 'verification_failed' || err.code === 'unknown_account')) return 403
  if (err && typeof err.code === 'string' && /^[a-z_]+$/.test(err.code)) return 400
  return 500
}

// Runs after the 200 went out (vendors retry a webhook not acknowledged within seconds).
async function handle(events) {
  for (const event of events) {
    if (!(await isNew(event.idempotency_key))) {
      console.log(JSON.stringify({ duplicate: event.idempotency_key }))
      continue
    }
    // Hand the event to a queue here.
    console.log(
      JSON.stringify({
        key: event.idempotency_key,
        tenant: event.tenant_id,
        kind: event.kind,
        channel: event.channel,
        account: event.channel_account_id,
        at: event.occurred_at,
      }),
    )
    // reply() refuses (outside_window, ...) before any request.
    reply(event).then(
      (receipt) => receipt && console.log(JSON.stringify({ replied: event.idempotency_key, ids: receipt.messageIds })),
      (err) => console.warn(`reply failed (${err.code}, ${err.attempts} attempts)`),
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
    console.warn(`handshake refused (${err.code})`)
    res.sendStatus(statusFor(err))
  }
})

// Meta deliveries: verified with the secrets of the account the body names, then normalized.
app.post('/webhooks/:channel(whatsapp|messenger|instagram)', rawJson, (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  const { channel } = req.params
  try {
    const events = verifier.normalize(channel, body, req.get(authHeader(channel)))
    // Answer quickly: Meta retries a webhook that is not acknowledged with 200.
    res.sendStatus(200)
    handle(events).catch((err) => console.warn(`handling failed (${err.code})`))
  } catch (err) {
    console.warn(`${channel} webhook rejected (${err.code})`)
    res.sendStatus(statusFor(err))
  }
})

// Telegram deliveries: an update does not name its bot, so the URL does
// (/webhooks/telegram/<bot id>, or the configured bot); the secret token must be that bot's.
app.post('/webhooks/telegram/:bot?', rawJson, (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  try {
    const account = req.params.bot || defaultTelegramBot
    const events = verifier.normalize('telegram', body, req.get(authHeader('telegram')), { account })
    res.sendStatus(200)
    handle(events).catch((err) => console.warn(`handling failed (${err.code})`))
  } catch (err) {
    console.warn(`telegram webhook rejected (${err.code})`)
    res.sendStatus(statusFor(err))
  }
})

const host = process.env.HOST || '127.0.0.1'
const port = Number(process.env.PORT || 3000)
if (require.main === module) {
  const server = app.listen(port, host, () => {
    const { address, port: bound } = server.address()
    console.log(JSON.stringify({ listening: `http://${address}:${bound}` }))
  })
}

module.exports = app
