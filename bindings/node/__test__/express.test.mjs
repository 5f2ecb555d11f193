// End to end: the Express example (examples/node-express/server.js) as a process, as it is
// deployed. A signed WhatsApp delivery and its redelivery reach it over HTTP; it answers
// 200 to both, handles the message once and replies once through a local stand-in for the
// Graph API. Without its secrets it refuses to start; it listens on loopback by default.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

const example = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/node-express')
const SECRET = 'express-e2e-app-secret'
const PHONE_ID = '106540352242922'

function graphStandIn() {
  const requests = []
  const waiters = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      requests.push({ path: req.url, body: JSON.parse(Buffer.concat(chunks).toString()) })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.BOT${requests.length}` }] }))
      waiters.splice(0).forEach((w) => w())
    })
  })
  const arrived = (n) => new Promise((resolve) => {
    const check = () => (requests.length >= n ? resolve() : waiters.push(check))
    check()
  })
  return { server, requests, arrived }
}

/** Starts server.js; resolves with its URL, a way to wait for a log line, and a stop. */
async function startExample(env) {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: example,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines = []
  const waiters = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    waiters.splice(0).forEach((w) => w())
  })
  const logged = (pred) => new Promise((resolve) => {
    const check = () => {
      const hit = lines.map((l) => { try { return JSON.parse(l) } catch { return null } }).find((o) => o && pred(o))
      hit ? resolve(hit) : waiters.push(check)
    }
    check()
  })
  const exited = once(child, 'exit')
  const first = await Promise.race([logged((o) => o.listening), exited.then(([code]) => ({ exited: code }))])
  return { child, first, logged, stop: () => { child.kill(); return exited } }
}

function whatsappBody(text, at) {
  const ts = Math.floor(at.getTime() / 1000)
  return Buffer.from(JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_ID },
      contacts: [{ profile: { name: 'Ana' }, wa_id: '5215512345678' }],
      messages: [{ from: '5215512345678', id: `wamid.E2E${ts}`, timestamp: String(ts), type: 'text', text: { body: text } }],
    } }] }],
  }))
}

const sign = (body) => 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex')

test('the Express example acknowledges, deduplicates a redelivery and replies once', { timeout: 60_000 }, async () => {
  const graph = graphStandIn()
  graph.server.listen(0, '127.0.0.1')
  await once(graph.server, 'listening')
  const app = await startExample({
    META_APP_SECRETS: SECRET,
    META_VERIFY_TOKEN: 'e2e-verify',
    ARICHAT_PHONE_NUMBER_ID: PHONE_ID,
    ARICHAT_WHATSAPP_TOKEN: 'EAAG-e2e-token',
    ARICHAT_API_BASE: `http://127.0.0.1:${graph.server.address().port}`,
    PORT: '0',
  })
  try {
    assert.ok(app.first.listening, JSON.stringify(app.first))
    assert.match(app.first.listening, /^http:\/\/127\.0\.0\.1:\d+$/, 'loopback by default')
    const body = whatsappBody('¿Cuánto cuesta el plan?', new Date())
    const post = (b, sig) => fetch(`${app.first.listening}/webhooks/whatsapp`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body: b,
    })
    assert.equal((await post(body, sign(body))).status, 200)
    assert.equal((await post(body, sign(body))).status, 200, 'a redelivery is acknowledged too')
    const dup = await app.logged((o) => o.duplicate)
    assert.match(dup.duplicate, /wamid\.E2E/)
    await graph.arrived(1)
    assert.equal(graph.requests.length, 1, 'one reply for two deliveries')
    assert.match(graph.requests[0].path, new RegExp(`/${PHONE_ID}/messages$`))
    assert.equal(graph.requests[0].body.to, '5215512345678')
    // A forged signature is refused before anything is handled.
    assert.equal((await post(body, 'sha256=' + '0'.repeat(64))).status, 403)
  } finally {
    await app.stop()
    graph.server.close()
  }
})

test('the Express example refuses to start without its secrets', { timeout: 60_000 }, async () => {
  const app = await startExample({ PORT: '0' })
  assert.equal(typeof app.first.exited, 'number', 'it exited')
  assert.notEqual(app.first.exited, 0)
})
