import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import type { AttemptStatus } from '../src/db/schema.js';
import { createSendTimeProfiles } from '../src/decisioning/live/send-time-profile.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * The best time to reach a person, as the customer view shows it: their own answered contacts by
 * local hour of the week, leaning on the portfolio's pattern until they have answered often enough.
 * January 2026: New York is UTC-5, Shanghai UTC+8; 5 January is a Monday.
 */
describe('GET /v1/customers/:id bestTimeToReach', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  let serial = 0;

  async function customer(key: string, timezone: string): Promise<void> {
    const created = await h.call('POST', '/v1/customers', { externalId: key, timezone });
    expect(created.status).toBeLessThan(300);
    ids[key] = created.body.id;
  }

  async function contacts(key: string, count: number, sentAt: string, status: AttemptStatus = 'replied'): Promise<void> {
    for (let i = 0; i < count; i++) {
      await h.app.db.insertInto('contact_attempts').values({
        idempotency_key: `bt-${serial++}`, customer_id: ids[key]!, channel: 'sms', content: '{}', status, due_at: sentAt, decision: '{}', created_at: sentAt, updated_at: sentAt, sent_at: sentAt,
      }).execute();
    }
  }

  const bestFor = async (key: string) => {
    const view = await h.call('GET', `/v1/customers/${ids[key]}`);
    expect(view.status).toBe(200);
    return view.body.bestTimeToReach as { label: string; responses: number; shrinkage: number; portfolioResponses: number };
  };

  beforeAll(async () => {
    h = await startHarness('pglite');
    for (const [key, zone] of [['bt-portfolio', 'Asia/Shanghai'], ['bt-often', 'America/New_York'], ['bt-twice', 'America/New_York'], ['bt-night', 'Asia/Shanghai'], ['bt-new', 'Asia/Shanghai']] as const) await customer(key, zone);
    // The portfolio answers on Monday mornings: 10:00 in Shanghai is 02:00 UTC.
    await contacts('bt-portfolio', 100, '2026-01-05T02:00:00Z');
    // Sent but never answered, or answered too long ago: neither counts.
    await contacts('bt-portfolio', 50, '2026-01-06T06:00:00Z', 'delivered');
    await contacts('bt-portfolio', 50, '2025-06-02T06:00:00Z');
    // Tuesday 18:30 in New York is 23:30 UTC.
    await contacts('bt-often', 60, '2026-01-06T23:30:00Z');
    await contacts('bt-twice', 2, '2026-01-06T23:30:00Z');
    // Sunday 23:00 in Shanghai: outside the contact window, never a candidate however often.
    await contacts('bt-night', 60, '2026-01-04T15:00:00Z');
  });
  afterAll(async () => h?.close());

  it('follows a person who answered often, in their own time zone', async () => {
    const best = await bestFor('bt-often');
    expect(best).toMatchObject({ label: 'Tue 18:00', responses: 60 });
    expect(best.shrinkage).toBeCloseTo(50 / 110, 6);
    expect(best.portfolioResponses).toBe(100 + 60 + 2 + 60);
  });

  it('leans on the portfolio for someone with two answers, and takes it whole for someone with none', async () => {
    expect(await bestFor('bt-twice')).toMatchObject({ label: 'Mon 10:00', responses: 2 });
    expect(await bestFor('bt-new')).toMatchObject({ label: 'Mon 10:00', responses: 0, shrinkage: 1 });
  });

  it('has nothing to say before anyone has answered', async () => {
    // The same data seen from before any of it was sent.
    const early = createSendTimeProfiles(h.app.db, new VirtualClock(new Date('2025-05-01T00:00:00Z')));
    expect(await early.forCustomer(ids['bt-often']!)).toBeNull();
  });

  it('only proposes hours inside the contact window', async () => {
    const best = await bestFor('bt-night');
    expect(best.label).not.toBe('Sun 23:00');
    const hour = Number(best.label.slice(4, 6));
    expect(hour).toBeGreaterThanOrEqual(8);
    expect(hour).toBeLessThan(21);
  });
});
