import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../src/core/clock.js';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { createDeliveryWork } from '../src/delivery/delivery-work.js';
import { loadResponseRows } from '../src/decisioning/training/response-rows.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

// Starting an app on a fresh database and seeding it can take minutes on a busy machine.
const HOOK_TIMEOUT_MS = 300_000;

/**
 * One debtor's history, built so that every feature and label of the training set can be worked out
 * by hand, including a payment file that arrives late: a payment made before a contact but recorded
 * after it must not be visible in that contact's features (the planner could not have seen it).
 */
describe.each(DATABASE_KINDS)('the response training set on %s', (kind) => {
  let h: Harness;
  const clock = () => h.app.clock as VirtualClock;
  const at = (iso: string) => new Date(iso);

  async function pay(externalId: string, amount: string, paidAt: string, recordedAt: string) {
    clock().set(at(recordedAt));
    const response = await h.call('POST', '/v1/payments', { externalId, receivableExternalId: 'ts-r', amount, paidAt });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }

  beforeAll(async () => {
    h = await startHarness(kind, { training: { retrainHours: 0 } });
    await h.call('POST', '/v1/customers', { externalId: 'ts', timezone: 'UTC', locale: 'en', identities: { phone: '+14155550188' } });
    const receivable = await h.call('POST', '/v1/receivables', { externalId: 'ts-r', customerExternalId: 'ts', kind: 'bill', amount: '60.00', currency: 'CNY', dueAt: '2026-02-01' });
    const customerId = receivable.body.customerId as string;
    const attempt = (key: string, dueAt: string) => ({
      idempotencyKey: key, customerId, receivableIds: [receivable.body.id as string], channel: 'sms' as const, templateId: 'reminder',
      content: { text: 'reminder' }, dueAt: at(dueAt), decision: { stage: 'm1' },
    });
    await scheduleAttempts(h.app.db, clock().now(), [attempt('ts-1', '2026-03-02T10:00:00Z'), attempt('ts-2', '2026-03-06T10:00:00Z'), attempt('ts-3', '2026-03-12T10:00:00Z')]);
    const delivery = createDeliveryWork({ db: h.app.db, clock: clock(), vault: h.app.vault, providerFor: (c) => h.app.providers.forChannel(c), logger: { warn: () => undefined } });
    const send = async (iso: string) => {
      clock().set(at(iso));
      await delivery.runDue(clock().now());
    };
    await send('2026-03-02T10:00:00Z');
    await send('2026-03-06T10:00:00Z');
    await pay('ts-p0', '20.00', '2026-03-08T11:00:00Z', '2026-03-08T12:00:00Z');
    await send('2026-03-12T10:00:00Z');
    // Made on 4 March, two days after the first contact, but the payment file only arrived on the 20th.
    await pay('ts-p1', '30.00', '2026-03-04T09:00:00Z', '2026-03-20T09:00:00Z');
    // Nine days after the third contact: outside its seven-day window.
    await pay('ts-p2', '10.00', '2026-03-21T10:00:00Z', '2026-03-22T00:00:00Z');
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('labels each contact by a payment within the window and builds features only from what was known when it was sent', async () => {
    const rows = await loadResponseRows(h.app.db, at('2026-03-25T00:00:00Z'), 7, 1000);
    expect([...rows.labels]).toEqual([1, 1, 0]);
    expect(rows.from?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(rows.to?.toISOString()).toBe('2026-03-12T10:00:00.000Z');
    const common = { channel: 'sms', template: 'reminder', stage: 'm1', receivable_kind: 'bill', receivable_count: 1, local_hour: 10, prior_inbound: 0, locale: 'en' };
    expect(rows.records).toEqual([
      // Due 1 Feb means late from the first instant of 2 Feb (UTC): 2 March 10:00 is day 29.
      { ...common, days_past_due: 29, weekday: 'mon', amount_bucket: '50_200', contacts_7d: 0, prior_contacts: 0, prior_responses: 0, prior_payments: 0 },
      // The 4 March payment had happened but was not yet recorded: still 60 owed, no payment known.
      { ...common, days_past_due: 33, weekday: 'fri', amount_bucket: '50_200', contacts_7d: 1, prior_contacts: 1, prior_responses: 0, prior_payments: 0 },
      // By 12 March only the 8 March payment (20) is known: 40 owed, and it came within 7 days of both earlier contacts.
      { ...common, days_past_due: 39, weekday: 'thu', amount_bucket: 'lt_50', contacts_7d: 1, prior_contacts: 2, prior_responses: 2, prior_payments: 1 },
    ]);
  });

  it('leaves out contacts whose window has not closed yet', async () => {
    const rows = await loadResponseRows(h.app.db, at('2026-03-19T09:59:59Z'), 7, 1000);
    expect(rows.labels.length).toBe(2);
    const capped = await loadResponseRows(h.app.db, at('2026-03-25T00:00:00Z'), 7, 2);
    // The newest rows are kept under the cap, in time order.
    expect(capped.from?.toISOString()).toBe('2026-03-06T10:00:00.000Z');
  });
});
