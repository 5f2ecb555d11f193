// The LLM intent cascade against a local OpenAI-compatible server (node:http): the
// LLM's answer when it gives one, with contact data masked in the request; the local
// answer when it fails, with the reason; the API key in no result.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { test } from 'node:test'

import { IntentCascade, classify } from '../lib.js'

const KEY = 'sk-node-test-key-5518'
// The built-in rules read this with some confidence below 1 and never report
// `uncertain`, so the tests escalate with `escalateBelow: 1`.
const TEXT = 'precio del plan? mi cel es +52 55 1234 5678'

/** A server answering every POST with `status` and `body` (JSON unless a string). */
async function serve(status, body) {
  const requests = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      requests.push({
        path: req.url,
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      })
      const raw = typeof body === 'string'
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(raw ? body : JSON.stringify(body))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${server.address().port}/v1`
  const close = () => new Promise((resolve) => server.close(resolve))
  return { baseUrl, requests, close }
}

const answering = (intent, confidence) => ({
  choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ intent, confidence }) } }],
})

test('the LLM answers an escalated message, masked, and the cache answers it again', async () => {
  const server = await serve(200, answering('purchase_intent', 0.91))
  try {
    const cascade = new IntentCascade({ baseUrl: server.baseUrl, model: 'intent-mini', apiKey: KEY, maxAttempts: 1, escalateBelow: 1 })
    const r = await cascade.classify('tenant-1', TEXT)
    assert.equal(r.source, 'llm')
    assert.equal(r.fallback ?? null, null)
    assert.equal(r.classification.primary, 'purchase_intent')
    const [m] = r.classification.intents
    assert.equal(TEXT.slice(m.start, m.end), m.evidence)
    assert.equal(server.requests.length, 1)
    const [req] = server.requests
    assert.equal(req.path, '/v1/chat/completions')
    assert.equal(req.authorization, `Bearer ${KEY}`)
    assert.equal(req.body.messages[1].content, 'precio del plan? mi cel es [phone]')
    assert.equal(req.body.response_format.json_schema.strict, true)
    const again = await cascade.classify('tenant-2', TEXT)
    assert.equal(again.source, 'cache')
    assert.equal(server.requests.length, 1)
  } finally {
    await server.close()
  }
})

test('a failing server leaves the local answer, with the reason and no key', async () => {
  const server = await serve(500, `upstream down, key ${KEY}`)
  try {
    const cascade = new IntentCascade({
      baseUrl: server.baseUrl, model: 'intent-mini', apiKey: KEY, maxAttempts: 2, retryBaseDelayMs: 10, escalateBelow: 1,
    })
    const r = await cascade.classify('tenant-1', TEXT)
    assert.equal(r.source, 'local')
    assert.deepEqual(r.classification, classify(TEXT))
    assert.equal(r.fallback.code, 'temporary_failure')
    assert.ok(!JSON.stringify(r).includes(KEY), JSON.stringify(r))
    assert.equal(server.requests.length, 2)
  } finally {
    await server.close()
  }
})

test('an invented label leaves the local answer; a spent budget sends nothing', async () => {
  const server = await serve(200, answering('refund', 1))
  try {
    const options = { baseUrl: server.baseUrl, model: 'intent-mini', apiKey: KEY, maxAttempts: 1, escalateBelow: 1 }
    const invented = await new IntentCascade(options).classify('tenant-1', TEXT)
    assert.equal(invented.source, 'local')
    assert.equal(invented.fallback.code, 'invalid_label')
    assert.equal(server.requests.length, 1)
    const spent = await new IntentCascade({ ...options, budgetRequests: 0 }).classify('tenant-1', TEXT)
    assert.equal(spent.fallback.code, 'budget_exhausted')
    assert.equal(server.requests.length, 1)
  } finally {
    await server.close()
  }
})
