// MemoryIdempotencyStore (bindings/node/src/dedup_memory.rs): the core's in-process set.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { MemoryIdempotencyStore } from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

const t0 = new Date('2026-12-03T08:00:00Z')
const later = (seconds) => new Date(t0.getTime() + seconds * 1000)

test('a key is new once, a redelivery within the TTL is not, after the TTL it is new again', () => {
  const store = new MemoryIdempotencyStore(100, 60)
  assert.equal(store.checkAndInsert('whatsapp:wamid.1', t0), true)
  assert.equal(store.checkAndInsert('whatsapp:wamid.1', later(30)), false)
  assert.equal(store.checkAndInsert('whatsapp:wamid.2', later(30)), true)
  assert.equal(store.size, 2)
  assert.equal(store.checkAndInsert('whatsapp:wamid.1', later(61)), true)
})

test('at capacity the oldest key leaves first', () => {
  const store = new MemoryIdempotencyStore(2)
  for (const k of ['a', 'b', 'c']) assert.equal(store.checkAndInsert(k, t0), true)
  assert.equal(store.size, 2)
  assert.equal(store.checkAndInsert('c', t0), false)
  assert.equal(store.checkAndInsert('a', t0), true, 'a was evicted')
})

test('a TTL that is not a number of seconds >= 0 is invalid_config, not the default', () => {
  for (const bad of [-1, NaN, Infinity, 1e20]) {
    assertThrowsCode(() => new MemoryIdempotencyStore(10, bad), 'invalid_config', /ttlSeconds/)
  }
  // Past chrono's range (std takes it, chrono does not): kept, as forever.
  const store = new MemoryIdempotencyStore(10, 1e17)
  assert.equal(store.checkAndInsert('k', t0), true)
  assert.equal(store.checkAndInsert('k', later(1e9)), false)
})
