import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCases } from '../src/receivables/cases.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Ingest opens or raises a case from the new receivables alone when a customer only gained debt
 * (raiseCases), and rescans a customer's receivables only when one changed or was paid. Both paths
 * must leave cases exactly where a full rescan would put them: after each batch below, a full
 * refresh at the same instant has nothing left to do.
 */
describe.each(DATABASE_KINDS)('cases after receivables arrive, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
    const customers = ['arr-a', 'arr-b', 'arr-c', 'arr-d', 'arr-e'].map((externalId) => ({ type: 'customer', data: { externalId, timezone: 'Asia/Shanghai' } }));
    expect((await h.call('POST', '/v1/events:batch', { items: customers })).body.counts.created).toBe(5);
  });
  afterAll(async () => h?.close());

  const bill = (externalId: string, customer: string, dueAt: string, extra: Record<string, unknown> = {}) => ({
    type: 'receivable',
    data: { externalId, customerExternalId: customer, kind: 'bill', amount: '100.00', currency: 'CNY', dueAt, ...extra },
  });

  async function ingest(items: unknown[]): Promise<void> {
    const res = await h.call('POST', '/v1/events:batch', { items });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts.rejected, JSON.stringify(res.body)).toBe(0);
  }

  async function caseOf(externalId: string): Promise<{ stage: string; max_days_past_due: number } | undefined> {
    return h.app.db
      .selectFrom('cases')
      .innerJoin('customers', 'customers.id', 'cases.customer_id')
      .select(['cases.stage', 'cases.max_days_past_due'])
      .where('customers.external_id', '=', externalId)
      .where('cases.status', '=', 'open')
      .executeTakeFirst();
  }

  /** What a full rescan would still change: nothing, when the arrival path did its job. */
  async function fullRefreshLeftovers() {
    return h.app.db.transaction().execute((trx) => refreshCases(trx, h.app.clock.now(), h.app.config.stages));
  }

  // The clock stands at 2026-03-01T00:00Z (08:00 in Shanghai).
  it('opens a case at the stage of the earliest new debt, and none for what is settled or far ahead', async () => {
    await ingest([
      bill('arr-a1', 'arr-a', '2026-02-20'),
      bill('arr-a2', 'arr-a', '2026-01-10'),
      bill('arr-b1', 'arr-b', '2026-02-20', { status: 'paid' }),
      bill('arr-c1', 'arr-c', '2026-06-01'),
      bill('arr-d1', 'arr-d', '2026-03-05'),
    ]);
    expect(await caseOf('arr-a')).toEqual({ stage: 'm2', max_days_past_due: 50 });
    expect(await caseOf('arr-b')).toBeUndefined();
    expect(await caseOf('arr-c')).toBeUndefined();
    expect(await caseOf('arr-d')).toEqual({ stage: 'pre_due', max_days_past_due: -5 });
    expect(await fullRefreshLeftovers()).toEqual({ opened: 0, changed: 0, closed: 0 });
  });

  it('never moves a case back when a later debt arrives, and moves it up when an earlier one does', async () => {
    await ingest([bill('arr-a3', 'arr-a', '2026-02-27'), bill('arr-d2', 'arr-d', '2025-12-15')]);
    expect(await caseOf('arr-a')).toEqual({ stage: 'm2', max_days_past_due: 50 });
    expect(await caseOf('arr-d')).toEqual({ stage: 'm3_plus', max_days_past_due: 76 });
    expect(await fullRefreshLeftovers()).toEqual({ opened: 0, changed: 0, closed: 0 });
  });

  it('writes a case off when a written-off receivable arrives', async () => {
    await ingest([bill('arr-e1', 'arr-e', '2026-02-25', { status: 'written_off' })]);
    expect((await caseOf('arr-e'))?.stage).toBe('written_off');
    expect(await fullRefreshLeftovers()).toEqual({ opened: 0, changed: 0, closed: 0 });
  });

  it('rescans a customer whose receivable changed in the same batch as a new one arrived', async () => {
    // arr-a2 (the January debt that made the case m2) moves into April while a new March bill arrives:
    // only a rescan knows the case falls back to pre_due.
    await ingest([bill('arr-a2', 'arr-a', '2026-04-10'), bill('arr-a4', 'arr-a', '2026-03-03'), bill('arr-a1', 'arr-a', '2026-04-10'), bill('arr-a3', 'arr-a', '2026-04-10')]);
    expect(await caseOf('arr-a')).toEqual({ stage: 'pre_due', max_days_past_due: -3 });
    expect(await fullRefreshLeftovers()).toEqual({ opened: 0, changed: 0, closed: 0 });
  });
});
