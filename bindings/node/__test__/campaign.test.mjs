// CampaignBundle against the shared vectors (tests/vectors/campaigns.json), and the
// CampaignCache reader against the redis-server test.sh starts (ARICHAT_REDIS_URL;
// skipped without it, except under CI=true).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { test } from 'node:test'

import { CampaignBundle, CampaignCache } from '../lib.js'
import { assertRejectsCode, assertThrowsCode, requiredEnv } from './helpers.mjs'

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../tests/vectors/campaigns.json', import.meta.url), 'utf8'),
)
const NOW = new Date(VECTORS.now)
const HOUR = 3600 * 1000

const REDIS = requiredEnv('ARICHAT_REDIS_URL')

const bundle = () => CampaignBundle.fromJson(JSON.stringify(VECTORS.bundle))

for (const c of VECTORS.cases) {
  test(`vectors: ${c.customer_id}`, () => {
    const b = bundle()
    assert.deepEqual(b.assign(c.customer_id, c.attributes, NOW), c.expected.assignments, c.note)
    assert.deepEqual(b.explain(c.customer_id, c.attributes, NOW), c.expected.explain)
  })
}

test('vectors: expiry and buckets', () => {
  const entry = bundle().assignSet('anyone', {}, NOW)
  assert.equal(Date.parse(entry.expires_at), Date.parse(VECTORS.expiry.expires_at))
  assert.equal(Date.parse(entry.stale_until), Date.parse(VECTORS.expiry.stale_until))
  // A bundle's seed cannot be empty: the empty-seed probe is Rust's alone.
  for (const p of VECTORS.buckets.filter((p) => p.seed)) {
    const b = CampaignBundle.fromJson(JSON.stringify({ version: '1', seed: p.seed, campaigns: [{ id: 'x' }] }))
    assert.equal(b.assign(p.customer_id, {}, NOW)[0].bucket, p.bucket)
  }
})

test('vectors: refused bundles', () => {
  for (const e of VECTORS.errors) {
    const err = assertThrowsCode(() => CampaignBundle.fromJson(JSON.stringify(e.bundle)), e.expected.code)
    if (e.expected.path) assert.ok(err.message.includes(e.expected.path), err.message)
  }
  assertThrowsCode(() => CampaignBundle.fromToml('version = "1"\n[[campaigns]]\nid = ""\n'), 'invalid_campaign')
})

test('attributes must be scalars', () => {
  assertThrowsCode(() => bundle().assign('x', { age: [1] }, NOW), 'invalid_json')
})

const SENIORS = 'version = "v1"\n[[campaigns]]\nid = "seniors"\neligibility = { field = "age", gte = 60 }\n'

test('cache: computes, serves cached, serves stale while revalidating', { skip: REDIS.skip }, async () => {
  const b = CampaignBundle.fromToml(SENIORS)
  const cache = new CampaignCache(REDIS.value, b, { prefix: `arichat-node-test:${randomUUID()}` })
  const reasons = (entry) => entry.assignments.map((a) => a.reason)
  const first = await cache.get('c-1', { age: 70 }, NOW)
  assert.deepEqual(reasons(first), ['targeting_match'])
  assert.equal(first.bundle_version, 'v1')
  assert.deepEqual(reasons(await cache.get('c-1', null, new Date(NOW.getTime() + 23 * HOUR))), ['cached'])
  const grace = new Date(NOW.getTime() + 25 * HOUR)
  assert.deepEqual(reasons(await cache.get('c-1', { age: 70 }, grace)), ['stale'])
  assert.deepEqual(reasons(await cache.get('c-1', null, grace)), ['cached'])
  assert.equal(await cache.get('nobody', null, NOW), null)
})

test('cache: getOrLookup awaits the lookup only when the entry must be computed', { skip: REDIS.skip }, async () => {
  const b = CampaignBundle.fromToml(SENIORS)
  const cache = new CampaignCache(REDIS.value, b, { prefix: `arichat-node-test:${randomUUID()}` })
  const asked = []
  const lookup = async (id) => {
    asked.push(id)
    await new Promise((resolve) => setTimeout(resolve, 5))
    return id === 'c-1' ? { age: 70 } : null
  }
  const reasons = (entry) => entry.assignments.map((a) => a.reason)
  assert.deepEqual(reasons(await cache.getOrLookup('c-1', lookup, NOW)), ['targeting_match'])
  assert.deepEqual(asked, ['c-1'])
  // Fresh: served without asking again, the same answer get() gives.
  const later = new Date(NOW.getTime() + 23 * HOUR)
  assert.deepEqual(reasons(await cache.getOrLookup('c-1', lookup, later)), ['cached'])
  assert.deepEqual(await cache.get('c-1', null, later), await cache.getOrLookup('c-1', lookup, later))
  assert.deepEqual(asked, ['c-1'])
  // Expired: asked again, the stale copy served while the new one is written.
  assert.deepEqual(reasons(await cache.getOrLookup('c-1', lookup, new Date(NOW.getTime() + 25 * HOUR))), ['stale'])
  assert.deepEqual(asked, ['c-1', 'c-1'])
  // Unknown customer: the lookup resolves null, nothing is stored.
  assert.equal(await cache.getOrLookup('nobody', lookup, NOW), null)
  // A rejecting lookup rejects getOrLookup with its error; bad attributes are invalid_json.
  await assert.rejects(cache.getOrLookup('c-2', async () => { throw new Error('db down') }, NOW), /db down/)
  await assertRejectsCode(cache.getOrLookup('c-3', async () => ({ age: [1] }), NOW), 'invalid_json')
  // A bad `now` throws before anything is asked, as get() does.
  assert.throws(() => cache.getOrLookup('c-4', lookup, new Date(NaN)), { code: 'InvalidArg', message: /now must be a valid Date/ })
  assert.throws(() => cache.get('c-4', null, new Date(NaN)), { code: 'InvalidArg', message: /now must be a valid Date/ })
  assert.deepEqual(asked, ['c-1', 'c-1', 'nobody'])
})

test('cache: a closed port is store_unavailable; a bad policy unknown_variant', { skip: REDIS.skip }, async () => {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  const err = assertThrowsCode(
    () => new CampaignCache(`redis://:hunter2secret@127.0.0.1:${port}/0`, bundle()),
    'store_unavailable',
  )
  assert.ok(!err.message.includes('hunter2secret'))
  assertThrowsCode(() => new CampaignCache(REDIS.value, bundle(), { onUnavailable: 'ignore' }), 'unknown_variant')
})

test('cache: Redis going away rejects with store_unavailable', { skip: process.env.ARICHAT_REDIS_SERVER ? undefined : 'ARICHAT_REDIS_SERVER is not set' }, async () => {
  const { spawn } = await import('node:child_process')
  const { setTimeout: sleep } = await import('node:timers/promises')
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address()
  probe.close()
  const child = spawn(process.env.ARICHAT_REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  try {
    const url = `redis://127.0.0.1:${port}/0`
    let cache
    for (let i = 0; i < 200 && !cache; i++) {
      try { cache = new CampaignCache(url, CampaignBundle.fromToml(SENIORS)) } catch { await sleep(25) }
    }
    assert.ok(cache, 'private redis-server answered')
    await cache.get('c-1', { age: 70 }, NOW)
    child.kill('SIGKILL')
    await once(child, 'exit')
    await assert.rejects(cache.get('c-1', { age: 70 }, NOW), (err) => err instanceof Error && err.code === 'store_unavailable')
  } finally {
    child.kill('SIGKILL')
  }
})
