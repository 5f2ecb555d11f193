// The error classes of the package entry (lib.js): every error the binding throws or
// rejects with is an instance of the class Rust decided for it (the same as Python's),
// keeps its bare code and message, and the closed sets index.d.ts spells out are the
// ones Rust accepts.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import * as arichat from '../lib.js'
import {
  ArichatError,
  IllegalTransitionError,
  InvalidBodyError,
  InvalidJsonError,
  InvalidPhoneError,
  InvalidScorecardError,
  Lead,
  Scorecard,
  SendConnectionError,
  SendError,
  SendTimeoutError,
  UnknownVariantError,
  VerificationError,
  WebhookVerifier,
  WhatsAppClient,
  authHeader,
  errorClassNames,
  normalize,
  normalizePhone,
  preflight,
  verifySignature,
} from '../lib.js'
import { assertRejectsCode, assertThrowsCode, freePort } from './helpers.mjs'

const NOW = new Date('2026-03-01T12:00:00Z')

/** Asserts `err` is an instance of the class its code maps to, and of the base. */
function assertClass(err, cls) {
  assert.ok(err instanceof cls, `${err.code} is a ${err.constructor.name}, not a ${cls.name}`)
  assert.ok(err instanceof ArichatError)
  assert.ok(err instanceof Error)
  assert.equal(err.name, cls.name)
  assert.equal(typeof err.stack, 'string')
}

test('every class errorClassNames() names is exported and derives from ArichatError', () => {
  const names = new Set(errorClassNames())
  assert.ok(names.size >= 19, [...names].join(', '))
  for (const name of names) {
    const cls = arichat[name]
    assert.equal(typeof cls, 'function', `${name} is exported`)
    assert.equal(cls.name, name)
    assert.ok(cls === ArichatError || cls.prototype instanceof ArichatError, name)
  }
  assert.ok(ArichatError.prototype instanceof Error)
  assert.ok(SendTimeoutError.prototype instanceof SendError)
  assert.ok(SendConnectionError.prototype instanceof SendError)
})

test('functions, constructors, static factories and methods throw their class', () => {
  assertClass(assertThrowsCode(() => normalizePhone('12', 'CO'), 'invalid_phone'), InvalidPhoneError)
  assertClass(assertThrowsCode(() => authHeader('whatsap'), 'unknown_variant'), UnknownVariantError)
  // The same code, two classes: a body that is not JSON is rejected whole, as in Python;
  // a core document that is not JSON is an InvalidJsonError.
  assertClass(assertThrowsCode(() => normalize('whatsapp', Buffer.from('{')), 'invalid_json'), InvalidBodyError)
  assertClass(assertThrowsCode(() => Lead.fromJson('{not json'), 'invalid_json'), InvalidJsonError)
  assertClass(
    assertThrowsCode(() => normalize('whatsapp', Buffer.from('['.repeat(1000) + ']'.repeat(1000))), 'body_too_deep'),
    InvalidBodyError,
  )
  assertClass(
    assertThrowsCode(() => verifySignature(Buffer.from('{}'), 'sha256=00', ['secret']), 'verification_failed'),
    VerificationError,
  )
  assertClass(
    assertThrowsCode(
      () => new WebhookVerifier([{ channel: 'whatsap', account: '1', tenant: 't', secrets: ['s'] }]),
      'unknown_variant',
    ),
    UnknownVariantError,
  )
  assertClass(assertThrowsCode(() => Scorecard.fromToml('base = '), 'invalid_scorecard'), InvalidScorecardError)
  const lead = new Lead('l1', 't1', 'c1', 'whatsapp', NOW)
  assert.ok(lead instanceof Lead, 'instances still belong to the exported class')
  assertClass(
    assertThrowsCode(() => {
      lead.setStatus('interested', 'agent', 'asked for a quote', NOW)
      lead.setStatus('unattended', 'agent', 'oops', NOW)
    }, 'illegal_status_transition'),
    IllegalTransitionError,
  )
  assert.equal(lead.status, 'interested', 'getters still work through the wrapper')
})

test('a client rejection and a preflight refusal are SendErrors with attempts', async () => {
  const conversation = { channel: 'whatsapp', lastInboundAt: new Date('2026-02-01T00:00:00Z') }
  const message = { type: 'text', body: 'hola' }
  const refused = assertThrowsCode(() => preflight(conversation, '+573001234567', message, { now: NOW }), 'outside_window')
  assertClass(refused, SendError)
  assert.equal(refused.attempts, 0)

  // A closed port: the request fails to connect.
  const port = await freePort()
  const client = new WhatsAppClient({
    accessToken: 'token-never-shown',
    phoneNumberId: '123',
    apiBase: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
  })
  const err = await assertRejectsCode(client.sendText('+573001234567', 'hola'), 'connection_failed')
  assertClass(err, SendConnectionError)
  assert.ok(err instanceof SendError)
  assert.equal(err.attempts, 1)
  assert.ok(!err.message.includes('token-never-shown'), err.message)
  assertClass(
    assertThrowsCode(() => new WhatsAppClient({ accessToken: 't' }), 'invalid_request'),
    SendError,
  )
})

test("napi's own argument errors stay plain Errors", () => {
  const err = assertThrowsCode(() => normalizePhone(5), 'StringExpected')
  assert.ok(!(err instanceof ArichatError))
})

// The closed sets index.d.ts spells out as string unions, against the names Rust
// accepts (an unknown_variant message lists them): a name added in Rust, or removed,
// fails here until the header follows.
const DTS = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')

function union(name) {
  const m = DTS.match(new RegExp(`export type ${name} =([^/]*?)\\n\\n`, 's'))
  assert.ok(m, `index.d.ts declares ${name}`)
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]).sort()
}

function expected(fn, code = 'unknown_variant') {
  const err = assertThrowsCode(fn, code)
  return err.message.split('expected one of: ')[1].split(', ').sort()
}

test('the string unions of index.d.ts are the names Rust accepts', () => {
  const lead = () => new Lead('l1', 't1', 'c1', 'whatsapp', NOW)
  assert.deepEqual(union('ChannelName'), expected(() => authHeader('x')))
  assert.deepEqual(union('LeadStatusName'), expected(() => lead().setStatus('x', 'rule', 'r', NOW)))
  assert.deepEqual(union('LifecycleStageName'), expected(() => lead().setStage('x', 'rule', 'r', NOW)))
  assert.deepEqual(union('ChangeCauseName'), expected(() => lead().setStatus('interested', 'x', 'r', NOW)))
  const conversation = { channel: 'messenger', lastInboundAt: NOW }
  const tagged = () => preflight(conversation, '1', { type: 'text', body: 'b' }, { now: NOW, tag: 'x' })
  // A refused tag is a bad request of the send (invalid_request), naming the tags.
  assert.deepEqual(union('MessageTagName'), expected(tagged, 'invalid_request'))
})
