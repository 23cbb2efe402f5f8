import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

interface Sent {
  key: string;
  channel: string;
  customerId: string;
  at: Date;
  text: string;
}

describe.each(DATABASE_KINDS)('collection engine on the virtual clock (%s)', (kind) => {
  let h: Harness;
  const sent: Sent[] = [];
  const provider = recordingProvider('sandbox', (message) => {
    if (message.customerId === ids.failover && message.channel === 'sms') return { ok: false, kind: 'invalid_recipient', reason: 'number disconnected' };
    sent.push({ key: message.idempotencyKey, channel: message.channel, customerId: message.customerId, at: h.app.clock.now(), text: message.content.text });
    return { ok: true, providerMessageId: `sb-${sent.length}` };
  });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() }, { providerFor: () => provider });
    const customers = [
      { externalId: 'ny', name: 'Mary', locale: 'en', timezone: 'America/New_York', identities: { phone: '+12125550101', email: 'mary@example.com' }, consents: { sms: true, email: true, voice: true } },
      { externalId: 'sh', name: '王伟', locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone: '+8613800138001', email: 'wang@example.com' }, consents: { sms: true, email: true, voice: true } },
      { externalId: 'failover', name: 'Fay', locale: 'en', timezone: 'America/Chicago', identities: { phone: '+13125550103', email: 'fay@example.com' }, consents: { sms: true, email: true } },
      { externalId: 'payer', name: 'Pat', locale: 'en', timezone: 'America/New_York', identities: { phone: '+12125550102' }, consents: { sms: true, voice: true } },
    ];
    for (const customer of customers) ids[customer.externalId] = (await h.call('POST', '/v1/customers', customer)).body.id;
    // The clock starts at 2026-03-01T00:00Z; all three fall due on 6 March, local time.
    for (const [customer, currency] of [['ny', 'USD'], ['sh', 'CNY'], ['payer', 'USD'], ['failover', 'USD']] as const) {
      const created = await h.call('POST', '/v1/receivables', { externalId: `${customer}-bill`, customerExternalId: customer, kind: 'bill', amount: '120.00', currency, dueAt: '2026-03-06' });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => h?.close());

  it('reminds before and after due, only inside contact hours in each debtor zone, at most once a day per channel', async () => {
    for (let day = 0; day < 16; day += 1) await h.advance(24 * 60);
    const byCustomer = (id: string) => sent.filter((s) => s.customerId === id);
    for (const [name, zone] of [['ny', 'America/New_York'], ['sh', 'Asia/Shanghai']] as const) {
      const mine = byCustomer(ids[name]!);
      const due = DateTime.fromISO('2026-03-07', { zone }).toJSDate();
      expect(mine.some((s) => s.at < due), `${name}: a reminder before due`).toBe(true);
      expect(mine.some((s) => s.at >= due), `${name}: a reminder after due`).toBe(true);
      for (const message of mine) {
        const local = DateTime.fromJSDate(message.at, { zone });
        const minutes = local.hour * 60 + local.minute;
        expect(minutes, `${name} at ${local.toISO()}`).toBeGreaterThanOrEqual(8 * 60);
        expect(minutes, `${name} at ${local.toISO()}`).toBeLessThan(21 * 60);
      }
      const perDay = new Map<string, number>();
      for (const message of mine) {
        const key = `${message.channel}:${DateTime.fromJSDate(message.at, { zone }).toISODate()}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
      expect(Math.max(...perDay.values()), `${name}: one a day per channel`).toBe(1);
    }
    // Same instants, different zones: the two debtors are reached at different UTC hours.
    const utcHours = (id: string) => new Set(byCustomer(id).map((s) => s.at.getUTCHours()));
    expect([...utcHours(ids.ny!)].some((hour) => utcHours(ids.sh!).has(hour))).toBe(false);
    expect(byCustomer(ids.sh!).some((s) => s.text.includes('回复TD退订'))).toBe(true);
  });

  it('fails over to the next channel in escalation order when one fails for good', async () => {
    const failed = await h.call('GET', `/v1/messages?customerId=${ids.failover}&status=failed`);
    expect(failed.body.items.length).toBeGreaterThan(0);
    expect(failed.body.items.every((m: { channel: string; lastError: string }) => m.channel === 'sms' && m.lastError.startsWith('invalid_recipient'))).toBe(true);
    const firstFailure = Math.min(...failed.body.items.map((m: { scheduledFor: string }) => Date.parse(m.scheduledFor)));
    const emails = sent.filter((s) => s.customerId === ids.failover && s.channel === 'email');
    expect(emails.length).toBeGreaterThan(0);
    expect(emails[0]!.at.getTime()).toBeGreaterThan(firstFailure);
  });

  it('records the policy decision on every message, and blocked contacts with their rule', async () => {
    const messages = await h.call('GET', `/v1/messages?customerId=${ids.ny}&limit=1000`);
    expect(messages.body.items.length).toBeGreaterThan(0);
    for (const message of messages.body.items) {
      expect(message.decision.policy).toBe('recoup-default@1');
      expect(typeof message.decision.rule).toBe('string');
    }
    const timeline = (await h.call('GET', `/v1/customers/${ids.ny}`)).body.timeline as Array<{ kind: string; summary: { decision?: { rule: string } } }>;
    const sentOnTimeline = timeline.filter((entry) => entry.kind === 'message.sent');
    expect(sentOnTimeline.length).toBeGreaterThan(0);
    expect(sentOnTimeline.every((entry) => typeof entry.summary.decision?.rule === 'string')).toBe(true);
  });

  it('stops reminding the moment a payment clears the balance', async () => {
    const paidAt = h.app.clock.now();
    const payment = await h.call('POST', '/v1/payments', { externalId: 'payer-pay', receivableExternalId: 'payer-bill', amount: '120.00', paidAt: paidAt.toISOString() });
    expect(payment.status).toBe(201);
    const pending = await h.call('GET', `/v1/messages?customerId=${ids.payer}&status=scheduled`);
    expect(pending.body.items).toEqual([]);
    for (let day = 0; day < 5; day += 1) await h.advance(24 * 60);
    expect(sent.filter((s) => s.customerId === ids.payer && s.at > paidAt)).toEqual([]);
    expect(sent.filter((s) => s.customerId === ids.ny && s.at > paidAt).length).toBeGreaterThan(0);
  });
});
