import assert from 'node:assert/strict'
import { test } from 'node:test'

import { classify } from '../lib.js'

test('classify: a refusal is opt_out, a price question is price_inquiry', () => {
  const text = 'no me interesa'
  const optOut = classify(text)
  assert.equal(optOut.primary, 'opt_out')
  const m = optOut.intents.find((i) => i.intent === 'opt_out')
  assert.ok(m, JSON.stringify(optOut))
  assert.ok(m.confidence > 0 && m.confidence <= 1)
  assert.equal(text.slice(m.start, m.end), m.evidence)

  const price = classify('Holaaa 👋 q precio tiene el envio a Cali?')
  assert.equal(price.primary, 'price_inquiry')
  assert.deepEqual(
    price.intents.map((i) => i.intent),
    ['price_inquiry', 'greeting'],
  )
  for (const i of price.intents) {
    // Offsets are JS string indices, even after an emoji.
    assert.equal('Holaaa 👋 q precio tiene el envio a Cali?'.slice(i.start, i.end), i.evidence)
  }
  const empty = classify('')
  assert.deepEqual([empty.primary, empty.intents, empty.language], ['other', [], 'unknown'])
})

test('classify: confidence, language, uncertain and the opt-out signal', () => {
  const stop = classify('ya no me escriban más por favor')
  assert.deepEqual(
    [stop.primary, stop.optOut, stop.language, stop.uncertain],
    ['opt_out', 'explicit', 'es', false],
  )
  assert.ok(stop.confidence > 0.5 && stop.confidence <= 1, String(stop.confidence))
  // A keyword asked about is not a request to leave.
  const quoted = classify('me llegó un SMS que dice "responda BAJA para cancelar", ¿es de ustedes?')
  assert.notEqual(quoted.primary, 'opt_out')
  assert.deepEqual(
    Object.keys(stop).sort(),
    ['confidence', 'intents', 'language', 'optOut', 'primary', 'uncertain'],
  )
  const price = classify('how much is the annual fee?')
  assert.equal(price.language, 'en')
  assert.equal(price.optOut, undefined)
})
