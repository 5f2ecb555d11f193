// The agent inbox end to end in a real headless Chromium (Debian's, driven by
// playwright-core): `node server.js` on a free port with a real redis-server, Telegram
// replaced by a local mock of its Bot API. A webhook POST must show on the page, the
// queue must rank a buyer above a greeting with the badges arichat computed, and a
// reply typed in the box must reach the mock with the right chat and text.
//
// Needs ARICHAT_REDIS_URL (scripts/redis-server.sh) and ARICHAT_CHROMIUM
// (scripts/chromium.sh); test.sh sets both. Without Chromium the test is skipped,
// unless ARICHAT_REQUIRE_CHROMIUM=1, where it fails.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before, test } from 'node:test'

const require = createRequire(import.meta.url)
const { classify, reviewFlag } = require('arichat')
const { startMockTelegram } = require('../mock-telegram.js')

const HERE = new URL('..', import.meta.url).pathname
const OUT = new URL('../../../target/agent-inbox/', import.meta.url).pathname
const BOT_TOKEN = '7012345678:AAH-inbox-test-token'
const SECRET = 'inbox-test-secret-5521'
const LATENCY_SAMPLES = 50
const STREAM = `arichat:inbox-test:${process.pid}:${Date.now()}`

const chromium = process.env.ARICHAT_CHROMIUM
const redisUrl = process.env.REDIS_URL || process.env.ARICHAT_REDIS_URL
const required = process.env.ARICHAT_REQUIRE_CHROMIUM === '1'
const skip = !chromium && !required ? 'ARICHAT_CHROMIUM is not set (see scripts/chromium.sh)' : false

let mock, server, baseUrl, browser, page
const pageErrors = []
let updateId = 500

/** Starts `node server.js` and resolves to its URL, read from its first log line. */
function startServer(env) {
  const child = spawn(process.execPath, ['server.js'], { cwd: HERE, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c) => (stderr += c))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
      const m = out.match(/agent inbox on (http:\/\/\S+)/)
      if (m) resolve({ child, url: m[1], stderr: () => stderr })
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)))
  })
}

/** A Telegram update with a private text message from `user`. */
function update(user, name, text) {
  updateId += 1
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private', first_name: name },
      from: { id: user, is_bot: false, first_name: name },
      text,
    },
  }
}

/** POSTs an update; `secret` null sends no secret-token header. */
async function postWebhook(body, secret = SECRET) {
  const headers = { 'content-type': 'application/json' }
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret
  const res = await fetch(`${baseUrl}/webhooks/telegram`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return res.status
}

const item = (name) => page.locator('#conversations li', { hasText: name })

before(async () => {
  if (skip) return
  assert.ok(chromium, 'ARICHAT_REQUIRE_CHROMIUM=1 but ARICHAT_CHROMIUM is not set: run scripts/chromium.sh')
  assert.ok(redisUrl, 'set ARICHAT_REDIS_URL or REDIS_URL: run scripts/redis-server.sh start')
  mock = await startMockTelegram()
  server = await startServer({
    ...process.env,
    PORT: '0',
    REDIS_URL: redisUrl,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_SECRET_TOKEN: SECRET,
    TELEGRAM_API_BASE: mock.base,
    INBOX_STREAM: STREAM,
  })
  baseUrl = server.url
  const { chromium: launcher } = await import('playwright-core')
  browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] })
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  await page.goto(baseUrl)
  await page.locator('#status', { hasText: 'live' }).waitFor()
})

after(async () => {
  await browser?.close()
  if (server) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve))
    server.child.kill('SIGTERM')
    await exited
  }
  await mock?.close()
})

test('a webhook with the wrong secret token is refused and shows nothing', { skip }, async () => {
  assert.equal(await postWebhook(update(999, 'Mallory', 'hola'), 'not-the-secret'), 403)
  assert.equal(await postWebhook(update(999, 'Mallory', 'hola'), null), 403)
  assert.equal(await postWebhook('{not json'), 400)
  assert.equal(await item('Mallory').count(), 0)
})

test('a message posted to the webhook appears on the page within a second', { skip }, async () => {
  assert.equal(await postWebhook(update(111, 'Ana', 'hola, buenas tardes')), 200)
  await item('Ana').waitFor({ timeout: 1000 })
  assert.match(await item('Ana').locator('.preview').textContent(), /hola, buenas tardes/)
})

test('a buyer ranks above a greeting, with grade, intent and flag badges', { skip }, async () => {
  const buyer = 'quiero comprar el plan premium hoy, ¿cómo pago?'
  assert.equal(classify(buyer).primary, 'purchase_intent', 'the fixture text reads as a purchase')
  assert.equal(await postWebhook(update(222, 'Bruno', buyer)), 200)
  await item('Bruno').waitFor({ timeout: 1000 })
  const names = await page.locator('#conversations li .name').allTextContents()
  assert.deepEqual(names.slice(0, 2), ['Bruno', 'Ana'])

  const badges = async (name, kind) => item(name).locator(`[data-badge="${kind}"]`).allTextContents()
  assert.deepEqual(await badges('Bruno', 'intent'), ['purchase intent'])
  assert.deepEqual(await badges('Ana', 'intent'), [classify('hola, buenas tardes').primary.replace(/_/g, ' ')])
  const [buyerGrade] = await badges('Bruno', 'grade')
  const [greetingGrade] = await badges('Ana', 'grade')
  assert.match(buyerGrade, /^[ABCD]$/)
  assert.ok(buyerGrade < greetingGrade, `buyer graded ${buyerGrade}, greeting ${greetingGrade}`)
  assert.deepEqual(await badges('Ana', 'flag'), [])

  // A message that may ask to stop contact carries the review flag.
  const maybeStop = 'me tienen cansado con tanto mensaje'
  assert.ok(reviewFlag(maybeStop, new Date()), 'the fixture text reads as a possible opt-out')
  assert.equal(await postWebhook(update(333, 'Carla', maybeStop)), 200)
  await item('Carla').waitFor({ timeout: 1000 })
  assert.deepEqual(await badges('Carla', 'flag'), ['possible opt out'])
  assert.deepEqual(await badges('Bruno', 'flag'), [])
})

test('the thread and profile show, and a typed reply reaches the Telegram API', { skip }, async () => {
  await item('Ana').click()
  await page.locator('#thread li', { hasText: 'hola, buenas tardes' }).waitFor()
  await page.locator('#profile dd', { hasText: 'telegram:user:111' }).waitFor()

  const reply = '¡Hola Ana! ¿En qué te puedo ayudar?'
  await page.locator('#reply-text').fill(reply)
  await page.locator('#reply-text').press('Enter')
  await page.locator('#thread li.agent', { hasText: reply }).waitFor()
  const sent = mock.requests.filter((r) => r.method === 'sendMessage')
  assert.equal(sent.length, 1)
  assert.equal(sent[0].path, `/bot${BOT_TOKEN}/sendMessage`)
  assert.equal(String(sent[0].body.chat_id), '111')
  assert.equal(sent[0].body.text, reply)
  // The box empties when the server acknowledges the send, which may come just after
  // the agent's message reaches the thread over the socket.
  await page.waitForFunction(() => document.getElementById('reply-text').value === '', null, { timeout: 2000 })
  assert.ok(await page.locator('#reply-error').isHidden())
  // The profile counts the answer: one message in, one out.
  await page.locator('#profile dd[data-field="Messages in / out"]', { hasText: '1 / 1' }).waitFor()

  mkdirSync(OUT, { recursive: true })
  await page.screenshot({ path: `${OUT}inbox.png`, fullPage: true })
})

test('latency from webhook to page, logged (not asserted)', { skip }, async (t) => {
  await item('Bruno').click()
  await page.locator('#thread li', { hasText: 'quiero comprar' }).waitFor()
  const total = []
  const webhook = []
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const text = `probe ${i} ${Date.now()}`
    const t0 = performance.now()
    assert.equal(await postWebhook(update(222, 'Bruno', text)), 200)
    webhook.push(performance.now() - t0)
    await page.locator('#thread li', { hasText: text }).waitFor({ timeout: 1000 })
    total.push(performance.now() - t0)
  }
  const pct = (xs, q) => {
    const sorted = [...xs].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(1)
  }
  const line =
    `webhook -> page latency over ${total.length} messages: p50 ${pct(total, 0.5)} ms, p99 ${pct(total, 0.99)} ms ` +
    `(of which the webhook's answer, published to the stream: p50 ${pct(webhook, 0.5)} ms, p99 ${pct(webhook, 0.99)} ms)`
  t.diagnostic(line)
})

test('the subscriber acknowledged every entry it read', { skip }, async () => {
  const { EventStream } = require('arichat')
  // The inbox's own group, seen from another consumer: nothing left pending.
  const probe = new EventStream(redisUrl, STREAM, { group: 'agent-inbox', consumer: 'probe', blockMs: 1 })
  let pending = await probe.pending()
  for (let i = 0; i < 100 && pending > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    pending = await probe.pending()
  }
  assert.equal(pending, 0)
})

test('the page logged no console errors', { skip }, () => {
  assert.deepEqual(pageErrors, [])
})
