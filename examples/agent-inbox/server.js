// The agent inbox: a Telegram webhook in, a live chat page out.
//
//   POST /webhooks/telegram  verify -> normalize -> classify -> score -> Redis Stream (pipeline.js)
//   subscriber               the stream's consumer group -> Inbox -> Socket.IO (client messages)
//   GET /                    the page (public/): the queue, the thread, the profile, a reply box
//   socket 'reply'           TelegramClient.reply through the configured API base
//
// Configuration (environment; see README.md):
//   REDIS_URL (or ARICHAT_REDIS_URL)   the Redis holding the stream
//   TELEGRAM_BOT_TOKEN                 the bot's token (its id is the part before ':')
//   TELEGRAM_SECRET_TOKEN              the secret Telegram sends in X-Telegram-Bot-Api-Secret-Token
//   TELEGRAM_API_BASE                  default https://api.telegram.org (a local mock in tests)
//   PORT (default 3000), HOST (default 127.0.0.1), INBOX_STREAM (default arichat:inbox)
//
// Logs carry error codes, never message text or tokens.
'use strict'

const { readFileSync } = require('node:fs')
const http = require('node:http')
const path = require('node:path')

const { EventStream, Scorecard, TelegramClient, WebhookVerifier, authHeader, warm } = require('arichat')
const { Server } = require('socket.io')

const { Inbox } = require('./inbox')
const { makePipeline } = require('./pipeline')

const PUBLIC = path.join(__dirname, 'public')
const STATIC = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
}
const SCORECARD = path.join(__dirname, '..', 'data', 'demo', 'scorecard.toml')
/** Telegram's limit on a webhook body is far below this; arichat's own is 1 MiB. */
const MAX_BODY = 1 << 20

/** The configuration from the environment; throws naming what is missing. */
function configFrom(env) {
  const redisUrl = env.REDIS_URL || env.ARICHAT_REDIS_URL
  const token = env.TELEGRAM_BOT_TOKEN
  const secret = env.TELEGRAM_SECRET_TOKEN
  const missing = [
    !redisUrl && 'REDIS_URL',
    !token && 'TELEGRAM_BOT_TOKEN',
    !secret && 'TELEGRAM_SECRET_TOKEN',
  ].filter(Boolean)
  if (missing.length) throw new Error(`set ${missing.join(', ')}`)
  return {
    redisUrl,
    token,
    secret,
    botId: token.split(':')[0],
    apiBase: env.TELEGRAM_API_BASE || undefined,
    port: Number(env.PORT ?? 3000),
    host: env.HOST || '127.0.0.1',
    stream: env.INBOX_STREAM || 'arichat:inbox',
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { code: 'body_too_large' }))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** 403 for a failed verification, 400 for a body arichat rejects, 500 otherwise. */
function statusFor(err) {
  if (err.code === 'verification_failed' || err.code === 'unknown_account') return 403
  if (typeof err.code === 'string' && /^[a-z_]+$/.test(err.code)) return 400
  return 500
}

/**
 * Starts the inbox; resolves to `{ url, close() }` once it listens and its subscriber
 * runs.
 */
async function start(config) {
  warm()
  const verifier = new WebhookVerifier([
    { channel: 'telegram', account: config.botId, tenant: 'inbox', secrets: [config.secret] },
  ])
  const scorecard = Scorecard.fromToml(readFileSync(SCORECARD, 'utf8'))
  // Two handles: a read blocks its handle for up to blockMs, a publish must not wait.
  const publisher = new EventStream(config.redisUrl, config.stream)
  const consumer = new EventStream(config.redisUrl, config.stream, {
    group: 'agent-inbox',
    consumer: `inbox-${process.pid}`,
    blockMs: 250,
    maxLen: 100000,
  })
  const pipeline = makePipeline({ verifier, scorecard, stream: publisher, botId: config.botId })
  const telegram = new TelegramClient({ token: config.token, apiBase: config.apiBase, maxAttempts: 2 })
  const inbox = new Inbox()
  const secretHeader = authHeader('telegram').toLowerCase()

  const server = http.createServer(async (req, res) => {
    const url = req.url.split('?')[0]
    if (req.method === 'POST' && url === '/webhooks/telegram') {
      try {
        const body = await readBody(req)
        await pipeline.receive(body, req.headers[secretHeader])
        res.writeHead(200).end()
      } catch (err) {
        console.warn(`telegram webhook rejected (${err.code})`)
        res.writeHead(statusFor(err)).end()
      }
      return
    }
    const file = req.method === 'GET' && STATIC[url]
    if (file) {
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-cache' })
      res.end(readFileSync(path.join(PUBLIC, file[0])))
      return
    }
    res.writeHead(404).end()
  })

  const io = new Server(server, { serveClient: true })
  const publishList = () => io.emit('queue', inbox.list())

  io.on('connection', (socket) => {
    socket.emit('queue', inbox.list())
    socket.on('open', (id, ack) => typeof ack === 'function' && ack(inbox.open(String(id))))
    socket.on('reply', async (msg, ack) => {
      const done = typeof ack === 'function' ? ack : () => {}
      const conv = msg && inbox.conversations.get(String(msg.conversation))
      const text = msg && typeof msg.text === 'string' ? msg.text.trim() : ''
      if (!conv || !text) return done({ error: 'invalid_request' })
      try {
        const receipt = await telegram.reply({ channel: 'telegram' }, conv.chat, { type: 'text', body: text })
        const vendorId = receipt.messageIds[0]
        const message = { id: `agent:${vendorId}`, author: 'agent', text, at: new Date().toISOString() }
        inbox.answered(conv.id, message, vendorId)
        io.emit('message', { conversation: conv.id, message })
        io.emit('profile', { conversation: conv.id, profile: inbox.profile(conv.id) })
        publishList()
        done({ ok: true })
      } catch (err) {
        console.warn(`reply failed (${err.code})`)
        done({ error: err.code || 'send_failed' })
      }
    })
  })

  // The subscriber: the consumer group's entries, acknowledged once applied.
  let running = true
  const subscriber = (async () => {
    while (running) {
      let deliveries
      try {
        deliveries = await consumer.read()
      } catch (err) {
        console.warn(`stream read failed (${err.code})`)
        await new Promise((r) => setTimeout(r, 500))
        continue
      }
      if (deliveries.length === 0) continue
      let changed = false
      for (const d of deliveries) {
        if (!d.event) continue
        const shown = inbox.apply(d.event)
        if (!shown) continue
        changed = true
        io.emit('message', { conversation: shown.conversation.id, message: shown.message })
        io.emit('profile', { conversation: shown.conversation.id, profile: inbox.profile(shown.conversation.id) })
      }
      if (changed) publishList()
      await consumer.ack(deliveries.map((d) => d.entry_id))
    }
  })()

  await new Promise((resolve) => server.listen(config.port, config.host, resolve))
  const { port } = server.address()
  return {
    url: `http://${config.host}:${port}`,
    async close() {
      running = false
      await subscriber
      io.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

module.exports = { start, configFrom }

if (require.main === module) {
  let config
  try {
    config = configFrom(process.env)
  } catch (err) {
    console.error(`agent-inbox: ${err.message} (see README.md)`)
    process.exit(2)
  }
  start(config).then(
    (app) => {
      console.log(`agent inbox on ${app.url} (webhook: POST ${app.url}/webhooks/telegram)`)
      const stop = () => app.close().then(() => process.exit(0))
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    },
    (err) => {
      console.error(`agent-inbox: could not start (${err.code || err.message})`)
      process.exit(1)
    },
  )
}
