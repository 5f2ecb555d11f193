// A local stand-in for the Telegram Bot API: answers sendMessage like Telegram does and
// records every request. The inbox's test points the arichat client at it, and run.sh
// uses it when no TELEGRAM_API_BASE is given, so the example needs no Telegram account.
'use strict'

const http = require('node:http')

/** Starts the mock on a free loopback port; resolves to `{ base, requests, close() }`. */
async function startMockTelegram() {
  const requests = []
  let nextId = 1000
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body = null
      try {
        body = text ? JSON.parse(text) : null
      } catch {
        body = null
      }
      const method = req.url.split('/').pop()
      requests.push({ method, path: req.url, body })
      res.writeHead(200, { 'content-type': 'application/json' })
      if (method === 'sendMessage' && body) {
        const result = {
          message_id: nextId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: 'private' },
          text: body.text,
        }
        res.end(JSON.stringify({ ok: true, result }))
      } else {
        res.end(JSON.stringify({ ok: true, result: true }))
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    requests,
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

module.exports = { startMockTelegram }

if (require.main === module) {
  startMockTelegram().then((mock) => {
    console.log(mock.base)
    // Show what the agents sent (text included: this is a local mock, not production).
    setInterval(() => {
      while (mock.requests.length) {
        const r = mock.requests.shift()
        console.error(`mock telegram: ${r.method} ${JSON.stringify(r.body)}`)
      }
    }, 200)
  })
}
