import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveDecisioning, DEFAULT_DECISIONING } from '../src/decisioning/live/live-decisioning.js';
import { planContacts, type PlannerDeps } from '../src/delivery/planner.js';
import { splitOpenCases, WHOLE_RANGE } from '../src/delivery/planning-threads.js';
import { loadPolicyFile } from '../src/strategy/load-policy-file.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'America/Los_Angeles'];
const DEBTORS = 48;

/**
 * Planning a run in several threads (src/delivery/planning-threads.ts) on PostgreSQL: the threads'
 * parts cover every open case once, and together they plan exactly what one thread plans alone,
 * the learning policy's draws and propensities included. Threads load the compiled planner from
 * dist/, which the test setup builds from these sources.
 */
describe.runIf(process.env.DATABASE_URL)('planning in threads on postgres', () => {
  let h: Harness;
  const policy = loadPolicyFile(policyWithoutControlGroup());

  beforeAll(async () => {
    h = await startHarness('postgres');
    const items: unknown[] = [];
    for (let i = 0; i < DEBTORS; i++) {
      const locale = i % 3 === 0 ? 'zh-CN' : 'en';
      items.push({ type: 'customer', data: { externalId: `thr-${i}`, locale, timezone: ZONES[i % ZONES.length], identities: { phone: `+86138000${String(30000 + i)}`, ...(i % 2 === 0 ? { email: `thr-${i}@example.com` } : {}) }, consents: { sms: true, email: true, voice: i % 4 !== 0 } } });
      // Amounts and days overdue spread over stages and amount bands: many situations for the learning policy.
      items.push({ type: 'receivable', data: { externalId: `thr-r-${i}`, customerExternalId: `thr-${i}`, kind: 'bill', amount: `${50 + 37 * i}.00`, currency: locale === 'zh-CN' ? 'CNY' : 'USD', dueAt: new Date(Date.parse('2026-02-27') - (i % 80) * 86_400_000).toISOString().slice(0, 10) } });
    }
    const res = await h.call('POST', '/v1/events:batch', { items });
    expect(res.status).toBe(200);
  });
  afterAll(async () => h?.close());

  const deps = (threads?: PlannerDeps['threads']): PlannerDeps => ({ db: h.app.db, policy: () => policy, decisioning: createLiveDecisioning(DEFAULT_DECISIONING), threads });
  const planned = () =>
    h.app.db.selectFrom('contact_attempts').select(['idempotency_key', 'customer_id', 'channel', 'status', 'due_at', 'content', 'decision']).orderBy('idempotency_key').execute();
  const forget = async () => {
    await sql`delete from contact_attempts`.execute(h.app.db);
    await sql`delete from decision_reasons`.execute(h.app.db);
  };

  it('splits the open cases into contiguous ranges of about equal size, or not at all when there are too few', async () => {
    const open = (await h.app.db.selectFrom('cases').select('customer_id').where('status', '=', 'open').orderBy('customer_id').execute()).map((c) => c.customer_id);
    expect(open).toHaveLength(DEBTORS);
    const ranges = await splitOpenCases(h.app.db, 3, 10);
    expect(ranges).toEqual([
      { after: WHOLE_RANGE.after, upTo: open[15] },
      { after: open[15], upTo: open[31] },
      { after: open[31] },
    ]);
    // At least 20 cases a part: 48 make two parts, not three.
    expect(await splitOpenCases(h.app.db, 3, 20)).toEqual([{ after: WHOLE_RANGE.after, upTo: open[23] }, { after: open[23] }]);
    expect(await splitOpenCases(h.app.db, 2, 25)).toEqual([WHOLE_RANGE]);
  });

  it('plans in three threads exactly what one thread plans alone', async () => {
    const now = h.app.clock.now();
    const alone = await planContacts(deps(), now, 5);
    const aloneRows = await planned();
    expect(alone.cases).toBe(DEBTORS);
    expect(aloneRows.length).toBe(alone.scheduled + alone.blocked);
    const learnt = aloneRows.filter((r) => (r.decision as { decisioning?: { group?: string } }).decisioning?.group === 'policy');
    expect(learnt.length).toBeGreaterThan(DEBTORS / 2);

    await forget();
    const threaded = await planContacts(deps({ count: 3, databaseUrl: h.app.config.databaseUrl!, minCasesPerThread: 10 }), now, 5);
    expect(threaded).toEqual(alone);
    expect(await planned()).toEqual(aloneRows);

    // Every reason list a decision names was stored by the thread that planned it.
    const named = new Set(aloneRows.map((r) => (r.decision as { decisioning?: { reasonsId?: string } }).decisioning?.reasonsId).filter(Boolean));
    const stored = await h.app.db.selectFrom('decision_reasons').select('id').execute();
    expect(new Set(stored.map((r) => r.id))).toEqual(named);
  });

  it('fails the run when a thread fails, after planning the parts that could be planned', async () => {
    await forget();
    const unreachable = new URL(h.app.config.databaseUrl!);
    unreachable.pathname = '/recoup_no_such_database';
    const run = planContacts(deps({ count: 2, databaseUrl: unreachable.toString(), minCasesPerThread: 10 }), h.app.clock.now(), 5);
    await expect(run).rejects.toThrow(/recoup_no_such_database/);
    // This thread's half was planned; the other half, the failed thread's, was not.
    const customers = new Set((await planned()).map((r) => r.customer_id));
    expect(customers.size).toBe(DEBTORS / 2);
  });
});
