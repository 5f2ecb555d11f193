// Webhook verify + normalize through Node: the arichat addon against the same work in
// plain JS (node:crypto HMAC + timingSafeEqual, JSON.parse, a hand-written mapping in
// plain.mjs) and against npm libraries' own webhook entry points, in one run.
//
//   benches/node/run.sh            (from a fresh clone: builds the addon in release mode,
//                                   installs the peers, runs this file)
//   node --expose-gc benches/node/normalize_vs_peers.mjs [--volume N] [--rounds R]
//
// Inputs: every fixture under ../shared/fixtures/{whatsapp,telegram} that is a whole
// webhook body and that arichat normalizes, repeated until a pass holds at least
// --volume bodies. WhatsApp bodies are re-encoded with non-ASCII characters as \uXXXX
// escapes, the form Meta sends and signs (whatsapp-api-js verifies that form); every
// contender gets the same bytes. Each body is signed with the app secret beforehand.
// Contenders take turns: --rounds rounds, one pass of each per round; the median pass
// of each is reported.

import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { Api, Bot, Context } from 'grammy'
import { WhatsAppAPI } from 'whatsapp-api-js'

import { normalizeTelegram, normalizeWhatsapp, verifyMeta, verifyTelegram } from './plain.mjs'
import { record } from './record.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures')
const require = createRequire(import.meta.url)
// The package entry users get (lib.js: the binding with its error classes), not the bare
// loader: its wrapper is part of what a user pays.
const arichat = require(join(ROOT, 'bindings', 'node'))

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const VOLUME = opt('volume', 10000)
const ROUNDS = opt('rounds', 5)

const APP_SECRET = 'bench-app-secret-7f3a'
const TG_SECRET = 'bench-telegram-secret-91c2'
const BOT_INFO = {
  id: 42,
  is_bot: true,
  first_name: 'bench',
  username: 'bench_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
}

function jsonFiles(dir) {
  const out = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p))
    else if (name.endsWith('.json')) out.push(p)
  }
  return out
}

function load(channel, whole) {
  const out = []
  for (const p of jsonFiles(join(FIXTURES, channel))) {
    let doc
    try {
      doc = JSON.parse(readFileSync(p, 'utf8'))
    } catch {
      continue
    }
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && whole(doc)) out.push(doc)
  }
  return out
}

/** JSON text with every non-ASCII character as a \uXXXX escape (Meta's wire form). */
const asciiJson = (doc) => JSON.stringify(doc).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const sign = (buf) => `sha256=${createHmac('sha256', APP_SECRET).update(buf).digest('hex')}`

function accepts(fn) {
  try {
    return fn() > 0
  } catch {
    return false
  }
}

async function acceptsAsync(fn) {
  try {
    return (await fn()) > 0
  } catch {
    return false
  }
}

const pkgVersion = (name) => JSON.parse(readFileSync(join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version
const VERSIONS = {
  node: process.version,
  arichat: arichat.version(),
  'whatsapp-api-js': pkgVersion('whatsapp-api-js'),
  grammy: pkgVersion('grammy'),
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Runs every contender's pass once to warm up, then ROUNDS rounds in which each contender
 * makes one pass in turn (so load from other processes falls on all of them alike).
 * Adds `secs` (the median pass) and `produced` (objects of one pass) to each row.
 */
async function timeAll(rows) {
  for (const row of rows) row.produced = await row.pass()
  const times = rows.map(() => [])
  // Each contender pays for collecting its own garbage and no one else's: the heap is
  // collected before a pass (untimed) and again at its end (timed), with `--expose-gc`
  // (benches/run and run.sh pass it). The order rotates every round, so none is always
  // first after the warm-up.
  const collect = typeof globalThis.gc === 'function' ? globalThis.gc : () => {}
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < rows.length; k++) {
      const i = (k + r) % rows.length
      collect()
      const t0 = process.hrtime.bigint()
      await rows[i].pass()
      collect()
      times[i].push(Number(process.hrtime.bigint() - t0) / 1e9)
    }
  }
  rows.forEach((row, i) => (row.secs = median(times[i])))
  return rows
}

function table(title, n, rows) {
  console.log(`\n${title}\n`)
  console.log('| contender | bodies/s | per body | objects per pass | time vs arichat |')
  console.log('|---|---|---|---|---|')
  const base = rows[0].secs
  for (const r of rows) {
    const ratio = r === rows[0] ? '1 (baseline)' : `${(r.secs / base).toFixed(2)}x arichat's time`
    console.log(`| ${r.name} | ${Math.round(n / r.secs).toLocaleString('en-US')} | ${((r.secs * 1e6) / n).toFixed(1)} µs | ${r.produced.toLocaleString('en-US')} | ${ratio} |`)
    if (r !== rows[0]) record('Node verify + normalize', title.replace(/^#+ /, '').split(':')[0], base, r.name, r.secs, VERSIONS)
  }
}

const repeat = (corpus) => {
  const reps = Math.ceil(VOLUME / corpus.length)
  return { reps, items: Array.from({ length: reps }, () => corpus).flat() }
}

async function main() {
  const receivedAt = new Date()
  const receivedIso = receivedAt.toISOString()

  // --- WhatsApp corpus ---------------------------------------------------------------
  const waAll = load('whatsapp', (d) => d.object === 'whatsapp_business_account')
  const waBodies = waAll
    .map((doc) => {
      const buf = Buffer.from(asciiJson(doc), 'utf8')
      return { buf, sig: sign(buf) }
    })
    .filter(({ buf }) => accepts(() => arichat.normalize('whatsapp', buf).length))

  const wa = new WhatsAppAPI({ token: 'not-used', v: 'v24.0', appSecret: APP_SECRET, secure: true })
  const waSink = []
  wa.on.message = (a) => void waSink.push(a)
  wa.on.status = (a) => void waSink.push(a)
  wa.on.call = { connect: (a) => void waSink.push(a), terminate: (a) => void waSink.push(a), status: (a) => void waSink.push(a) }
  const waLibOne = async ({ buf, sig }) => {
    waSink.length = 0
    const raw = buf.toString('utf8')
    await wa.post(JSON.parse(raw), raw, sig)
    return waSink.length
  }
  const waLibBodies = []
  for (const b of waBodies) if (await acceptsAsync(() => waLibOne(b))) waLibBodies.push(b)

  // --- Telegram corpus ---------------------------------------------------------------
  const tgAll = load('telegram', (d) => typeof d.update_id === 'number')
  const tgBodies = tgAll
    .map((doc) => ({ buf: Buffer.from(JSON.stringify(doc), 'utf8') }))
    .filter(({ buf }) => accepts(() => arichat.normalize('telegram', buf, { account: 'bench' }).length))

  const api = new Api('123456:bench-token-not-used')
  const bot = new Bot('123456:bench-token-not-used', { botInfo: BOT_INFO })
  const tgSink = []
  bot.use((ctx) => void tgSink.push(ctx))

  // How close the hand-written mapping is to arichat's: same kind (and same key, for
  // events whose key is an id rather than a hash of the raw item), event by event.
  const agree = (pairs) => {
    let same = 0
    let total = 0
    for (const [ours, theirs] of pairs) {
      total += ours.length
      ours.forEach((e, i) => {
        const t = theirs[i]
        if (t && t.kind === e.kind && (e.kind === 'unsupported' || t.idempotency_key === e.idempotency_key)) same++
      })
    }
    return `${same} of ${total}`
  }
  const waAgree = agree(waBodies.map(({ buf }) => [arichat.normalize('whatsapp', buf), normalizeWhatsapp(buf, receivedIso)]))
  const tgAgree = agree(tgBodies.map(({ buf }) => [arichat.normalize('telegram', buf, { account: 'bench' }), normalizeTelegram(buf, 'bench', receivedIso)]))

  console.log('# verify + normalize against plain JS and npm libraries')
  console.log(
    `\nNode ${process.version} (V8 ${process.versions.v8}), arichat ${arichat.version()}, ` +
      `whatsapp-api-js ${pkgVersion('whatsapp-api-js')}, grammy ${pkgVersion('grammy')}; ` +
      `${os.cpus()[0]?.model ?? os.arch()}, ${os.cpus().length} CPUs; load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  )
  console.log(
    `WhatsApp: ${waBodies.length} of ${waAll.length} whole bodies normalized by arichat, ` +
      `${waLibBodies.length} of those dispatched by whatsapp-api-js. Telegram: ${tgBodies.length} of ${tgAll.length} updates.`,
  )
  console.log(`The plain-JS mapping gives arichat's event kind and key for ${waAgree} WhatsApp and ${tgAgree} Telegram events.`)

  // --- WhatsApp: arichat vs plain JS (all bodies), then + whatsapp-api-js -------------
  for (const [title, corpus, withLib] of [
    ['WhatsApp, every body arichat normalizes', waBodies, false],
    ['WhatsApp, the bodies whatsapp-api-js dispatches (messages, statuses, calls)', waLibBodies, true],
  ]) {
    const { reps, items } = repeat(corpus)
    const rows = []
    rows.push({
      name: 'arichat `verifySignature` + `normalize(Buffer)`',
      pass: () => {
        let n = 0
        for (const { buf, sig } of items) {
          arichat.verifySignature(buf, sig, [APP_SECRET])
          n += arichat.normalize('whatsapp', buf).length
        }
        return n
      },
    })
    rows.push({
      name: 'plain JS: HMAC + timingSafeEqual, JSON.parse, mapping',
      pass: () => {
        let n = 0
        for (const { buf, sig } of items) {
          verifyMeta(buf, sig, APP_SECRET)
          n += normalizeWhatsapp(buf, receivedIso).length
        }
        return n
      },
    })
    if (withLib) {
      rows.push({
        name: 'whatsapp-api-js `post(JSON.parse(body), body, signature)`',
        pass: async () => {
          let n = 0
          for (const b of items) n += await waLibOne(b)
          return n
        },
      })
    }
    rows.push({
      name: 'reference: `JSON.parse` alone (no verify, no mapping)',
      pass: () => {
        let n = 0
        for (const { buf } of items) if (JSON.parse(buf.toString('utf8')) !== null) n++
        return n
      },
    })
    await timeAll(rows)
    table(`## ${title}: ${corpus.length} distinct x ${reps} = ${items.length.toLocaleString('en-US')} per pass, median of ${ROUNDS}`, items.length, rows)
  }

  // --- Telegram ----------------------------------------------------------------------
  {
    const { reps, items } = repeat(tgBodies)
    const rows = []
    // A bot's webhook handler holds one Normalizer for its account (options read once).
    const normalizer = new arichat.Normalizer({ account: 'bench' })
    rows.push({
      name: 'arichat `verifyTelegramSecret` + `Normalizer.normalize(Buffer)`',
      pass: () => {
        let n = 0
        for (const { buf } of items) {
          arichat.verifyTelegramSecret(TG_SECRET, TG_SECRET)
          n += normalizer.normalize('telegram', buf).length
        }
        return n
      },
    })
    rows.push({
      name: 'arichat `verifyTelegramSecret` + `normalize(Buffer, { account })`',
      pass: () => {
        let n = 0
        for (const { buf } of items) {
          arichat.verifyTelegramSecret(TG_SECRET, TG_SECRET)
          n += arichat.normalize('telegram', buf, { account: 'bench' }).length
        }
        return n
      },
    })
    rows.push({
      name: 'plain JS: timingSafeEqual, JSON.parse, mapping',
      pass: () => {
        let n = 0
        for (const { buf } of items) {
          verifyTelegram(TG_SECRET, TG_SECRET)
          n += normalizeTelegram(buf, 'bench', receivedIso).length
        }
        return n
      },
    })
    rows.push({
      name: 'grammY: timingSafeEqual, JSON.parse, `new Context(update, api, me)`',
      pass: () => {
        let n = 0
        for (const { buf } of items) {
          verifyTelegram(TG_SECRET, TG_SECRET)
          if (new Context(JSON.parse(buf.toString('utf8')), api, BOT_INFO).update) n++
        }
        return n
      },
    })
    rows.push({
      name: 'grammY: timingSafeEqual, JSON.parse, `bot.handleUpdate` (middleware dispatch)',
      pass: async () => {
        tgSink.length = 0
        for (const { buf } of items) {
          verifyTelegram(TG_SECRET, TG_SECRET)
          await bot.handleUpdate(JSON.parse(buf.toString('utf8')))
        }
        return tgSink.length
      },
    })
    rows.push({
      name: 'reference: `JSON.parse` alone',
      pass: () => {
        let n = 0
        for (const { buf } of items) if (JSON.parse(buf.toString('utf8')) !== null) n++
        return n
      },
    })
    await timeAll(rows)
    table(`## Telegram: ${tgBodies.length} distinct x ${reps} = ${items.length.toLocaleString('en-US')} per pass, median of ${ROUNDS}`, items.length, rows)
  }

  console.log(`\nload average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
}

await main()
