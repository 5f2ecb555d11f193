import assert from 'node:assert/strict'
import { test } from 'node:test'

import { version } from '../index.js'
import { packageVersion, workspaceVersion } from './helpers.mjs'

test('version() is the Rust workspace version', () => {
  assert.equal(version(), workspaceVersion())
})

test('the npm package version follows the crate version', () => {
  assert.equal(packageVersion(), version())
})
