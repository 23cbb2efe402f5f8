import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/compliance/audit-log.js';
import { DATABASE_KINDS } from './support/databases.js';
import { CLOCK_START, type Harness, startHarness } from './support/harness.js';

// The tests below share one virtual clock, which only moves forward: they run in order, each taking
// the clock from where the previous one left it.
describe.each(DATABASE_KINDS)('cases and the virtual clock on %s', (kind) => {
  let h: Harness;
  const ids: Record<'shanghai' | 'newYork' | 'payer', string> = { shanghai: '', newYork: '', payer: '' };

  beforeAll(async () => {
    h = await startHarness(kind);
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'cc-sh', timezone: 'Asia/Shanghai' } },
        { type: 'customer', data: { externalId: 'cc-ny', timezone: 'America/New_York' } },
        { type: 'customer', data: { externalId: 'cc-pay', timezone: 'Asia/Shanghai' } },
        { type: 'receivable', data: { externalId: 'cc-sh-r', customerExternalId: 'cc-sh', kind: 'bill', amount: '300.00', currency: 'CNY', dueAt: '2026-03-20' } },
        { type: 'receivable', data: { externalId: 'cc-ny-r', customerExternalId: 'cc-ny', kind: 'bill', amount: '300.00', currency: 'USD', dueAt: '2026-03-20' } },
        { type: 'receivable', data: { externalId: 'cc-pay-r', customerExternalId: 'cc-pay', kind: 'bill', amount: '300.00', currency: 'CNY', dueAt: '2026-03-20' } },
      ],
    });
    expect(res.body.counts, JSON.stringify(res.body)).toEqual({ created: 6, updated: 0, duplicate: 0, rejected: 0 });
    [ids.shanghai, ids.newYork, ids.payer] = res.body.results.slice(0, 3).map((r: { id: string }) => r.id);
  });
  afterAll(async () => h?.close());

  async function now(): Promise<string> {
    const res = await h.call('GET', '/v1/clock');
    expect(res.status).toBe(200);
    return res.body.now as string;
  }

  /** Advances the virtual clock to `iso` and checks that it landed there. */
  async function advanceTo(iso: string): Promise<void> {
    const minutes = (Date.parse(iso) - Date.parse(await now())) / 60_000;
    expect(Number.isInteger(minutes) && minutes >= 0, `${iso} is a whole number of minutes ahead`).toBe(true);
    expect(await h.advance(minutes)).toBe(new Date(iso).toISOString());
  }

  async function openCases(customerId: string): Promise<Array<{ stage: string; daysPastDue: number; status: string; stageChangedAt: string }>> {
    const res = await h.call('GET', `/v1/cases?customerId=${customerId}&status=open`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  }

  async function stageOf(customerId: string): Promise<string | null> {
    const cases = await openCases(customerId);
    expect(cases.length).toBeLessThanOrEqual(1);
    return cases[0]?.stage ?? null;
  }

  async function stageChanges(customerId: string): Promise<Array<{ at: string; from: string | null; to: string | null }>> {
    const view = await h.call('GET', `/v1/customers/${customerId}`);
    expect(view.status).toBe(200);
    return (view.body.timeline as Array<{ at: string; kind: string; summary: { from: string | null; to: string | null } }>)
      .filter((e) => e.kind === 'case.stage_changed')
      .map((e) => ({ at: e.at, from: e.summary.from, to: e.summary.to }))
      .reverse();
  }

  it('reads a bare due date as the local midnight that ends it, and opens no case a month ahead', async () => {
    const receivables = await h.call('GET', '/v1/receivables?limit=10');
    const dueAt = Object.fromEntries(receivables.body.items.map((r: { externalId: string; dueAt: string }) => [r.externalId, r.dueAt]));
    expect(dueAt).toEqual({ 'cc-sh-r': '2026-03-20T16:00:00.000Z', 'cc-ny-r': '2026-03-21T04:00:00.000Z', 'cc-pay-r': '2026-03-20T16:00:00.000Z' });
    expect(await now()).toBe(CLOCK_START);
    expect(await stageOf(ids.shanghai)).toBeNull();
    expect(await stageOf(ids.newYork)).toBeNull();
  });

  it('opens a pre_due case 7 days before the due instant, not a minute earlier', async () => {
    await advanceTo('2026-03-13T15:59:00Z');
    expect(await stageOf(ids.shanghai)).toBeNull();
    await advanceTo('2026-03-13T16:00:00Z');
    expect(await stageOf(ids.shanghai)).toBe('pre_due');
    expect(await stageOf(ids.payer)).toBe('pre_due');
    expect((await openCases(ids.shanghai))[0]!.daysPastDue).toBe(-7);
    // New York's due instant is 12 hours later, so is its pre-due window.
    expect(await stageOf(ids.newYork)).toBeNull();
    await advanceTo('2026-03-14T03:59:00Z');
    expect(await stageOf(ids.newYork)).toBeNull();
    await advanceTo('2026-03-14T04:00:00Z');
    expect(await stageOf(ids.newYork)).toBe('pre_due');
  });

  it('turns m1 right after local midnight ends the due day: Shanghai at 16:00Z, New York (UTC-4) at 04:00Z next day', async () => {
    await advanceTo('2026-03-20T15:59:00Z');
    expect(await stageOf(ids.shanghai)).toBe('pre_due');
    await advanceTo('2026-03-20T16:00:00Z');
    expect(await stageOf(ids.shanghai)).toBe('m1');
    expect((await openCases(ids.shanghai))[0]).toMatchObject({ daysPastDue: 1, stageChangedAt: '2026-03-20T16:00:00.000Z' });
    expect(await stageOf(ids.newYork)).toBe('pre_due');
    await advanceTo('2026-03-21T03:59:00Z');
    expect(await stageOf(ids.newYork)).toBe('pre_due');
    await advanceTo('2026-03-21T04:00:00Z');
    expect(await stageOf(ids.newYork)).toBe('m1');
  });

  it('closes the case when the last receivable is paid in full, and keeps it closed as time passes', async () => {
    expect(await stageOf(ids.payer)).toBe('m1');
    const paid = await h.call('POST', '/v1/payments', { externalId: 'cc-pay-p1', receivableExternalId: 'cc-pay-r', amount: '300.00', paidAt: await now() });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.receivable.status).toBe('paid');
    expect(await openCases(ids.payer)).toEqual([]);
    const closed = await h.call('GET', `/v1/cases?customerId=${ids.payer}&status=closed`);
    expect(closed.body.items).toHaveLength(1);
    expect(closed.body.items[0]).toMatchObject({ status: 'closed', closedAt: '2026-03-21T04:00:00.000Z' });
    await advanceTo('2026-04-01T00:00:00Z');
    expect(await openCases(ids.payer)).toEqual([]);
  });

  it('turns m2 from day 31', async () => {
    await advanceTo('2026-04-19T15:59:00Z');
    expect(await stageOf(ids.shanghai)).toBe('m1');
    expect((await openCases(ids.shanghai))[0]!.daysPastDue).toBe(30);
    await advanceTo('2026-04-19T16:00:00Z');
    expect(await stageOf(ids.shanghai)).toBe('m2');
    expect((await openCases(ids.shanghai))[0]!.daysPastDue).toBe(31);
    expect(await stageOf(ids.newYork)).toBe('m1');
  });

  it('turns m3_plus from day 61, and stops at each crossing on the way of one long advance', async () => {
    // One advance over New York's day-31 crossing (2026-04-20T04:00Z) to just before Shanghai's day 61.
    await advanceTo('2026-05-19T15:59:00Z');
    expect(await stageOf(ids.shanghai)).toBe('m2');
    expect(await stageOf(ids.newYork)).toBe('m2');
    expect((await openCases(ids.newYork))[0]!.stageChangedAt).toBe('2026-04-20T04:00:00.000Z');
    await advanceTo('2026-05-19T16:00:00Z');
    expect(await stageOf(ids.shanghai)).toBe('m3_plus');
    expect((await openCases(ids.shanghai))[0]!.daysPastDue).toBe(61);
  });

  it('shows every stage change in the customer timeline, at the instant it happened', async () => {
    expect(await stageChanges(ids.shanghai)).toEqual([
      { at: '2026-03-13T16:00:00.000Z', from: null, to: 'pre_due' },
      { at: '2026-03-20T16:00:00.000Z', from: 'pre_due', to: 'm1' },
      { at: '2026-04-19T16:00:00.000Z', from: 'm1', to: 'm2' },
      { at: '2026-05-19T16:00:00.000Z', from: 'm2', to: 'm3_plus' },
    ]);
    expect(await stageChanges(ids.newYork)).toEqual([
      { at: '2026-03-14T04:00:00.000Z', from: null, to: 'pre_due' },
      { at: '2026-03-21T04:00:00.000Z', from: 'pre_due', to: 'm1' },
      { at: '2026-04-20T04:00:00.000Z', from: 'm1', to: 'm2' },
    ]);
    expect(await stageChanges(ids.payer)).toEqual([
      { at: '2026-03-13T16:00:00.000Z', from: null, to: 'pre_due' },
      { at: '2026-03-20T16:00:00.000Z', from: 'pre_due', to: 'm1' },
      { at: '2026-03-21T04:00:00.000Z', from: 'm1', to: null },
    ]);
  });

  it('answers GET /v1/clock with the advanced time, and filters cases by stage', async () => {
    expect(await h.call('GET', '/v1/clock')).toEqual({ status: 200, body: { now: '2026-05-19T16:00:00.000Z' } });
    expect(await h.advance(90)).toBe('2026-05-19T17:30:00.000Z');
    expect((await h.call('GET', '/v1/clock')).body.now).toBe('2026-05-19T17:30:00.000Z');
    const m3 = await h.call('GET', '/v1/cases?stage=m3_plus');
    expect(m3.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.shanghai]);
    const m2 = await h.call('GET', '/v1/cases?stage=m2&status=open');
    expect(m2.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.newYork]);
  });

  it('keeps an audit chain that verifies after writes, and that the database refuses to edit', async () => {
    const before = await verifyAuditChain(h.app.db);
    expect(before.ok, before.reason).toBe(true);
    const key = await h.call('POST', '/v1/api-keys', { name: 'cc-auditor', role: 'auditor' });
    expect(key.status).toBe(201);
    const ingest = await h.call('POST', '/v1/customers', { externalId: 'cc-audit', name: 'Audited' });
    expect(ingest.status).toBe(201);
    const after = await verifyAuditChain(h.app.db);
    expect(after).toEqual({ ok: true, entries: before.entries + 2 });
    const actions = await h.app.db.selectFrom('audit_log').select(['action', 'actor']).orderBy('seq', 'desc').limit(2).execute();
    expect(actions.map((a) => a.action)).toEqual(['ingest', 'api_key.created']);
    expect(actions[0]!.actor).toMatch(/^api_key:/);

    await expect(sql`update audit_log set actor = 'mallory'`.execute(h.app.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(h.app.db)).rejects.toThrow(/append-only/);
    await expect(h.app.db.updateTable('audit_log').set({ details: JSON.stringify({ forged: true }) }).where('action', '=', 'ingest').execute()).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(h.app.db)).toEqual({ ok: true, entries: after.entries });
  });
});
