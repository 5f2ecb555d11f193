// Sales from chat: amounts, deals, receipts and commissions, held to tests/vectors/deals.json.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { CommissionRules, checkReceipt, parseAmount, parseDeal, pickReceiptTotal } from '../lib.js'

const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/deals.json', import.meta.url), 'utf8'))

/** A JSON object as TOML with inline tables (enough for grammar configs). */
function toml(value) {
  const inline = (v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? `{ ${Object.entries(v).map(([k, x]) => `${k} = ${inline(x)}`).join(', ')} }`
      : JSON.stringify(v)
  return Object.entries(value).map(([k, v]) => `${k} = ${inline(v)}`).join('\n')
}

test('amount vectors', () => {
  assert.ok(vectors.amounts.length >= 20)
  for (const c of vectors.amounts) {
    if (c.error) {
      assert.throws(() => parseAmount(c.text, c.region), (e) => e.code === c.error, c.text)
      continue
    }
    const found = parseAmount(c.text, c.region, { slang: c.slang ?? false })
    const bytes = Buffer.from(c.text)
    for (const a of found) {
      // Spans are UTF-8 byte offsets; `text` is the slice.
      assert.equal(bytes.subarray(a.start, a.end).toString(), a.text)
      delete a.start
      delete a.end
    }
    assert.deepEqual(found, c.expect, `${c.region}: ${c.text}`)
  }
})

test('deal vectors', () => {
  for (const c of vectors.deals) {
    const options = { region: c.region, grammar: c.grammar ? toml(c.grammar) : undefined }
    if (c.error) {
      assert.throws(() => parseDeal(c.text, options), (e) => e.code === c.error, c.text)
      continue
    }
    const parsed = parseDeal(c.text, options)
    assert.deepEqual(parsed.problems.map((p) => p.code), c.expect.problems, c.text)
    if (c.expect.messages) {
      assert.deepEqual(parsed.problems.map((p) => p.message), c.expect.messages, c.text)
    }
    if ('amount_minor' in c.expect) {
      assert.equal(parsed.deal.amount.minor, c.expect.amount_minor, c.text)
      assert.equal(parsed.deal.amount.currency, c.expect.currency, c.text)
      assert.equal(parsed.deal.customer, c.expect.customer, c.text)
      assert.equal(parsed.deal.units, c.expect.units, c.text)
    } else {
      assert.equal(parsed.deal, null, c.text)
    }
  }
})

test('receipt vectors and the default tolerance', () => {
  for (const c of vectors.receipts.checks) {
    assert.deepEqual(checkReceipt(c.declared, c.read, c.tolerance_bps), c.expect)
  }
  for (const c of vectors.receipts.totals) {
    assert.equal(pickReceiptTotal(c.ocr_text, c.region)?.minor ?? null, c.expect_minor, c.ocr_text)
  }
  assert.deepEqual(checkReceipt(10000, 10500), { status: 'match', difference: 500 })
  assert.equal(checkReceipt(10000, 10501).status, 'mismatch')
  assert.deepEqual(checkReceipt(10000, null), { status: 'unreadable' })
})

test('commission vectors', () => {
  const rules = CommissionRules.fromToml(vectors.commissions.rules)
  assert.equal(rules.currency, 'USD')
  for (const c of vectors.commissions.cases) {
    const sale = { seller: c.seller, amountMinor: c.amount_minor, units: c.units, currency: c.currency }
    if (c.error) {
      assert.throws(() => rules.compute(sale), (e) => e.code === c.error)
      continue
    }
    const got = rules.compute(sale)
    assert.equal(got.total_minor, c.expect.total_minor)
    assert.deepEqual(got.lines.map((l) => l.minor), c.expect.lines)
    assert.equal(got.capped_at, c.expect.capped_at)
  }
  for (const c of vectors.commissions.bad_rules) {
    assert.throws(() => CommissionRules.fromToml(c.rules), (e) => e.code === c.error)
  }
})

test('monthly progress and the example rules', () => {
  const rules = CommissionRules.fromToml(vectors.commissions.rules)
  const months = rules.monthlyProgress(
    [
      { seller: 'pedro', amountMinor: 100000, units: 4, date: '2026-12-02' },
      { seller: 'pedro', amountMinor: 900000, units: 9, date: '2026-11-30' },
    ],
    2026,
    12,
  )
  assert.equal(months.length, 1)
  assert.equal(months[0].commission_minor, 3500)
  assert.equal(months[0].progress_bps, 3333)
  assert.throws(() => rules.monthlyProgress([{ seller: 'x', amountMinor: 1, units: 1, date: 'ayer' }], 2026, 12), (e) => e.code === 'invalid_json')
  const example = CommissionRules.fromToml(readFileSync(new URL('../../../examples/sales/commissions.toml', import.meta.url), 'utf8'))
  assert.equal(example.compute({ seller: 'juan', amountMinor: 150000, units: 5 }).lines[0].arithmetic, '10 × (5 − 3) = 20')
})
