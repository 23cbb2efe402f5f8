import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

describe.each(DATABASE_KINDS)('opt-out on %s', (kind) => {
  let h: Harness;
  const provider = recordingProvider('test');
  const attemptsOf = async (customerId: string) =>
    h.app.db.selectFrom('contact_attempts').select(['idempotency_key', 'channel', 'status', 'template_id']).where('customer_id', '=', customerId).orderBy('created_at').execute();

  beforeAll(async () => {
    h = await startHarness(kind, {}, { providerFor: () => provider });
  });
  afterAll(async () => h?.close());

  it('STOP ends SMS at once, cancels pending SMS only, and is acknowledged exactly once', async () => {
    const customer = await h.call('POST', '/v1/customers', { externalId: 'oo1', locale: 'en', timezone: 'America/New_York', identities: { phone: '+14155550199', email: 'oo1@example.com' }, consents: { sms: true, email: true } });
    const id = customer.body.id as string;
    const now = h.app.clock.now();
    const base = { customerId: id, receivableIds: [], templateId: 'r', content: { text: 'pay please' }, dueAt: new Date(now.getTime() + 3_600_000), decision: {} };
    await scheduleAttempts(h.app.db, now, [{ ...base, idempotencyKey: 'oo1-sms', channel: 'sms' }, { ...base, idempotencyKey: 'oo1-email', channel: 'email' }]);

    const stop = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: '+1 (415) 555-0199' }, text: 'Stop' });
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ customerId: id, handledAs: 'opt_out' });
    expect(stop.body.replies).toHaveLength(1);
    expect(stop.body.replies[0].text).toContain('unsubscribed');

    const attempts = await attemptsOf(id);
    expect(attempts.find((a) => a.idempotency_key === 'oo1-sms')?.status).toBe('cancelled');
    expect(attempts.find((a) => a.idempotency_key === 'oo1-email')?.status).toBe('scheduled');
    expect((await h.call('GET', `/v1/customers/${id}`)).body.consents).toMatchObject({ sms: false, email: true });

    const again = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: '+14155550199' }, text: 'STOP' });
    expect(again.body).toMatchObject({ handledAs: 'opt_out', replies: [] });
    await h.advance(5);
    const acks = provider.received.filter((m) => m.customerId === id && m.channel === 'sms');
    expect(acks).toHaveLength(1);
    expect(acks[0]!.to.phone).toBe('+14155550199');
    expect((await attemptsOf(id)).filter((a) => a.template_id === 'opt_out_acknowledgement')).toHaveLength(1);
  });

  it('退订 on WeChat ends WeChat for a Chinese-speaking customer, acknowledged in Chinese', async () => {
    const customer = await h.call('POST', '/v1/customers', { externalId: 'oo2', locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { wechatOpenId: 'o-oo2' }, consents: { wechat: true } });
    const reply = await h.call('POST', '/v1/inbound', { channel: 'wechat', from: { wechatOpenId: 'o-oo2' }, text: '退订' });
    expect(reply.body.replies[0].text).toContain('您已退订');
    expect((await h.call('GET', `/v1/customers/${customer.body.id}`)).body.consents.wechat).toBe(false);
  });

  it('says nothing to a sender it cannot identify, and records nothing', async () => {
    const reply = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: '+14155550100' }, text: 'STOP' });
    expect(reply.body).toEqual({ customerId: null, handledAs: 'unknown_sender', replies: [] });
    const bad = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: 'not a phone' }, text: 'hi' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('from.phone');
  });
});
