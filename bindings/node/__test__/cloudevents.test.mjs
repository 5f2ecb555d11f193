// CloudEvents from Node (bindings/node/src/cloudevents.rs, normalizeCloudevents): the
// envelopes of every normalize vector, and each transport shape read back.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import {
  cloudeventFromHttp,
  cloudeventFromPubsubPush,
  cloudeventToHttp,
  cloudeventsToPubsub,
  derivedCloudevent,
  normalize,
  normalizeCloudevents,
} from '../lib.js'

const ROOT = new URL('../../../', import.meta.url)
const VECTORS = JSON.parse(readFileSync(new URL('tests/vectors/normalize.json', ROOT), 'utf8'))
const T0 = new Date('2026-03-10T12:00:00Z')

function cloudevents() {
  const out = []
  for (const c of VECTORS.cases) {
    const body = c.body_file ? readFileSync(new URL(c.body_file, ROOT)) : Buffer.from(c.body)
    try {
      out.push(...normalizeCloudevents(c.channel, body, { receivedAt: T0, account: c.account }))
    } catch (e) {
      assert.ok(typeof e.code === 'string', String(e))
    }
  }
  return out
}
const ALL = cloudevents()

test('every envelope is a CloudEvent 1.0 named after its event', () => {
  assert.ok(ALL.length >= 20)
  for (const ce of ALL) {
    assert.equal(ce.specversion, '1.0')
    assert.equal(ce.id, ce.data.idempotency_key)
    assert.equal(ce.type, `com.arichat.${ce.data.kind}.v1`)
    assert.equal(ce.source, `/${ce.data.channel}/${ce.data.channel_account_id}`)
    assert.equal(ce.channel, ce.data.channel)
    for (const key of Object.keys(ce)) assert.match(key, /^([a-z0-9]{1,20}|data)$/)
  }
  const wa = ALL.find((ce) => ce.id === 'whatsapp:106540352242922:msg:wamid.demo.01')
  assert.equal(wa.partitionkey, 'whatsapp:106540352242922:573001234567')
})

test('derived events keep their cause and derive their id from it', () => {
  const body = readFileSync(new URL('examples/data/demo/wa-01-ad-click.json', ROOT))
  const [cause] = normalize('whatsapp', body, { receivedAt: T0 })
  const [message] = normalizeCloudevents('whatsapp', body, { receivedAt: T0 })
  const score = { total: 61.5, grade: 'B' }
  for (const kind of ['lead.status_changed', 'lead.scored', 'consent.changed', 'conversation.flagged']) {
    const ce = derivedCloudevent(kind, cause, score, 'lead-7')
    assert.equal(ce.specversion, '1.0')
    assert.equal(ce.type, `com.arichat.${kind}.v1`)
    assert.equal(ce.id, `${cause.idempotency_key}:${kind}`)
    for (const same of ['source', 'subject', 'time', 'partitionkey', 'channel']) assert.equal(ce[same], message[same], same)
    assert.equal(ce.lead, 'lead-7')
    assert.deepEqual(ce.data, score)
    for (const key of Object.keys(ce)) assert.match(key, /^([a-z0-9]{1,20}|data)$/)
  }
  const again = derivedCloudevent('lead.scored', JSON.stringify(cause), score)
  assert.equal(again.id, `${cause.idempotency_key}:lead.scored`)
  assert.equal(again.lead, undefined)
  assert.throws(() => derivedCloudevent('lead.deleted', cause, score), { code: 'unknown_variant' })
  assert.throws(() => derivedCloudevent('lead.scored', { kind: 'message' }, score), { code: 'invalid_json' })
})

test('pubsub publish and push bodies read back', () => {
  const publish = cloudeventsToPubsub(ALL)
  assert.equal(publish.messages.length, ALL.length)
  publish.messages.forEach((message, i) => {
    assert.equal(message.attributes['ce-id'], ALL[i].id)
    assert.equal(message.orderingKey, ALL[i].partitionkey)
    assert.deepEqual(JSON.parse(Buffer.from(message.data, 'base64')), ALL[i].data)
    const push = { message: { ...message, messageId: '1', publishTime: '2026-03-10T12:00:01Z' }, subscription: 'projects/acme/subscriptions/inbox' }
    assert.deepEqual(cloudeventFromPubsubPush(Buffer.from(JSON.stringify(push))), ALL[i])
  })
})

test('HTTP binary mode reads back', () => {
  for (const ce of ALL) {
    const { headers, body } = cloudeventToHttp(ce)
    assert.equal(headers['ce-id'], ce.id)
    assert.equal(headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(body), ce.data)
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]))
    assert.deepEqual(cloudeventFromHttp(upper, body), ce)
  }
})

test('bad envelopes are typed errors', () => {
  assert.throws(() => cloudeventFromPubsubPush('{"message": {"data": "%%%"}}'), (e) => e.code === 'invalid_cloudevent')
  assert.throws(() => cloudeventToHttp({ id: '1', source: '/x', specversion: '0.3', type: 't' }), (e) => e.code === 'unsupported_specversion')
  assert.throws(() => cloudeventFromHttp({ 'ce-id': '1' }, ''), (e) => e.code === 'invalid_cloudevent')
})
