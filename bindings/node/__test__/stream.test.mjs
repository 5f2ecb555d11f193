// EventStream against the redis-server test.sh starts (ARICHAT_REDIS_URL; skipped
// without it, except under CI=true): CloudEvents of a real webhook body published,
// read back as one consumer of a group, acknowledged; a second consumer claims what a
// first left unacknowledged.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'

import { EventStream, normalizeCloudevents } from '../lib.js'
import { requiredEnv } from './helpers.mjs'

const URL_ENV = requiredEnv('ARICHAT_REDIS_URL')
const DEMO = new URL('../../../examples/data/demo/', import.meta.url)

function cloudevents() {
  const out = []
  for (const f of ['wa-01-ad-click.json', 'tg-01-price.json', 'fb-01-price.json']) {
    let body
    try {
      body = readFileSync(new URL(f, DEMO))
    } catch {
      continue
    }
    const channel = { wa: 'whatsapp', tg: 'telegram', fb: 'messenger' }[f.slice(0, 2)]
    out.push(...normalizeCloudevents(channel, body, { account: '7012345678' }))
  }
  assert.ok(out.length >= 1, 'demo bodies give events')
  return out
}

test('published CloudEvents come back in order, acknowledged ones leave pending', { skip: URL_ENV.skip }, async () => {
  const name = `arichat-node-test:${randomUUID()}`
  const bus = new EventStream(URL_ENV.value, name, { group: 'inbox', consumer: 'n1', blockMs: 50 })
  const sent = cloudevents()
  const ids = await bus.publish(sent)
  assert.equal(ids.length, sent.length)
  const got = await bus.read()
  assert.deepEqual(got.map((d) => d.entry_id), ids)
  assert.deepEqual(got.map((d) => d.event), sent)
  assert.deepEqual(got.map((d) => d.event_id), sent.map((e) => e.id))
  assert.equal(await bus.pending(), sent.length)
  assert.equal(await bus.ack(ids), sent.length)
  assert.equal(await bus.pending(), 0)
  assert.deepEqual(await bus.read(), [])
})

test('another consumer claims what one left unacknowledged', { skip: URL_ENV.skip }, async () => {
  const name = `arichat-node-test:${randomUUID()}`
  const options = { group: 'inbox', blockMs: 20, claimAfterMs: 100 }
  const first = new EventStream(URL_ENV.value, name, { ...options, consumer: 'gone' })
  const second = new EventStream(URL_ENV.value, name, { ...options, consumer: 'alive' })
  const sent = cloudevents()
  await first.publish(sent)
  assert.equal((await first.read()).length, sent.length) // read, never acknowledged
  await sleep(250)
  const claimed = await second.read()
  assert.equal(claimed.length, sent.length)
  assert.ok(claimed.every((d) => d.redelivered))
  await second.ack(claimed.map((d) => d.entry_id))
  assert.equal(await second.pending(), 0)
})

test('bad input is refused with a code, and the URL is never in an error', async () => {
  assert.throws(() => new EventStream('redis://:s3cret@127.0.0.1:1/0', ''), (e) => e.code === 'invalid_config' && !e.message.includes('s3cret'))
  assert.throws(() => new EventStream('redis://:s3cret@127.0.0.1:1/0', 's'), (e) => e.code === 'store_unavailable' && !e.message.includes('s3cret'))
  if (URL_ENV.skip) return
  const bus = new EventStream(URL_ENV.value, `arichat-node-test:${randomUUID()}`)
  assert.throws(() => bus.publish([{ id: 'x' }]), { code: 'invalid_cloudevent' })
})
