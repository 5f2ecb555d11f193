// A type test, never run: test.sh checks it with `tsc --strict --noEmit` against the
// package's index.d.ts. Each `@ts-expect-error` line must fail to type-check (tsc
// reports an unused one), and every other line must pass.
import {
  ArichatError,
  ConversionsClient,
  Lead,
  MessengerClient,
  Normalizer,
  RedisIdempotencyStore,
  SendError,
  SendTimeoutError,
  StoreUnavailableError,
  TelegramClient,
  WebhookVerifier,
  WhatsAppClient,
  authHeader,
  classify,
  normalize,
  type ChannelName,
  type Event,
  type LeadStatusName,
  type Receipt,
} from '..'

const body = Buffer.from('{}')
const now = new Date()

// Channels are a closed set of names.
const events: Event[] = normalize('whatsapp', body, { receivedAt: now })
new Normalizer({ account: '123' }).normalize('telegram', body)
new WebhookVerifier([{ channel: 'instagram', account: '1', tenant: 't', secrets: ['s'] }])
const header: string = authHeader('messenger')
const channel: ChannelName = events[0].channel
// @ts-expect-error a misspelled channel
normalize('whatsap', body)
// @ts-expect-error a misspelled channel
new Normalizer().normalize('telegrm', body)
// @ts-expect-error a misspelled channel
new WebhookVerifier([{ channel: 'whatsap', account: '1', tenant: 't', secrets: ['s'] }])

// Events: a misspelled key is an error, and `kind` narrows the union.
const key: string = events[0].idempotency_key
// @ts-expect-error a misspelled key
events[0].idempotency_kye
for (const event of events) {
  if (event.kind === 'message' && event.content.type === 'text') {
    const text: string = event.content.body
  }
  // @ts-expect-error only a message has content
  if (event.kind === 'status') event.content
}

// Each client takes its own options.
new WhatsAppClient({ accessToken: 't', phoneNumberId: '1', timeoutMs: 5000 })
new MessengerClient({ accessToken: 't', pageId: 'p' })
new MessengerClient({ accessToken: 't', accountId: 'a', channel: 'instagram' })
new TelegramClient({ token: 't' })
new ConversionsClient({ accessToken: 't', datasetId: 'd', testEventCode: 'TEST1' })
// @ts-expect-error a WhatsApp client without a phone number id
new WhatsAppClient({ accessToken: 't' })
// @ts-expect-error a WhatsApp client without a token
new WhatsAppClient({ phoneNumberId: '1' })
// @ts-expect-error a Messenger client without a page or account
new MessengerClient({ accessToken: 't' })
// @ts-expect-error Telegram has no phone number id
new TelegramClient({ token: 't', phoneNumberId: '1' })
// @ts-expect-error a Conversions client without a dataset
new ConversionsClient({ accessToken: 't' })
// @ts-expect-error an unknown guarantee
new TelegramClient({ token: 't', guarantee: 'exactly_once' })

// Leads: statuses, stages and causes are closed sets.
const lead = new Lead('l1', 't1', 'c1', 'messenger', now)
lead.setStatus('interested', 'intent', 'asked for a price', now)
lead.setStage('mql', 'rule', 'engaged', now)
const status: LeadStatusName = lead.status
const stage: 'iql' | 'mql' | 'sql' | 'customer' = lead.stage
// @ts-expect-error a misspelled channel
new Lead('l1', 't1', 'c1', 'whatsap', now)
// @ts-expect-error a status outside the set
lead.setStatus('wonn', 'agent', 'paid', now)
// @ts-expect-error a cause outside the set
lead.setStage('sql', 'human', 'called', now)

// Intents and grades.
const primary: 'greeting' | 'price_inquiry' | 'purchase_intent' | 'negotiation' | 'objection' | 'opt_out' | 'scheduling' | 'support' | 'other' =
  classify('¿cuánto cuesta?').primary
// @ts-expect-error intents are a closed set
const wrong: 'pricing' = classify('hola').primary

// Errors are classes with a code; the store answers Promises.
async function handle(store: RedisIdempotencyStore, client: WhatsAppClient, event: Event): Promise<void> {
  try {
    const isNew: boolean = await store.checkAndInsertEvent(event)
    const forgotten: boolean = await store.forget(event.idempotency_key)
    const receipt: Receipt = await client.sendText('+573001234567', 'hola')
    const tag: 'HUMAN_AGENT' | 'CONFIRMED_EVENT_UPDATE' | 'POST_PURCHASE_UPDATE' | 'ACCOUNT_UPDATE' | undefined = receipt.tag
  } catch (err) {
    if (err instanceof SendTimeoutError) {
      const send: SendError = err
    } else if (err instanceof SendError) {
      const attempts: number = err.attempts
      const code: string = err.code
    } else if (err instanceof StoreUnavailableError) {
      const base: ArichatError = err
    }
  }
  const connected: RedisIdempotencyStore = await RedisIdempotencyStore.connect('redis://127.0.0.1:6379/0')
  // @ts-expect-error the store answers a Promise, not a boolean
  const sync: boolean = store.checkAndInsert('k')
  // @ts-expect-error a tag outside the set
  await client.send('+573001234567', { type: 'text', body: 'b' }, { tag: 'HUMAN' })
}
