import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../src/core/clock.js';
import type { AttemptStatus, CaseStage, Channel } from '../src/db/schema.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { GROUP_BYS } from '../src/analytics/kpis.js';
import { refreshKpiRollup } from '../src/analytics/kpi-rollup.js';

/**
 * A small portfolio built so that every figure of February 2026 can be worked out by hand (the
 * expectations below say how). Rows the API cannot write (attempts in a given state, timeline events,
 * case transitions, promises) are inserted directly, as the engine would have left them.
 */
describe.each(DATABASE_KINDS)('GET /v1/analytics/kpis on %s', (kind) => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const february = '/v1/analytics/kpis?from=2026-02-01&to=2026-02-28';

  async function post(url: string, body: unknown): Promise<any> {
    const response = await h.call('POST', url, body);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    return response.body;
  }

  async function attempt(key: string, customer: string, channel: Channel, status: AttemptStatus, dueAt: string, extra: { template?: string; stage?: string; receivables?: string[]; decisioning?: Record<string, string> } = {}) {
    const sent = status === 'failed' || status === 'scheduled' || status === 'cancelled' ? null : dueAt;
    await h.app.db.insertInto('contact_attempts').values({
      idempotency_key: key, customer_id: ids[customer]!, receivable_ids: (extra.receivables ?? []).map((r) => ids[r]!), channel, provider: 'sandbox',
      template_id: extra.template ?? null, content: '{}', status, due_at: dueAt, decision: JSON.stringify({ ...(extra.stage ? { stage: extra.stage } : {}), ...(extra.decisioning ? { decisioning: extra.decisioning } : {}) }),
      created_at: dueAt, updated_at: dueAt, sent_at: sent,
    }).execute();
  }

  async function event(customer: string, kind: string, at: string, payload: Record<string, unknown> = {}) {
    await h.app.db.insertInto('interaction_events').values({ customer_id: ids[customer]!, kind, channel: 'sms', occurred_at: at, payload: JSON.stringify(payload), created_at: at }).execute();
  }

  async function caseWith(customer: string, moves: Array<[CaseStage | null, CaseStage | null, string]>) {
    const row = await h.app.db.insertInto('cases').values({ customer_id: ids[customer]!, stage: 'm1', status: 'closed', max_days_past_due: 0, opened_at: moves[0]![2], stage_changed_at: moves[0]![2], closed_at: '2026-03-31T00:00:00Z' }).returning('id').executeTakeFirstOrThrow();
    for (const [from, to, at] of moves) await h.app.db.insertInto('case_transitions').values({ case_id: row.id, from_stage: from, to_stage: to, at }).execute();
  }

  async function promise(customer: string, promisedFor: string, status: 'open' | 'kept' | 'broken') {
    await h.app.db.insertInto('promises_to_pay').values({ customer_id: ids[customer]!, receivable_ids: [], amount_minor: 1000n, currency: 'CNY', promised_for: promisedFor, status, source: 'api', created_at: '2026-01-15T00:00:00Z' }).execute();
  }

  beforeAll(async () => {
    h = await startHarness(kind);
    // After every date below, so the cases the engine opens itself (at this instant) fall outside February.
    (h.app.clock as VirtualClock).set(new Date('2026-03-10T00:00:00Z'));
    for (const [name, segment] of [['A', 'gold'], ['B', undefined], ['C', undefined]] as const) {
      const customer = await post('/v1/customers', { externalId: `kpi-${name}`, locale: 'en', timezone: 'UTC', attributes: segment ? { segment } : {} });
      ids[name] = customer.id;
    }
    const bill = async (name: string, customer: string, amount: string, currency: string, dueAt: string) => {
      ids[name] = (await post('/v1/receivables', { externalId: `kpi-${name}`, customerExternalId: `kpi-${customer}`, kind: 'bill', amount, currency, dueAt })).id;
    };
    await bill('rA1', 'A', '100.00', 'CNY', '2026-02-05T00:00:00Z');
    await bill('rA2', 'A', '40.00', 'CNY', '2026-03-05T00:00:00Z');
    await bill('rB1', 'B', '50.00', 'CNY', '2026-01-20T00:00:00Z');
    await bill('rB2', 'B', '30.00', 'USD', '2026-02-10T00:00:00Z');
    const pay = (externalId: string, receivable: string, amount: string, paidAt: string) => post('/v1/payments', { externalId, receivableExternalId: `kpi-${receivable}`, amount, paidAt });
    await pay('kpi-p0', 'rB1', '10.00', '2026-01-25T00:00:00Z');
    await pay('kpi-p1', 'rA1', '60.00', '2026-02-08T12:00:00Z');
    await pay('kpi-p2', 'rB1', '40.00', '2026-02-03T12:00:00Z');
    await pay('kpi-p3', 'rB2', '5.00', '2026-03-05T00:00:00Z');

    await attempt('a1', 'A', 'sms', 'delivered', '2026-02-06T10:00:00Z', { template: 'm1-sms', stage: 'm1', receivables: ['rA1'], decisioning: { mode: 'ai', group: 'policy' } });
    await attempt('a2', 'A', 'email', 'failed', '2026-02-06T09:00:00Z', { template: 'm1-email', stage: 'm1', receivables: ['rA1'] });
    await attempt('a3', 'B', 'sms', 'clicked', '2026-02-02T10:00:00Z', { template: 'm1-sms', stage: 'm2', receivables: ['rB1'], decisioning: { mode: 'ai', group: 'control' } });
    await attempt('a4', 'B', 'email', 'sent', '2026-02-20T10:00:00Z', { template: 'm2-email', stage: 'm2', receivables: ['rB2'], decisioning: { mode: 'baseline' } });
    await attempt('a5', 'B', 'sms', 'scheduled', '2026-02-25T10:00:00Z', { stage: 'm2' });
    await attempt('a6', 'A', 'sms', 'delivered', '2026-01-30T10:00:00Z', { stage: 'm1' });
    await attempt('a7', 'B', 'voice', 'cancelled', '2026-02-10T10:00:00Z', { stage: 'm2' });

    await event('A', 'message.inbound', '2026-02-06T11:00:00Z');
    await event('A', 'handoff.requested', '2026-02-07T00:00:00Z', { reason: 'human_agent' });
    await event('A', 'handoff.requested', '2026-03-02T00:00:00Z', { reason: 'complaint' });
    await event('B', 'message.inbound', '2026-02-04T00:00:00Z');
    await event('B', 'handoff.requested', '2026-02-04T00:00:00Z', { reason: 'complaint' });
    await event('C', 'message.inbound', '2026-02-10T00:00:00Z');
    await h.app.db.insertInto('consent_ledger').values({ customer_id: ids.B!, channel: 'sms', granted: false, source: 'test', recorded_at: '2026-02-05T00:00:00Z' }).execute();

    await caseWith('A', [[null, 'pre_due', '2026-01-20T00:00:00Z'], ['pre_due', 'm1', '2026-02-05T00:00:00Z'], ['m1', 'm2', '2026-02-15T00:00:00Z']]);
    await caseWith('B', [[null, 'm1', '2026-02-10T00:00:00Z'], ['m1', null, '2026-02-20T00:00:00Z']]);
    await caseWith('C', [[null, 'm1', '2026-01-10T00:00:00Z'], ['m1', 'm2', '2026-01-25T00:00:00Z']]);
    await caseWith('C', [[null, 'm2', '2026-03-05T00:00:00Z']]);

    await promise('A', '2026-02-10T00:00:00Z', 'kept');
    await promise('B', '2026-02-12T00:00:00Z', 'broken');
    await promise('C', '2026-02-15T00:00:00Z', 'open');
    await promise('C', '2026-03-05T00:00:00Z', 'kept');
  });
  afterAll(async () => h?.close());

  it('gives contact outcomes for the window: attempts a1-a4 count, scheduled, cancelled and January ones do not', async () => {
    const response = await h.call('GET', `${february}&groupBy=channel`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const report = response.body;
    expect(report.from).toBe('2026-02-01T00:00:00.000Z');
    expect(report.to).toBe('2026-03-01T00:00:00.000Z');
    // Reached a1, a3, a4 of 4 tried; a1 answered by message, a3 by a click; a1 and a3 followed by payments
    // on their bills within 7 days (a4's came 13 days later); a3 by B's complaint and SMS opt-out.
    expect(report.totals).toEqual({
      key: 'all', attempted: 4, reached: 3, responded: 2, converted: 2, complained: 1, optedOut: 1,
      reachRate: '0.7500', responseRate: '0.6667', conversionRate: '0.6667', complaintRate: '0.3333', optOutRate: '0.3333',
    });
    expect(report.groups).toEqual([
      { key: 'email', attempted: 2, reached: 1, responded: 0, converted: 0, complained: 0, optedOut: 0, reachRate: '0.5000', responseRate: '0.0000', conversionRate: '0.0000', complaintRate: '0.0000', optOutRate: '0.0000' },
      { key: 'sms', attempted: 2, reached: 2, responded: 2, converted: 2, complained: 1, optedOut: 1, reachRate: '1.0000', responseRate: '1.0000', conversionRate: '1.0000', complaintRate: '0.5000', optOutRate: '0.5000' },
    ]);
  });

  it('splits by stage, segment, template and day', async () => {
    const keysAndCounts = async (groupBy: string) => {
      const response = await h.call('GET', `${february}&groupBy=${groupBy}`);
      expect(response.status).toBe(200);
      return response.body.groups.map((g: any) => [g.key, g.attempted, g.reached, g.converted]);
    };
    expect(await keysAndCounts('stage')).toEqual([['m1', 2, 1, 1], ['m2', 2, 2, 1]]);
    expect(await keysAndCounts('segment')).toEqual([['(none)', 2, 2, 1], ['gold', 2, 1, 1]]);
    expect(await keysAndCounts('template')).toEqual([['m1-email', 1, 0, 0], ['m1-sms', 2, 2, 2], ['m2-email', 1, 1, 0]]);
    expect(await keysAndCounts('day')).toEqual([['2026-02-02', 1, 1, 1], ['2026-02-06', 2, 1, 1], ['2026-02-20', 1, 1, 0]]);
    // Who chose each contact: the learning policy, its control group on the baseline schedule, the baseline mode.
    expect(await keysAndCounts('decisioning')).toEqual([['(none)', 1, 0, 0], ['ai', 1, 1, 1], ['baseline', 1, 1, 0], ['control', 1, 1, 1]]);
  });

  it('gives recovery per currency, roll rates, promises kept and handoffs', async () => {
    const report = (await h.call('GET', february)).body;
    expect(report.groupBy).toBe('day');
    // CNY: rA1 100 due in February, rB1 40 still owed on 1 February (10 paid in January); 60 + 40 paid.
    // USD: rB2 30, its payment came in March. rA2 falls due after the window.
    expect(report.recovery).toEqual([
      { currency: 'CNY', amountOverdue: '140.00', amountRecovered: '100.00', recoveryRate: '0.7143', amountWrittenOff: '0.00', badDebtRate: '0.0000' },
      { currency: 'USD', amountOverdue: '30.00', amountRecovered: '0.00', recoveryRate: '0.0000', amountWrittenOff: '0.00', badDebtRate: '0.0000' },
    ]);
    // pre_due: A's case, rolled on 5 Feb. m1: A's (rolled 15 Feb) and B's (cured), not C's (left in January).
    // m2: A's from 15 Feb and C's from January, neither rolled; the case opened in March is outside.
    expect(report.rollRates).toEqual([
      { from: 'pre_due', to: 'm1', cases: 1, rolled: 1, rate: '1.0000' },
      { from: 'm1', to: 'm2', cases: 2, rolled: 1, rate: '0.5000' },
      { from: 'm2', to: 'm3_plus', cases: 2, rolled: 0, rate: '0.0000' },
      { from: 'm3_plus', to: 'written_off', cases: 0, rolled: 0, rate: null },
    ]);
    // Of the promises due in February one kept, one broken; the open one is not settled yet.
    expect(report.promiseKept).toEqual({ numerator: 1, denominator: 2, rate: '0.5000' });
    // A, B and C wrote; A and B were handed to a human (A's March complaint is outside).
    expect(report.handoff).toEqual({ numerator: 2, denominator: 3, rate: '0.6667' });
    expect(report.costPerUnitRecovered).toBeNull();
    expect(report.unavailable).toEqual([{ kpi: 'costPerUnitRecovered', reason: 'no channel costs are configured' }]);
  });

  it('gives the same figures from the daily rollup as counted live, for every grouping and a window cut mid-day', async () => {
    const windows = [february, '/v1/analytics/kpis?from=2026-02-06T09:30:00Z&to=2026-02-20T12:00:00Z'];
    const live = new Map<string, unknown>();
    for (const w of windows) for (const groupBy of GROUP_BYS) {
      const report = (await h.call('GET', `${w}&groupBy=${groupBy}`)).body;
      expect(report.rolledUpAt).toBeNull();
      live.set(`${w}|${groupBy}`, { totals: report.totals, groups: report.groups });
    }
    expect(await refreshKpiRollup(h.app.db, h.app.clock.now(), { discover: true })).toBeGreaterThan(0);
    // Every day from the first attempt's (30 January) to the day before the clock's (9 March) is counted.
    const days = await h.app.db.selectFrom('kpi_days' as never).select('day' as never).where('counted_at' as never, 'is not', null).execute();
    for (const day of ['2026-01-30', '2026-02-15', '2026-03-09']) expect(days).toContainEqual({ day });
    for (const w of windows) for (const groupBy of GROUP_BYS) {
      const report = (await h.call('GET', `${w}&groupBy=${groupBy}`)).body;
      expect(report.rolledUpAt, `${w} ${groupBy}`).toBe(h.app.clock.now().toISOString());
      expect({ totals: report.totals, groups: report.groups }, `${w} ${groupBy}`).toEqual(live.get(`${w}|${groupBy}`));
    }
    // The rollup holds the days, not a copy of the answer: its rows are per day and grouping.
    const rows = await h.app.db.selectFrom('kpi_daily' as never).select(['day' as never, 'group_by' as never, 'grp' as never]).where('group_by' as never, '=', 'channel' as never).orderBy('day' as never).execute();
    expect(rows).toEqual([
      { day: '2026-01-30', group_by: 'channel', grp: 'sms' },
      { day: '2026-02-02', group_by: 'channel', grp: 'sms' },
      { day: '2026-02-06', group_by: 'channel', grp: 'email' },
      { day: '2026-02-06', group_by: 'channel', grp: 'sms' },
      { day: '2026-02-20', group_by: 'channel', grp: 'email' },
    ]);
  });

  it('counts a late payment at once: the days it converts are marked stale and counted live until the next run', async () => {
    const before = (await h.call('GET', `${february}&groupBy=channel`)).body.totals.converted;
    // a4 (email to B, sent 20 February) now has a payment on its bill three days later, reported in March.
    await post('/v1/payments', { externalId: 'kpi-late', receivableExternalId: 'kpi-rB2', amount: '1.00', paidAt: '2026-02-23T00:00:00Z' });
    const after = (await h.call('GET', `${february}&groupBy=channel`)).body;
    expect(after.totals.converted).toBe(before + 1);
    await refreshKpiRollup(h.app.db, h.app.clock.now());
    const recounted = (await h.call('GET', `${february}&groupBy=channel`)).body;
    expect(recounted.totals).toEqual(after.totals);
    expect(recounted.rolledUpAt).not.toBeNull();
  });

  it('counts as bad debt what debtors written off in the window still owed at its end', async () => {
    // B's case is written off on 25 February: rB2 (USD 30, 1.00 of it paid late on 23 February) is bad debt; rB1 was paid off.
    await caseWith('B', [['m3_plus', 'written_off', '2026-02-25T00:00:00Z']]);
    const report = (await h.call('GET', february)).body;
    expect(report.recovery.map((r: any) => [r.currency, r.amountWrittenOff, r.badDebtRate])).toEqual([['CNY', '0.00', '0.0000'], ['USD', '29.00', '0.9667']]);
  });

  it('answers an empty window with null rates, not zeros', async () => {
    const report = (await h.call('GET', '/v1/analytics/kpis?from=2025-06-01&to=2025-06-30&groupBy=channel')).body;
    expect(report.groups).toEqual([]);
    expect(report.totals.reachRate).toBeNull();
    expect(report.promiseKept.rate).toBeNull();
    expect(report.recovery).toEqual([]);
  });

  it('is open to analysts and auditors, not to agents', async () => {
    const key = async (role: string) => (await post('/v1/api-keys', { name: `kpi-${role}`, role })).key as string;
    expect((await h.call('GET', february, undefined, await key('analyst'))).status).toBe(200);
    expect((await h.call('GET', february, undefined, await key('auditor'))).status).toBe(200);
    expect((await h.call('GET', february, undefined, await key('agent'))).status).toBe(403);
  });

  it('refuses a bad range or grouping, naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['groupBy=week', 'query.groupBy'],
      ['from=2026-02-30', 'query.from'],
      ['from=2026-03-01&to=2026-02-01', 'query.from'],
      ['to=yesterday', 'query.to'],
      ['from=2020-01-01&to=2026-01-01', 'query.from'],
    ];
    for (const [query, field] of cases) {
      const response = await h.call('GET', `/v1/analytics/kpis?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.type).toBe('validation');
      expect(response.body.error.details.map((d: any) => d.field), query).toContain(field);
    }
  });
});
