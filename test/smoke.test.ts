import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

describe.each(DATABASE_KINDS)('smoke on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('creates a customer and a receivable, and opens a case when it is late', async () => {
    const customer = await h.call('POST', '/v1/customers', { externalId: 'c1', name: 'Li Lei', locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone: '+8613800138000' } });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    expect(customer.body.identities.phone).toBe('****8000');
    const receivable = await h.call('POST', '/v1/receivables', { externalId: 'r1', customerExternalId: 'c1', kind: 'bill', amount: 1280.1, currency: 'CNY', dueAt: '2026-03-10' });
    expect(receivable.status, JSON.stringify(receivable.body)).toBe(201);
    expect(receivable.body.amountOutstanding).toBe('1280.10');
    await h.advance(60 * 24 * 12);
    const cases = await h.call('GET', `/v1/cases?customerId=${customer.body.id}`);
    expect(cases.body.items[0].stage).toBe('m1');
  });
});
