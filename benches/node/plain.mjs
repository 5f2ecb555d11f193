// The "plain JS" contender of normalize_vs_peers.mjs: what a Node backend writes by
// hand instead of using arichat. Node's `crypto` HMAC + timingSafeEqual, JSON.parse and
// a hand-written mapping to arichat's event shape (same fields: idempotency_key,
// channel, channel_account_id, contact, occurred_at, kind, content ...; NFC text,
// E.164 phone from wa_id, UTC RFC 3339 times, unknown items kept raw). It is a fair
// day's work, not a port of arichat's mapping: fewer kinds, lighter checks (a phone is
// "+" and 7-15 digits, not checked against calling codes).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

function text(s) {
  if (typeof s !== 'string') return undefined
  const t = s.normalize('NFC').replace(CONTROL, '').trim()
  return t === '' ? undefined : t
}

function iso(seconds, fallback) {
  const n = Number(seconds)
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : fallback
}

function e164(waId) {
  return typeof waId === 'string' && /^[1-9]\d{6,14}$/.test(waId) ? `+${waId}` : undefined
}

function rawKey(channel, account, kind, raw) {
  const h = createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 32)
  return `${channel}:${account}:${kind}:${h}`
}

function unsupported(channel, account, kind, raw, receivedAt) {
  return {
    idempotency_key: rawKey(channel, account, 'unsupported', raw),
    channel,
    channel_account_id: account,
    occurred_at: receivedAt,
    kind: 'unsupported',
    vendor_kind: kind,
    raw,
  }
}

/** `X-Hub-Signature-256: sha256=<hex>` against the HMAC-SHA256 of the raw bytes. */
export function verifyMeta(body, header, secret) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) throw new Error('verification_failed')
  const given = Buffer.from(header.slice(7), 'hex')
  const want = createHmac('sha256', secret).update(body).digest()
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new Error('verification_failed')
}

/** Telegram's `X-Telegram-Bot-Api-Secret-Token` against the configured secret. */
export function verifyTelegram(header, secret) {
  const a = Buffer.from(header ?? '')
  const b = Buffer.from(secret)
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new Error('verification_failed')
}

// --- WhatsApp -------------------------------------------------------------------------

const WA_MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker'])

function waContact(contacts, waId) {
  const profile = contacts.find((c) => c.wa_id === waId) ?? (waId === undefined && contacts.length === 1 ? contacts[0] : undefined)
  const id = waId ?? profile?.wa_id ?? profile?.user_id
  if (id === undefined) return undefined
  const contact = { identity: { channel: 'whatsapp', wa_id: id } }
  const name = text(profile?.profile?.name)
  if (name !== undefined) contact.display_name = name
  const phone = e164(id)
  if (phone !== undefined) contact.phone = phone
  return contact
}

function waContent(m) {
  const t = m.type
  if (t === 'text') return { type: 'text', body: text(m.text?.body) ?? '' }
  if (WA_MEDIA.has(t)) {
    const media = m[t] ?? {}
    const c = { type: t === 'sticker' ? 'sticker' : t, id: media.id }
    if (media.url) c.url = media.url
    if (media.mime_type) c.mime_type = media.mime_type
    const caption = text(media.caption)
    if (caption !== undefined) c.caption = caption
    if (media.filename) c.filename = media.filename
    if (media.sha256) c.sha256 = media.sha256
    return c
  }
  if (t === 'location') {
    const l = m.location ?? {}
    const c = { type: 'location', latitude: l.latitude, longitude: l.longitude }
    if (l.name) c.name = text(l.name)
    if (l.address) c.address = text(l.address)
    return c
  }
  if (t === 'reaction') return { type: 'reaction', message_id: m.reaction?.message_id, emoji: m.reaction?.emoji }
  if (t === 'interactive') {
    const r = m.interactive?.button_reply ?? m.interactive?.list_reply
    if (r) return { type: 'interactive_reply', id: r.id, title: text(r.title) }
  }
  if (t === 'button') return { type: 'interactive_reply', id: m.button?.payload, title: text(m.button?.text) }
  if (t === 'contacts') return { type: 'contacts', contacts: m.contacts }
  if (t === 'order') return { type: 'order', catalog_id: m.order?.catalog_id, items: m.order?.product_items }
  return { type: 'unsupported', kind: t, raw: m }
}

function waMessage(account, contacts, m, receivedAt) {
  const e = {
    idempotency_key: `whatsapp:${account}:msg:${m.id}`,
    channel: 'whatsapp',
    channel_account_id: account,
    contact: waContact(contacts, m.from),
    occurred_at: iso(m.timestamp, receivedAt),
    kind: 'message',
    message_id: m.id,
    direction: 'inbound',
    author: 'client',
    content: waContent(m),
  }
  if (m.context?.id) e.reply_to = m.context.id
  if (m.context?.forwarded || m.context?.frequently_forwarded) e.forwarded = true
  if (m.referral) {
    e.referral = { source_url: m.referral.source_url, source_id: m.referral.source_id, source_type: m.referral.source_type, headline: text(m.referral.headline), ctwa_clid: m.referral.ctwa_clid }
  }
  return e
}

const WA_STATUS = new Set(['sent', 'delivered', 'read', 'failed', 'deleted', 'played'])

function waStatus(account, contacts, s, receivedAt) {
  if (!WA_STATUS.has(s.status)) return unsupported('whatsapp', account, `status:${s.status}`, s, receivedAt)
  const e = {
    idempotency_key: `whatsapp:${account}:status:${s.id}:${s.status}`,
    channel: 'whatsapp',
    channel_account_id: account,
    contact: waContact(contacts, s.recipient_id),
    occurred_at: iso(s.timestamp, receivedAt),
    kind: 'status',
    message_id: s.id,
    status: s.status,
  }
  if (s.conversation || s.pricing) e.billing = { conversation: s.conversation, pricing: s.pricing }
  if (s.errors?.length) e.error = { code: s.errors[0].code, title: text(s.errors[0].title) }
  return e
}

/** A WhatsApp Cloud API webhook body (Buffer) -> events. */
export function normalizeWhatsapp(body, receivedAt) {
  const doc = JSON.parse(body.toString('utf8'))
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.entry)) throw new Error('unexpected_shape')
  const events = []
  for (const entry of doc.entry) {
    for (const change of entry.changes ?? []) {
      const v = change.value ?? {}
      const account = String(v.metadata?.phone_number_id ?? entry.id)
      if (change.field !== 'messages') {
        events.push(unsupported('whatsapp', account, change.field, change, receivedAt))
        continue
      }
      const contacts = v.contacts ?? []
      for (const m of v.messages ?? []) events.push(waMessage(account, contacts, m, receivedAt))
      for (const s of v.statuses ?? []) events.push(waStatus(account, contacts, s, receivedAt))
      if (v.errors) events.push(unsupported('whatsapp', account, 'errors', { errors: v.errors }, receivedAt))
    }
  }
  return events
}

// --- Telegram -------------------------------------------------------------------------

function tgContact(user) {
  if (!user) return undefined
  const contact = { identity: { channel: 'telegram', user_id: String(user.id) } }
  const name = text([user.first_name, user.last_name].filter(Boolean).join(' '))
  if (name !== undefined) contact.display_name = name
  return contact
}

function tgContent(m) {
  if (typeof m.text === 'string') {
    return m.entities?.length ? { type: 'formatted_text', body: text(m.text) ?? '', entities: m.entities } : { type: 'text', body: text(m.text) ?? '' }
  }
  const caption = text(m.caption)
  const media = (type, f) => {
    const c = { type, id: f.file_id }
    if (f.mime_type) c.mime_type = f.mime_type
    if (caption !== undefined) c.caption = caption
    if (f.file_name) c.filename = f.file_name
    return c
  }
  if (m.photo?.length) return media('image', m.photo[m.photo.length - 1])
  if (m.video) return media('video', m.video)
  if (m.audio) return media('audio', m.audio)
  if (m.voice) return media('audio', m.voice)
  if (m.document) return media('document', m.document)
  if (m.sticker) return media('sticker', m.sticker)
  if (m.location) return { type: 'location', latitude: m.location.latitude, longitude: m.location.longitude }
  if (m.contact) return { type: 'contacts', contacts: [m.contact] }
  const kind = Object.keys(m).find((k) => !['message_id', 'from', 'chat', 'date', 'caption', 'caption_entities', 'reply_to_message'].includes(k))
  return { type: 'unsupported', kind, raw: m }
}

/** A Telegram update (Buffer) of the bot `account` -> events. */
export function normalizeTelegram(body, account, receivedAt) {
  const u = JSON.parse(body.toString('utf8'))
  if (u === null || typeof u !== 'object' || typeof u.update_id !== 'number') throw new Error('unexpected_shape')
  const base = { idempotency_key: `telegram:${account}:${u.update_id}`, channel: 'telegram', channel_account_id: account }
  const m = u.message ?? u.edited_message ?? u.channel_post ?? u.edited_channel_post
  if (m) {
    const e = { ...base, contact: tgContact(m.from), occurred_at: iso(m.edit_date ?? m.date, receivedAt) }
    e.kind = u.message || u.channel_post ? 'message' : 'message_edited'
    e.message_id = `${m.chat.id}:${m.message_id}`
    if (e.kind === 'message') {
      e.direction = 'inbound'
      e.author = 'client'
    }
    e.content = tgContent(m)
    if (m.reply_to_message) e.reply_to = `${m.chat.id}:${m.reply_to_message.message_id}`
    if (m.forward_origin || m.forward_from || m.forward_date) e.forwarded = true
    return [e]
  }
  if (u.callback_query) {
    const q = u.callback_query
    const e = { ...base, contact: tgContact(q.from), occurred_at: receivedAt, kind: 'postback', payload: q.data ?? '' }
    if (q.message) e.message_id = `${q.message.chat.id}:${q.message.message_id}`
    else if (q.inline_message_id) e.message_id = `inline:${q.inline_message_id}`
    return [e]
  }
  if (u.my_chat_member) {
    const c = u.my_chat_member
    const status = c.new_chat_member?.status
    const signal = status === 'kicked' ? 'blocked' : status === 'member' ? 'opt_in' : undefined
    if (signal) return [{ ...base, contact: tgContact(c.from), occurred_at: iso(c.date, receivedAt), kind: 'consent', signal, detail: status }]
  }
  const kind = Object.keys(u).find((k) => k !== 'update_id')
  return [{ ...base, occurred_at: receivedAt, kind: 'unsupported', vendor_kind: kind, raw: u[kind] }]
}
