import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

// The harness clock starts at 2026-03-01T00:00:00Z: due dates before it are overdue at once.
describe.each(DATABASE_KINDS)('ingest API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  async function customer(externalId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await h.call('POST', '/v1/customers', { externalId, name: `Customer ${externalId}`, timezone: 'Asia/Shanghai', ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function receivable(externalId: string, customerExternalId: string, amount: unknown, currency = 'CNY', dueAt = '2026-04-30') {
    const res = await h.call('POST', '/v1/receivables', { externalId, customerExternalId, kind: 'bill', amount, currency, dueAt });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function pay(externalId: string, receivableExternalId: string, amount: unknown, extra: Record<string, unknown> = {}) {
    return h.call('POST', '/v1/payments', { externalId, receivableExternalId, amount, paidAt: '2026-02-28T10:00:00+08:00', ...extra });
  }

  async function receivableByExternalId(externalId: string) {
    const res = await h.call('GET', `/v1/receivables?externalId=${encodeURIComponent(externalId)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0];
  }

  it('upserts a customer by externalId: 201, then 200 with the fields merged', async () => {
    const first = await h.call('POST', '/v1/customers', {
      externalId: 'api-merge',
      name: 'Wang Fang',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      consents: { sms: true },
      attributes: { segment: 'gold', score: 7 },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await h.call('POST', '/v1/customers', { externalId: 'api-merge', name: 'Wang Fang Jr', consents: { email: true }, attributes: { score: 9 } });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body).toMatchObject({
      externalId: 'api-merge',
      name: 'Wang Fang Jr',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      consents: { sms: true, email: true },
      attributes: { segment: 'gold', score: 9 },
    });
    const read = await h.call('GET', `/v1/customers/${first.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'Wang Fang Jr', locale: 'zh-CN', attributes: { segment: 'gold', score: 9 } });
  });

  it('masks identities in the single view and never returns the raw phone', async () => {
    const phone = '+8613912341234';
    const created = await h.call('POST', '/v1/customers', {
      externalId: 'api-mask',
      identities: { phone, email: 'Zhang.San@Example.com', idNumber: '110101199003071234' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = await h.call('GET', `/v1/customers/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.identities).toEqual({ phone: '****1234', email: 'z***@example.com', idNumber: '****1234' });
    for (const text of [JSON.stringify(created.body), JSON.stringify(read.body)]) {
      expect(text).not.toContain('13912341234');
      expect(text.toLowerCase()).not.toContain('zhang.san');
      expect(text).not.toContain('110101199003071234');
    }
  });

  it('upserts a receivable by externalId and filters the list by customerId, externalId and status', async () => {
    const alice = await customer('api-filter-a');
    const bob = await customer('api-filter-b');
    const created = await receivable('api-filter-r1', 'api-filter-a', '100.00');
    await receivable('api-filter-r2', 'api-filter-a', '200.00');
    await receivable('api-filter-r3', 'api-filter-b', '300.00');

    const updated = await h.call('POST', '/v1/receivables', { externalId: 'api-filter-r1', customerExternalId: 'api-filter-a', kind: 'order', amount: '150.00', currency: 'CNY', dueAt: '2026-05-01' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ id: created.id, kind: 'order', amount: '150.00', amountOutstanding: '150.00', dueAt: '2026-05-01T16:00:00.000Z' });

    const ofAlice = await h.call('GET', `/v1/receivables?customerId=${alice}`);
    expect(ofAlice.status, JSON.stringify(ofAlice.body)).toBe(200);
    expect(ofAlice.body.items.map((r: { externalId: string }) => r.externalId).sort()).toEqual(['api-filter-r1', 'api-filter-r2']);
    const ofBob = await h.call('GET', `/v1/receivables?customerId=${bob}`);
    expect(ofBob.body.items.map((r: { externalId: string }) => r.externalId)).toEqual(['api-filter-r3']);

    const one = await receivableByExternalId('api-filter-r2');
    expect(one).toMatchObject({ customerId: alice, amount: '200.00', status: 'open' });

    const cancelled = await h.call('POST', '/v1/receivables', { externalId: 'api-filter-r2', customerExternalId: 'api-filter-a', kind: 'bill', amount: '200.00', currency: 'CNY', dueAt: '2026-04-30', status: 'cancelled' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', amountOutstanding: '0.00' });
    const open = await h.call('GET', `/v1/receivables?customerId=${alice}&status=open`);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.items.map((r: { externalId: string }) => r.externalId)).toEqual(['api-filter-r1']);
    const gone = await h.call('GET', `/v1/receivables?customerId=${alice}&status=cancelled`);
    expect(gone.body.items.map((r: { externalId: string }) => r.externalId)).toEqual(['api-filter-r2']);
  });

  it('pages through receivables with limit and after/nextCursor, each exactly once', async () => {
    const id = await customer('api-page');
    const expected = [];
    for (let i = 0; i < 5; i += 1) {
      expected.push(`api-page-r${i}`);
      await receivable(`api-page-r${i}`, 'api-page', `${i + 1}.00`);
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/receivables?customerId=${id}&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = await h.call('GET', url);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((r: { externalId: string }) => r.externalId));
      after = page.body.nextCursor;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(expected);
  });

  it('keeps money exact, sent as JSON numbers or strings, beyond float precision', async () => {
    await customer('api-money');
    // Sent as raw JSON text so that 1280.10 and the 17-digit number reach the server as written.
    const cases: Array<[string, string, string]> = [
      ['api-money-r1', '1280.10', '1280.10'],
      ['api-money-r2', '"0.30"', '0.30'],
      ['api-money-r3', '"9007199254740993.01"', '9007199254740993.01'],
      ['api-money-r4', '9007199254740993.01', '9007199254740993.01'],
      ['api-money-r5', '0.1', '0.10'],
    ];
    for (const [externalId, literal, expected] of cases) {
      const body = `{"externalId":"${externalId}","customerExternalId":"api-money","kind":"bill","amount":${literal},"currency":"USD","dueAt":"2026-04-30"}`;
      const res = await h.call('POST', '/v1/receivables', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.amount, literal).toBe(expected);
      expect(res.body.amountOutstanding, literal).toBe(expected);
      const read = await receivableByExternalId(externalId);
      expect(read.amount).toBe(expected);
      expect(read.amountOutstanding).toBe(expected);
    }
    const paid = await h.call('POST', '/v1/payments', '{"externalId":"api-money-p1","receivableExternalId":"api-money-r3","amount":0.01,"paidAt":"2026-02-28T00:00:00Z"}');
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.receivable.amountOutstanding).toBe('9007199254740993.00');
    expect(paid.body.receivable.amountPaid).toBe('0.01');
  });

  it('knows JPY has no decimals and refuses "15.5" JPY', async () => {
    await customer('api-jpy');
    const yen = await receivable('api-jpy-r1', 'api-jpy', '1500', 'JPY');
    expect(yen.amount).toBe('1500');
    const refused = await h.call('POST', '/v1/receivables', { externalId: 'api-jpy-r2', customerExternalId: 'api-jpy', kind: 'bill', amount: '15.5', currency: 'JPY', dueAt: '2026-04-30' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe('validation');
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'amount', reason: expect.stringContaining('JPY has 0 decimal') })]);
    const after = await h.call('GET', '/v1/receivables?externalId=api-jpy-r2');
    expect(after.body.items).toEqual([]);
  });

  it('records a payment once per externalId: a replay is a 200 duplicate, another amount is a 409', async () => {
    await customer('api-idem');
    await receivable('api-idem-r1', 'api-idem', '500.00');
    const first = await pay('api-idem-p1', 'api-idem-r1', '120.00');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'created', receivable: { amountOutstanding: '380.00', amountPaid: '120.00' } });

    const replay = await pay('api-idem-p1', 'api-idem-r1', '120.00');
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body).toMatchObject({ id: first.body.id, status: 'duplicate', receivable: { amountOutstanding: '380.00' } });

    const sameAmountAsNumber = await pay('api-idem-p1', 'api-idem-r1', 120);
    expect(sameAmountAsNumber.status).toBe(200);
    expect(sameAmountAsNumber.body.status).toBe('duplicate');

    const different = await pay('api-idem-p1', 'api-idem-r1', '121.00');
    expect(different.status, JSON.stringify(different.body)).toBe(409);
    expect(different.body.error).toMatchObject({ type: 'conflict', details: [expect.objectContaining({ field: 'externalId' })] });

    expect((await receivableByExternalId('api-idem-r1')).amountOutstanding).toBe('380.00');
  });

  it('reduces amountOutstanding with partial payments', async () => {
    await customer('api-partial');
    await receivable('api-partial-r1', 'api-partial', '1000.00');
    expect((await pay('api-partial-p1', 'api-partial-r1', '250.25')).status).toBe(201);
    const second = await pay('api-partial-p2', 'api-partial-r1', 300);
    expect(second.status).toBe(201);
    expect(second.body.receivable).toMatchObject({ status: 'open', amountPaid: '550.25', amountOutstanding: '449.75' });
    expect(await receivableByExternalId('api-partial-r1')).toMatchObject({ status: 'open', amountOutstanding: '449.75' });
  });

  it('marks a receivable paid when covered, and closes the case only when the last one is paid', async () => {
    const id = await customer('api-close');
    // Both are overdue at the harness start, so the customer has an open case.
    await receivable('api-close-r1', 'api-close', '100.00', 'CNY', '2026-02-10');
    await receivable('api-close-r2', 'api-close', '50.00', 'CNY', '2026-02-20');
    const openCases = await h.call('GET', `/v1/cases?customerId=${id}&status=open`);
    expect(openCases.body.items).toHaveLength(1);
    expect(openCases.body.items[0].stage).toBe('m1');

    const full = await pay('api-close-p1', 'api-close-r1', '100.00');
    expect(full.status).toBe(201);
    expect(full.body.receivable).toMatchObject({ status: 'paid', amountOutstanding: '0.00' });
    expect(full.body.receivable.closedAt).not.toBeNull();
    expect((await h.call('GET', `/v1/cases?customerId=${id}&status=open`)).body.items).toHaveLength(1);

    expect((await pay('api-close-p2', 'api-close-r2', '50.00')).status).toBe(201);
    expect((await h.call('GET', `/v1/cases?customerId=${id}&status=open`)).body.items).toHaveLength(0);
    const closed = await h.call('GET', `/v1/cases?customerId=${id}&status=closed`);
    expect(closed.body.items).toHaveLength(1);
    expect(closed.body.items[0].closedAt).not.toBeNull();
    const view = await h.call('GET', `/v1/customers/${id}`);
    expect(view.body.openCases).toEqual([]);
    expect(view.body.timeline.filter((e: { kind: string }) => e.kind === 'payment')).toHaveLength(2);
  });

  it('leaves outstanding at "0.00" after an overpayment', async () => {
    await customer('api-over');
    await receivable('api-over-r1', 'api-over', '80.00');
    const over = await pay('api-over-p1', 'api-over-r1', '100.00');
    expect(over.status, JSON.stringify(over.body)).toBe(201);
    expect(over.body.receivable).toMatchObject({ status: 'paid', amountPaid: '100.00', amountOutstanding: '0.00' });
    expect((await receivableByExternalId('api-over-r1')).amountOutstanding).toBe('0.00');
  });

  it('refuses a payment in another currency than the receivable, naming currency', async () => {
    await customer('api-ccy');
    await receivable('api-ccy-r1', 'api-ccy', '100.00', 'CNY');
    const wrong = await pay('api-ccy-p1', 'api-ccy-r1', '10.00', { currency: 'USD' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.type).toBe('validation');
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ field: 'currency' })]);
    expect((await receivableByExternalId('api-ccy-r1')).amountOutstanding).toBe('100.00');
    const right = await pay('api-ccy-p1', 'api-ccy-r1', '10.00', { currency: 'CNY' });
    expect(right.status, JSON.stringify(right.body)).toBe(201);
    expect(right.body.receivable.amountOutstanding).toBe('90.00');
  });
});
