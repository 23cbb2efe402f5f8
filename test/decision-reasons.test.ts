import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveDecisioning, DEFAULT_DECISIONING } from '../src/decisioning/live/live-decisioning.js';
import { insertReasonLists, type ReasonLists } from '../src/delivery/decision-reasons.js';
import { planContacts } from '../src/delivery/planner.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

type Stored = { customer_id: string; decisioning: { reasons?: unknown; reasonsId?: string } | null };

/**
 * A learning decision's reasons are stored once per distinct list and referred to by id from each
 * attempt; every read shows them in place, as if stored with the attempt.
 */
describe.each(DATABASE_KINDS)('decision reasons on %s', (kind) => {
  let h: Harness;
  const customerIds: string[] = [];
  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() });
    const items = Array.from({ length: 6 }, (_, i) => [
      { type: 'customer', data: { externalId: `dr-c${i}`, timezone: 'Asia/Shanghai', identities: { phone: `+86138000033${String(i).padStart(2, '0')}` }, consents: { sms: true } } },
      { type: 'receivable', data: { externalId: `dr-r${i}`, customerExternalId: `dr-c${i}`, kind: 'bill', amount: '300.00', currency: 'CNY', dueAt: '2026-02-25' } },
    ]).flat();
    const res = await h.call('POST', '/v1/events:batch', { items });
    expect(res.body.counts.created).toBe(12);
    for (let i = 0; i < 12; i += 2) customerIds.push(res.body.results[i].id);
  });
  afterAll(async () => h?.close());

  const stored = async () =>
    (await sql<Stored>`select customer_id, decision->'decisioning' as decisioning from contact_attempts where customer_id = any(${customerIds}::uuid[])`.execute(h.app.db)).rows;
  const reasonRows = async () => Number((await sql<{ n: string }>`select count(*) as n from decision_reasons`.execute(h.app.db)).rows[0]!.n);

  it('stores the one list shared by a whole control group once, however many pages refer to it', async () => {
    // Everyone in the control group: one list of reasons for all six debtors, planned a debtor a page.
    const decisioning = createLiveDecisioning({ ...DEFAULT_DECISIONING, experiment: 'dr-control', controlRate: 1 });
    const planned = await planContacts({ db: h.app.db, policy: () => h.app.policy, decisioning }, h.app.clock.now(), 1);
    expect(planned.scheduled).toBe(6);
    const rows = await stored();
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.decisioning?.reasons).toBeUndefined();
      expect(row.decisioning?.reasonsId).toMatch(/^[\w-]{22}$/);
    }
    expect(new Set(rows.map((r) => r.decisioning?.reasonsId)).size).toBe(1);
    expect(await reasonRows()).toBe(1);

    const messages = await h.call('GET', `/v1/messages?customerId=${customerIds[0]}`);
    expect(messages.status).toBe(200);
    const shown = messages.body.items[0].decision.decisioning;
    expect(shown.reasonsId).toBeUndefined();
    expect(shown.reasons).toEqual([expect.stringMatching(/^control group \(100\.0% of customers, experiment "dr-control"\): baseline schedule$/)]);
    await sql`delete from contact_attempts where customer_id = any(${customerIds}::uuid[])`.execute(h.app.db);
  });

  it('shows each decision with its own reasons in GET /v1/messages and on the timeline', async () => {
    const decisioning = createLiveDecisioning({ ...DEFAULT_DECISIONING, experiment: 'dr-policy', controlRate: 0 });
    await planContacts({ db: h.app.db, policy: () => h.app.policy, decisioning }, h.app.clock.now(), 4);
    const rows = await stored();
    expect(rows).toHaveLength(6);
    const lists = await sql<{ id: string; reasons: string[] }>`select id, reasons from decision_reasons`.execute(h.app.db);
    const byId = new Map(lists.rows.map((r) => [r.id, r.reasons]));
    for (const row of rows) {
      const id = row.decisioning!.reasonsId!;
      expect(byId.get(id), 'every list an attempt refers to is stored').toBeDefined();
      const messages = await h.call('GET', `/v1/messages?customerId=${row.customer_id}`);
      const shown = messages.body.items[0].decision.decisioning;
      expect(shown.reasons).toEqual(byId.get(id));
      expect(shown.reasons.some((r: string) => /chosen in \d+% of posterior draws/.test(r))).toBe(true);
      expect(shown.reasonsId).toBeUndefined();
      expect(shown.arm).toMatch(/^m1:/);
      const view = await h.call('GET', `/v1/customers/${row.customer_id}`);
      const entry = view.body.timeline.find((e: { kind: string }) => e.kind.startsWith('message.'));
      expect(entry.summary.decision.decisioning.reasons).toEqual(byId.get(id));
    }
  });

  // Two pages in flight may carry the same new lists; each stores them in the same (id) order, so
  // neither waits for a row the other will only insert after waiting for it.
  it.runIf(kind === 'postgres')('stores lists that two writes carry at once without a deadlock, whatever their order', async () => {
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 300 }, (_, i) => `deadlock-${round}-${String(i).padStart(3, '0')}`);
      const forward: ReasonLists = new Map(ids.map((id) => [id, [`reason ${id}`]]));
      const backward: ReasonLists = new Map([...ids].reverse().map((id) => [id, [`reason ${id}`]]));
      await Promise.all([insertReasonLists(forward).execute(h.app.db), insertReasonLists(backward).execute(h.app.db)]);
    }
    const stored = await sql<{ n: string }>`select count(*) as n from decision_reasons where id like 'deadlock-%'`.execute(h.app.db);
    expect(Number(stored.rows[0]!.n)).toBe(20 * 300);
  });
});
