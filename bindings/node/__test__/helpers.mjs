// Shared by the test files: the version sources and an error matcher.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

const here = new URL('.', import.meta.url)

/** The version in the root Cargo.toml `[workspace.package]` table. */
export function workspaceVersion() {
  const toml = readFileSync(new URL('../../../Cargo.toml', here), 'utf8')
  const table = toml.split(/^\[workspace\.package\]\s*$/m)[1]
  assert.ok(table, 'Cargo.toml has a [workspace.package] table')
  const match = table.split(/^\[/m)[0].match(/^version\s*=\s*"([^"]+)"/m)
  assert.ok(match, '[workspace.package] has a version')
  return match[1]
}

/** The version of the npm package. */
export function packageVersion() {
  return JSON.parse(readFileSync(new URL('../package.json', here), 'utf8')).version
}

/** Asserts that `thrown` is an Error with `code` and a message equal to or matching `message`. */
function assertCode(thrown, code, message) {
  assert.ok(thrown instanceof Error, `expected an Error, got ${thrown}`)
  assert.equal(thrown.code, code, `code of: ${thrown.message}`)
  if (message instanceof RegExp) {
    assert.match(thrown.message, message)
  } else if (message !== undefined) {
    assert.equal(thrown.message, message)
  }
  return thrown
}

/**
 * Asserts that `fn` throws a JS Error carrying `code`, and a message that equals
 * `message` (a string) or matches it (a RegExp).
 */
export function assertThrowsCode(fn, code, message) {
  let thrown
  assert.throws(fn, (err) => {
    thrown = err
    return true
  })
  return assertCode(thrown, code, message)
}

/** `assertThrowsCode` for a Promise that must reject. */
export async function assertRejectsCode(promise, code, message) {
  let thrown
  await assert.rejects(promise, (err) => {
    thrown = err
    return true
  })
  return assertCode(thrown, code, message)
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function freePort() {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  await once(server, 'close')
  return port
}

/**
 * A server the tests need, named by an environment variable that bindings/node/test.sh
 * exports (scripts/redis-server.sh): `{ value }` when set; `{ skip }` otherwise, except
 * under CI=true, where a missing server is an error rather than a skipped test.
 */
export function requiredEnv(name) {
  const value = process.env[name]
  if (value) return { value }
  if (process.env.CI === 'true') {
    throw new Error(`${name} is not set under CI=true: run bindings/node/test.sh, which starts redis-server`)
  }
  return { skip: `${name} is not set (see scripts/redis-server.sh)` }
}

