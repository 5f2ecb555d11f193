import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { Scorecard } from '../lib.js'
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
