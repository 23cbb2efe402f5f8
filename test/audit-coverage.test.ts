import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

interface Entry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

describe.each(DATABASE_KINDS)('the audit trail (%s)', (kind) => {
  let h: Harness;
  const policyFile = policyWithoutControlGroup();
  const keys: Record<string, { id: string; key: string }> = {};
  let customerId = '';

  const entries = async (query = ''): Promise<Entry[]> => {
    const response = await h.call('GET', `/v1/audit${query}`, undefined, keys.auditor!.key);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items;
  };

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile });
    for (const role of ['agent', 'auditor', 'analyst']) {
      const created = await h.call('POST', '/v1/api-keys', { name: `audit-${role}`, role });
      keys[role] = { id: created.body.id, key: created.body.key };
    }
    customerId = (await h.call('POST', '/v1/customers', { externalId: 'aud-1', locale: 'en', timezone: 'America/New_York', identities: { phone: '+12125550160' } })).body.id;
    await h.call('POST', '/v1/receivables', { externalId: 'aud-1-bill', customerExternalId: 'aud-1', kind: 'bill', amount: '40.00', currency: 'USD', dueAt: '2026-02-20' });
  });
  afterAll(async () => h?.close());

  it('records every policy change: through the API and from the file, with who did it', async () => {
    const source = readFileSync(policyFile, 'utf8').replace('version: 1', 'version: 2');
    expect((await h.call('POST', '/v1/policy', { source })).status).toBe(201);
    writeFileSync(policyFile, source.replace('version: 2', 'version: 3'));
    expect((await h.app.policies.reloadFromFile()).ok).toBe(true);
    const activations = await entries('?action=policy.activated');
    const admin = await h.app.db.selectFrom('api_keys').select('id').where('name', '=', 'bootstrap admin').executeTakeFirstOrThrow();
    expect(activations.map((e) => [e.actor, e.subject])).toEqual([
      ['system', expect.stringMatching(/@1$/)],
      [`api_key:${admin.id}`, expect.stringMatching(/@2$/)],
      ['system:reload', expect.stringMatching(/@3$/)],
    ]);
  });

  it('records every action an agent takes on a debtor, under the agent\'s own key', async () => {
    const agent = keys.agent!.key;
    const dispute = await h.call('POST', '/v1/disputes', { customerExternalId: 'aud-1', reason: 'not mine' }, agent);
    expect(dispute.status).toBe(201);
    expect((await h.call('POST', `/v1/disputes/${dispute.body.id}/resolve`, { resolution: 'confirmed' }, agent)).status).toBe(200);
    expect((await h.call('POST', '/v1/promises', { customerExternalId: 'aud-1', amount: '40.00', currency: 'USD', promisedFor: '2026-03-10', source: 'agent' }, agent)).status).toBe(201);
    expect((await h.call('POST', '/v1/conversations', { customerExternalId: 'aud-1', initiatedBy: 'collector' }, agent)).status).toBe(201);
    expect((await h.call('POST', `/v1/customers/${customerId}/cease-communication`, { source: 'call' }, agent)).status).toBe(200);
    const byAgent = await entries(`?actor=api_key:${keys.agent!.id}`);
    expect(byAgent.map((e) => e.action)).toEqual(['dispute.opened', 'dispute.resolved', 'promise.made', 'conversation.recorded', 'communication.ceased']);
    expect(byAgent.every((e) => e.subject === customerId)).toBe(true);
  });

  it('filters by subject and time, pages by cursor, and verifies the chain', async () => {
    const all = await entries('?limit=1000');
    expect(all.length).toBeGreaterThan(8);
    expect(all.map((e) => BigInt(e.seq))).toEqual([...all.map((e) => BigInt(e.seq))].sort((a, b) => (a < b ? -1 : 1)));
    const aboutCustomer = await entries(`?subject=${customerId}`);
    expect(aboutCustomer.length).toBe(5);

    const pages: Entry[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: Entry[]; nextCursor: string | null } } = await h.call('GET', `/v1/audit?limit=3${cursor ? `&after=${cursor}` : ''}`, undefined, keys.auditor!.key);
      pages.push(...response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(pages.map((e) => e.seq)).toEqual(all.map((e) => e.seq));

    await h.advance(60);
    const later = h.app.clock.now().toISOString();
    await h.call('POST', '/v1/api-keys', { name: 'after the hour', role: 'operator' });
    const recent = await entries(`?from=${encodeURIComponent(later)}`);
    expect(recent.map((e) => e.action)).toEqual(['api_key.created']);
    expect(await entries(`?to=${encodeURIComponent(later)}&action=api_key.created`)).toHaveLength(4);

    const verified = await h.call('GET', '/v1/audit/verify', undefined, keys.auditor!.key);
    expect(verified.body).toEqual({ ok: true, entries: all.length + 1 });
  });

  it('is for admins and auditors only, and names the bad parameter', async () => {
    expect((await h.call('GET', '/v1/audit', undefined, keys.analyst!.key)).status).toBe(403);
    expect((await h.call('GET', '/v1/audit/verify', undefined, keys.agent!.key)).status).toBe(403);
    const bad = await h.call('GET', '/v1/audit?from=yesterday&after=nonsense', undefined, keys.auditor!.key);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['query.after', 'query.from']);
  });
});
