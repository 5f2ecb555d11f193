import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { Scorecard } from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

// The cases of tests/vectors/scoring.json, with the scores Rust wrote
// (crates/arichat-core/tests/conformance_scoring.rs); Python and Kotlin check the same file.
const VECTORS_DIR = new URL('../../../tests/vectors/', import.meta.url)
const VECTORS = JSON.parse(readFileSync(new URL('scoring.json', VECTORS_DIR), 'utf8'))
const cardText = (name) => {
  const source = VECTORS.scorecards[name]
  return source.file ? readFileSync(new URL(source.file, VECTORS_DIR), 'utf8') : source.toml.join('\n')
}
const toEvents = (events) => events.map((e) => ({ ...e, at: new Date(e.at) }))
const assertClose = (got, want, what) =>
  assert.ok(Math.abs(got - want) <= VECTORS.tolerance, `${what}: got ${got}, want ${want}`)
const line = (c) => [c.rule, c.name ?? null, c.kind, c.events ?? 0]

for (const c of VECTORS.cases) {
  test(`scoring vectors: ${c.name}`, () => {
    const r = Scorecard.fromToml(cardText(c.scorecard)).score(c.record, toEvents(c.events), new Date(c.now))
    const want = c.expected
    for (const key of ['total', 'fit', 'engagement']) assertClose(r[key], want[key], `${key} (${c.note})`)
    assert.equal(r.grade, want.grade)
    assert.equal(r.stage, want.stage)
    if (want.probability === undefined) assert.equal(r.probability, undefined)
    else assertClose(r.probability, want.probability, 'probability')
    assert.deepEqual(r.contributions.map(line), want.contributions.map(line))
    r.contributions.forEach((l, i) => assertClose(l.points, want.contributions[i].points, l.rule))
    assertClose(r.contributions.reduce((s, l) => s + l.points, 0), r.total, 'sum of contributions')
  })
}

// The demo card's first case, for what the file does not hold: a card through JSON,
// default arguments, and errors.
const DEMO = VECTORS.cases.find((c) => c.name === 'demo_hot')
const CARD = cardText(DEMO.scorecard)
const now = new Date(DEMO.now)
const record = DEMO.record
const events = toEvents(DEMO.events)

test('Scorecard.fromJson(card.toJson()) scores as the TOML card does; arguments default', () => {
  const card = Scorecard.fromToml(CARD)
  const again = Scorecard.fromJson(card.toJson())
  assert.deepEqual(again.score(record, events, now), card.score(record, events, now))
  assert.deepEqual(again.score(record, [], now), card.score(record, undefined, now))
  const empty = card.score({})
  assert.equal(empty.total, VECTORS.cases.find((c) => c.name === 'demo_empty').expected.total)
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
