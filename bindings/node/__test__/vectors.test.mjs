// The shared cross-runtime vectors in tests/vectors hold for Node too.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { classify, normalize, normalizePhone, phoneFromWaId } from '../lib.js'

const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/phones.json', import.meta.url), 'utf8'))

test('phone vectors: valid numbers', () => {
  for (const c of vectors.ok) {
    assert.equal(normalizePhone(c.input, c.region ?? undefined), c.e164, c.input)
  }
  for (const c of vectors.wa_id) {
    assert.equal(phoneFromWaId(c.input), c.e164, c.input)
  }
  for (const input of vectors.invalid_wa_id) {
    assert.throws(() => phoneFromWaId(input), (e) => e.code === 'invalid_phone', input)
  }
})

test('phone vectors: invalid numbers and unknown regions', () => {
  for (const c of vectors.invalid_phone) {
    assert.throws(() => normalizePhone(c.input, c.region ?? undefined), (e) => e.code === 'invalid_phone', c.input)
  }
  for (const r of vectors.unknown_region) {
    assert.throws(() => normalizePhone('300 123 4567', r), (e) => e.code === 'unknown_region', r)
  }
})

// Written by the Rust core (crates/arichat-core/tests/conformance_intents.rs).
const intents = JSON.parse(readFileSync(new URL('../../../tests/vectors/intents.json', import.meta.url), 'utf8'))

test('intent vectors: classify gives the core\'s answers', () => {
  assert.ok(intents.cases.length >= 40)
  for (const c of intents.cases) {
    const got = classify(c.text)
    const want = c.expected
    assert.deepEqual(
      { primary: got.primary, language: got.language, uncertain: got.uncertain, opt_out: got.optOut ?? null },
      { primary: want.primary, language: want.language, uncertain: want.uncertain, opt_out: want.opt_out },
      JSON.stringify(c.text),
    )
    assert.ok(
      Math.abs(got.confidence - want.confidence) <= intents.tolerance,
      `${JSON.stringify(c.text)}: confidence ${got.confidence} vs ${want.confidence}`,
    )
  }
})

const normalizeVectors = JSON.parse(
  readFileSync(new URL('../../../tests/vectors/normalize.json', import.meta.url), 'utf8'),
)

test('normalize vectors: the same events as Rust, field for field', () => {
  for (const c of normalizeVectors.cases) {
    const body = c.body_file
      ? readFileSync(new URL(`../../../${c.body_file}`, import.meta.url))
      : Buffer.from(c.body, 'utf8')
    let got
    try {
      // The events as JSON, as the Rust test writes them.
      got = JSON.parse(
        JSON.stringify(normalize(c.channel, body, { receivedAt: new Date(c.received_at), account: c.account })),
      )
    } catch (e) {
      // The class as Rust decides it: a body that is not JSON is an InvalidBodyError.
      got = { error: e.code, class: e.name }
    }
    assert.deepStrictEqual(got, c.expected, c.name)
  }
})

// WhatsApp identities since 2026: the same normalization in every runtime.
const identity = JSON.parse(readFileSync(new URL('../../../tests/vectors/identity.json', import.meta.url), 'utf8'))

test('identity vectors: BSUIDs, usernames and identity changes', () => {
  for (const c of identity.cases) {
    const events = normalize('whatsapp', Buffer.from(c.body), { receivedAt: new Date(identity.received_at) })
    assert.equal(events.length, 1, c.name)
    const [event] = events
    assert.equal(event.kind, c.kind, c.name)
    assert.deepEqual(event.contact?.identity ?? null, c.identity, c.name)
    assert.equal(event.contact?.phone ?? null, c.phone, c.name)
    if (c.changes) assert.deepEqual(event.changes, c.changes, c.name)
  }
})
