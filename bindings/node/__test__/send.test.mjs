// The send clients against a real local HTTP server (node:http): the request each
// method makes (path, Authorization, JSON body), retries, typed vendor errors, the
// preflight refusing before any request, and the bot token kept out of errors.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { test } from 'node:test'

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { ConversionsClient, MessengerClient, TelegramClient, WhatsAppClient, preflight } from '../lib.js'

const WA_TOKEN = 'EAAG-node-test-token-4417'
const TG_TOKEN = '123456:AAE-node-secret-bot-token-9931'
const PNID = '106540352242922'

/**
 * Starts a server answering each request with the next of `replies`
 * (`[status, body, extras?]`: a string body goes out as text, others as JSON; extras
 * may hold `headers` and `hang`), the last one repeated; records every request.
 */
async function serve(replies) {
  const requests = []
  const hanging = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      requests.push({
        method: req.method,
        path: req.url,
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      })
      const [status, body, extras = {}] = replies[Math.min(requests.length - 1, replies.length - 1)]
      // `hang`: take the request and never answer (until close).
      if (extras.hang) {
        hanging.push(res)
        return
      }
      const raw = typeof body === 'string'
      res.writeHead(status, { 'content-type': raw ? 'text/html' : 'application/json', ...extras.headers })
      res.end(raw ? body : JSON.stringify(body))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  const close = () => {
    for (const res of hanging) res.destroy()
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  }
  return { base, requests, close }
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function rejection(promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  assert.fail('expected the Promise to reject')
}

const waAccepted = (id) => [200, { messaging_product: 'whatsapp', contacts: [{ wa_id: '5215512345678' }], messages: [{ id }] }]

test('WhatsApp send posts the documented body with the bearer token', async () => {
  const srv = await serve([waAccepted('wamid.OUT1')])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base, maxAttempts: 1 })
    const receipt = await wa.send('5215512345678', { type: 'text', body: '¡Hola!', preview_url: true })
    assert.deepEqual(receipt.messageIds, ['wamid.OUT1'])
    assert.equal(receipt.channel, 'whatsapp')
    assert.equal(srv.requests.length, 1)
    const [req] = srv.requests
    assert.equal(req.method, 'POST')
    assert.equal(req.path, `/v23.0/${PNID}/messages`)
    assert.equal(req.authorization, `Bearer ${WA_TOKEN}`)
    assert.equal(req.body.messaging_product, 'whatsapp')
    assert.equal(req.body.to, '5215512345678')
    assert.equal(req.body.type, 'text')
    assert.deepEqual(req.body.text, { body: '¡Hola!', preview_url: true })
  } finally {
    await srv.close()
  }
})

test('a 500 is not sent again by default: outcome_unknown after one request', async () => {
  const srv = await serve([[500, { error: { message: 'boom', code: 2 } }], waAccepted('wamid.AFTER')])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base, maxAttempts: 3, retryBaseDelayMs: 1 })
    const err = await rejection(wa.sendText('5215512345678', 'hola'))
    assert.equal(err.code, 'outcome_unknown')
    assert.deepEqual([err.httpStatus, err.vendorCode, err.attempts], [500, 2, 1])
    assert.equal(srv.requests.length, 1)
  } finally {
    await srv.close()
  }
})

test('at least once, a 500 is retried and the following 200 resolves, after two requests', async () => {
  const srv = await serve([[500, { error: { message: 'boom', code: 2 } }], waAccepted('wamid.AFTER')])
  try {
    const wa = new WhatsAppClient({
      accessToken: WA_TOKEN,
      phoneNumberId: PNID,
      apiBase: srv.base,
      graphVersion: 'v21.0',
      maxAttempts: 3,
      retryBaseDelayMs: 1,
      guarantee: 'at_least_once',
    })
    const receipt = await wa.sendText('5215512345678', 'hola')
    assert.deepEqual(receipt.messageIds, ['wamid.AFTER'])
    assert.equal(srv.requests.length, 2)
    assert.ok(srv.requests.every((r) => r.path === `/v21.0/${PNID}/messages`))
    // One send, one id, on both attempts.
    const [first, second] = srv.requests.map((r) => r.body.biz_opaque_callback_data)
    assert.equal(first, second)
  } finally {
    await srv.close()
  }
})

test('a send that times out is posted once and rejects with outcome_unknown and its ids', async () => {
  const srv = await serve([[200, {}, { hang: true }]])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base, timeoutMs: 300, retryBaseDelayMs: 1 })
    const err = await rejection(wa.sendText('5215512345678', 'hola'))
    assert.equal(err.code, 'outcome_unknown')
    assert.equal(err.attempts, 1)
    assert.equal(srv.requests.length, 1)
    assert.match(err.requestId, /^[0-9a-f]{32}$/)
    assert.equal(err.callbackData, err.requestId)
    assert.equal(srv.requests[0].body.biz_opaque_callback_data, err.requestId)
    assert.ok(err.message.includes(err.requestId))
  } finally {
    await srv.close()
  }
})

test('at least once, a timed-out send is posted again', async () => {
  const srv = await serve([[200, {}, { hang: true }]])
  try {
    const wa = new WhatsAppClient({
      accessToken: WA_TOKEN,
      phoneNumberId: PNID,
      apiBase: srv.base,
      timeoutMs: 300,
      maxAttempts: 2,
      retryBaseDelayMs: 1,
      guarantee: 'at_least_once',
    })
    const err = await rejection(wa.sendText('5215512345678', 'hola'))
    assert.equal(err.code, 'outcome_unknown')
    assert.equal(srv.requests.length, 2)
  } finally {
    await srv.close()
  }
})

test('a 429 with Retry-After is retried under the default guarantee', async () => {
  const limited = [429, { error: { message: 'slow down', code: 130429 } }, { headers: { 'retry-after': '0' } }]
  const srv = await serve([limited, waAccepted('wamid.LATER')])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base, retryBaseDelayMs: 1 })
    const receipt = await wa.sendText('5215512345678', 'hola')
    assert.deepEqual(receipt.messageIds, ['wamid.LATER'])
    assert.equal(srv.requests.length, 2)
  } finally {
    await srv.close()
  }
})

test('an unknown guarantee is refused by the core', () => {
  assert.throws(
    () => new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, guarantee: 'twice' }),
    (err) => err.code === 'invalid_request' && err.message.includes('at_most_once'),
  )
})

test('a token straddling the 200-byte cut of an error page leaves no piece in the message', async () => {
  // The token starts 10 bytes before the cut.
  const srv = await serve([[400, '.'.repeat(190) + TG_TOKEN + '.'.repeat(40)]])
  try {
    const tg = new TelegramClient({ token: TG_TOKEN, apiBase: srv.base, maxAttempts: 1 })
    const err = await rejection(tg.sendText('42', 'hola'))
    assert.ok(err.message.includes('[REDACTED]'), err.message)
    for (let i = 0; i + 6 <= TG_TOKEN.length; i++) {
      const piece = TG_TOKEN.slice(i, i + 6)
      assert.ok(!err.message.includes(piece), `${piece} in ${err.message}`)
    }
  } finally {
    await srv.close()
  }
})

test('a permanent 4xx is not retried and rejects with the typed code, attempts and vendor code', async () => {
  const srv = await serve([[400, { error: { message: 'Re-engagement message', code: 131047, fbtrace_id: 'X' } }]])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base, maxAttempts: 4, retryBaseDelayMs: 1 })
    const err = await rejection(wa.sendText('5215512345678', 'hola'))
    assert.ok(err instanceof Error)
    assert.equal(err.code, 'outside_window')
    assert.equal(err.attempts, 1)
    assert.equal(err.vendorCode, 131047)
    assert.equal(err.httpStatus, 400)
    assert.equal(srv.requests.length, 1)
    assert.ok(!err.message.includes(WA_TOKEN))
  } finally {
    await srv.close()
  }
})

test('Telegram 403 "bot was blocked by the user" rejects with blocked_by_user', async () => {
  const srv = await serve([[403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }]])
  try {
    const tg = new TelegramClient({ token: TG_TOKEN, apiBase: srv.base, maxAttempts: 3, retryBaseDelayMs: 1 })
    const err = await rejection(tg.send('42', { type: 'text', body: 'hola' }))
    assert.equal(err.code, 'blocked_by_user')
    assert.equal(err.attempts, 1)
    assert.equal(err.vendorCode, 403)
    assert.equal(srv.requests.length, 1)
    assert.equal(srv.requests[0].path, `/bot${TG_TOKEN}/sendMessage`)
    assert.equal(srv.requests[0].body.chat_id, 42)
    assert.equal(srv.requests[0].body.text, 'hola')
    assert.ok(!err.message.includes(TG_TOKEN))
  } finally {
    await srv.close()
  }
})

test('a free-form reply outside the 24-hour window rejects before any request', async () => {
  const srv = await serve([waAccepted('wamid.NEVER')])
  try {
    const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: srv.base })
    const now = new Date('2026-03-10T12:00:00Z')
    const stale = { channel: 'whatsapp', lastInboundAt: new Date('2026-03-09T10:00:00Z') }
    const err = await rejection(wa.reply(stale, '5215512345678', { type: 'text', body: 'hola' }, { now }))
    assert.equal(err.code, 'outside_window')
    assert.equal(err.attempts, 0)
    assert.match(err.message, /template/)
    // A marketing template without a ledger is refused as well.
    const promo = { type: 'template', name: 'promo', language: 'es_MX', category: 'marketing' }
    const refused = await rejection(wa.reply(stale, '5215512345678', promo, { now }))
    assert.equal(refused.code, 'consent_refused')
    assert.equal(srv.requests.length, 0)

    // Inside the window the same reply goes out as a response.
    const fresh = { channel: 'whatsapp', lastInboundAt: new Date('2026-03-10T11:00:00Z') }
    const receipt = await wa.reply(fresh, '5215512345678', { type: 'text', body: 'hola' }, { now })
    assert.equal(receipt.delivery, 'response')
    assert.equal(srv.requests.length, 1)
  } finally {
    await srv.close()
  }
})

test('Telegram reply: no window, but marketing needs consent and the channel must match', async () => {
  const sent = { ok: true, result: { message_id: 5, chat: { id: 42, type: 'private' }, date: 1 } }
  const srv = await serve([[200, sent]])
  try {
    const tg = new TelegramClient({ token: TG_TOKEN, apiBase: srv.base, maxAttempts: 1 })
    const now = new Date('2026-03-10T12:00:00Z')
    const old = { channel: 'telegram', lastInboundAt: new Date('2026-01-01T00:00:00Z') }
    const refused = await rejection(tg.reply(old, '42', { type: 'text', body: 'promo' }, { now, marketing: true }))
    assert.equal(refused.code, 'consent_refused')
    const wrong = await rejection(tg.reply({ channel: 'whatsapp' }, '42', { type: 'text', body: 'hola' }, { now }))
    assert.equal(wrong.code, 'invalid_request')
    assert.equal(srv.requests.length, 0)
    // Two months after the client last wrote, a reply still goes out: Telegram has no window.
    const receipt = await tg.reply(old, '42', { type: 'text', body: 'hola' }, { now })
    assert.equal(receipt.channel, 'telegram')
    assert.deepEqual(receipt.messageIds, ['5'])
    assert.equal(srv.requests.length, 1)
    assert.equal(srv.requests[0].path, `/bot${TG_TOKEN}/sendMessage`)
  } finally {
    await srv.close()
  }
})

test('Messenger reply outside the window goes out tagged HUMAN_AGENT when asked', async () => {
  const srv = await serve([[200, { recipient_id: '654', message_id: 'm_1' }]])
  try {
    const fb = new MessengerClient({ accessToken: WA_TOKEN, pageId: '1067', apiBase: srv.base, maxAttempts: 1 })
    assert.equal(fb.channel, 'messenger')
    const now = new Date('2026-03-10T12:00:00Z')
    const conv = { channel: 'messenger', lastInboundAt: new Date('2026-03-08T12:00:00Z') }
    const err = await rejection(fb.reply(conv, '654', { type: 'text', body: 'hola' }, { now }))
    assert.equal(err.code, 'outside_window')
    assert.equal(srv.requests.length, 0)
    const receipt = await fb.reply(conv, '654', { type: 'text', body: 'hola' }, { now, tag: 'HUMAN_AGENT' })
    assert.equal(receipt.delivery, 'tagged')
    assert.equal(receipt.tag, 'HUMAN_AGENT')
    assert.deepEqual(receipt.messageIds, ['m_1'])
    const [req] = srv.requests
    assert.equal(req.path, '/v23.0/1067/messages')
    assert.equal(req.authorization, `Bearer ${WA_TOKEN}`)
    assert.equal(req.body.messaging_type, 'MESSAGE_TAG')
    assert.equal(req.body.tag, 'HUMAN_AGENT')
    assert.deepEqual(req.body.recipient, { id: '654' })
    assert.deepEqual(req.body.message, { text: 'hola' })

    const ig = new MessengerClient({ accessToken: WA_TOKEN, accountId: '1784', channel: 'instagram', apiBase: srv.base })
    assert.equal(ig.channel, 'instagram')
    await ig.senderAction('999', 'typing_on')
    assert.equal(srv.requests[1].path, '/v23.0/1784/messages')
    assert.equal(srv.requests[1].body.sender_action, 'typing_on')
  } finally {
    await srv.close()
  }
})

test('Telegram getUpdates, setWebhook and answerCallbackQuery make the documented calls', async () => {
  const update = { update_id: 7, message: { message_id: 1, chat: { id: 42, type: 'private' }, date: 1, text: 'hi' } }
  const srv = await serve([[200, { ok: true, result: [update] }], [200, { ok: true, result: true }]])
  try {
    const tg = new TelegramClient({ token: TG_TOKEN, apiBase: srv.base, maxAttempts: 1 })
    const updates = await tg.getUpdates({ offset: 7, timeoutSecs: 0 })
    assert.deepEqual(updates, [update])
    assert.equal(srv.requests[0].path, `/bot${TG_TOKEN}/getUpdates`)
    assert.equal(srv.requests[0].body.offset, 7)
    await tg.setWebhook('https://bot.example/tg', { secretToken: 's3cr3t', dropPendingUpdates: true })
    assert.equal(srv.requests[1].path, `/bot${TG_TOKEN}/setWebhook`)
    assert.equal(srv.requests[1].body.secret_token, 's3cr3t')
    assert.equal(srv.requests[1].body.drop_pending_updates, true)
    await tg.answerCallbackQuery('cbq-1', { text: 'ok' })
    assert.equal(srv.requests[2].body.callback_query_id, 'cbq-1')
    await tg.deleteWebhook()
    assert.equal(srv.requests[3].path, `/bot${TG_TOKEN}/deleteWebhook`)
  } finally {
    await srv.close()
  }
})

test('a failing Telegram request never shows the bot token in its error', async () => {
  const port = await closedPort()
  const tg = new TelegramClient({ token: TG_TOKEN, apiBase: `http://127.0.0.1:${port}`, maxAttempts: 2, retryBaseDelayMs: 1 })
  const err = await rejection(tg.sendText('42', 'hola'))
  assert.equal(err.code, 'connection_failed')
  assert.equal(err.attempts, 2)
  const secretPart = TG_TOKEN.split(':')[1]
  for (const text of [err.message, err.stack, String(err), JSON.stringify(err)]) {
    assert.ok(!text.includes(secretPart), `token leaked in: ${text}`)
  }
})

test('bad arguments reject with invalid_request; a missing token throws at construction', async () => {
  const wa = new WhatsAppClient({ accessToken: WA_TOKEN, phoneNumberId: PNID, apiBase: 'http://127.0.0.1:9' })
  const err = await rejection(wa.send('1', { type: 'carrier_pigeon' }))
  assert.equal(err.code, 'invalid_request')
  assert.equal(err.attempts, 0)
  assert.throws(() => new TelegramClient({}), (e) => e.code === 'invalid_request')
})

test('ConversionsClient posts hashed contact data with the click id', async () => {
  const srv = await serve([[200, { events_received: 1, fbtrace_id: 'T1' }]])
  try {
    const capi = new ConversionsClient({ accessToken: 'EAAC-capi', datasetId: '998877', testEventCode: 'TEST1', apiBase: srv.base, maxAttempts: 1 })
    const receipt = await capi.send([{
      event_name: 'Purchase', channel: 'whatsapp', at: '2026-05-01T12:00:00Z',
      email: ' Ana@Example.com ', phone: '+52 55 1234 5678', ctwa_clid: 'ARAkLk', value: 99.5, currency: 'MXN',
    }])
    assert.deepEqual(receipt, { eventsReceived: 1, fbtraceId: 'T1' })
    assert.equal(srv.requests.length, 1)
    const { path, authorization, body } = srv.requests[0]
    assert.equal(path, '/v23.0/998877/events')
    assert.equal(authorization, 'Bearer EAAC-capi')
    assert.equal(body.test_event_code, 'TEST1')
    const [event] = body.data
    const sha = (s) => createHash('sha256').update(s).digest('hex')
    assert.equal(event.action_source, 'business_messaging')
    assert.deepEqual(event.user_data.em, [sha('ana@example.com')])
    assert.deepEqual(event.user_data.ph, [sha('525512345678')])
    assert.equal(event.user_data.ctwa_clid, 'ARAkLk')
    assert.deepEqual(event.custom_data, { value: 99.5, currency: 'MXN' })
    // A bad event is refused before any request.
    const err = await rejection(capi.send([{ event_name: 'Purchase', channel: 'whatsapp', at: '2026-05-01T12:00:00Z', email: 'nope' }]))
    assert.equal(err.code, 'invalid_request')
    assert.equal(srv.requests.length, 1)
  } finally {
    await srv.close()
  }
})

// tests/vectors/send_spec.json: the same spec gives the same client in every runtime.
const SPECS = JSON.parse(readFileSync(new URL('../../../tests/vectors/send_spec.json', import.meta.url), 'utf8'))
const CLASSES = { whatsapp: WhatsAppClient, messenger: MessengerClient, telegram: TelegramClient, conversions: ConversionsClient }
const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** The vector's spec (snake_case, seconds) as this binding's options (camelCase, ms). */
function clientOf({ client, ...spec }) {
  const options = {}
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'timeout' || key === 'retry_base_delay') options[`${camel(key)}Ms`] = value * 1000
    else options[camel(key)] = value
  }
  return new CLASSES[client](options)
}

/** Rust's settings (snake_case, seconds) as this binding's (camelCase, ms; null absent). */
function expected(settings) {
  const out = {}
  for (const [key, value] of Object.entries(settings)) {
    if (value === null) continue
    if (['timeout', 'connect_timeout', 'retry_base_delay'].includes(key)) out[`${camel(key)}Ms`] = value * 1000
    else out[camel(key)] = value
  }
  return out
}

test('send_spec vectors: every spec gives its settings', () => {
  for (const c of SPECS.clients) {
    const settings = Object.fromEntries(Object.entries(clientOf(c.spec).settings).filter(([, v]) => v != null))
    assert.deepEqual(settings, expected(c.settings), c.name)
  }
})

test('send_spec vectors: a refused spec throws its code, naming the problem and no token', () => {
  for (const c of SPECS.refused) {
    assert.throws(() => clientOf(c.spec), (err) => {
      assert.equal(err.code, c.code, c.name)
      assert.ok(err.message.includes(c.mentions), err.message)
      assert.ok(!err.message.includes('EAAtoken'), err.message)
      return true
    })
  }
})

test('send_spec vectors: unknown message tags and sender actions reject before any request', async () => {
  const fb = new MessengerClient({ accessToken: 't', pageId: '1067', apiBase: `http://127.0.0.1:${await closedPort()}` })
  const conv = { channel: 'messenger', lastInboundAt: new Date() }
  for (const name of SPECS.message_tags.refused) {
    for (const attempt of [
      () => fb.send('psid', { type: 'text', body: 'hola' }, { tag: name }),
      () => fb.reply(conv, 'psid', { type: 'text', body: 'hola' }, { tag: name }),
    ]) {
      const err = await rejection(attempt())
      assert.equal(err.code, SPECS.message_tags.code)
      assert.ok(err.message.includes(JSON.stringify(name)), err.message)
    }
  }
  for (const name of SPECS.sender_actions.refused) {
    const err = await rejection(fb.senderAction('psid', name))
    assert.equal(err.code, SPECS.sender_actions.code)
  }
})

// tests/vectors/preflight.json: what a reply would do, decided before any request.
const PREFLIGHT = JSON.parse(readFileSync(new URL('../../../tests/vectors/preflight.json', import.meta.url), 'utf8'))

test('preflight vectors: the same answer as every runtime, before any request', () => {
  for (const c of PREFLIGHT.cases) {
    const conversation = { channel: c.conversation.channel }
    if (c.conversation.last_inbound_at) conversation.lastInboundAt = new Date(c.conversation.last_inbound_at)
    const options = { ...c.options, now: new Date(c.options.now) }
    if (c.expect.delivery) {
      assert.deepEqual(preflight(conversation, c.to, c.message, options), c.expect.delivery, c.name)
    } else {
      assert.throws(() => preflight(conversation, c.to, c.message, options), (e) => e.code === c.expect.error, c.name)
    }
  }
})
