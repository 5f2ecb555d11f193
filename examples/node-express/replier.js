// The reply bot: answers inbound text messages on WhatsApp, Messenger, Instagram and
// Telegram through arichat's send clients. `reply()` runs the Rust preflight (the
// 24-hour window, consent for marketing) before any request; the clients retry 429 /
// 5xx with backoff and never put a token in an error.
//
// Tokens come from the environment; a channel without one is not answered:
//
//   ARICHAT_WHATSAPP_TOKEN + ARICHAT_PHONE_NUMBER_ID
//   ARICHAT_MESSENGER_TOKEN + ARICHAT_PAGE_ID
//   ARICHAT_INSTAGRAM_TOKEN + ARICHAT_INSTAGRAM_ACCOUNT_ID
//   ARICHAT_TELEGRAM_TOKEN
//   ARICHAT_TOKEN          (fallback token for any of them)
//   ARICHAT_API_BASE       (another API root: a test server; used for every channel)
//
// The arichat module is passed in, so the smoke test in bindings/node can load this
// file against the freshly built binding.
'use strict'

const ANSWERS = {
  greeting: '¡Hola! ¿En qué te puedo ayudar?',
  price_inquiry: 'Te paso los precios enseguida.',
  purchase_intent: '¡Genial! Un asesor te contacta para cerrar la compra.',
  scheduling: '¿Qué día y hora te quedan bien?',
  support: 'Lamento el problema; un agente lo revisa ahora.',
  opt_out: 'Listo, no te enviaremos más promociones.',
}
const FALLBACK = 'Gracias por escribirnos; te respondemos pronto.'

/** Builds the clients the environment has tokens for. */
function clientsFrom(arichat, env) {
  const apiBase = env.ARICHAT_API_BASE || undefined
  const token = (name) => env[name] || env.ARICHAT_TOKEN
  const clients = {}
  if (token('ARICHAT_WHATSAPP_TOKEN') && env.ARICHAT_PHONE_NUMBER_ID) {
    clients.whatsapp = new arichat.WhatsAppClient({
      accessToken: token('ARICHAT_WHATSAPP_TOKEN'),
      phoneNumberId: env.ARICHAT_PHONE_NUMBER_ID,
      apiBase,
    })
  }
  if (token('ARICHAT_MESSENGER_TOKEN') && env.ARICHAT_PAGE_ID) {
    clients.messenger = new arichat.MessengerClient({
      accessToken: token('ARICHAT_MESSENGER_TOKEN'),
      pageId: env.ARICHAT_PAGE_ID,
      apiBase,
    })
  }
  if (token('ARICHAT_INSTAGRAM_TOKEN') && env.ARICHAT_INSTAGRAM_ACCOUNT_ID) {
    clients.instagram = new arichat.MessengerClient({
      channel: 'instagram',
      accessToken: token('ARICHAT_INSTAGRAM_TOKEN'),
      accountId: env.ARICHAT_INSTAGRAM_ACCOUNT_ID,
      apiBase,
    })
  }
  if (token('ARICHAT_TELEGRAM_TOKEN')) {
    clients.telegram = new arichat.TelegramClient({ token: token('ARICHAT_TELEGRAM_TOKEN'), apiBase })
  }
  return clients
}

/** The recipient id of an event's contact on its channel. */
function recipientOf(event) {
  const id = event.contact && event.contact.identity
  if (!id) return undefined
  return id.wa_id || id.psid || id.igsid || id.user_id
}

/**
 * Returns `reply(event)`: for an inbound text message on a channel with a client, the
 * answer to its intent, sent with `reply()`; resolves to the receipt, or undefined
 * when the event is not answered. A refused or failed send rejects with `.code`.
 */
function makeReplier(arichat, env = process.env) {
  const clients = clientsFrom(arichat, env)
  return async function reply(event) {
    if (event.kind !== 'message' || event.direction !== 'inbound') return undefined
    if (!event.content || event.content.type !== 'text') return undefined
    const client = clients[event.channel]
    const to = recipientOf(event)
    if (!client || !to) return undefined
    const intent = arichat.classify(event.content.body).primary
    const message = { type: 'text', body: ANSWERS[intent] || FALLBACK }
    // The contact just wrote: the window opened at occurred_at.
    const conversation = { channel: event.channel, lastInboundAt: new Date(event.occurred_at) }
    return client.reply(conversation, to, message)
  }
}

module.exports = { makeReplier, clientsFrom, ANSWERS, FALLBACK }
