import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/compliance/audit-log.js';
import { purgeExpiredPersonalData } from '../src/compliance/retention.js';
import { loadConfig } from '../src/config.js';
import { resolveSender } from '../src/conversation/inbound.js';
import { DAY_MS } from '../src/core/time.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

const DAY = 24 * 60;
const RETENTION_DAYS = 10;

describe.each(DATABASE_KINDS)('retention of personal data on the virtual clock (%s)', (kind) => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const provider = recordingProvider('sandbox');

  async function customer(externalId: string, phone: string, dueAt: string) {
    const created = await h.call('POST', '/v1/customers', {
      externalId, name: `Name ${externalId}`, locale: 'en', timezone: 'America/New_York',
      identities: { phone, email: `${externalId}@example.com`, idNumber: `ID-${externalId}` },
      consents: { sms: true, email: true }, attributes: { employer: 'Acme' },
    });
    expect(created.status).toBe(201);
    ids[externalId] = created.body.id;
    expect((await h.call('POST', '/v1/receivables', { externalId: `${externalId}-bill`, customerExternalId: externalId, kind: 'bill', amount: '75.50', currency: 'USD', dueAt })).status).toBe(201);
  }
  const pay = (externalId: string) =>
    h.call('POST', '/v1/payments', { externalId: `${externalId}-pay`, receivableExternalId: `${externalId}-bill`, amount: '75.50', paidAt: h.app.clock.now().toISOString() });
  const purgedAt = async (externalId: string) =>
    (await h.app.db.selectFrom('customers').select('personal_data_purged_at').where('id', '=', ids[externalId]!).executeTakeFirstOrThrow()).personal_data_purged_at;
  const advanceDays = async (days: number) => {
    for (let day = 0; day < days; day += 1) await h.advance(DAY);
  };

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup(), retention: { personalDataDays: RETENTION_DAYS } }, { providerFor: () => provider });
    // Overdue from the start: reminders go out, so there are message texts to purge.
    await customer('settled', '+12125550171', '2026-02-25');
    await customer('owing', '+12125550172', '2026-02-25');
    await customer('late-reply', '+12125550173', '2026-02-25');
    await advanceDays(2);
    expect(provider.received.filter((m) => m.customerId === ids.settled).length).toBeGreaterThan(0);
    await h.call('POST', '/v1/disputes', { customerExternalId: 'settled', reason: 'I was charged twice for order 5531' }).then(async (opened) => {
      expect(opened.status).toBe(201);
      expect((await h.call('POST', `/v1/disputes/${opened.body.id}/resolve`, { resolution: 'refunded the duplicate' })).status).toBe(200);
    });
    expect((await pay('settled')).status).toBe(201);
    expect((await pay('late-reply')).status).toBe(201);
  }, 300_000);
  afterAll(async () => h?.close());

  it('keeps everything while the period since the last activity runs', async () => {
    await advanceDays(RETENTION_DAYS - 2);
    // Activity on one closed account restarts its period.
    const event = { type: 'event', data: { customerExternalId: 'late-reply', kind: 'app.opened', channel: 'app', occurredAt: h.app.clock.now().toISOString(), payload: { screen: 'my loan' } } };
    expect((await h.call('POST', '/v1/events:batch', { items: [event] })).body.counts.created).toBe(1);
    for (const name of ['settled', 'owing', 'late-reply']) expect(await purgedAt(name), name).toBeNull();
    expect((await h.call('GET', `/v1/customers/${ids.settled}`)).body.identities).toHaveProperty('phone', '****0171');
  }, 240_000);

  it('purges a closed, quiet customer down to a pseudonymised record, audited, with the chain intact', async () => {
    const auditBefore = await h.app.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await advanceDays(4);
    expect(await purgedAt('settled')).not.toBeNull();
    expect(await purgedAt('owing')).toBeNull();
    expect(await purgedAt('late-reply')).toBeNull();

    const view = (await h.call('GET', `/v1/customers/${ids.settled}`)).body;
    expect(view).toMatchObject({ id: ids.settled, externalId: 'settled', name: null, timezone: null, identities: {}, attributes: {} });
    // What the law keeps: the debt, the payment, their amounts, dates and statuses.
    expect(view.receivables).toEqual([expect.objectContaining({ externalId: 'settled-bill', amount: '75.50', amountPaid: '75.50', status: 'paid' })]);
    expect(view.timeline.some((e: { kind: string }) => e.kind === 'payment')).toBe(true);
    const serialized = JSON.stringify(view);
    for (const gone of ['Name settled', '+12125550171', 'settled@example.com', 'Acme', 'charged twice', 'refunded the duplicate']) expect(serialized).not.toContain(gone);
    const messages = (await h.call('GET', `/v1/messages?customerId=${ids.settled}`)).body.items;
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m: { text: string | null; status: string }) => m.text === null && m.status !== 'scheduled')).toBe(true);
    // Nothing finds the person by their phone any more.
    expect(await resolveSender(h.app.db, h.app.vault, { phone: '+12125550171' })).toEqual({ ok: true, value: null });
    expect(await resolveSender(h.app.db, h.app.vault, { phone: '+12125550172' })).toEqual({ ok: true, value: ids.owing });

    const entries = (await h.call('GET', `/v1/audit?action=personal_data.purged`)).body.items;
    expect(entries).toEqual([expect.objectContaining({ actor: 'system:retention', subject: ids.settled })]);
    const auditAfter = await h.app.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBeGreaterThan(Number(auditBefore.n));
    expect(await verifyAuditChain(h.app.db)).toEqual({ ok: true, entries: Number(auditAfter.n) });
  }, 240_000);

  it('purges the later one after its own period, never one that still owes, and looks again after new data', async () => {
    // Its event was at day 10; the purge runs daily, and the first run past day 20 finds it.
    await advanceDays(RETENTION_DAYS - 3);
    expect(await purgedAt('late-reply')).not.toBeNull();
    expect(await purgedAt('owing')).toBeNull();
    const owing = (await h.call('GET', `/v1/customers/${ids.owing}`)).body;
    expect(owing).toMatchObject({ name: 'Name owing', identities: { phone: '****0172' } });

    // The integrator sends the person again: the mark goes, and the new data has its own period.
    expect((await h.call('POST', '/v1/customers', { externalId: 'settled', name: 'Back Again', identities: { phone: '+12125550179' } })).status).toBe(200);
    expect(await purgedAt('settled')).toBeNull();
    await advanceDays(RETENTION_DAYS + 2);
    expect(await purgedAt('settled')).not.toBeNull();
    expect((await h.call('GET', `/v1/customers/${ids.settled}`)).body).toMatchObject({ name: null, identities: {} });
    expect((await h.call('GET', '/v1/audit/verify', undefined)).body).toMatchObject({ ok: true });
  }, 240_000);
});

describe.each(DATABASE_KINDS)('retention defaults (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('keeps personal data six months (184 days) after the last activity by default', async () => {
    const defaults = loadConfig({}, {}).retention;
    expect(defaults.personalDataDays).toBe(184);
    expect((await h.call('POST', '/v1/customers', { externalId: 'six', name: 'Six Months', identities: { phone: '+12125550180' } })).status).toBe(201);
    const start = h.app.clock.now().getTime();
    const at = (days: number) => new Date(start + days * DAY_MS + 60_000);
    expect((await purgeExpiredPersonalData(h.app.db, at(183), defaults)).customers).toBe(0);
    expect((await purgeExpiredPersonalData(h.app.db, at(184), defaults)).customers).toBe(1);
    expect((await purgeExpiredPersonalData(h.app.db, at(185), defaults)).customers).toBe(0);
  });
});
