// The priority queue from Node (bindings/node/src/queue.rs): the core's formula and
// terms reach JS unchanged, entries update in place, bad input throws the core's codes.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { PriorityQueue, reviewFlag } from '../lib.js'
import { assertThrowsCode } from './helpers.mjs'

const now = new Date('2026-03-02T15:00:00Z')
const ago = (minutes) => new Date(now.getTime() - minutes * 60_000).toISOString()

test('the module example: a window about to close outranks a hot lead', () => {
  const q = new PriorityQueue()
  assert.equal(q.upsert({ conversation_id: 'hot', channel: 'instagram', score: 90, waiting_since: ago(10), last_inbound_at: ago(10) }, now), true)
  assert.equal(q.upsert({ conversation_id: 'cold', channel: 'whatsapp', score: 10, waiting_since: ago(21 * 60), last_inbound_at: ago(21 * 60) }, now), true)
  assert.equal(q.size, 2)
  const top = q.top(2, now)
  assert.deepEqual(top.map((i) => i.conversation_id), ['cold', 'hot'])
  // 1 (score) + 21 (hours waited) + 3 (window: 1 of its 4 last hours gone, of 12 points)
  assert.ok(Math.abs(top[0].priority - 25) < 1e-9, String(top[0].priority))
  assert.equal(top[0].terms.waiting_seconds, 21 * 3600)
  assert.equal(top[0].channel, 'whatsapp')
  assert.deepEqual(q.rank('hot', now), top[1])
})

test('an upsert moves a conversation; an answered one drops below those waiting', () => {
  const q = new PriorityQueue()
  q.upsert({ conversation_id: 'a', channel: 'telegram', score: 15, waiting_since: ago(1), last_inbound_at: ago(1) }, now)
  q.upsert({ conversation_id: 'b', channel: 'telegram', score: 55, waiting_since: ago(1), last_inbound_at: ago(1) }, now)
  assert.deepEqual(q.top(10, now).map((i) => i.conversation_id), ['b', 'a'])
  // b answered: nobody waits there, so its wait term is gone; a's grows 1 point an
  // hour and passes b's 5.5 score points after 4 hours.
  assert.equal(q.upsert({ conversation_id: 'b', channel: 'telegram', score: 55, last_inbound_at: ago(1) }, now), false)
  assert.deepEqual(q.top(10, now).map((i) => i.conversation_id), ['b', 'a'])
  const later = new Date(now.getTime() + 6 * 3600_000)
  assert.deepEqual(q.top(10, later).map((i) => i.conversation_id), ['a', 'b'])
  assert.equal(q.get('b').waiting_since, undefined)
  assert.equal(q.remove('a'), true)
  assert.equal(q.remove('a'), false)
  assert.equal(q.get('a'), null)
  assert.equal(q.rank('a', later), null)
  assert.equal(q.size, 1)
})

test('configuration and entries are checked by the core', () => {
  const q = new PriorityQueue({ score_weight: 0, wait_weight_per_hour: 1 })
  q.upsert({ conversation_id: 'x', channel: 'telegram', score: 100, waiting_since: ago(30), last_inbound_at: ago(30) }, now)
  assert.equal(q.top(1, now)[0].terms.score_points, 0)
  assertThrowsCode(() => new PriorityQueue({ score_scale: 0 }), 'invalid_config')
  assertThrowsCode(() => new PriorityQueue({ wieght: 1 }), 'invalid_json')
  assertThrowsCode(() => q.upsert({ conversation_id: 'y', channel: 'fax', score: 1 }, now), 'invalid_json')
})

test('reviewFlag: a possible opt-out is flagged with its evidence; a stop or a question is not', () => {
  const at = new Date('2026-03-02T15:00:00Z')
  const flag = reviewFlag('me tienen cansado con tanto mensaje', at)
  assert.equal(flag.reason, 'possible_opt_out')
  assert.equal(flag.evidence, 'me tienen cansado con tanto mensaje')
  assert.equal(flag.at, '2026-03-02T15:00:00Z')
  assert.ok(flag.confidence > 0 && flag.confidence <= 1)
  assert.equal(reviewFlag('hola, cuánto cuesta?', at), null)
  assert.equal(reviewFlag('no me escriban más', at), null) // explicit: acted on, not flagged
  // A flagged entry shows its flag on the ranked item.
  const q = new PriorityQueue()
  q.upsert({ conversation_id: 'c', channel: 'telegram', score: 5, waiting_since: at.toISOString(), last_inbound_at: at.toISOString(), review: flag }, at)
  assert.deepEqual(q.top(1, at)[0].review, flag)
})

test('tick re-ranks what time moved, beyond the few each call takes on', () => {
  const q = new PriorityQueue()
  // 40 conversations whose last message was 19 h 30 min ago: each window closes in 4 h
  // 30 min, so each crosses the 4 h horizon breakpoint 30 minutes from now, together.
  for (let i = 0; i < 40; i++) {
    q.upsert({ conversation_id: `c${i}`, channel: 'whatsapp', score: i, waiting_since: ago(19 * 60 + 30), last_inbound_at: ago(19 * 60 + 30) }, now)
  }
  assert.equal(q.overdue, false)
  const later = new Date(now.getTime() + 3600_000)
  // A call re-ranks a bounded number of them; the rest wait for tick.
  q.top(1, later)
  assert.equal(q.overdue, true)
  const moved = q.tick(later)
  assert.ok(moved > 0 && moved < 40, String(moved))
  assert.equal(q.overdue, false)
  assert.equal(q.tick(later), 0)
  // Exact again: the order is the order of each conversation's own rank.
  const top = q.top(40, later)
  const byRank = [...top].sort((a, b) => q.rank(b.conversation_id, later).priority - q.rank(a.conversation_id, later).priority)
  assert.deepEqual(top.map((i) => i.conversation_id), byRank.map((i) => i.conversation_id))
  assert.equal(top[0].conversation_id, 'c39')
})
