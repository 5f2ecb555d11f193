import assert from 'node:assert/strict'
import { test } from 'node:test'

import { version } from '../lib.js'
import { packageVersion, workspaceVersion } from './helpers.mjs'

test('version() is the Rust workspace version', () => {
  assert.equal(version(), workspaceVersion())
})

test('the npm package version follows the crate version', () => {
  assert.equal(packageVersion(), version())
})

test('warm() may be called again and leaves the process working', async () => {
  const { warm, phoneFromWaId, classify } = await import('../lib.js')
  assert.equal(warm(), undefined)
  assert.equal(warm(), undefined)
  assert.equal(phoneFromWaId('573001234567'), '+573001234567')
  assert.equal(classify('cuánto cuesta?').primary, 'price_inquiry')
})
