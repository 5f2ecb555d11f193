// The webhook side: verify -> normalize -> classify -> score -> publish.
//
// A Telegram POST is verified with the bot's secret token and normalized by arichat
// (WebhookVerifier.normalizeCloudevents: one CloudEvent 1.0 per event, id = the
// idempotency key). Each inbound text is classified and the conversation's lead is
// scored with the scorecard; the results travel on the CloudEvent as extension
// attributes (`intent`, `grade`, `score`, and `flag` when an agent must look), and the
// envelopes go to a Redis Stream. Nothing here renders or sends: the subscriber does.
'use strict'

const { classify, reviewFlag } = require('arichat')

/** The text of a message event's content, or null for media and other kinds. */
function textOf(event) {
  const content = event.content
  if (!content) return null
  if (content.type === 'text' || content.type === 'formatted_text') return content.body
  return null
}

/**
 * @param {object} deps
 * @param {import('arichat').WebhookVerifier} deps.verifier
 * @param {import('arichat').Scorecard} deps.scorecard
 * @param {import('arichat').EventStream} deps.stream  a publishing handle
 * @param {string} deps.botId  the Telegram bot the webhook URL belongs to
 */
function makePipeline({ verifier, scorecard, stream, botId }) {
  // Engagement per conversation, for the scorecard's decayed rules.
  const engagement = new Map()

  function analyse(ce) {
    const event = ce.data
    if (!event || event.kind !== 'message' || event.author !== 'client') return ce
    const text = textOf(event)
    const at = new Date(event.occurred_at)
    const key = ce.partitionkey
    const history = engagement.get(key) ?? []
    history.push({ kind: 'inbound_message', at })
    const extensions = {}
    if (text !== null) {
      const c = classify(text)
      extensions.intent = c.primary
      if (c.primary !== 'other') history.push({ kind: 'intent', intent: c.primary, at })
      const flag = reviewFlag(text, at)
      if (flag) extensions.flag = flag.reason
    }
    engagement.set(key, history)
    const record = { channel: event.channel, has_phone: Boolean(event.contact?.phone) }
    const result = scorecard.score(record, history, at)
    extensions.grade = result.grade
    extensions.score = Math.round(result.total)
    return { ...ce, ...extensions }
  }

  /**
   * Handles one webhook request body; resolves once its events are on the stream.
   * Throws arichat's errors (`verification_failed`, `invalid_json`, ...).
   */
  async function receive(body, secretHeader) {
    const cloudevents = verifier.normalizeCloudevents('telegram', body, secretHeader, { account: botId })
    const analysed = cloudevents.map(analyse)
    if (analysed.length > 0) await stream.publish(analysed)
    return analysed.length
  }

  return { receive }
}

module.exports = { makePipeline, textOf }
