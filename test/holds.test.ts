import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

interface Sent {
  customerId: string;
  channel: string;
  at: Date;
}

const DAY = 24 * 60;
const policyFile = policyWithoutControlGroup();

/** A fresh app per scenario: holds on one debtor must be shown not to depend on another's. */
async function start(kind: 'pglite' | 'postgres') {
  const sent: Sent[] = [];
  let h: Harness;
  const provider = recordingProvider('sandbox', (message) => {
    sent.push({ customerId: message.customerId, channel: message.channel, at: h.app.clock.now() });
    return { ok: true, providerMessageId: `sb-${sent.length}` };
  });
  h = await startHarness(kind, { policyFile }, { providerFor: () => provider });
  return { h, sent };
}

/** A New York debtor whose bill fell due on 20 February: in M1 from the start of the clock (1 March). */
async function debtor(h: Harness, externalId: string, extra: { consents?: Record<string, boolean>; identities?: Record<string, string> } = {}) {
  const customer = await h.call('POST', '/v1/customers', {
    externalId, name: externalId, locale: 'en', timezone: 'America/New_York',
    identities: extra.identities ?? { phone: '+12125550100', email: `${externalId}@example.com` },
    consents: extra.consents ?? { sms: true, email: true },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const bill = await h.call('POST', '/v1/receivables', { externalId: `${externalId}-bill`, customerExternalId: externalId, kind: 'bill', amount: '120.00', currency: 'USD', dueAt: '2026-02-20' });
  expect(bill.status, JSON.stringify(bill.body)).toBe(201);
  return customer.body.id as string;
}

async function attemptsOf(h: Harness, customerId: string) {
  return h.app.db.selectFrom('contact_attempts').select(['id', 'status', 'channel', 'decision', 'due_at']).where('customer_id', '=', customerId).execute();
}

async function advanceDays(h: Harness, days: number) {
  for (let day = 0; day < days; day += 1) await h.advance(DAY);
}

describe.each(DATABASE_KINDS)('holds on collection (%s)', (kind) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an open dispute cancels the waiting reminder, stops planning while open, and reminders resume after resolve', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'dsp');
    await h.advance(60);
    const waiting = (await attemptsOf(h, id)).filter((a) => a.status === 'scheduled');
    expect(waiting.length).toBeGreaterThan(0);

    const opened = await h.call('POST', '/v1/disputes', { customerExternalId: 'dsp', reason: 'I never ordered this', externalId: 'dsp-1' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', customerId: id, receivableId: null, cancelledAttempts: waiting.length });
    const again = await h.call('POST', '/v1/disputes', { customerExternalId: 'dsp', reason: 'I never ordered this', externalId: 'dsp-1' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(opened.body.id);
    for (const a of await attemptsOf(h, id)) if (waiting.some((w) => w.id === a.id)) expect(a.status).toBe('cancelled');

    await advanceDays(h, 3);
    expect(s.sent.filter((m) => m.customerId === id)).toEqual([]);
    const during = await attemptsOf(h, id);
    expect(during.filter((a) => a.status === 'scheduled')).toEqual([]);
    expect(during.some((a) => a.status === 'blocked' && (a.decision as { rule: string }).rule === 'recoup.dispute-open')).toBe(true);
    const view = (await h.call('GET', `/v1/customers/${id}`)).body;
    expect(view.openDisputes).toHaveLength(1);

    const resolvedAt = h.app.clock.now();
    const resolved = await h.call('POST', `/v1/disputes/${opened.body.id}/resolve`, { resolution: 'delivery confirmed by courier' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'delivery confirmed by courier' });
    expect((await h.call('POST', `/v1/disputes/${opened.body.id}/resolve`, { resolution: 'again' })).status).toBe(409);
    await advanceDays(h, 2);
    expect(s.sent.filter((m) => m.customerId === id && m.at >= resolvedAt).length).toBeGreaterThan(0);
    const kinds = ((await h.call('GET', `/v1/customers/${id}`)).body.timeline as Array<{ kind: string }>).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['dispute.opened', 'dispute.resolved']));
  });

  it('a dispute on one debt holds only that debt; the other is still collected', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'dsp2');
    const other = await h.call('POST', '/v1/receivables', { externalId: 'dsp2-loan', customerExternalId: 'dsp2', kind: 'instalment', amount: '50.00', currency: 'USD', dueAt: '2026-02-20' });
    const disputed = (await h.call('GET', '/v1/receivables?externalId=dsp2-bill')).body.items[0].id as string;
    const opened = await h.call('POST', '/v1/disputes', { customerExternalId: 'dsp2', receivableExternalId: 'dsp2-bill', reason: 'wrong amount' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.receivableId).toBe(disputed);
    await advanceDays(h, 2);
    const attempts = await h.app.db.selectFrom('contact_attempts').select(['receivable_ids', 'status']).where('customer_id', '=', id).where('status', 'not in', ['blocked', 'cancelled']).execute();
    expect(attempts.length).toBeGreaterThan(0);
    for (const a of attempts) expect(a.receivable_ids).toEqual([other.body.id]);
    expect(s.sent.filter((m) => m.customerId === id).length).toBeGreaterThan(0);
  });

  it('a promise to pay cancels waiting reminders, none go before its date, contact resumes once it is broken', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'ptp');
    await h.advance(60);
    const waiting = (await attemptsOf(h, id)).filter((a) => a.status === 'scheduled');
    expect(waiting.length).toBeGreaterThan(0);

    // A bare date is the end of that day in the debtor's zone: 6 March, midnight in New York.
    const promised = await h.call('POST', '/v1/promises', { customerExternalId: 'ptp', amount: '120.00', currency: 'USD', promisedFor: '2026-03-05', source: 'agent' });
    expect(promised.status, JSON.stringify(promised.body)).toBe(201);
    expect(promised.body).toMatchObject({ status: 'open', amount: '120.00', currency: 'USD', promisedFor: '2026-03-06T05:00:00.000Z', cancelledAttempts: waiting.length });
    const promisedFor = new Date(promised.body.promisedFor);
    for (const a of await attemptsOf(h, id)) if (waiting.some((w) => w.id === a.id)) expect(a.status).toBe('cancelled');

    await advanceDays(h, 7);
    const mine = s.sent.filter((m) => m.customerId === id);
    expect(mine.filter((m) => m.at < promisedFor)).toEqual([]);
    expect(mine.filter((m) => m.at >= promisedFor).length).toBeGreaterThan(0);
    const view = (await h.call('GET', `/v1/customers/${id}`)).body;
    expect(view.promises[0]).toMatchObject({ id: promised.body.id, status: 'broken' });
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['promise.made', 'promise.broken']));
  });

  it('a promise becomes kept when the debt is paid, and no reminder follows', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'kept');
    const promised = await h.call('POST', '/v1/promises', { customerExternalId: 'kept', receivableExternalIds: ['kept-bill'], amount: 120, currency: 'USD', promisedFor: '2026-03-04T12:00:00-05:00' });
    expect(promised.status, JSON.stringify(promised.body)).toBe(201);
    await h.advance(DAY);
    const payment = await h.call('POST', '/v1/payments', { externalId: 'kept-pay', receivableExternalId: 'kept-bill', amount: '120.00', paidAt: h.app.clock.now().toISOString() });
    expect(payment.status).toBe(201);
    await h.advance(120);
    const view = (await h.call('GET', `/v1/customers/${id}`)).body;
    expect(view.promises[0]).toMatchObject({ id: promised.body.id, status: 'kept' });
    expect(view.timeline.some((e: { kind: string }) => e.kind === 'promise.kept')).toBe(true);
    await advanceDays(h, 5);
    expect(s.sent.filter((m) => m.customerId === id)).toEqual([]);
    expect((await h.call('GET', `/v1/customers/${id}`)).body.promises[0].status).toBe('kept');
  });

  it('a collector-placed call conversation pauses calls to a US debtor for 7 days (Reg F); one the debtor placed does not', async () => {
    const s = await start(kind);
    h = s.h;
    // Reachable by phone, but SMS consent withdrawn: voice is the only channel left in M1.
    const phoneOnly = (n: string) => ({ identities: { phone: `+1212555010${n}` }, consents: { sms: false, voice: true } });
    const viaBatch = await debtor(h, 'conv-batch', phoneOnly('1'));
    const viaApi = await debtor(h, 'conv-api', phoneOnly('2'));
    const debtorCalled = await debtor(h, 'conv-debtor', phoneOnly('3'));
    const start0 = h.app.clock.now();
    const batch = await h.call('POST', '/v1/events:batch', {
      items: [{ type: 'event', data: { customerExternalId: 'conv-batch', kind: 'call.conversation', channel: 'voice', occurredAt: start0.toISOString(), payload: { initiatedBy: 'collector', receivableIds: ['conv-batch-bill'] } } }],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body.results[0].status).toBe('created');
    const debtorConv = await h.call('POST', '/v1/conversations', { customerExternalId: 'conv-debtor', initiatedBy: 'debtor' });
    expect(debtorConv.status, JSON.stringify(debtorConv.body)).toBe(201);

    // The API path also takes back a call already waiting: planned first, then the conversation.
    await h.advance(60);
    expect((await attemptsOf(h, viaApi)).filter((a) => a.status === 'scheduled' && a.channel === 'voice').length).toBeGreaterThan(0);
    const conversationAt = h.app.clock.now();
    const apiConv = await h.call('POST', '/v1/conversations', { customerExternalId: 'conv-api', receivableExternalIds: ['conv-api-bill'], initiatedBy: 'collector' });
    expect(apiConv.status, JSON.stringify(apiConv.body)).toBe(201);
    expect(apiConv.body.cancelledAttempts).toBeGreaterThan(0);

    await advanceDays(h, 9);
    const calls = (id: string) => s.sent.filter((m) => m.customerId === id && m.channel === 'voice').map((m) => m.at.getTime());
    const sevenDays = 7 * 86_400_000;
    expect(calls(debtorCalled).length).toBeGreaterThan(0);
    expect(Math.min(...calls(debtorCalled))).toBeLessThan(start0.getTime() + 2 * 86_400_000);
    for (const [id, since] of [[viaBatch, start0], [viaApi, conversationAt]] as const) {
      expect(calls(id).length, id).toBeGreaterThan(0);
      expect(Math.min(...calls(id)), id).toBeGreaterThanOrEqual(since.getTime() + sevenDays);
    }
    const delayed = (await attemptsOf(h, viaBatch)).find((a) => a.channel === 'voice');
    expect(JSON.stringify(delayed?.decision)).toContain('us-reg-f.call-after-conversation');
  });

  it('cease-communication cancels what is waiting and stops every reminder', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'cease');
    await h.advance(60);
    const waiting = (await attemptsOf(h, id)).filter((a) => a.status === 'scheduled');
    expect(waiting.length).toBeGreaterThan(0);
    const ceased = await h.call('POST', `/v1/customers/${id}/cease-communication`, { source: 'letter' });
    expect(ceased.status, JSON.stringify(ceased.body)).toBe(200);
    expect(ceased.body).toMatchObject({ ceaseCommunication: true, changed: true, cancelledAttempts: waiting.length });
    const again = await h.call('POST', `/v1/customers/${id}/cease-communication`);
    expect(again.body).toMatchObject({ changed: false, cancelledAttempts: 0 });
    await advanceDays(h, 5);
    expect(s.sent.filter((m) => m.customerId === id)).toEqual([]);
    const attempts = await attemptsOf(h, id);
    expect(attempts.filter((a) => a.status === 'scheduled')).toEqual([]);
    expect(attempts.some((a) => a.status === 'blocked' && /cease-communication$/.test((a.decision as { rule: string }).rule))).toBe(true);
    const view = (await h.call('GET', `/v1/customers/${id}`)).body;
    expect(view.ceaseCommunication).toBe(true);
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'communication.ceased')).toHaveLength(1);
    const audit = await h.app.db.selectFrom('audit_log').select('action').where('subject', '=', id).execute();
    expect(audit.map((a) => a.action)).toContain('communication.ceased');
  });

  it('refuses bad input with 400/404 naming the field, and writes nothing', async () => {
    const s = await start(kind);
    h = s.h;
    const id = await debtor(h, 'bad');
    await h.advance(60);
    const snapshot = async () => ({
      disputes: (await h!.app.db.selectFrom('disputes').selectAll().execute()).length,
      promises: (await h!.app.db.selectFrom('promises_to_pay').selectAll().execute()).length,
      events: (await h!.app.db.selectFrom('interaction_events').selectAll().execute()).length,
      audit: (await h!.app.db.selectFrom('audit_log').selectAll().execute()).length,
      attempts: (await attemptsOf(h!, id)).map((a) => `${a.id}:${a.status}`).sort(),
    });
    const before = await snapshot();
    expect(before.attempts.some((a) => a.endsWith(':scheduled'))).toBe(true);
    const good = { customerExternalId: 'bad', amount: '50.00', currency: 'USD', promisedFor: '2026-03-10' };
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/promises', { ...good, customerExternalId: 'nobody' }, 404, 'customerExternalId'],
      ['POST', '/v1/promises', { ...good, promisedFor: '2026-02-27' }, 400, 'promisedFor'],
      ['POST', '/v1/promises', { ...good, promisedFor: '2026-05-01' }, 400, 'promisedFor'],
      ['POST', '/v1/promises', { ...good, promisedFor: 'next tuesday' }, 400, 'promisedFor'],
      ['POST', '/v1/promises', { ...good, amount: '-5.00' }, 400, 'amount'],
      ['POST', '/v1/promises', { ...good, amount: '5.001' }, 400, 'amount'],
      ['POST', '/v1/promises', { ...good, currency: 'usd' }, 400, 'currency'],
      ['POST', '/v1/promises', { ...good, currency: 'XXX' }, 400, 'currency'],
      ['POST', '/v1/promises', { ...good, currency: 'EUR' }, 400, 'currency'],
      ['POST', '/v1/promises', { ...good, receivableExternalIds: ['bad-bill', 'ghost'] }, 404, 'receivableExternalIds[1]'],
      ['POST', '/v1/disputes', { customerExternalId: 'nobody', reason: 'x' }, 404, 'customerExternalId'],
      ['POST', '/v1/disputes', { customerExternalId: 'bad', receivableExternalId: 'ghost', reason: 'x' }, 404, 'receivableExternalId'],
      ['POST', '/v1/disputes', { customerExternalId: 'bad', reason: '' }, 400, 'reason'],
      ['POST', '/v1/disputes/00000000-0000-4000-8000-000000000000/resolve', { resolution: 'x' }, 404, 'id'],
      ['POST', '/v1/customers/00000000-0000-4000-8000-000000000000/cease-communication', {}, 404, 'id'],
      ['POST', '/v1/conversations', { customerExternalId: 'bad', initiatedBy: 'robot' }, 400, 'initiatedBy'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await h.call(method as 'POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect(await snapshot()).toEqual(before);

    const analyst = (await h.call('POST', '/v1/api-keys', { name: 'analyst', role: 'analyst' })).body.key as string;
    expect((await h.call('POST', '/v1/promises', good, analyst)).status).toBe(403);
    const agent = (await h.call('POST', '/v1/api-keys', { name: 'agent', role: 'agent' })).body.key as string;
    expect((await h.call('POST', '/v1/promises', good, agent)).status).toBe(201);
  });
});
