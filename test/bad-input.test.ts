import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { CLOCK_START, type Harness, startHarness } from './support/harness.js';


type Response = { status: number; body: any };

/** The one error shape, with the expected status and type, and a detail naming `field`. */
function expectError(res: Response, status: number, type: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toEqual({ type, message: expect.any(String), details: expect.any(Array) });
  expect(res.body.error.message.length).toBeGreaterThan(0);
  for (const detail of res.body.error.details) expect(detail).toEqual({ field: expect.any(String), reason: expect.any(String) });
  if (field !== undefined) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe.each(DATABASE_KINDS)('bad input on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
    const setup = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'bad-c1', timezone: 'Asia/Shanghai', identities: { phone: '+8613800001111' } } },
        { type: 'receivable', data: { externalId: 'bad-r1', customerExternalId: 'bad-c1', kind: 'bill', amount: '100.00', currency: 'CNY', dueAt: '2026-04-01' } },
      ],
    });
    expect(setup.body.counts.created, JSON.stringify(setup.body)).toBe(2);
  });
  afterAll(async () => h?.close());

  /** Row counts of every table in the schema, the audit log included: a table added later is covered without editing this list. */
  async function snapshot(): Promise<Record<string, number>> {
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'recoup_migrations%'
      order by table_name`.execute(h.app.db);
    expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(['customers', 'receivables', 'payments', 'disputes', 'promises_to_pay', 'audit_log']));
    const counts: Record<string, number> = {};
    for (const { name: table } of tables.rows) {
      const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(h.app.db);
      counts[table] = result.rows[0]!.n;
    }
    return counts;
  }

  /** Sends the request, checks the error, and checks that nothing at all was written. */
  async function refused(send: () => Promise<Response>, status: number, type: string, field?: string): Promise<Response> {
    const before = await snapshot();
    const res = await send();
    expectError(res, status, type, field);
    expect(await snapshot()).toEqual(before);
    return res;
  }

  const receivable = (externalId: string, changes: Record<string, unknown>) =>
    h.call('POST', '/v1/receivables', { externalId, customerExternalId: 'bad-c1', kind: 'bill', amount: '10.00', currency: 'CNY', dueAt: '2026-04-01', ...changes });

  async function expectNoReceivable(externalId: string): Promise<void> {
    const res = await h.call('GET', `/v1/receivables?externalId=${externalId}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  }

  it('refuses a receivable for an unknown customer with 404 naming customerExternalId', async () => {
    await refused(() => receivable('bad-nocust', { customerExternalId: 'bad-nobody' }), 404, 'not_found', 'customerExternalId');
    await expectNoReceivable('bad-nocust');
  });

  it('refuses a negative amount', async () => {
    const res = await refused(() => receivable('bad-neg', { amount: '-5.00' }), 400, 'validation', 'amount');
    expect(res.body.error.details[0].reason).toContain('negative');
    await refused(() => receivable('bad-neg', { amount: -5 }), 400, 'validation', 'amount');
    await expectNoReceivable('bad-neg');
  });

  it('refuses non-numeric amounts such as "12,50" and "abc"', async () => {
    for (const amount of ['12,50', 'abc', '1e3', '', true]) {
      await refused(() => receivable('bad-nan', { amount }), 400, 'validation', 'amount');
    }
    await expectNoReceivable('bad-nan');
  });

  it('refuses a zero amount, on a receivable and on a payment', async () => {
    await refused(() => receivable('bad-zero', { amount: '0.00' }), 400, 'validation', 'amount');
    await expectNoReceivable('bad-zero');
    await refused(() => h.call('POST', '/v1/payments', { externalId: 'bad-zero-p', receivableExternalId: 'bad-r1', amount: 0, paidAt: '2026-02-28T00:00:00Z' }), 400, 'validation', 'amount');
  });

  it('refuses an unknown currency', async () => {
    await refused(() => receivable('bad-ccy', { currency: 'ZZZ' }), 400, 'validation', 'currency');
    await refused(() => receivable('bad-ccy', { currency: 'cny' }), 400, 'validation', 'currency');
    await expectNoReceivable('bad-ccy');
  });

  it('refuses impossible dates and a date-time without an offset', async () => {
    for (const dueAt of ['2026-02-30', '2026-13-01', '2026-03-10T09:00:00', '2026-03-10T25:00:00Z', 'next friday']) {
      const res = await refused(() => receivable('bad-date', { dueAt }), 400, 'validation', 'dueAt');
      expect(res.body.error.details).toHaveLength(1);
    }
    await expectNoReceivable('bad-date');
    await refused(() => h.call('POST', '/v1/payments', { externalId: 'bad-date-p', receivableExternalId: 'bad-r1', amount: '1.00', paidAt: '2026-02-28T10:00:00' }), 400, 'validation', 'paidAt');
  });

  it('refuses a payment dated in the future', async () => {
    await refused(() => h.call('POST', '/v1/payments', { externalId: 'bad-future-p', receivableExternalId: 'bad-r1', amount: '1.00', paidAt: '2026-03-02T00:00:00Z' }), 400, 'validation', 'paidAt');
  });

  it('refuses an unknown time zone', async () => {
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-tz', timezone: 'Mars/Base' }), 400, 'validation', 'timezone');
    await refused(() => receivable('bad-tz-r', { customerExternalId: 'bad-tz' }), 404, 'not_found', 'customerExternalId');
  });

  it('refuses a locale it does not speak', async () => {
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-locale', locale: 'fr-FR' }), 400, 'validation', 'locale');
  });

  it('refuses unknown fields, at the top level and nested', async () => {
    await refused(() => receivable('bad-extra', { discount: '5.00' }), 400, 'validation', 'discount');
    await expectNoReceivable('bad-extra');
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-extra-c', identities: { fax: '+861012345678' } }), 400, 'validation', 'identities.fax');
  });

  it('refuses a malformed JSON body with a 400', async () => {
    await refused(() => h.call('POST', '/v1/receivables', '{"externalId": "bad-json", "amount": '), 400, 'validation', '(body)');
    await refused(() => h.call('POST', '/v1/events:batch', "{items: [{type: 'customer'}]}"), 400, 'validation', '(body)');
    await expectNoReceivable('bad-json');
  });

  it('refuses a non-money number too large to hold exactly with a 400, not a 500', async () => {
    await refused(() => h.call('POST', '/v1/customers', '{"externalId":"bad-bigint","attributes":{"loyalty":9007199254740993}}'), 400, 'validation', '(body)');
    await refused(() => h.call('POST', '/v1/clock/advance', '{"minutes":1e400}'), 400, 'validation', '(body)');
  });

  it('refuses an oversized batch as a whole', async () => {
    const items = Array.from({ length: 10_001 }, (_, i) => ({ type: 'customer', data: { externalId: `bad-big-${i}` } }));
    await refused(() => h.call('POST', '/v1/events:batch', { items }), 400, 'validation', 'items');
  });

  it('refuses a phone that is not a phone', async () => {
    for (const phone of ['not a phone', '12345', '+86 123']) {
      await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-phone', identities: { phone } }), 400, 'validation', 'identities.phone');
    }
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-email', identities: { email: 'nobody-at-example.com' } }), 400, 'validation', 'identities.email');
  });

  it('refuses an identity that already belongs to another customer with 409', async () => {
    // The same number as bad-c1's, typed another way: it must still be recognised.
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-thief', identities: { phone: '+86 138 0000 1111' } }), 409, 'conflict', 'identities.phone');
  });

  it('refuses moving a receivable to another customer with 409', async () => {
    const other = await h.call('POST', '/v1/customers', { externalId: 'bad-c2' });
    expect(other.status).toBe(201);
    await refused(() => receivable('bad-r1', { customerExternalId: 'bad-c2', amount: '100.00' }), 409, 'conflict', 'customerExternalId');
  });

  it('refuses changing the currency of a receivable once money was received, with 409', async () => {
    await h.call('POST', '/v1/receivables', { externalId: 'bad-ccy-paid', customerExternalId: 'bad-c1', kind: 'bill', amount: '10.00', currency: 'CNY', dueAt: '2026-04-01' });
    const paid = await h.call('POST', '/v1/payments', { externalId: 'bad-ccy-paid-p', receivableExternalId: 'bad-ccy-paid', amount: '1.00', paidAt: '2026-02-28T00:00:00Z' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    await refused(() => receivable('bad-ccy-paid', { currency: 'USD' }), 409, 'conflict', 'currency');
    const stored = await h.call('GET', '/v1/receivables?externalId=bad-ccy-paid');
    expect(stored.body.items[0]).toMatchObject({ currency: 'CNY', amountOutstanding: '9.00' });
  });

  it('refuses unknown query parameters, bad numbers and cursors, and a bad uuid in the path', async () => {
    await refused(() => h.call('GET', '/v1/receivables?colour=red'), 400, 'validation', 'query.colour');
    await refused(() => h.call('GET', '/v1/receivables?limit=2.5'), 400, 'validation', 'query.limit');
    await refused(() => h.call('GET', '/v1/receivables?limit=0'), 400, 'validation', 'query.limit');
    await refused(() => h.call('GET', '/v1/receivables?status=overdue'), 400, 'validation', 'query.status');
    await refused(() => h.call('GET', '/v1/receivables?customerId=42'), 400, 'validation', 'query.customerId');
    await refused(() => h.call('GET', '/v1/receivables?after=not-a-cursor'), 400, 'validation', 'query.after');
    await refused(() => h.call('GET', '/v1/cases?stage=m9'), 400, 'validation', 'query.stage');
    await refused(() => h.call('GET', '/v1/customers/not-a-uuid'), 400, 'validation', 'path.id');
    await refused(() => h.call('GET', '/v1/customers/00000000-0000-4000-8000-000000000000'), 404, 'not_found', 'id');
  });

  it('refuses a request without an API key with 401', async () => {
    const post = () => h.server.inject({ method: 'POST', url: '/v1/receivables', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ externalId: 'bad-anon', customerExternalId: 'bad-c1', kind: 'bill', amount: '1.00', currency: 'CNY', dueAt: '2026-04-01' }) });
    await refused(async () => {
      const res = await post();
      return { status: res.statusCode, body: res.json() };
    }, 401, 'unauthorized', 'header.authorization');
    await refused(() => h.call('GET', '/v1/receivables', undefined, 'rk_made_up_key'), 401, 'unauthorized', 'header.authorization');
    await expectNoReceivable('bad-anon');
    const health = await h.server.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  });

  it('forbids an analyst key from writing a receivable with 403, while it may read', async () => {
    const created = await h.call('POST', '/v1/api-keys', { name: 'bad-analyst', role: 'analyst' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ role: 'analyst', key: expect.stringMatching(/^rk_/) });
    const key = created.body.key as string;
    expect((await h.call('GET', '/v1/receivables?externalId=bad-r1', undefined, key)).status).toBe(200);
    const res = await refused(
      () => h.call('POST', '/v1/receivables', { externalId: 'bad-analyst-r', customerExternalId: 'bad-c1', kind: 'bill', amount: '1.00', currency: 'CNY', dueAt: '2026-04-01' }, key),
      403,
      'forbidden',
    );
    expect(res.body.error.message).toContain('analyst');
    await refused(() => h.call('POST', '/v1/api-keys', { name: 'escalate', role: 'admin' }, key), 403, 'forbidden');
    await expectNoReceivable('bad-analyst-r');
  });

  it('refuses a revoked key with 401', async () => {
    const created = await h.call('POST', '/v1/api-keys', { name: 'bad-revoked', role: 'operator' });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const before = await h.call('POST', '/v1/customers', { externalId: 'bad-revoked-c1' }, key);
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    const revoke = await h.call('DELETE', `/v1/api-keys/${created.body.id}`);
    expect(revoke.status).toBe(204);
    await refused(() => h.call('POST', '/v1/customers', { externalId: 'bad-revoked-c2' }, key), 401, 'unauthorized', 'header.authorization');
    await refused(() => h.call('DELETE', `/v1/api-keys/${created.body.id}`), 404, 'not_found', 'id');
    await refused(() => h.call('DELETE', '/v1/api-keys/not-a-uuid'), 400, 'validation', 'path.id');
  });

  it('refuses a negative clock advance with 400, and an advance by a non-admin with 403', async () => {
    await refused(() => h.call('POST', '/v1/clock/advance', { minutes: -5 }), 400, 'validation', 'minutes');
    await refused(() => h.call('POST', '/v1/clock/advance', { minutes: 1.5 }), 400, 'validation', 'minutes');
    await refused(() => h.call('POST', '/v1/clock/advance', { minutes: '60' }), 400, 'validation', 'minutes');
    const operator = await h.call('POST', '/v1/api-keys', { name: 'bad-clock-operator', role: 'operator' });
    expect(operator.status).toBe(201);
    await refused(() => h.call('POST', '/v1/clock/advance', { minutes: 60 }, operator.body.key), 403, 'forbidden');
    const clock = await h.call('GET', '/v1/clock', undefined, operator.body.key);
    expect(clock).toEqual({ status: 200, body: { now: CLOCK_START } });
  });
});
