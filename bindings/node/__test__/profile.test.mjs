// Customer profiles from Node (bindings/node/src/profile.rs): the shared vectors in
// tests/vectors/profiles.json, events from real webhook bodies, and errors.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { ProfileSet, fitRfm, normalize, profileKeys, rfmScore } from '../lib.js'

const ROOT = new URL('../../../', import.meta.url)
const DOC = JSON.parse(readFileSync(new URL('tests/vectors/profiles.json', ROOT), 'utf8'))

test('the shared profile vectors: same profiles, keys and RFM scores as Rust and Python', () => {
  const profiles = new ProfileSet(DOC.options)
  const keys = []
  for (const e of DOC.events) {
    keys.push(profileKeys(e))
    profiles.apply(e)
  }
  for (const [a, b] of DOC.links) assert.equal(profiles.link(a, b), true)
  assert.deepEqual(keys, DOC.expected.keys)
  assert.equal(profiles.size, DOC.expected.profiles.length)
  assert.deepEqual(profiles.profiles(), DOC.expected.profiles)
  const now = new Date(DOC.now)
  const cuts = fitRfm(profiles.profiles(), now)
  assert.deepEqual(cuts, DOC.expected.rfm_cuts)
  assert.deepEqual(profiles.profiles().map((p) => rfmScore(p, cuts, now)), DOC.expected.rfm)
  // A profile read back from its JSON text is the same profile.
  const first = DOC.expected.profiles[0]
  assert.deepEqual(rfmScore(JSON.stringify(first), cuts, now), DOC.expected.rfm[0])
})

test('events from a real webhook body build a profile found by every key', () => {
  const body = readFileSync(new URL('examples/data/demo/wa-01-ad-click.json', ROOT))
  const events = normalize('whatsapp', body, { receivedAt: new Date('2026-03-10T12:00:00Z') })
  const profiles = new ProfileSet({ interests: ['credito'] })
  let last = null
  for (const e of events) last = profiles.apply(e) ?? last
  assert.ok(last, 'the body has a contact')
  assert.ok(last.messages_in >= 1)
  for (const key of last.identities) assert.deepEqual(profiles.get(key), last)
  assert.equal(profiles.get('telegram:user:nobody'), null)
})

test('bad options, events and profiles throw invalid_json', () => {
  assert.throws(() => new ProfileSet({ intrests: ['typo'] }), { code: 'invalid_json' })
  assert.throws(() => new ProfileSet().apply({ kind: 'message' }), { code: 'invalid_json' })
  assert.throws(() => profileKeys('{not json'), { code: 'invalid_json' })
  assert.throws(() => rfmScore({}, {}, new Date()), { code: 'invalid_json' })
})
