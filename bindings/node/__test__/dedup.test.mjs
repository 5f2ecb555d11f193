// RedisIdempotencyStore against a real redis-server. test.sh (through
// scripts/redis-server.sh) starts one on loopback and exports ARICHAT_REDIS_URL and
// ARICHAT_REDIS_SERVER. Without them these tests skip, except under CI=true, where
// they fail.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'

import { normalize, RedisIdempotencyStore, StoreUnavailableError, StoreHistoryLostError } from '../lib.js'
import { assertRejectsCode, assertThrowsCode, freePort, requiredEnv } from './helpers.mjs'

const DEMO = new URL('../../../examples/data/demo/', import.meta.url)
const ENTRY = new URL('../lib.js', import.meta.url)


const URL_ENV = requiredEnv('ARICHAT_REDIS_URL')
const SERVER_ENV = requiredEnv('ARICHAT_REDIS_SERVER')
const REDIS_URL = URL_ENV.value
const prefix = () => `arichat-node-test:${randomUUID()}:`
const passwordOf = (url) => url.slice('redis://'.length).split('@')[0].split(':').pop()

// One worker process: reads its deliveries on stdin, says "ready", waits for "go",
// then normalizes every body and prints the keys it applied.
const WORKER = `
const { normalize, RedisIdempotencyStore } = require(process.argv[1])
const { readFileSync } = require('node:fs')
const readline = require('node:readline')
const lines = readline.createInterface({ input: process.stdin })
const queue = []
let waiting
lines.on('line', (l) => (waiting ? (waiting(l), (waiting = null)) : queue.push(l)))
const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => (waiting = r)))
;(async () => {
  const { url, prefix, now, bot, order } = JSON.parse(await next())
  const store = new RedisIdempotencyStore(url, { prefix })
  const bodies = order.map(([channel, path]) => [channel, readFileSync(path)])
  console.log('ready')
  await next()
  const applied = []
  let duplicates = 0
  for (const [channel, body] of bodies) {
    for (const event of normalize(channel, body, { receivedAt: new Date(now), account: bot })) {
      if (await store.checkAndInsertEvent(event)) applied.push(event.idempotency_key)
      else duplicates += 1
    }
  }
  console.log(JSON.stringify({ applied, duplicates }))
  lines.close()
})()
`

function startWorker() {
  const child = spawn(process.execPath, ['-e', WORKER, new URL(ENTRY).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  const lines = []
  const waiters = []
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    out += chunk
    let i
    while ((i = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, i)
      out = out.slice(i + 1)
      if (waiters.length) waiters.shift()(line)
      else lines.push(line)
    }
  })
  const readLine = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiters.push(r)))
  return { child, readLine }
}

test('two worker processes apply each redelivered event exactly once', { skip: URL_ENV.skip }, async () => {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', DEMO), 'utf8'))
  const bot = manifest.accounts.telegram
  const hooks = manifest.webhooks.map((h) => [h.channel, new URL(h.file, DEMO).pathname])
  const events = hooks.flatMap(([channel, path]) => normalize(channel, readFileSync(path), { account: bot }))
  const expected = new Set(events.map((e) => e.idempotency_key))
  assert.ok(events.length > expected.size, 'the samples include a redelivery')

  const REDELIVERIES = 10
  const order = Array.from({ length: hooks.length * REDELIVERIES }, (_, i) => hooks[i % hooks.length])
  const p = prefix()
  const workers = [startWorker(), startWorker()]
  try {
    workers.forEach((w, i) => {
      const mine = i === 0 ? order : [...order].reverse()
      w.child.stdin.write(JSON.stringify({ url: REDIS_URL, prefix: p, now: manifest.now, bot, order: mine }) + '\n')
    })
    for (const w of workers) assert.equal(await w.readLine(), 'ready')
    for (const w of workers) w.child.stdin.write('go\n') // both race from here
    const results = await Promise.all(workers.map(async (w) => JSON.parse(await w.readLine())))
    const counts = new Map()
    for (const key of results.flatMap((r) => r.applied)) counts.set(key, (counts.get(key) ?? 0) + 1)
    assert.deepEqual(new Set(counts.keys()), expected, 'every event is applied')
    assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], 'no event is applied twice')
    const duplicates = results.reduce((sum, r) => sum + r.duplicates, 0)
    assert.equal(duplicates + counts.size, 2 * REDELIVERIES * events.length)
  } finally {
    for (const w of workers) w.child.kill()
  }
})

test('checkAndInsert, checkAndInsertEvent, forget and prefixes', { skip: URL_ENV.skip }, async () => {
  const p = prefix()
  const store = new RedisIdempotencyStore(REDIS_URL, { prefix: p })
  assert.equal(store.prefix, p)
  assert.equal(store.ttlSeconds, 604800)
  assert.equal(await store.checkAndInsert('telegram:bot:1'), true)
  assert.equal(await store.checkAndInsert('telegram:bot:1'), false)
  const other = await RedisIdempotencyStore.connect(REDIS_URL, { prefix: p })
  assert.ok(other instanceof RedisIdempotencyStore)
  assert.equal(await other.checkAndInsert('telegram:bot:1'), false, 'shared through Redis')
  const tenant2 = new RedisIdempotencyStore(REDIS_URL, { prefix: p + 'tenant2:' })
  assert.equal(await tenant2.checkAndInsert('telegram:bot:1'), true)
  assert.equal(await store.forget('telegram:bot:1'), true)
  assert.equal(await store.forget('telegram:bot:1'), false)
  assert.equal(await other.checkAndInsert('telegram:bot:1'), true)

  const event = { idempotency_key: 'whatsapp:PN:msg:wamid.X', kind: 'message' }
  assert.equal(await store.checkAndInsertEvent(event), true)
  assert.equal(await other.checkAndInsertEvent(event), false)
  // Concurrent calls for one key: exactly one is new.
  const racing = await Promise.all([1, 2, 3, 4].map(() => store.checkAndInsert('race')))
  assert.deepEqual(racing.filter(Boolean).length, 1)
  assertThrowsCode(() => store.checkAndInsertEvent({ kind: 'message' }), 'InvalidArg', /idempotency_key/)
  const pending = store.checkAndInsert('telegram:bot:2')
  assert.ok(pending instanceof Promise)
  assert.equal(await pending, true)
})

test('keys expire after the TTL', { skip: URL_ENV.skip }, async () => {
  const store = new RedisIdempotencyStore(REDIS_URL, { prefix: prefix(), ttlSeconds: 0.3 })
  assert.equal(await store.checkAndInsert('k'), true)
  assert.equal(await store.checkAndInsert('k'), false)
  // SET NX does not refresh a held key, so polling ends once Redis expires it.
  let expired = false
  for (let i = 0; i < 200 && !expired; i++) {
    expired = await store.checkAndInsert('k')
    if (!expired) await sleep(50)
  }
  assert.ok(expired, 'the key never expired')
  assert.equal(await store.checkAndInsert('k'), false)
})

test('toString and errors never show the password', { skip: URL_ENV.skip }, async () => {
  const password = passwordOf(REDIS_URL)
  const store = new RedisIdempotencyStore(REDIS_URL, { prefix: prefix() })
  assert.ok(!String(store).includes(password), String(store))
  assert.match(String(store), /127\.0\.0\.1:\d+/)

  const wrong = REDIS_URL.replace(password, 'not-the-password-77')
  const err = assertThrowsCode(() => new RedisIdempotencyStore(wrong), 'store_unavailable')
  assert.ok(!err.message.includes('not-the-password-77'), err.message)

  const port = await freePort()
  const closed = assertThrowsCode(
    () => new RedisIdempotencyStore(`redis://:hunter2secret@127.0.0.1:${port}/0`),
    'store_unavailable',
  )
  assert.ok(closed.message.includes(`127.0.0.1:${port}`), closed.message)
  assert.ok(!closed.message.includes('hunter2secret'), closed.message)
  assert.ok(closed instanceof StoreUnavailableError)
  const rejected = await assertRejectsCode(
    RedisIdempotencyStore.connect(`redis://:hunter2secret@127.0.0.1:${port}/0`),
    'store_unavailable',
  )
  assert.ok(rejected instanceof StoreUnavailableError)
  assert.ok(!rejected.message.includes('hunter2secret'), rejected.message)

  assertThrowsCode(() => new RedisIdempotencyStore('http://:pw@host/'), 'invalid_config')
  assertThrowsCode(() => new RedisIdempotencyStore(REDIS_URL, { ttlSeconds: 0 }), 'invalid_config')
})

test('Redis going away throws store_unavailable, not a duplicate', { skip: SERVER_ENV.skip }, async () => {
  const port = await freePort()
  const password = 'private-pw-4242'
  const server = spawn(
    SERVER_ENV.value,
    ['--bind', '127.0.0.1', '--port', String(port), '--requirepass', password, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const url = `redis://:${password}@127.0.0.1:${port}/0`
  try {
    let store
    for (let i = 0; i < 200 && !store; i++) {
      try {
        store = new RedisIdempotencyStore(url, { prefix: 'going-away:', connectTimeoutSeconds: 0.5, ioTimeoutSeconds: 0.5 })
      } catch (err) {
        assert.equal(err.code, 'store_unavailable')
        await sleep(25)
      }
    }
    assert.ok(store, 'private redis-server never answered')
    assert.equal(await store.checkAndInsert('a'), true)
    server.kill('SIGKILL')
    await once(server, 'exit')
    for (const key of ['a', 'b']) {
      const err = await assertRejectsCode(store.checkAndInsert(key), 'store_unavailable')
      assert.ok(err instanceof StoreUnavailableError)
      assert.ok(!err.message.includes(password), err.message)
    }
    await assertRejectsCode(store.checkAndInsertEvent({ idempotency_key: 'b' }), 'store_unavailable')
  } finally {
    server.kill('SIGKILL')
  }
})

async function startPrivate(port, password) {
  const server = spawn(
    SERVER_ENV.value,
    ['--bind', '127.0.0.1', '--port', String(port), '--requirepass', password, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const url = `redis://:${password}@127.0.0.1:${port}/0`
  for (let i = 0; i < 200; i++) {
    try {
      new RedisIdempotencyStore(url, { prefix: 'probe:' })
      return server
    } catch (err) {
      assert.equal(err.code, 'store_unavailable')
      await sleep(25)
    }
  }
  server.kill('SIGKILL')
  throw new Error('private redis-server never answered')
}

test('a restarted Redis without persistence throws store_history_lost', { skip: SERVER_ENV.skip }, async () => {
  const port = await freePort()
  const password = 'private-pw-4242'
  const url = `redis://:${password}@127.0.0.1:${port}/0`
  let server = await startPrivate(port, password)
  try {
    const opts = { prefix: 'restart:', connectTimeoutSeconds: 0.5, ioTimeoutSeconds: 0.5 }
    const strict = new RedisIdempotencyStore(url, opts)
    const lenient = new RedisIdempotencyStore(url, { ...opts, onHistoryLost: 'reset' })
    assert.equal(await strict.checkAndInsert('a'), true)
    assert.equal(await lenient.checkAndInsert('a'), false)
    server.kill('SIGKILL')
    await once(server, 'exit')
    server = await startPrivate(port, password)

    // The first call may find the old connection dead; the next one reconnects.
    let err
    for (let i = 0; i < 2; i++) {
      try {
        await strict.checkAndInsert('a')
        assert.fail('history lost')
      } catch (e) {
        err = e
      }
    }
    assert.equal(err.code, 'store_history_lost', err.message)
    assert.ok(err instanceof StoreHistoryLostError)
    assert.ok(!err.message.includes(password), err.message)

    let again
    try {
      again = await lenient.checkAndInsert('a')
    } catch (e) {
      assert.equal(e.code, 'store_unavailable')
      again = await lenient.checkAndInsert('a')
    }
    assert.equal(again, true) // applied a second time, as onHistoryLost: 'reset' says
    assert.equal(lenient.historyLosses, 1)
    assert.equal(strict.historyLosses, 0)
  } finally {
    server.kill('SIGKILL')
  }
})

test('onHistoryLost is parsed in Rust', { skip: URL_ENV.skip }, () => {
  const err = assertThrowsCode(() => new RedisIdempotencyStore(REDIS_URL, { onHistoryLost: 'ignore' }), 'unknown_variant')
  assert.ok(err.message.includes('error, reset'), err.message)
})

test('connect and calls leave the event loop free while Redis is silent', async () => {
  // A server that accepts connections and never answers: connecting must wait for
  // the timeout off the event loop, so a macrotask queued now runs first.
  const sockets = new Set()
  const silent = createServer((socket) => sockets.add(socket))
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  try {
    const url = `redis://127.0.0.1:${silent.address().port}/0`
    let settled = false
    const connecting = RedisIdempotencyStore.connect(url, { connectTimeoutSeconds: 1, ioTimeoutSeconds: 1 })
    connecting.then(
      () => (settled = true),
      () => (settled = true),
    )
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(settled, false, 'connect settled before the event loop turned')
    const err = await assertRejectsCode(connecting, 'store_unavailable')
    assert.ok(err instanceof StoreUnavailableError)
  } finally {
    for (const socket of sockets) socket.destroy()
    silent.close()
  }
})
