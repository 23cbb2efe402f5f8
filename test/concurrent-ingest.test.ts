import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

describe.each(DATABASE_KINDS)('concurrent batches on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('open each customer one case even when batches race to open it', async () => {
    const customers = Array.from({ length: 300 }, (_, i) => ({ type: 'customer', data: { externalId: `race-${i}`, timezone: 'UTC' } }));
    expect((await h.call('POST', '/v1/events:batch', { items: customers })).status).toBe(200);
    const batch = (round: number) =>
      customers.map((_, i) => ({ type: 'receivable', data: { externalId: `race-${i}-${round}`, customerExternalId: `race-${i}`, kind: 'bill', amount: '10', currency: 'USD', dueAt: '2026-02-01' } }));
    const responses = await Promise.all([0, 1, 2, 3].map((round) => h.call('POST', '/v1/events:batch', { items: batch(round) })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(responses.every((r) => r.body.counts.created === 300)).toBe(true);
    const open = await h.app.db.selectFrom('cases').select(({ fn }) => fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
    expect(open.n).toBe(300n);
  });
});
