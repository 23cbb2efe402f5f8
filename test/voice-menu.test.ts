import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { computeTwilioSignature } from '../src/delivery/providers/twilio-provider.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

const TWILIO_TOKEN = 'voice-auth-token';
const AGENT = '+14155550111';
// What the layout renders (src/messaging/channel-layouts.ts): a question first, the reminder after.
const QUESTION = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/v1/voice/menu?check=1" actionOnEmptyResult="true"><Say language="en-US">Hello, this is Recoup with a message for Ann. If you are Ann, please press 1. If not, please press 2.</Say></Gather></Response>';
const DISCLOSURE = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/v1/voice/menu"><Say language="en-US">Your payment of $1,500.00 was due on 20 March 2026. Press 1 for your bill, 2 for instalment options, or 0 for an agent.</Say></Gather></Response>';
const providers = { voice: { provider: 'twilio', accountSid: 'AC123', authToken: TWILIO_TOKEN, from: '+14155550000' } };

describe.each(DATABASE_KINDS)('voice DTMF menu on %s', (kind) => {
  let h: Harness;
  let calls = 0;
  const twilio = recordingProvider('twilio', (m) => ({ ok: true, providerMessageId: m.channel === 'voice' ? `CA${String(++calls).padStart(32, '0')}` : `SM${++calls}` }));
  const customers: Record<string, { id: string; callSid: string }> = {};

  const gather = (params: Record<string, string>, path = '/v1/voice/menu', signature?: string) =>
    h.server.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? computeTwilioSignature(TWILIO_TOKEN, `${h.app.config.publicUrl}${path}`, params) },
      payload: new URLSearchParams(params).toString(),
    });
  const events = (customerId: string, kinds = ['call.conversation']) =>
    h.app.db.selectFrom('interaction_events').select(['external_id', 'kind', 'channel', 'payload']).where('customer_id', '=', customerId).where('kind', 'in', kinds).orderBy('created_at').orderBy('external_id').execute();
  /** The action the TwiML's Gather posts to next, as Twilio would request it. */
  const actionOf = (twiml: string) => /<Gather [^>]*action="([^"]+)"/.exec(twiml)![1]!.replaceAll('&#38;', '&');

  /** A customer with one partly paid bill, called once: the call's sid is what Twilio will post back. */
  async function calledCustomer(key: string, locale: string, timezone: string, currency: string, phone: string, content: Record<string, unknown> = { text: 'call' }): Promise<void> {
    const customer = await h.call('POST', '/v1/customers', { externalId: key, locale, timezone, identities: { phone }, consents: { voice: true } });
    expect(customer.status).toBeLessThan(300);
    expect((await h.call('POST', '/v1/receivables', { externalId: `${key}-bill`, customerExternalId: key, kind: 'bill', amount: '1500.00', currency, dueAt: '2026-03-21T04:00:00Z' })).status).toBeLessThan(300);
    expect((await h.call('POST', '/v1/payments', { externalId: `${key}-pay`, receivableExternalId: `${key}-bill`, amount: '265.44', paidAt: h.app.clock.now().toISOString() })).status).toBeLessThan(300);
    const now = h.app.clock.now();
    await scheduleAttempts(h.app.db, now, [{ idempotencyKey: `${key}-call`, customerId: customer.body.id, receivableIds: [], channel: 'voice', templateId: 'r', content, dueAt: now, decision: {} }]);
    await h.advance(0);
    const attempt = await h.app.db.selectFrom('contact_attempts').select(['provider_message_id', 'status']).where('idempotency_key', '=', `${key}-call`).executeTakeFirstOrThrow();
    expect(attempt.status).toBe('sent');
    customers[key] = { id: customer.body.id, callSid: attempt.provider_message_id! };
  }

  beforeAll(async () => {
    h = await startHarness(kind, { providers, voice: { agentNumber: AGENT } }, { providerFor: () => twilio });
    await calledCustomer('vm-en', 'en', 'America/New_York', 'USD', '+14155550142');
    await calledCustomer('vm-zh', 'zh-CN', 'Asia/Shanghai', 'CNY', '+8613800138000');
    await calledCustomer('vm-rp', 'en', 'America/New_York', 'USD', '+14155550177', { text: 'call', twiml: QUESTION, disclosureTwiml: DISCLOSURE });
  });
  afterAll(async () => h?.close());

  it('answers 1 with the exact outstanding balance and due date, recording one call.conversation; a replay records nothing more', async () => {
    const { id, callSid } = customers['vm-en']!;
    const params = { CallSid: callSid, From: '+14155550000', To: '+14155550142', Digits: '1', AccountSid: 'AC123' };
    const response = await gather(params);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.body).toContain('<Say language="en-US">Your outstanding balance is $1,234.56, due on 20 March 2026. Press 1 for your bill');
    expect(actionOf(response.body)).toBe('/v1/voice/menu?step=2');
    expect(await events(id)).toEqual([{ external_id: `call:${callSid}:1`, kind: 'call.conversation', channel: 'voice', payload: { initiatedBy: 'collector', digits: '1', callSid } }]);

    const replay = await gather(params);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(response.body);
    expect(await events(id)).toHaveLength(1);
  });

  it('refuses a bad or missing signature, or tampered keys, with 401 and writes nothing', async () => {
    const { id, callSid } = customers['vm-en']!;
    const before = await events(id, ['call.conversation', 'handoff.requested']);
    const params = { CallSid: callSid, Digits: '0' };
    expect((await gather(params, '/v1/voice/menu?step=7', 'bm90LWEtc2lnbmF0dXJl')).statusCode).toBe(401);
    const signedForTwo = computeTwilioSignature(TWILIO_TOKEN, `${h.app.config.publicUrl}/v1/voice/menu?step=7`, { ...params, Digits: '2' });
    expect((await gather(params, '/v1/voice/menu?step=7', signedForTwo)).statusCode).toBe(401);
    // The step is in the signed URL: moving a signed request to another step is refused too.
    const signedForStep7 = computeTwilioSignature(TWILIO_TOKEN, `${h.app.config.publicUrl}/v1/voice/menu?step=7`, params);
    expect((await gather(params, '/v1/voice/menu?step=8', signedForStep7)).statusCode).toBe(401);
    const unsigned = await h.server.inject({ method: 'POST', url: '/v1/voice/menu', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(params).toString() });
    expect(unsigned.statusCode).toBe(401);
    expect(await events(id, ['call.conversation', 'handoff.requested'])).toEqual(before);
  });

  it('speaks Chinese to a zh-CN customer, and offers exact instalments on 2 at the next step', async () => {
    const { id, callSid } = customers['vm-zh']!;
    const first = await gather({ CallSid: callSid, Digits: '1' });
    expect(first.body).toContain('<Say language="zh-CN">您的待还金额为¥1,234.56，到期日3月21日。查询账单请按1');
    const next = actionOf(first.body);
    const second = await gather({ CallSid: callSid, Digits: '2' }, next);
    expect(second.statusCode).toBe(200);
    // 123456 fen in 3 parts is 41152 each; in 6, 20576 each: no remainder to place.
    expect(second.body).toContain('您可将¥1,234.56分3期，每期¥411.52，或分6期，每期¥205.76。');
    expect((await events(id)).map((e) => [e.external_id, e.payload.digits])).toEqual([
      [`call:${callSid}:1`, '1'],
      [`call:${callSid}:2`, '2'],
    ]);
  });

  it('hands off on 0: dials the configured agent, or promises a call back and records the handoff', async () => {
    const { id, callSid } = customers['vm-en']!;
    const dial = await gather({ CallSid: callSid, Digits: '0' }, '/v1/voice/menu?step=2');
    expect(dial.body).toContain(`<Dial>${AGENT}</Dial>`);
    const config = h.app.config as { voice?: { agentNumber?: string } };
    config.voice = {};
    try {
      const callback = await gather({ CallSid: callSid, Digits: '0' }, '/v1/voice/menu?step=3');
      expect(callback.body).toContain('An agent will call you back shortly.');
      expect(callback.body).toContain('<Hangup/>');
      expect(callback.body).not.toContain('<Dial>');
    } finally {
      config.voice = { agentNumber: AGENT };
    }
    const handoffs = await events(id, ['handoff.requested']);
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ channel: 'voice', payload: { mode: 'dial', callSid } });
    expect((await events(id)).map((e) => e.payload.digits)).toEqual(['1', '0', '0']);
  });

  it('repeats the menu once after a wrong or missing key, then hangs up', async () => {
    const { id, callSid } = customers['vm-zh']!;
    const wrong = await gather({ CallSid: callSid, Digits: '7' }, '/v1/voice/menu?step=3');
    expect(wrong.body).toContain('抱歉，您的输入无效。');
    expect(actionOf(wrong.body)).toBe('/v1/voice/menu?step=4&retry=1');
    const silent = await gather({ CallSid: callSid, Digits: '' }, actionOf(wrong.body));
    expect(silent.body).toContain('<Hangup/>');
    expect(silent.body).not.toContain('<Gather');
    // A pressed key is a conversation; silence is not.
    expect((await events(id)).map((e) => e.payload.digits)).toEqual(['1', '2', '7']);
  });

  it('opens with who answered: only the debtor\'s 1 hears the reminder; anyone else, or silence, hears a goodbye and nothing of the debt', async () => {
    const { id, callSid } = customers['vm-rp']!;
    const kinds = ['call.conversation', 'call.wrong_party'];
    const silence = await gather({ CallSid: callSid, Digits: '' }, '/v1/voice/menu?check=1');
    expect(silence.body).toContain('Sorry to have troubled you. Goodbye.</Say><Hangup/>');
    expect(silence.body).not.toMatch(/\$|due|bill/);
    expect(await events(id, kinds)).toEqual([]);

    const other = await gather({ CallSid: callSid, Digits: '2' }, '/v1/voice/menu?check=1');
    expect(other.body).toBe(silence.body);
    // Recorded as a wrong party, not as a conversation with the debtor (which would pause calls under Reg F).
    expect(await events(id, kinds)).toEqual([{ external_id: `call:${callSid}:identity`, kind: 'call.wrong_party', channel: 'voice', payload: { callSid } }]);

    const debtor = await gather({ CallSid: `${callSid}`, Digits: '1' }, '/v1/voice/menu?check=1');
    expect(debtor.body).toBe(DISCLOSURE);
    expect(actionOf(debtor.body)).toBe('/v1/voice/menu');
  });

  it('answers the debtor\'s 1 with the balance on a call rendered without a separate reminder', async () => {
    const { id, callSid } = customers['vm-en']!;
    const response = await gather({ CallSid: callSid, Digits: '1' }, '/v1/voice/menu?check=1');
    expect(response.body).toContain('Your outstanding balance is $1,234.56');
    expect((await events(id)).at(-1)).toMatchObject({ external_id: `call:${callSid}:identity`, payload: { rightParty: true, digits: '1' } });
  });

  it('says nothing about any debt on a call it did not place, and records nothing', async () => {
    const before = await h.app.db.selectFrom('interaction_events').select('id').execute();
    const response = await gather({ CallSid: 'CA-not-ours', Digits: '1' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('could not find this call');
    expect(response.body).not.toMatch(/\$|¥/);
    expect(await h.app.db.selectFrom('interaction_events').select('id').execute()).toHaveLength(before.length);
  });
});
