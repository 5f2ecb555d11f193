// Smoke test of the reply bot in examples/node-express (replier.js) with this binding:
// a normalized inbound WhatsApp and Instagram message is answered through a local HTTP
// server standing in for the Graph API (ARICHAT_API_BASE).
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as arichat from '../lib.js'

const require = createRequire(import.meta.url)
const { makeReplier, ANSWERS } = require('../../../examples/node-express/replier.js')
const { loadConfig } = require('../../../examples/node-express/config.js')

async function serve() {
  const requests = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      requests.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString()) })
      res.writeHead(200, { 'content-type': 'application/json' })
      const answer = req.url.includes('/1065/')
        ? { messaging_product: 'whatsapp', messages: [{ id: 'wamid.BOT' }] }
        : { recipient_id: 'x', message_id: 'm_bot' }
      res.end(JSON.stringify(answer))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { base: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) }
}

function inbound(channel, identity, text, occurredAt) {
  return {
    idempotency_key: `${channel}:1`,
    channel,
    channel_account_id: 'acct',
    contact: { identity: { channel, ...identity } },
    occurred_at: occurredAt.toISOString(),
    kind: 'message',
    message_id: 'in-1',
    direction: 'inbound',
    author: 'client',
    content: { type: 'text', body: text },
  }
}

test('the example reply bot answers WhatsApp and Instagram messages through the clients', async () => {
  const srv = await serve()
  try {
    const reply = makeReplier(arichat, {
      ARICHAT_API_BASE: srv.base,
      ARICHAT_TOKEN: 'EAAG-example-token',
      ARICHAT_PHONE_NUMBER_ID: '1065',
      ARICHAT_INSTAGRAM_ACCOUNT_ID: '1784',
    })
    const now = new Date()
    const wa = await reply(inbound('whatsapp', { wa_id: '5215512345678' }, '¿Cuánto cuesta el plan?', now))
    assert.deepEqual(wa.messageIds, ['wamid.BOT'])
    assert.equal(wa.delivery, 'response')
    const expected = ANSWERS[arichat.classify('¿Cuánto cuesta el plan?').primary]
    assert.ok(expected, 'the price question has a canned answer')
    assert.equal(srv.requests[0].path, '/v23.0/1065/messages')
    assert.equal(srv.requests[0].auth, 'Bearer EAAG-example-token')
    assert.equal(srv.requests[0].body.text.body, expected)

    const ig = await reply(inbound('instagram', { igsid: '999' }, 'hola', now))
    assert.deepEqual(ig.messageIds, ['m_bot'])
    assert.equal(srv.requests[1].path, '/v23.0/1784/messages')
    assert.deepEqual(srv.requests[1].body.recipient, { id: '999' })

    // No Messenger page configured: not answered. An old message: refused, no request.
    assert.equal(await reply(inbound('messenger', { psid: '1' }, 'hola', now)), undefined)
    const old = new Date(now.getTime() - 3 * 24 * 3600 * 1000)
    await assert.rejects(reply(inbound('whatsapp', { wa_id: '5215512345678' }, 'hola', old)), { code: 'outside_window' })
    assert.equal(srv.requests.length, 2)
  } finally {
    await srv.close()
  }
})

test('the example receiver refuses to start without its secrets', () => {
  const refused = [
    [{}, undefined],
    [{ ARICHAT_PHONE_NUMBER_ID: '1065', META_VERIFY_TOKEN: 'tok' }, 'invalid_config'],
    [{ ARICHAT_PHONE_NUMBER_ID: '1065', META_APP_SECRETS: ' ', META_VERIFY_TOKEN: 'tok' }, 'invalid_config'],
    [{ ARICHAT_PHONE_NUMBER_ID: '1065', META_APP_SECRETS: 'new,', META_VERIFY_TOKEN: 'tok' }, 'invalid_config'],
    [{ ARICHAT_PHONE_NUMBER_ID: '1065', META_APP_SECRETS: 's3cret' }, 'invalid_config'],
    [{ TELEGRAM_BOT_ID: '7001' }, 'invalid_config'],
    [{ ARICHAT_ACCOUNTS: JSON.stringify([{ channel: 'telegram', account: '7001', tenant: 't', secrets: [''] }]) }, 'invalid_config'],
  ]
  for (const [env, code] of refused) {
    assert.throws(() => loadConfig(env, arichat), (err) => err.code === code, JSON.stringify(env))
  }
})

test('the example receiver verifies each body with its own tenant', () => {
  const { verifier, defaultTelegramBot } = loadConfig(
    { TELEGRAM_BOT_ID: '7001', TELEGRAM_SECRET_TOKEN: 'tg-secret', ARICHAT_TENANT: 'acme' },
    arichat,
  )
  assert.equal(defaultTelegramBot, '7001')
  const body = Buffer.from(
    JSON.stringify({ update_id: 1, message: { message_id: 5, date: 1700000000, chat: { id: 42, type: 'private' }, text: 'hola' } }),
  )
  const events = verifier.normalize('telegram', body, 'tg-secret', { account: '7001' })
  assert.deepEqual(events.map((e) => e.tenant_id), ['acme'])
  // An empty header, which an unset TELEGRAM_SECRET_TOKEN used to match, is refused.
  assert.throws(() => verifier.normalize('telegram', body, '', { account: '7001' }), { code: 'verification_failed' })
})
