import assert from 'node:assert/strict'
import { test } from 'node:test'

import { IllegalTransitionError, Lead } from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

const t0 = new Date('2026-01-05T14:00:00Z')
const t1 = new Date('2026-01-05T14:05:00.250Z')
const t2 = new Date('2026-01-05T15:00:00Z')

const newLead = () => new Lead('lead-1', 'acme', 'c-1', 'whatsapp', t0)

test('a new lead is unattended and iql with no history', () => {
  const lead = newLead()
  assert.ok(lead instanceof Lead)
  assert.equal(lead.id, 'lead-1')
  assert.equal(lead.status, 'unattended')
  assert.equal(lead.stage, 'iql')
  assert.deepEqual(lead.history, [])
  const json = JSON.parse(lead.toJson())
  assert.equal(json.created_at, '2026-01-05T14:00:00Z')
  assert.equal(json.tenant_id, 'acme')
  assert.equal(json.contact_id, 'c-1')
  assert.equal(json.source.channel, 'whatsapp')
})

test('a legal status move is recorded in the history', () => {
  const lead = newLead()
  lead.setStatus('interested', 'intent', 'price_inquiry', t1)
  assert.equal(lead.status, 'interested')
  assert.deepEqual(lead.history, [
    { field: 'status', from: 'unattended', to: 'interested', at: t1, cause: 'intent', reason: 'price_inquiry' },
  ])
  assert.ok(lead.history[0].at instanceof Date)
  assert.equal(lead.history[0].at.getTime(), t1.getTime(), 'milliseconds survive the round trip')
})

test('an illegal status move throws and changes nothing', () => {
  const lead = newLead()
  lead.setStatus('interested', 'agent', 'asked for a quote', t1)
  const before = lead.toJson()
  const err = assertThrowsCode(
    () => lead.setStatus('unattended', 'agent', 'oops', t2),
    'illegal_status_transition',
    'illegal lead status transition from interested to unattended',
  )
  assert.equal(err.name, 'IllegalTransitionError')
  assert.ok(err instanceof IllegalTransitionError)
  assert.equal(lead.status, 'interested')
  assert.equal(lead.history.length, 1)
  assert.equal(lead.toJson(), before)
})

test('reopening a closed lead needs an agent', () => {
  const lead = newLead()
  lead.setStatus('lost', 'intent', 'opt_out', t1)
  assertThrowsCode(
    () => lead.setStatus('negotiating', 'rule', 'score', t2),
    'agent_required',
    'lead is lost: only an agent can move it to negotiating',
  )
  lead.setStatus('negotiating', 'agent', 'called back', t2)
  assert.equal(lead.status, 'negotiating')
})

test('stage moves are checked and recorded', () => {
  const lead = newLead()
  lead.setStage('mql', 'rule', 'score 55 >= 50', t1)
  assert.equal(lead.stage, 'mql')
  assert.equal(lead.history[0].field, 'stage')
  lead.setStage('customer', 'agent', 'paid', t1)
  assertThrowsCode(
    () => lead.setStage('sql', 'agent', 'refund', t2),
    'illegal_stage_transition',
    'illegal lifecycle stage transition from customer to sql',
  )
  assert.equal(lead.stage, 'customer')
  assert.equal(lead.history.length, 2)
})

test('unknown names are unknown_variant Errors', () => {
  assertThrowsCode(() => new Lead('l', 't', 'c', 'sms', t0), 'unknown_variant', /^unknown channel "sms"; expected one of: whatsapp/)
  const lead = newLead()
  assertThrowsCode(() => lead.setStatus('open', 'agent', '', t1), 'unknown_variant', /^unknown lead status "open"/)
  assertThrowsCode(() => lead.setStatus('won', 'robot', '', t1), 'unknown_variant', /^unknown change cause "robot"/)
  assertThrowsCode(() => lead.setStage('vip', 'agent', '', t1), 'unknown_variant', /^unknown lifecycle stage "vip"/)
  assert.equal(lead.status, 'unattended')
  assert.equal(lead.history.length, 0)
})

test('toJson/fromJson round-trips', () => {
  const lead = newLead()
  lead.setStatus('interested', 'intent', 'price_inquiry', t1)
  lead.setStage('sql', 'rule', 'score 80', t2)
  const json = lead.toJson()
  const back = Lead.fromJson(json)
  assert.ok(back instanceof Lead)
  assert.equal(back.toJson(), json)
  assert.equal(back.id, lead.id)
  assert.equal(back.status, 'interested')
  assert.equal(back.stage, 'sql')
  assert.deepEqual(back.history, lead.history)
  // The restored lead keeps enforcing the rules.
  assertThrowsCode(() => back.setStatus('unattended', 'agent', '', t2), 'illegal_status_transition')
})

test('malformed or inconsistent JSON is an invalid_json Error', () => {
  assertThrowsCode(() => Lead.fromJson('{not json'), 'invalid_json', /^invalid lead JSON: /)
  assertThrowsCode(() => Lead.fromJson(''), 'invalid_json')
  assertThrowsCode(() => Lead.fromJson('[]'), 'invalid_json')
  const lead = newLead()
  lead.setStatus('interested', 'agent', '', t1)
  const tampered = JSON.parse(lead.toJson())
  tampered.status = 'won'
  assertThrowsCode(
    () => Lead.fromJson(JSON.stringify(tampered)),
    'invalid_json',
    'invalid lead JSON: history does not end at the current status and stage',
  )
})

test('bad dates and wrong argument types throw instead of crashing', () => {
  assertThrowsCode(() => new Lead('l', 't', 'c', 'whatsapp', new Date('not a date')), 'InvalidArg', /now must be a valid Date/)
  assertThrowsCode(() => new Lead('l', 't', 'c', 'whatsapp', new Date(8.64e15)), 'InvalidArg')
  assertThrowsCode(() => new Lead('l', 't', 'c', 'whatsapp', '2026-01-05T14:00:00Z'), 'DateExpected', 'now must be a Date')
  assertThrowsCode(() => new Lead('l', 't', 'c', 'whatsapp'), 'DateExpected', 'now must be a Date')
  assert.throws(() => new Lead(1, 't', 'c', 'whatsapp', t0), Error)
  const lead = newLead()
  assertThrowsCode(() => lead.setStatus('interested', 'agent', '', new Date(NaN)), 'InvalidArg', /at must be a valid Date/)
  assertThrowsCode(() => lead.setStatus('interested', 'agent', '', Date.now()), 'DateExpected', 'at must be a Date')
  assert.throws(() => Lead.fromJson(42), Error)
  assert.equal(lead.status, 'unattended')
  assert.equal(lead.history.length, 0)
})
