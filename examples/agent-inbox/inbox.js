// The agents' view of the conversations: threads, the priority queue and the
// customers' profiles, fed by the CloudEvents the subscriber reads.
//
// The ranking is arichat's PriorityQueue (lead score, waiting time, the closing of a
// 24-hour window); the profiles are arichat's ProfileSet. This file only keeps the
// threads and shapes what the page shows.
'use strict'

const { PriorityQueue, ProfileSet, profileKeys } = require('arichat')
const { textOf } = require('./pipeline')

/** At most this many messages kept per thread (the page shows the latest). */
const THREAD_LIMIT = 200
/** At most this many conversations listed. */
const LIST_LIMIT = 100

class Inbox {
  constructor() {
    this.queue = new PriorityQueue()
    this.profiles = new ProfileSet()
    /** conversation id -> { id, channel, chat, name, messages, intent, grade, score, flag, profileKey, waitingSince } */
    this.conversations = new Map()
    this.seen = new Set()
  }

  /**
   * Applies one CloudEvent from the bus. Returns `{ conversation, message }` for a
   * client message shown to agents, else null (duplicates included).
   */
  apply(ce, now = new Date()) {
    if (this.seen.has(ce.id)) return null
    this.seen.add(ce.id)
    const event = ce.data
    if (!event || !event.contact) return null
    const profile = this.profiles.apply(event)
    if (event.kind !== 'message' || event.author !== 'client') return null
    const id = ce.partitionkey
    let conv = this.conversations.get(id)
    if (!conv) {
      conv = {
        id,
        channel: event.channel,
        chat: event.contact.identity.user_id,
        name: event.contact.display_name || event.contact.identity.user_id,
        messages: [],
        profileKey: profileKeys(event)[0],
        waitingSince: null,
        account: event.channel_account_id,
        contact: event.contact,
      }
      this.conversations.set(id, conv)
    }
    if (profile) conv.profileKey = profile.identities[0] ?? conv.profileKey
    const at = event.occurred_at
    const message = {
      id: ce.id,
      author: 'client',
      text: textOf(event) ?? `[${event.content?.type ?? event.kind}]`,
      at,
    }
    push(conv.messages, message)
    if (ce.intent) conv.intent = ce.intent
    if (ce.grade) conv.grade = ce.grade
    if (ce.score !== undefined) conv.score = Number(ce.score)
    conv.flag = ce.flag ?? null
    conv.waitingSince ??= at
    this.queue.upsert(
      {
        conversation_id: id,
        channel: conv.channel,
        score: conv.score ?? 0,
        waiting_since: conv.waitingSince,
        last_inbound_at: at,
      },
      now,
    )
    return { conversation: conv, message }
  }

  /**
   * Records an agent's answer sent as `vendorId`: the conversation no longer waits,
   * and the profile counts it (as the outbound message event arichat's model has).
   */
  answered(id, message, vendorId, now = new Date()) {
    const conv = this.conversations.get(id)
    if (!conv) return null
    push(conv.messages, message)
    conv.waitingSince = null
    this.profiles.apply({
      idempotency_key: `${conv.channel}:${conv.account}:sent:${vendorId}`,
      channel: conv.channel,
      channel_account_id: conv.account,
      contact: conv.contact,
      occurred_at: message.at,
      kind: 'message',
      message_id: vendorId,
      direction: 'outbound',
      author: 'agent',
      content: { type: 'text', body: message.text },
    })
    const entry = this.queue.get(id)
    if (entry) {
      delete entry.waiting_since
      this.queue.upsert(entry, now)
    }
    return conv
  }

  /** The conversation list in queue order, as the page shows it. */
  list(now = new Date()) {
    return this.queue.top(LIST_LIMIT, now).map((item) => {
      const conv = this.conversations.get(item.conversation_id)
      const last = conv.messages[conv.messages.length - 1]
      return {
        id: conv.id,
        name: conv.name,
        channel: conv.channel,
        preview: last ? last.text : '',
        grade: conv.grade ?? null,
        score: conv.score ?? null,
        intent: conv.intent ?? null,
        flag: conv.flag ?? null,
        waiting: conv.waitingSince !== null,
        priority: item.priority,
      }
    })
  }

  /** One conversation's thread and its customer's profile. */
  open(id) {
    const conv = this.conversations.get(id)
    if (!conv) return null
    return { id, name: conv.name, messages: conv.messages, profile: this.profile(id) }
  }

  /** The profile of a conversation's customer, or null. */
  profile(id) {
    const conv = this.conversations.get(id)
    return conv && conv.profileKey ? this.profiles.get(conv.profileKey) : null
  }
}

function push(messages, message) {
  messages.push(message)
  if (messages.length > THREAD_LIMIT) messages.splice(0, messages.length - THREAD_LIMIT)
}

module.exports = { Inbox }
