import assert from 'node:assert/strict'
import { test } from 'node:test'

import { normalizePhone, phoneFromWaId } from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

test('a national number is read in its region', () => {
  assert.equal(normalizePhone('300 123 4567', 'CO'), '+573001234567')
  assert.equal(normalizePhone('(300) 123-4567', 'co'), '+573001234567')
})

test('an international number needs no region', () => {
  assert.equal(normalizePhone('+57 300 123 4567'), '+573001234567')
  assert.equal(normalizePhone('+57 300 123 4567', null), '+573001234567')
  assert.equal(normalizePhone('+57 300 123 4567', undefined), '+573001234567')
})

test('a wa_id gives the validated number', () => {
  // Mexico's historic mobile 1 is dropped; a placeholder id is no phone.
  assert.equal(phoneFromWaId('5215512345678'), '+525512345678')
  assert.throws(() => phoneFromWaId('15551234567'), (e) => e.code === 'invalid_phone')
})

test('an invalid phone is an invalid_phone Error', () => {
  assertThrowsCode(() => normalizePhone('12', 'CO'), 'invalid_phone', /^invalid phone number: /)
  const err = assertThrowsCode(
    () => normalizePhone('3001234567'),
    'invalid_phone',
    'invalid phone number: a national number needs a default region (or a leading +)',
  )
  assert.ok(!err.message.includes('3001234567'), 'the message never contains the number')
  assertThrowsCode(() => phoneFromWaId('123'), 'invalid_phone', 'invalid phone number: a wa_id must be 8 to 15 digits')
})

test('an unknown region is an unknown_region Error', () => {
  assertThrowsCode(
    () => normalizePhone('300 123 4567', 'ZZ'),
    'unknown_region',
    'unknown region "ZZ": expected an ISO 3166-1 alpha-2 code such as "CO"',
  )
})

test('arguments of the wrong JS type throw instead of crashing', () => {
  assert.throws(() => normalizePhone(3001234567, 'CO'), Error)
  assert.throws(() => normalizePhone(), Error)
  assert.throws(() => normalizePhone('300 123 4567', 57), Error)
  assert.throws(() => phoneFromWaId({}), Error)
})
