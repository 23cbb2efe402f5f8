import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planContacts } from '../src/delivery/planner.js';
import { loadPolicyFile } from '../src/strategy/load-policy-file.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

const DEBTORS = 7;

/**
 * Planning walks the open cases a page at a time, reading the next page and writing earlier ones
 * while it plans the current one: every debtor is planned once, the counts are those of the rows
 * written, and a write that fails stops the run with its error.
 */
describe.each(DATABASE_KINDS)('planning page by page on %s', (kind) => {
  let h: Harness;
  const policy = loadPolicyFile(policyWithoutControlGroup());
  const plan = (pageSize: number) => planContacts({ db: h.app.db, policy: () => policy }, h.app.clock.now(), pageSize);

  beforeAll(async () => {
    h = await startHarness(kind);
    const items = Array.from({ length: DEBTORS }, (_, i) => [
      { type: 'customer', data: { externalId: `pp-${i}`, locale: 'en', timezone: 'Asia/Shanghai', identities: { phone: `+861380000${1000 + i}`, email: `pp-${i}@example.com` }, consents: { sms: true, email: true } } },
      { type: 'receivable', data: { externalId: `pp-r-${i}`, customerExternalId: `pp-${i}`, kind: 'bill', amount: `${100 + i}.00`, currency: 'CNY', dueAt: '2026-02-20' } },
    ]).flat();
    const res = await h.call('POST', '/v1/events:batch', { items });
    expect(res.body.counts.created).toBe(2 * DEBTORS);
  });
  afterAll(async () => h?.close());

  it('plans every debtor once across pages of two, and counts what it wrote', async () => {
    const result = await plan(2);
    expect(result.cases).toBe(DEBTORS);
    const rows = await h.app.db.selectFrom('contact_attempts').select(['customer_id', 'status']).execute();
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(DEBTORS);
    expect(result.scheduled).toBe(rows.filter((r) => r.status === 'scheduled').length);
    expect(result.blocked).toBe(rows.filter((r) => r.status === 'blocked').length);
    expect(result.scheduled).toBeGreaterThan(0);
    // Again at the same instant: debtors with a reminder waiting are left alone, nothing is written twice.
    expect(await plan(2)).toEqual({ cases: DEBTORS, scheduled: 0, blocked: 0 });
    expect(await h.app.db.selectFrom('contact_attempts').select('id').execute()).toHaveLength(rows.length);
  });

  it('stops with the error of a write the database refuses', async () => {
    await h.app.db.deleteFrom('contact_attempts').execute();
    await sql`alter table contact_attempts add constraint refuse_all check (false) not valid`.execute(h.app.db);
    try {
      await expect(plan(2)).rejects.toThrow(/refuse_all/);
    } finally {
      await sql`alter table contact_attempts drop constraint refuse_all`.execute(h.app.db);
    }
    expect(await h.app.db.selectFrom('contact_attempts').select('id').execute()).toEqual([]);
  });
});
