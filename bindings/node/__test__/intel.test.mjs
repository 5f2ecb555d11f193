import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { classify, Scorecard } from '../index.js'
import { assertThrowsCode } from './helpers.mjs'

// The scorecard is shared with the Kotlin test (tests/vectors/scorecard.toml), and so are
// the record and events below: both runtimes must print the same numbers.
const CARD = readFileSync(new URL('../../../tests/vectors/scorecard.toml', import.meta.url), 'utf8')

const now = new Date('2026-03-02T12:00:00Z')
const hoursAgo = (h) => new Date(now.getTime() - h * 3_600_000)
const record = { employees: 120, email_domain: 'gmail.com', vip: true, phone: null }
const events = [
  { kind: 'intent', intent: 'price_inquiry', at: hoursAgo(24) },
  { kind: 'inbound_message', at: hoursAgo(1) },
  { kind: 'inbound_message', at: hoursAgo(2) },
  // After `now`: ignored.
  { kind: 'inbound_message', at: new Date(now.getTime() + 60_000) },
]

test('classify: a refusal is opt_out, a price question is price_inquiry', () => {
  const text = 'no me interesa'
  const optOut = classify(text)
  assert.equal(optOut.primary, 'opt_out')
  const m = optOut.intents.find((i) => i.intent === 'opt_out')
  assert.ok(m, JSON.stringify(optOut))
  assert.ok(m.confidence > 0 && m.confidence <= 1)
  assert.equal(text.slice(m.start, m.end), m.evidence)

  const price = classify('Holaaa 👋 q precio tiene el envio a Cali?')
  assert.equal(price.primary, 'price_inquiry')
  assert.deepEqual(
    price.intents.map((i) => i.intent),
    ['price_inquiry', 'greeting'],
  )
  for (const i of price.intents) {
    // Offsets are JS string indices, even after an emoji.
    assert.equal('Holaaa 👋 q precio tiene el envio a Cali?'.slice(i.start, i.end), i.evidence)
  }
  const empty = classify('')
  assert.deepEqual([empty.primary, empty.intents, empty.language], ['other', [], 'unknown'])
})

test('classify: confidence, language, uncertain and the opt-out signal', () => {
  const stop = classify('ya no me escriban más por favor')
  assert.deepEqual(
    [stop.primary, stop.optOut, stop.language, stop.uncertain],
    ['opt_out', 'explicit', 'es', false],
  )
  assert.ok(stop.confidence > 0.5 && stop.confidence <= 1, String(stop.confidence))
  // A keyword asked about is not a request to leave.
  const quoted = classify('me llegó un SMS que dice "responda BAJA para cancelar", ¿es de ustedes?')
  assert.notEqual(quoted.primary, 'opt_out')
  assert.deepEqual(
    Object.keys(stop).sort(),
    ['confidence', 'intents', 'language', 'optOut', 'primary', 'uncertain'],
  )
  const price = classify('how much is the annual fee?')
  assert.equal(price.language, 'en')
  assert.equal(price.optOut, undefined)
})

test('Scorecard.fromToml scores a record with its explanation', () => {
  const card = Scorecard.fromToml(CARD)
  const r = card.score(record, events, now)
  assert.equal(r.fit, 45)
  assert.equal(r.engagement, 30)
  assert.equal(r.total, 75)
  assert.equal(r.grade, 'a')
  assert.equal(r.stage, 'mql')
  assert.equal(r.probability, undefined)
  assert.deepEqual(
    r.contributions.map((c) => [c.rule, c.kind, c.points, c.events]),
    [
      ['base', 'base', 10, undefined],
      ['mid_size', 'fit', 40, undefined],
      ['gmail', 'fit', -5, undefined],
      ['asked_price', 'engagement', 15, 1],
      ['wrote', 'engagement', 15, 2],
    ],
  )
  assert.equal(r.contributions[2].name, 'Free email')
  const sum = r.contributions.reduce((s, c) => s + c.points, 0)
  assert.equal(sum, r.total)

  // No events: fit only. JSON gives the same card.
  const again = Scorecard.fromJson(card.toJson())
  const fitOnly = again.score(record, [], now)
  assert.equal(fitOnly.total, 45)
  assert.equal(fitOnly.grade, 'c')
  assert.equal(fitOnly.stage, 'mql')
  assert.equal(card.score({}, undefined, now).total, 10)
  const empty = card.score({})
  assert.equal(empty.grade, 'd')
  assert.equal(empty.stage, 'iql')
})

test('bad scorecards and events raise typed errors with the Rust message', () => {
  assertThrowsCode(
    () => Scorecard.fromToml('[[fit]\nid = '),
    'invalid_scorecard',
    /^invalid scorecard: cannot read scorecard toml: /,
  )
  assertThrowsCode(
    () => Scorecard.fromToml('[[fit]]\nid = "x"\nfield = "a"\nequals = 1\npoints = 1\n[[fit]]\nid = "x"\nfield = "b"\nequals = 2\npoints = 1\n'),
    'invalid_scorecard',
    'invalid scorecard: duplicate rule id "x"',
  )
  assertThrowsCode(() => Scorecard.fromJson('{not json'), 'invalid_scorecard')
  const card = Scorecard.fromToml(CARD)
  assertThrowsCode(
    () => card.score(record, [{ kind: 'sms', at: now }], now),
    'unknown_variant',
    /^unknown engagement kind "sms"/,
  )
  assertThrowsCode(
    () => card.score(record, [{ kind: 'intent', intent: 'buy', at: now }], now),
    'unknown_variant',
  )
  assertThrowsCode(() => card.score(record, [], new Date(NaN)), 'InvalidArg')
})
