// Every ```js block of bindings/node/README.md and README.md runs as written: each is
// saved as a CommonJS script in a temporary folder where `require('arichat')` is this
// package and `examples/` the repository's (the snippets name the bundled sample files by
// their path from the repository root), and run by node; it must exit 0. The reply
// snippet talks to a local stand-in of the WhatsApp Cloud API (ARICHAT_API_BASE); the
// Redis snippet to the test redis-server (ARICHAT_REDIS_URL, as dedup.test.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = resolve(here, '..')
const root = resolve(pkg, '../..')
const readmes = ['bindings/node/README.md', 'README.md']

const snippets = readmes.flatMap((readme) => {
  const text = readFileSync(join(root, readme), 'utf8')
  return [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => ({
    where: `${readme}:${text.slice(0, m.index).split('\n').length}`,
    code: m[1],
  }))
})

test('the READMEs have js snippets', () => {
  assert.ok(snippets.length >= 8, snippets.map((s) => s.where).join(', '))
})

// The WhatsApp Cloud API's answer to a send; every request is recorded.
async function whatsappApi () {
  const requests = []
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    requests.push({ path: req.url, body: JSON.parse(body || '{}') })
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      messaging_product: 'whatsapp',
      contacts: [{ input: '5215512345678', wa_id: '5215512345678' }],
      messages: [{ id: 'wamid.readme' }],
    }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { base: `http://127.0.0.1:${server.address().port}`, requests, server }
}

for (const { where, code } of snippets) {
  const needsRedis = code.includes('REDIS_URL')
  const skip = needsRedis && !process.env.ARICHAT_REDIS_URL && 'no redis-server (ARICHAT_REDIS_URL); test.sh starts one'
  test(`snippet ${where} runs`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arichat-readme-'))
    const api = await whatsappApi()
    try {
      mkdirSync(join(dir, 'node_modules'))
      symlinkSync(pkg, join(dir, 'node_modules', 'arichat'))
      symlinkSync(join(root, 'examples'), join(dir, 'examples'))
      writeFileSync(join(dir, 'snippet.js'), code)
      const env = { ...process.env, ARICHAT_TOKEN: 'readme-token', ARICHAT_API_BASE: api.base }
      if (needsRedis) env.REDIS_URL = process.env.ARICHAT_REDIS_URL
      const { stdout } = await promisify(execFile)(process.execPath, ['snippet.js'], { cwd: dir, env })
      if (code.includes('WhatsAppClient')) {
        assert.equal(api.requests.length, 1)
        assert.match(api.requests[0].path, /\/106540352242922\/messages$/)
        assert.match(stdout, /wamid\.readme/)
      }
    } finally {
      api.server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
