import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

type Item = { type: string; data: Record<string, unknown> };

describe.each(DATABASE_KINDS)('POST /v1/events:batch on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  const batch = (items: unknown) => h.call('POST', '/v1/events:batch', { items });

  const customerItem = (externalId: string, extra: Record<string, unknown> = {}): Item => ({ type: 'customer', data: { externalId, timezone: 'Asia/Shanghai', ...extra } });
  const receivableItem = (externalId: string, customerExternalId: string, amount: unknown = '100.00', extra: Record<string, unknown> = {}): Item => ({
    type: 'receivable',
    data: { externalId, customerExternalId, kind: 'instalment', amount, currency: 'CNY', dueAt: '2026-04-15', ...extra },
  });
  const paymentItem = (externalId: string, receivableExternalId: string, amount: unknown): Item => ({
    type: 'payment',
    data: { externalId, receivableExternalId, amount, paidAt: '2026-02-28T12:00:00Z' },
  });
  const eventItem = (customerExternalId: string, extra: Record<string, unknown> = {}): Item => ({
    type: 'event',
    data: { customerExternalId, kind: 'app.opened', channel: 'app', occurredAt: '2026-02-27T08:30:00+08:00', ...extra },
  });

  async function customerId(externalId: string): Promise<string | undefined> {
    const row = await h.app.db.selectFrom('customers').select('id').where('external_id', '=', externalId).executeTakeFirst();
    return row?.id;
  }

  async function receivable(externalId: string) {
    const res = await h.call('GET', `/v1/receivables?externalId=${externalId}`);
    expect(res.status).toBe(200);
    return res.body.items[0];
  }

  async function countRows(table: 'customers' | 'receivables' | 'payments' | 'interaction_events' | 'audit_log'): Promise<number> {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(h.app.db);
    return result.rows[0]!.n;
  }

  it('applies customers, then receivables, then payments, then events, so items may refer forwards', async () => {
    const res = await batch([
      paymentItem('bt-fwd-p1', 'bt-fwd-r1', '40.00'),
      eventItem('bt-fwd-c1', { externalId: 'bt-fwd-e1' }),
      receivableItem('bt-fwd-r1', 'bt-fwd-c1', '100.00'),
      customerItem('bt-fwd-c1', { name: 'Forward' }),
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { index: number; type: string; status: string }) => [r.index, r.type, r.status])).toEqual([
      [0, 'payment', 'created'],
      [1, 'event', 'created'],
      [2, 'receivable', 'created'],
      [3, 'customer', 'created'],
    ]);
    expect(res.body.counts).toEqual({ created: 4, updated: 0, duplicate: 0, rejected: 0 });
    const id = await customerId('bt-fwd-c1');
    expect(res.body.results[3].id).toBe(id);
    expect(await receivable('bt-fwd-r1')).toMatchObject({ customerId: id, amountPaid: '40.00', amountOutstanding: '60.00' });
  });

  it('reports created, updated, duplicate and rejected per item, in input order, and applies the valid ones', async () => {
    const first = await batch([customerItem('bt-mix-c1'), receivableItem('bt-mix-r1', 'bt-mix-c1', '500.00'), paymentItem('bt-mix-p1', 'bt-mix-r1', '100.00')]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.counts.created).toBe(3);

    const res = await batch([
      customerItem('bt-mix-c1', { name: 'Renamed' }),
      paymentItem('bt-mix-p1', 'bt-mix-r1', '100.00'),
      receivableItem('bt-mix-r2', 'bt-mix-c1', 'abc'),
      receivableItem('bt-mix-r3', 'bt-mix-c1', '70.00'),
      paymentItem('bt-mix-p2', 'bt-mix-r1', '25.50'),
      receivableItem('bt-mix-r4', 'bt-nobody', '10.00'),
      customerItem('bt-mix-c2', { timezone: 'Mars/Base' }),
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const results = res.body.results as Array<{ index: number; status: string; error?: { type: string; details: Array<{ field: string }> } }>;
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.map((r) => r.status)).toEqual(['updated', 'duplicate', 'rejected', 'created', 'created', 'rejected', 'rejected']);
    expect(res.body.counts).toEqual({ created: 2, updated: 1, duplicate: 1, rejected: 3 });
    expect(results[1]).toMatchObject({ id: first.body.results[2].id });
    expect(results[2]!.error).toMatchObject({ type: 'validation', details: [expect.objectContaining({ field: 'items[2].data.amount' })] });
    expect(results[5]!.error).toMatchObject({ type: 'not_found', details: [expect.objectContaining({ field: 'items[5].data.customerExternalId' })] });
    expect(results[6]!.error).toMatchObject({ type: 'validation', details: [expect.objectContaining({ field: 'items[6].data.timezone' })] });

    const id = await customerId('bt-mix-c1');
    const view = await h.call('GET', `/v1/customers/${id}`);
    expect(view.body.name).toBe('Renamed');
    expect(await receivable('bt-mix-r1')).toMatchObject({ amountPaid: '125.50', amountOutstanding: '374.50' });
    expect(await receivable('bt-mix-r3')).toMatchObject({ amount: '70.00' });
    expect(await receivable('bt-mix-r2')).toBeUndefined();
    expect(await receivable('bt-mix-r4')).toBeUndefined();
    expect(await customerId('bt-mix-c2')).toBeUndefined();
  });

  it('applies a payment repeated within one batch once, and refuses the same externalId with another amount', async () => {
    const res = await batch([
      customerItem('bt-rep-c1'),
      receivableItem('bt-rep-r1', 'bt-rep-c1', '90.00'),
      paymentItem('bt-rep-p1', 'bt-rep-r1', '30.00'),
      paymentItem('bt-rep-p1', 'bt-rep-r1', 30),
      paymentItem('bt-rep-p1', 'bt-rep-r1', '31.00'),
      customerItem('bt-rep-c1', { name: 'Twice' }),
      eventItem('bt-rep-c1', { externalId: 'bt-rep-e1' }),
      eventItem('bt-rep-c1', { externalId: 'bt-rep-e1' }),
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const results = res.body.results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['created', 'created', 'created', 'duplicate', 'rejected', 'created', 'created', 'duplicate']);
    expect(results[3].id).toBe(results[2].id);
    expect(results[4].error).toMatchObject({ type: 'conflict', details: [expect.objectContaining({ field: 'items[4].data.externalId' })] });
    // Two writes to one customer in a batch are one customer, merged.
    expect(results[5].id).toBe(results[0].id);
    expect(results[7].id).toBe(results[6].id);
    expect(await receivable('bt-rep-r1')).toMatchObject({ amountPaid: '30.00', amountOutstanding: '60.00' });
    expect((await h.call('GET', `/v1/customers/${results[0].id}`)).body.name).toBe('Twice');
  });

  it('rejects an item of unknown type as items[i].type and still applies the rest', async () => {
    const res = await batch([customerItem('bt-type-c1'), { type: 'invoice', data: { externalId: 'x' } }, { data: {} }, customerItem('bt-type-c2'), { type: 'customer', data: [] }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [good, unknown, untyped, other, listed] = res.body.results;
    expect(listed).toMatchObject({ index: 4, type: null, status: 'rejected' });
    expect(listed.error.details).toEqual([expect.objectContaining({ field: 'items[4].data' })]);
    expect(good.status).toBe('created');
    expect(other.status).toBe('created');
    expect(unknown).toMatchObject({ index: 1, type: null, status: 'rejected', error: { type: 'validation' } });
    expect(unknown.error.details).toEqual([expect.objectContaining({ field: 'items[1].type' })]);
    expect(untyped.status).toBe('rejected');
    expect(untyped.error.details.map((d: { field: string }) => d.field)).toContain('items[2].type');
    expect(await customerId('bt-type-c1')).toBeDefined();
    expect(await customerId('bt-type-c2')).toBeDefined();
  });

  it('keeps externalIds with quotes, backslashes, commas, braces and the word NULL exactly as sent', async () => {
    // The receivables travel to the database as hand-built array literals, where each of these means something.
    const awkward = ['bt-q"uote', 'bt-back\\slash', 'bt-{brace,comma}', 'NULL', ' bt spaced ', 'bt-引号"\\"'];
    const res = await batch([customerItem('bt-awk-c1'), ...awkward.map((id) => receivableItem(id, 'bt-awk-c1'))]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts).toMatchObject({ created: awkward.length + 1, rejected: 0 });
    for (const id of awkward) {
      const stored = await h.app.db.selectFrom('receivables').select('id').where('external_id', '=', id).executeTakeFirst();
      expect(stored?.id, id).toBe(res.body.results[awkward.indexOf(id) + 1].id);
    }
  });

  it('keeps due instants to the millisecond, before and after 1970, as they travel as epoch milliseconds', async () => {
    const dues = { 'bt-ms-1': ['2026-04-15T09:30:12.345+08:00', '2026-04-15T01:30:12.345Z'], 'bt-ms-2': ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'], 'bt-ms-3': ['2026-04-15', '2026-04-15T16:00:00.000Z'] };
    const res = await batch([customerItem('bt-ms-c1'), ...Object.entries(dues).map(([id, [sent]]) => receivableItem(id, 'bt-ms-c1', '10.00', { dueAt: sent }))]);
    expect(res.body.counts, JSON.stringify(res.body)).toMatchObject({ created: 4, rejected: 0 });
    for (const [id, [, stored]] of Object.entries(dues)) expect((await receivable(id)).dueAt, id).toBe(stored);
  });

  it('refuses 10,001 items with a 400 naming items, and writes none of them', async () => {
    const before = { customers: await countRows('customers'), audit: await countRows('audit_log') };
    const items = Array.from({ length: 10_001 }, (_, i) => customerItem(`bt-big-${i}`));
    const res = await batch(items);
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('validation');
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'items', reason: expect.stringContaining('10000') })]);
    expect(await countRows('customers')).toBe(before.customers);
    expect(await countRows('audit_log')).toBe(before.audit);
    expect(await customerId('bt-big-0')).toBeUndefined();
  });

  it('accepts exactly 10,000 items', async () => {
    const before = await countRows('customers');
    const items = Array.from({ length: 10_000 }, (_, i) => customerItem(`bt-max-${i}`));
    const res = await batch(items);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.counts).toEqual({ created: 10_000, updated: 0, duplicate: 0, rejected: 0 });
    expect(res.body.results).toHaveLength(10_000);
    expect(res.body.results[9_999]).toMatchObject({ index: 9_999, type: 'customer', status: 'created' });
    expect(await countRows('customers')).toBe(before + 10_000);
  });

  it('refuses an empty items array, a missing items and a body that is not an object', async () => {
    const before = await countRows('audit_log');
    for (const body of [{ items: [] }, {}, { items: 'customer' }, []]) {
      const res = await h.call('POST', '/v1/events:batch', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.type).toBe('validation');
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'items' })]);
    }
    expect(await countRows('audit_log')).toBe(before);
  });

  it('records interaction events once per externalId and shows them in the timeline', async () => {
    const setup = await batch([customerItem('bt-ev-c1'), receivableItem('bt-ev-r1', 'bt-ev-c1')]);
    expect(setup.body.counts.created).toBe(2);
    const withId = eventItem('bt-ev-c1', { externalId: 'bt-ev-e1', receivableExternalId: 'bt-ev-r1', kind: 'call.completed', channel: 'voice', payload: { minutes: 3 } });
    const first = await batch([withId, eventItem('bt-ev-c1', { kind: 'page.viewed' })]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'created']);

    const again = await batch([withId, withId, eventItem('bt-ev-c1', { kind: 'page.viewed' }), eventItem('bt-ev-nobody', { externalId: 'bt-ev-e2' })]);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const statuses = again.body.results.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(['duplicate', 'duplicate', 'created', 'rejected']);
    expect(again.body.results[0].id).toBe(first.body.results[0].id);
    expect(again.body.results[1].id).toBe(first.body.results[0].id);
    expect(again.body.results[3].error.details).toEqual([expect.objectContaining({ field: 'items[3].data.customerExternalId' })]);

    const id = await customerId('bt-ev-c1');
    const view = await h.call('GET', `/v1/customers/${id}`);
    expect(view.status).toBe(200);
    const timeline = view.body.timeline as Array<{ kind: string; at: string; channel: string | null; receivableId: string | null; summary: Record<string, unknown> }>;
    const calls = timeline.filter((e) => e.kind === 'call.completed');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ at: '2026-02-27T00:30:00.000Z', channel: 'voice', receivableId: (await receivable('bt-ev-r1')).id, summary: { minutes: 3 } });
    // Without an externalId an event cannot be recognised again, so each one sent is recorded.
    expect(timeline.filter((e) => e.kind === 'page.viewed')).toHaveLength(2);
  });

  it('rejects an interaction event without an offset or with a bad kind, naming the field', async () => {
    await batch([customerItem('bt-evbad-c1')]);
    const res = await batch([
      eventItem('bt-evbad-c1', { occurredAt: '2026-02-27T08:30:00' }),
      eventItem('bt-evbad-c1', { kind: 'Not A Kind' }),
      eventItem('bt-evbad-c1', { receivableExternalId: 'bt-evbad-missing' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(res.body.results[0].error.details[0].field).toBe('items[0].data.occurredAt');
    expect(res.body.results[1].error.details[0].field).toBe('items[1].data.kind');
    expect(res.body.results[2].error.details[0].field).toBe('items[2].data.receivableExternalId');
    const id = await customerId('bt-evbad-c1');
    expect(await h.app.db.selectFrom('interaction_events').select('id').where('customer_id', '=', id!).execute()).toEqual([]);
  });
});
