import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'

import {
  authHeader,
  metaHandshake,
  normalize,
  normalizeCloudevents,
  Normalizer,
  verifySignature,
  verifyTelegramSecret,
  WebhookVerifier,
} from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

// The shared fixture corpus sits beside the repo clone (../shared/fixtures).
const WA_TEXT = new URL('../../../../shared/fixtures/whatsapp/pywa/_split/message__text.json', import.meta.url)
const haveFixtures = existsSync(WA_TEXT)

const T0 = new Date('2026-01-05T14:00:00Z')
const SECRET = 'app-secret-Zk93xQ'
const OLD_SECRET = 'old-secret-Pw71vN'
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}')

const TELEGRAM_UPDATE = Buffer.from(
  JSON.stringify({
    update_id: 900001,
    message: {
      message_id: 77,
      date: 1767621600,
      chat: { id: 4242, type: 'private', first_name: 'Ana' },
      from: { id: 4242, is_bot: false, first_name: 'Ana', last_name: 'Gómez' },
      text: 'hola, ¿precio?',
    },
  }),
)

const sign = (secret, body) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex')

// --- normalize -------------------------------------------------------------------

test('a WhatsApp text fixture is one inbound message event', { skip: !haveFixtures && 'shared fixtures absent' }, () => {
  const events = normalize('whatsapp', readFileSync(WA_TEXT), { receivedAt: T0 })
  assert.ok(Array.isArray(events))
  assert.equal(events.length, 1)
  const [event] = events
  assert.equal(Object.getPrototypeOf(event), Object.prototype, 'a plain object')
  assert.equal(event.kind, 'message')
  assert.equal(event.channel, 'whatsapp')
  assert.equal(event.channel_account_id, '1122334455667')
  assert.equal(event.message_id, 'wamid.xyzxyz')
  assert.deepEqual(event.content, { type: 'text', body: 'Body Text' })
  assert.equal(event.direction, 'inbound')
  assert.equal(event.author, 'client')
  assert.equal(event.occurred_at, '2023-10-11T16:53:43Z')
  // The BSUIDs the payload carries beside the wa_id each keep their own field.
  assert.deepEqual(event.contact.identity, {
    channel: 'whatsapp',
    wa_id: '972987654321',
    user_id: 'US.13491208655302741918',
    parent_user_id: 'US.ENT.11815799212886844830',
  })
  assert.equal(event.contact.display_name, 'Test Name')
  // pywa's test number is not a valid Israeli number: the wa_id stays, no phone.
  assert.equal(event.contact.phone, undefined)
  assert.match(event.idempotency_key, /wamid\.xyzxyz/)
})

test('the same body gives the same events in every call (JSON-serializable)', { skip: !haveFixtures && 'shared fixtures absent' }, () => {
  const body = readFileSync(WA_TEXT)
  const a = normalize('whatsapp', body, { receivedAt: T0 })
  assert.deepEqual(normalize('whatsapp', new Uint8Array(body), { receivedAt: T0 }), a)
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a)
})

test('a Telegram update is named by the account option', () => {
  const events = normalize('telegram', TELEGRAM_UPDATE, { receivedAt: T0, account: 'bot-123' })
  assert.equal(events.length, 1)
  const [event] = events
  assert.equal(event.kind, 'message')
  assert.equal(event.channel, 'telegram')
  assert.equal(event.channel_account_id, 'bot-123')
  assert.deepEqual(event.content, { type: 'text', body: 'hola, ¿precio?' })
  assert.deepEqual(event.contact.identity, { channel: 'telegram', user_id: '4242' })
  assert.equal(event.occurred_at, '2026-01-05T14:00:00Z')
  assert.match(event.idempotency_key, /900001/)
})

test('receivedAt is optional and an unknown item is kept as unsupported with its raw JSON', () => {
  const body = Buffer.from('{"update_id": 5, "poll": {"id": "p1", "question": "q?", "voter": 5000000001}}')
  const events = normalize('telegram', body, { account: 'bot-123' })
  assert.deepEqual(events.map((e) => e.kind), ['unsupported'])
  const raw = JSON.stringify(events[0].raw)
  assert.match(raw, /"q\?"/)
  // Integers beyond 2^32 stay Numbers, as JSON.parse gives them.
  assert.match(raw, /5000000001/)
  assert.ok(!Number.isNaN(Date.parse(events[0].occurred_at)))
})

test('raw JSON comes as it was sent: key order kept, an oversized number kept as text', () => {
  const body = Buffer.from('{"update_id": 6, "zz_kind": {"b": 1, "a": 2.50}, "aa_kind": [1]}')
  const [event] = normalize('telegram', body, { account: 'bot-123' })
  assert.equal(event.vendor_kind, 'aa_kind')
  assert.deepEqual(Object.keys(event.raw), ['update_id', 'zz_kind', 'aa_kind'])
  assert.deepEqual(event.raw.zz_kind, { b: 1, a: 2.5 })
  const huge = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"value":{"n":1e400},"field":"x_new"}]}]}')
  assert.equal(normalize('whatsapp', huge)[0].raw, '{"value":{"n":1e400},"field":"x_new"}')
})

test('a Normalizer gives what normalize gives with the same options', { skip: !haveFixtures && 'shared fixtures absent' }, () => {
  const bot = new Normalizer({ account: 'bot-123' })
  assert.deepEqual(bot.normalize('telegram', TELEGRAM_UPDATE, T0), normalize('telegram', TELEGRAM_UPDATE, { receivedAt: T0, account: 'bot-123' }))
  assert.equal(bot.normalize('telegram', TELEGRAM_UPDATE, T0)[0].channel_account_id, 'bot-123')
  const wa = readFileSync(WA_TEXT)
  assert.deepEqual(new Normalizer().normalize('whatsapp', wa, T0), normalize('whatsapp', wa, { receivedAt: T0 }))
  // A Telegram update does not name its bot: without an account it is refused, typed.
  assertThrowsCode(() => new Normalizer().normalize('telegram', TELEGRAM_UPDATE, T0), 'account_required')
  assertThrowsCode(() => normalize('telegram', TELEGRAM_UPDATE), 'account_required')
  assertThrowsCode(() => bot.normalize('telegram', Buffer.from('{')), 'invalid_json')
  assertThrowsCode(() => bot.normalize('signal', TELEGRAM_UPDATE), 'unknown_variant')
  assertThrowsCode(() => bot.normalize('telegram', TELEGRAM_UPDATE, new Date(NaN)), 'InvalidArg')
})

// Meta's Instagram echo shape: `is_echo` with the `app_id` of the app that sent it.
const IG_ECHO = Buffer.from(
  JSON.stringify({
    object: 'instagram',
    entry: [{
      id: 'IGACC',
      time: 1,
      messaging: [{
        sender: { id: 'IGACC' },
        recipient: { id: 'IGSID9' },
        timestamp: 1700000000000,
        message: { mid: 'm_e', text: 'hi', is_echo: true, app_id: 123 },
      }],
    }],
  }),
)

test('an echo of our own app id is authored bot, other echoes agent', () => {
  const authors = (events) => events.map((e) => [e.direction, e.author])
  assert.deepEqual(authors(normalize('instagram', IG_ECHO, { receivedAt: T0, appId: '123' })), [['outbound', 'bot']])
  assert.deepEqual(authors(normalize('instagram', IG_ECHO, { receivedAt: T0 })), [['outbound', 'agent']])
  assert.deepEqual(authors(normalize('instagram', IG_ECHO, { receivedAt: T0, appId: '456' })), [['outbound', 'agent']])
  assert.deepEqual(authors(new Normalizer({ appId: '123' }).normalize('instagram', IG_ECHO, T0)), [['outbound', 'bot']])
  assert.deepEqual(authors(new Normalizer().normalize('instagram', IG_ECHO, T0)), [['outbound', 'agent']])
  const verifier = new WebhookVerifier([{ channel: 'instagram', account: 'IGACC', tenant: 'acme', secrets: [SECRET] }])
  const header = sign(SECRET, IG_ECHO)
  assert.deepEqual(authors(verifier.normalize('instagram', IG_ECHO, header, { appId: '123' })), [['outbound', 'bot']])
  assert.deepEqual(authors(verifier.normalize('instagram', IG_ECHO, header)), [['outbound', 'agent']])
})

test('WebhookVerifier.normalizeCloudevents: verified events as CloudEvents with their tenant', () => {
  const verifier = new WebhookVerifier([{ channel: 'telegram', account: 'bot-123', tenant: 'acme', secrets: ['tg-secret-1'] }])
  const options = { receivedAt: T0, account: 'bot-123' }
  const envelopes = verifier.normalizeCloudevents('telegram', TELEGRAM_UPDATE, 'tg-secret-1', options)
  const events = verifier.normalize('telegram', TELEGRAM_UPDATE, 'tg-secret-1', options)
  assert.equal(envelopes.length, events.length)
  assert.equal(envelopes[0].id, events[0].idempotency_key)
  assert.equal(envelopes[0].tenant, 'acme')
  assert.equal(envelopes[0].source, '/telegram/bot-123')
  assert.deepEqual(envelopes[0].data, events[0])
  // The unverified function gives the same envelope, without the tenant.
  const { tenant, ...rest } = envelopes[0]
  const { tenant_id, ...data } = rest.data
  assert.equal(tenant_id, 'acme')
  assert.deepEqual(normalizeCloudevents('telegram', TELEGRAM_UPDATE, options), [{ ...rest, data }])
  assertThrowsCode(() => verifier.normalizeCloudevents('telegram', TELEGRAM_UPDATE, 'wrong', options), 'verification_failed')
  assertThrowsCode(() => verifier.normalizeCloudevents('telegram', TELEGRAM_UPDATE, undefined, options), 'verification_failed')
})

test('wrong arguments throw instead of crashing', () => {
  assertThrowsCode(() => normalize('sms', Buffer.from('{}')), 'unknown_variant', /^unknown channel "sms"/)
  assert.throws(() => normalize('telegram', '{"update_id":1}'), Error)
  assert.throws(() => normalize('telegram', TELEGRAM_UPDATE, { receivedAt: 'yesterday' }), Error)
  assertThrowsCode(() => normalize('telegram', TELEGRAM_UPDATE, { receivedAt: new Date(NaN) }), 'InvalidArg')
})

test('a body that is not JSON is an invalid_json Error', () => {
  assertThrowsCode(() => normalize('whatsapp', Buffer.from('{not json')), 'invalid_json', /^body is not valid JSON: /)
})

test('a body nested too deep is rejected (the parser stops at 128 levels)', () => {
  const body = Buffer.from('['.repeat(10_000) + ']'.repeat(10_000))
  assertThrowsCode(() => normalize('telegram', body, { account: 'bot-123' }), 'body_too_deep', 'body nests deeper than 128 levels')
})

test('a body over the size limit is rejected', () => {
  const body = Buffer.from('{"update_id": 1, "pad": "' + 'x'.repeat(1 << 20) + '"}')
  assertThrowsCode(() => normalize('telegram', body), 'body_too_large', /^body of \d+ bytes exceeds the limit of 1048576 bytes$/)
})

test('JSON of another shape is unexpected_shape', () => {
  assertThrowsCode(() => normalize('whatsapp', Buffer.from('[1, 2]')), 'unexpected_shape', /^not a whatsapp webhook body: /)
})

// --- one bad item, the item cap, no body values in errors -------------------------

const EMAIL = 'ana.perez@example.com'
const PHONE = '573001234567'
const waMessage = (i, text) =>
  `{"from":"${PHONE}","id":"wamid.${i}","timestamp":"1767621600","type":"text","text":{"body":"${text}"}}`
const waBody = (messages) =>
  Buffer.from(
    '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":' +
      `{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},` +
      `"contacts":[{"profile":{"name":"Ana"},"wa_id":"${PHONE}"}],"messages":[${messages.join(',')}]},` +
      '"field":"messages"}]}]}',
  )

test('a lone surrogate does not lose the batch (JSON.parse accepts it too)', () => {
  const messages = Array.from({ length: 1000 }, (_, i) => waMessage(i, 'hola'))
  messages[500] = waMessage(500, String.raw`antes \ud83d después`)
  const body = waBody(messages)
  assert.equal(JSON.parse(body).entry[0].changes[0].value.messages.length, 1000)
  const events = normalize('whatsapp', body, { receivedAt: T0 })
  assert.equal(events.length, 1000)
  assert.deepEqual(new Set(events.map((e) => e.kind)), new Set(['message']))
  assert.deepEqual(events[500].content, { type: 'text', body: 'antes \ufffd después' })
})

test('a malformed item is an invalid_item event and the rest is delivered', () => {
  const bad = `{"from":"${PHONE}","id":"wamid.X","type":"text","text":{"body":["${EMAIL}"]}}`
  const events = normalize('whatsapp', waBody([waMessage(0, 'hola'), bad, waMessage(2, 'hola')]), { receivedAt: T0 })
  assert.deepEqual(events.map((e) => e.kind), ['message', 'invalid_item', 'message'])
  assert.equal(events[1].vendor_kind, 'message')
  assert.equal(events[1].raw, bad)
  assert.equal(events[1].reason, 'invalid type: sequence, expected a string at text.body (line 1, column 67)')
})

test('more items than maxItems throws too_many_items (default 10,000, from Rust)', () => {
  const body = waBody(Array(20).fill('{}'))
  assert.equal(normalize('whatsapp', body, { maxItems: 23 }).length, 20)
  assertThrowsCode(() => normalize('whatsapp', body, { maxItems: 22 }), 'too_many_items', 'body holds more than 22 items')
  assertThrowsCode(() => new Normalizer({ maxItems: 22 }).normalize('whatsapp', body), 'too_many_items')
  assertThrowsCode(() => normalize('whatsapp', waBody(Array(10_001).fill('{}'))), 'too_many_items')
})

test('errors never quote the body', () => {
  const cases = [
    ['whatsapp', `{"object":"${EMAIL}","entry":[]}`],
    ['messenger', `{"object":"page","entry":"${EMAIL}"}`],
    ['telegram', `{"update_id":"${EMAIL}"}`],
    ['telegram', `{"ok":true,"result":"${PHONE}"}`],
  ]
  for (const [channel, body] of cases) {
    assert.throws(
      () => normalize(channel, Buffer.from(body), { account: 'bot-123' }),
      (e) => e.code === 'unexpected_shape' && !e.message.includes(EMAIL) && !e.message.includes(PHONE),
    )
  }
})

// --- X-Hub-Signature-256 ---------------------------------------------------------

test('a good signature returns the index of the matching secret (rotation)', () => {
  assert.equal(verifySignature(BODY, sign(SECRET, BODY), [SECRET]), 0)
  assert.equal(verifySignature(BODY, sign(SECRET, BODY), [OLD_SECRET, SECRET]), 1)
  assert.equal(verifySignature(BODY, sign(OLD_SECRET, BODY), [OLD_SECRET, SECRET]), 0)
})

test('missing, malformed and wrong signatures are told apart', () => {
  const malformed = 'malformed X-Hub-Signature-256 header: expected "sha256=" and 64 hex digits'
  const cases = [
    [undefined, 'missing X-Hub-Signature-256 header'],
    [null, 'missing X-Hub-Signature-256 header'],
    ['sha1=abcd', malformed],
    ['sha256=' + 'z'.repeat(64), malformed],
    [sign('not-the-secret', BODY), 'signature does not match the body'],
    [sign(SECRET, Buffer.concat([BODY, Buffer.from(' ')])), 'signature does not match the body'],
  ]
  for (const [header, message] of cases) {
    assertThrowsCode(() => verifySignature(BODY, header, [SECRET]), 'verification_failed', message)
  }
  assertThrowsCode(() => verifySignature(BODY, sign(SECRET, BODY), []), 'invalid_config', 'invalid app secret: no secret given')
})

// --- Meta handshake and Telegram secret --------------------------------------------

test('the Meta handshake returns the challenge', () => {
  const q = 'hub.mode=subscribe&hub.verify_token=tok%20en&hub.challenge=1158201444'
  assert.equal(metaHandshake(q, 'tok en'), '1158201444')
  assert.equal(metaHandshake('?' + q, 'tok en'), '1158201444')
})

test('Meta handshake failures are verification_failed', () => {
  const cases = [
    ['hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1', 'handshake verify token does not match'],
    ['hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1', 'handshake mode must be "subscribe"'],
    ['hub.mode=subscribe&hub.verify_token=tok', 'handshake is missing the hub.challenge parameter'],
  ]
  for (const [query, message] of cases) {
    assertThrowsCode(() => metaHandshake(query, 'tok'), 'verification_failed', message)
  }
})

test('the Telegram secret token', () => {
  assert.equal(verifyTelegramSecret(SECRET, SECRET), undefined)
  assertThrowsCode(() => verifyTelegramSecret(undefined, SECRET), 'verification_failed', 'missing X-Telegram-Bot-Api-Secret-Token header')
  assertThrowsCode(() => verifyTelegramSecret('guess', SECRET), 'verification_failed', 'signature does not match the body')
})

test('no secret ever appears in an error', () => {
  const calls = [
    () => verifySignature(BODY, sign(SECRET, Buffer.from('other')), [SECRET, OLD_SECRET]),
    () => verifySignature(BODY, 'sha256=' + SECRET, [SECRET]),
    () => verifySignature(BODY, undefined, [SECRET]),
    () => metaHandshake('hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', SECRET),
    () => verifyTelegramSecret(SECRET.slice(0, -1), SECRET),
    () => verifyTelegramSecret(null, SECRET),
  ]
  for (const call of calls) {
    const err = assertThrowsCode(call, 'verification_failed')
    const text = `${err.message} ${err.stack} ${JSON.stringify(err)} ${String(err)}`
    assert.ok(!text.includes(SECRET) && !text.includes(OLD_SECRET), text)
    assert.ok(!text.includes(SECRET.slice(0, 8)), text)
  }
})

// --- blank secrets and per-tenant verification (tests/vectors/webhook_auth.json) ---

const AUTH = JSON.parse(readFileSync(new URL('../../../tests/vectors/webhook_auth.json', import.meta.url), 'utf8'))

test('a blank secret authenticates nobody', () => {
  const body = Buffer.from('{"object":"page","entry":[]}')
  for (const blank of AUTH.blank_secrets) {
    const calls = [
      () => verifySignature(body, sign(blank, body), [blank]),
      () => verifySignature(body, sign(SECRET, body), [SECRET, blank]),
      () => verifyTelegramSecret(blank, blank),
      () => metaHandshake(`hub.mode=subscribe&hub.verify_token=${encodeURIComponent(blank)}&hub.challenge=1`, blank),
      () => new WebhookVerifier([{ channel: 'messenger', account: 'P', tenant: 't', secrets: [blank] }]),
    ]
    for (const call of calls) assertThrowsCode(call, 'invalid_config')
  }
})

test('WebhookVerifier: every shared vector', () => {
  const verifier = new WebhookVerifier(AUTH.accounts)
  for (const c of AUTH.cases) {
    const body = Buffer.from(c.body, 'utf8')
    const header = 'sign_with' in c ? sign(c.sign_with, body) : (c.header ?? undefined)
    const run = () => verifier.normalize(c.channel, body, header, { receivedAt: T0, account: c.account })
    if (c.expect.tenants) {
      assert.deepEqual(run().map((e) => e.tenant_id), c.expect.tenants, c.name)
    } else {
      assert.throws(run, (err) => err.code === c.expect.error, c.name)
    }
  }
})

test('WebhookVerifier refuses bad accounts when built, and hides its secrets', () => {
  for (const c of AUTH.invalid_accounts) {
    assertThrowsCode(() => new WebhookVerifier([c.account]), 'invalid_config')
  }
  const verifier = new WebhookVerifier(AUTH.accounts)
  assert.match(String(verifier), /tenant-a/)
  assert.doesNotMatch(String(verifier), /secret-a|tg-token/)
  assert.equal(authHeader('telegram'), 'X-Telegram-Bot-Api-Secret-Token')
  assert.equal(authHeader('whatsapp'), 'X-Hub-Signature-256')
})
