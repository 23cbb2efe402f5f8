import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { computeTwilioSignature } from '../src/delivery/providers/twilio-provider.js';
import { signWebhookBody } from '../src/delivery/providers/webhook-provider.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

const TWILIO_TOKEN = 'twilio-auth-token';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';
const providers = {
  sms: { provider: 'twilio', accountSid: 'AC123', authToken: TWILIO_TOKEN, from: '+14155550000' },
  email: { provider: 'webhook', url: 'http://127.0.0.1:9/unused', secret: WEBHOOK_SECRET },
};

describe.each(DATABASE_KINDS)('provider webhooks on %s', (kind) => {
  let h: Harness;
  let customerId: string;
  let messageIds = 0;
  const twilio = recordingProvider('twilio', () => ({ ok: true, providerMessageId: `SM${++messageIds}` }));
  const webhook = recordingProvider('webhook', () => ({ ok: true, providerMessageId: `wh-${++messageIds}` }));

  const postTwilio = (params: Record<string, string>, signature?: string) => {
    const body = new URLSearchParams(params).toString();
    const sig = signature ?? computeTwilioSignature(TWILIO_TOKEN, `${h.app.config.publicUrl}/v1/webhooks/twilio`, params);
    return h.server.inject({ method: 'POST', url: '/v1/webhooks/twilio', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, payload: body });
  };
  const postWebhook = (event: unknown, secret = WEBHOOK_SECRET) => {
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(h.app.clock.now().getTime() / 1000));
    return h.server.inject({ method: 'POST', url: '/v1/webhooks/webhook', headers: { 'content-type': 'application/json', 'x-recoup-timestamp': timestamp, 'x-recoup-signature': signWebhookBody(body, secret) }, payload: body });
  };
  const statusOf = async (key: string) => (await h.app.db.selectFrom('contact_attempts').select(['status', 'provider_message_id']).where('idempotency_key', '=', key).executeTakeFirstOrThrow());

  beforeAll(async () => {
    h = await startHarness(kind, { providers }, { providerFor: (channel) => (channel === 'email' ? webhook : twilio) });
    const customer = await h.call('POST', '/v1/customers', { externalId: 'wh1', timezone: 'UTC', identities: { phone: '+14155550142', email: 'wh1@example.com' }, consents: { sms: true } });
    customerId = customer.body.id;
    const now = h.app.clock.now();
    const base = { customerId, receivableIds: [], templateId: 't', content: { text: 'hello' }, dueAt: now, decision: {} };
    await scheduleAttempts(h.app.db, now, [{ ...base, idempotencyKey: 'wh-sms', channel: 'sms' }, { ...base, idempotencyKey: 'wh-email', channel: 'email' }]);
    await h.advance(0);
  });
  afterAll(async () => h?.close());

  it('applies a signed Twilio delivery receipt, and refuses a forged one with 401 changing nothing', async () => {
    const { provider_message_id: sid } = await statusOf('wh-sms');
    const forged = await postTwilio({ MessageSid: sid!, MessageStatus: 'failed' }, 'bm90LWEtc2lnbmF0dXJl');
    expect(forged.statusCode).toBe(401);
    expect((await statusOf('wh-sms')).status).toBe('sent');
    const delivered = await postTwilio({ MessageSid: sid!, MessageStatus: 'delivered' });
    expect(delivered.statusCode).toBe(200);
    expect((await statusOf('wh-sms')).status).toBe('delivered');
  });

  it('answers an incoming SMS in the TwiML of the webhook response, which Twilio sends back to the sender', async () => {
    // An unverified number is only told how to verify: the answer is there, and says nothing of any debt.
    const response = await postTwilio({ MessageSid: 'SMin0', From: '+14155550199', Body: 'How much do I owe?', MessageStatus: 'received' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/xml/);
    const messages = [...response.body.matchAll(/<Message>([^<]+)<\/Message>/g)].map((m) => m[1]!);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join(' ')).toMatch(/confirm who you are/);
  });

  it('takes an incoming STOP through the Twilio webhook as an opt-out', async () => {
    const response = await postTwilio({ MessageSid: 'SMin1', From: '+14155550142', Body: 'STOP', MessageStatus: 'received' });
    expect(response.statusCode).toBe(200);
    expect((await h.call('GET', `/v1/customers/${customerId}`)).body.consents.sms).toBe(false);
  });

  it('moves a webhook receipt forward only: read after delivered, never back', async () => {
    const { provider_message_id: id } = await statusOf('wh-email');
    expect((await postWebhook({ id, status: 'read' })).statusCode).toBe(200);
    expect((await postWebhook({ id, status: 'delivered' })).statusCode).toBe(200);
    expect((await statusOf('wh-email')).status).toBe('read');
    const forged = await postWebhook({ id, status: 'clicked' }, 'a-different-secret-000000');
    expect(forged.statusCode).toBe(401);
    expect((await statusOf('wh-email')).status).toBe('read');
    const garbage = await postWebhook({ hello: 'world' });
    expect(garbage.statusCode).toBe(400);
  });
});
