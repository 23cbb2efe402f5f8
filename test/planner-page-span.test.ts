import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyScope } from '../src/db/key-scope.js';
import { planContacts } from '../src/delivery/planner.js';
import { loadPolicyFile } from '../src/strategy/load-policy-file.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('a page of keys as its span or its list', () => {
  it('goes by the span when most keys in it are on the page, and by the list otherwise', () => {
    const page = [uuid(1), uuid(3), uuid(4)];
    expect(keyScope(page, 4)).toEqual({ kind: 'span', first: uuid(1), last: uuid(4) });
    expect(keyScope(page, 6)).toEqual({ kind: 'span', first: uuid(1), last: uuid(4) });
    expect(keyScope(page, 7)).toEqual({ kind: 'list', literal: `{${page.join(',')}}` });
    expect(keyScope([], 0)).toEqual({ kind: 'list', literal: '{}' });
  });
});

/**
 * Customers without an open case between a page's first and last are read along with the page when
 * it reads by span, and skipped when it reads by list; either way each debtor on the page is planned
 * from its own rows, the first and last included, and the others get nothing.
 */
describe.each(DATABASE_KINDS)('planning pages read by span and by list on %s', (kind) => {
  let h: Harness;
  const policy = loadPolicyFile(policyWithoutControlGroup());
  // Id order is creation order (time-ordered ids). Page one is d0, d1 with n0 between (read by span);
  // page two is d2, d3 with n1..n4 between (read by list). d0 and d2 are reached by email only, d1 and
  // d3 by phone only; the customers without a case by both.
  const order = ['d0', 'n0', 'd1', 'd2', 'n1', 'n2', 'n3', 'n4', 'd3'];
  const emailOnly = new Set(['d0', 'd2']);

  beforeAll(async () => {
    h = await startHarness(kind);
    for (const [i, name] of order.entries()) {
      const debtor = name.startsWith('d');
      const identities = !debtor ? { phone: `+8613800002${100 + i}`, email: `${name}@example.com` } : emailOnly.has(name) ? { email: `${name}@example.com` } : { phone: `+8613800002${100 + i}` };
      const items: unknown[] = [{ type: 'customer', data: { externalId: `span-${name}`, locale: 'en', timezone: 'Asia/Shanghai', identities, consents: { sms: true, email: true } } }];
      if (debtor) items.push({ type: 'receivable', data: { externalId: `span-r-${name}`, customerExternalId: `span-${name}`, kind: 'bill', amount: '120.00', currency: 'CNY', dueAt: '2026-02-20' } });
      const res = await h.call('POST', '/v1/events:batch', { items });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => h?.close());

  it('plans each debtor from its own identities and nobody else', async () => {
    const customers = await h.app.db.selectFrom('customers').select(['id', 'external_id']).orderBy('id').execute();
    expect(customers.map((c) => c.external_id)).toEqual(order.map((n) => `span-${n}`));

    const result = await planContacts({ db: h.app.db, policy: () => policy }, h.app.clock.now(), 2);
    expect(result.cases).toBe(4);
    const attempts = await h.app.db.selectFrom('contact_attempts as a').innerJoin('customers as c', 'c.id', 'a.customer_id').select(['c.external_id', 'a.channel', 'a.status']).execute();
    const byDebtor = new Map<string, string[]>();
    for (const a of attempts) byDebtor.set(a.external_id!, [...(byDebtor.get(a.external_id!) ?? []), a.channel]);
    expect([...byDebtor.keys()].sort()).toEqual(['span-d0', 'span-d1', 'span-d2', 'span-d3']);
    for (const [name, channels] of byDebtor) {
      const allowed = emailOnly.has(name.slice('span-'.length)) ? ['email'] : ['sms', 'voice'];
      for (const channel of channels) expect(allowed).toContain(channel);
    }
    expect(attempts.some((a) => a.status === 'scheduled')).toBe(true);

    // Again: each page reads its debtors' waiting reminders (by span and by list) and leaves them alone.
    expect(await planContacts({ db: h.app.db, policy: () => policy }, h.app.clock.now(), 2)).toEqual({ cases: 4, scheduled: 0, blocked: 0 });
    expect(await h.app.db.selectFrom('contact_attempts').select('id').execute()).toHaveLength(attempts.length);
  });
});
