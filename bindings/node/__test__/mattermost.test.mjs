// Mattermost hooks from Node (bindings/node/src/mattermost.rs): parse (form and JSON),
// verify with rotated tokens, reply, and normalize keying a post once. The same bodies
// as bindings/python/tests/test_mattermost.py.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { MattermostTokens, mattermostReply, normalize, parseMattermostHook } from '../lib.js'

const FORM = Buffer.from(
  'token=tok-new&team_id=team1&team_domain=ventas&channel_id=chan1&channel_name=ventas' +
    '&timestamp=1700000000&user_id=user1&user_name=ana&post_id=post1' +
    '&text=%40monto+1500+%40cliente+Juan&trigger_word=%40monto&file_ids=f1%2Cf2',
)
const JSON_BODY = JSON.stringify({
  token: 'tok-old', team_id: 'team1', post_id: 'post1', timestamp: 1700000000000, text: '@monto 1500',
})

test('form and JSON read alike, each with its timestamp unit', () => {
  const form = parseMattermostHook(FORM, 'application/x-www-form-urlencoded')
  assert.equal(form.kind, 'outgoing_webhook')
  assert.equal(form.text, '@monto 1500 @cliente Juan')
  assert.deepEqual(form.file_ids, ['f1', 'f2'])
  assert.equal(form.token, undefined)
  assert.equal(parseMattermostHook(JSON_BODY).occurred_at, form.occurred_at)
})

test('rotated tokens and the slash command header, errors without the token', () => {
  const tokens = new MattermostTokens(['tok-old', 'tok-new'])
  assert.equal(tokens.verify(FORM).post_id, 'post1')
  assert.equal(tokens.verify(JSON_BODY).team_id, 'team1')
  const slash = Buffer.from('token=tok-new&team_id=team1&command=%2Fventa&text=monto%3D1500&trigger_id=tr1')
  assert.equal(tokens.verify(slash, 'Token tok-new').kind, 'slash_command')
  assert.throws(
    () => tokens.verify(slash, 'Token tok-guess'),
    (e) => typeof e.code === 'string' && !String(e.message).includes('tok-'),
  )
  assert.throws(() => new MattermostTokens(['']), { code: 'invalid_config' })
})

test('the reply goes to the thread by default', () => {
  assert.deepEqual(JSON.parse(mattermostReply('Venta registrada ✓')), {
    text: 'Venta registrada ✓',
    response_type: 'comment',
  })
  assert.equal(JSON.parse(mattermostReply('x', 'ephemeral')).response_type, 'ephemeral')
  assert.throws(() => mattermostReply('x', 'thread'), { code: 'unknown_variant' })
})

test('normalize keys a post once in either encoding', () => {
  const form = normalize('mattermost', FORM)
  assert.deepEqual(form.map((e) => e.idempotency_key), [
    'mattermost:team1:post:post1',
    'mattermost:team1:post:post1:2',
  ])
  assert.deepEqual(form[0].contact.identity, { channel: 'mattermost', user_id: 'user1' })
  assert.equal(normalize('mattermost', Buffer.from(JSON_BODY))[0].idempotency_key, 'mattermost:team1:post:post1')
})
