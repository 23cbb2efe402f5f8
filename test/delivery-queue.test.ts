import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { VirtualClock } from '../src/core/clock.js';
import { claimDueAttempts, markSent, scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { createDeliveryWork } from '../src/delivery/delivery-work.js';
import { CONTACT_ATTEMPT_JOB } from '../src/delivery/job-catalog.js';
import type { SendResult } from '../src/delivery/provider.js';
import { DATABASE_KINDS } from './support/databases.js';
import { CLOCK_START, type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

const silentLogger = { warn: () => undefined };
let script: (call: number) => SendResult = () => ({ ok: true, providerMessageId: 'ok' });
const provider = recordingProvider('test', (_m, call) => script(call));

describe.each(DATABASE_KINDS)('delivery queue on %s', (kind) => {
  let h: Harness;
  let customerId: string;
  let receivableId: string;
  const clock = () => h.app.clock as VirtualClock;
  const attempt = (key: string, minutesFromNow = 0, receivableIds = [receivableId]) => ({
    idempotencyKey: key, customerId, receivableIds, channel: 'sms' as const, templateId: 't1',
    content: { text: `reminder ${key}` }, dueAt: new Date(clock().now().getTime() + minutesFromNow * 60_000), decision: { rule: 'test' },
  });
  const statusOf = async (key: string) => (await h.app.db.selectFrom('contact_attempts').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow());

  beforeAll(async () => {
    provider.received.length = 0;
    h = await startHarness(kind, {}, { providerFor: () => provider, workerId: 'w1' });
    const customer = await h.call('POST', '/v1/customers', { externalId: 'dq1', timezone: 'UTC', identities: { phone: '+14155550123' } });
    customerId = customer.body.id;
    const receivable = await h.call('POST', '/v1/receivables', { externalId: 'dq1-r', customerExternalId: 'dq1', kind: 'bill', amount: '50', currency: 'USD', dueAt: '2026-02-20' });
    receivableId = receivable.body.id;
  });
  afterAll(async () => h?.close());

  it('sends a due attempt once, with the decrypted recipient, and never schedules a key twice', async () => {
    const first = await scheduleAttempts(h.app.db, clock().now(), [attempt('once', 30)]);
    const again = await scheduleAttempts(h.app.db, clock().now(), [attempt('once', 30), attempt('once-b', 30)]);
    expect([...first]).toEqual(['once']);
    expect([...again]).toEqual(['once-b']);
    await h.advance(29);
    expect(provider.received.filter((m) => m.idempotencyKey === 'once')).toHaveLength(0);
    await h.advance(2);
    const sent = provider.received.filter((m) => m.idempotencyKey === 'once');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to.phone).toBe('+14155550123');
    expect(await statusOf('once')).toMatchObject({ status: 'sent', attempt_count: 1, provider: 'test', lease_owner: null });
    await h.advance(60);
    expect(provider.received.filter((m) => m.idempotencyKey === 'once')).toHaveLength(1);
  });

  it('retries retryable failures with growing backoff, then succeeds', async () => {
    let calls = 0;
    script = () => (++calls <= 2 ? { ok: false, kind: 'server_error', reason: 'HTTP 503' } : { ok: true, providerMessageId: 'late' });
    await scheduleAttempts(h.app.db, clock().now(), [attempt('retry')]);
    await h.advance(0);
    const afterFirst = await statusOf('retry');
    expect(afterFirst).toMatchObject({ status: 'scheduled', attempt_count: 1, last_error: 'server_error: HTTP 503' });
    const firstDelay = afterFirst.due_at.getTime() - clock().now().getTime();
    const base = CONTACT_ATTEMPT_JOB.retry.baseDelayMs;
    expect(firstDelay).toBeGreaterThanOrEqual(base * 0.75);
    expect(firstDelay).toBeLessThanOrEqual(base * 1.25);
    await h.advance(Math.ceil(firstDelay / 60_000));
    const afterSecond = await statusOf('retry');
    expect(afterSecond.attempt_count).toBe(2);
    expect(afterSecond.due_at.getTime() - clock().now().getTime()).toBeGreaterThanOrEqual(base * 2 * 0.75 - 60_000);
    await h.advance(10);
    expect(await statusOf('retry')).toMatchObject({ status: 'sent', attempt_count: 3, provider_message_id: 'late', last_error: null });
    script = () => ({ ok: true, providerMessageId: 'ok' });
  });

  it('fails a non-retryable failure at once, keeping the reason with the number masked', async () => {
    script = () => ({ ok: false, kind: 'invalid_recipient', reason: "The 'To' number +14155550123 is not in service" });
    await scheduleAttempts(h.app.db, clock().now(), [attempt('bad-number')]);
    await h.advance(0);
    expect(await statusOf('bad-number')).toMatchObject({ status: 'failed', attempt_count: 1, last_error: "invalid_recipient: The 'To' number ****0123 is not in service" });
    await h.advance(24 * 60);
    expect(provider.received.filter((m) => m.idempotencyKey === 'bad-number')).toHaveLength(1);
    script = () => ({ ok: true, providerMessageId: 'ok' });
  });

  it('cancels pending reminders in the payment that settles the receivable', async () => {
    await scheduleAttempts(h.app.db, clock().now(), [attempt('after-payment', 60)]);
    const paid = await h.call('POST', '/v1/payments', { externalId: 'dq1-p', receivableExternalId: 'dq1-r', amount: '50', paidAt: clock().now().toISOString() });
    expect(paid.status).toBe(201);
    expect((await statusOf('after-payment')).status).toBe('cancelled');
    await h.advance(120);
    expect(provider.received.filter((m) => m.idempotencyKey === 'after-payment')).toHaveLength(0);
  });

  it('takes back an attempt whose worker died once its lease runs out; the dead worker cannot finish it', async () => {
    await scheduleAttempts(h.app.db, clock().now(), [attempt('orphan', 0, [])]);
    const [claimed] = await claimDueAttempts(h.app.db, clock().now(), 'dead-worker', 10, CONTACT_ATTEMPT_JOB.leaseMs);
    expect(claimed?.idempotency_key).toBe('orphan');
    await h.advance(1);
    expect(provider.received.filter((m) => m.idempotencyKey === 'orphan')).toHaveLength(0);
    await h.advance(CONTACT_ATTEMPT_JOB.leaseMs / 60_000 + 1);
    expect(provider.received.filter((m) => m.idempotencyKey === 'orphan')).toHaveLength(1);
    expect(await markSent(h.app.db, claimed!, 'dead-worker', clock().now(), 'test', 'zombie')).toBe(false);
    expect(await statusOf('orphan')).toMatchObject({ status: 'sent', lease_owner: null });
  });

  it('lists outbound messages with their status, text and decision through GET /v1/messages', async () => {
    const all = await h.call('GET', `/v1/messages?customerId=${customerId}&limit=100`);
    expect(all.status).toBe(200);
    const once = all.body.items.find((m: { text: string }) => m.text === 'reminder once');
    expect(once).toMatchObject({ direction: 'outbound', channel: 'sms', status: 'sent', receivableId, templateId: 't1', decision: { rule: 'test' } });
    const cancelled = await h.call('GET', `/v1/messages?receivableId=${receivableId}&status=cancelled`);
    expect(cancelled.body.items.map((m: { text: string }) => m.text)).toContain('reminder after-payment');
    expect(cancelled.body.items.every((m: { status: string; receivableIds: string[] }) => m.status === 'cancelled' && m.receivableIds.includes(receivableId))).toBe(true);
    const paged: string[] = [];
    for (let after = ''; ; ) {
      const page = await h.call('GET', `/v1/messages?customerId=${customerId}&limit=2${after}`);
      paged.push(...page.body.items.map((m: { id: string }) => m.id));
      if (!page.body.nextCursor) break;
      after = `&after=${page.body.nextCursor}`;
    }
    expect(paged).toEqual(all.body.items.map((m: { id: string }) => m.id));
    const bad = await h.call('GET', '/v1/messages?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.since');
  });
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('two workers on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('postgres', { clock: { mode: 'virtual', start: CLOCK_START } }, { providerFor: () => recordingProvider('unused') });
  });
  afterAll(async () => h?.close());

  it('never send the same attempt, and together send them all', async () => {
    const customer = await h.call('POST', '/v1/customers', { externalId: 'tw1', timezone: 'UTC' });
    const now = h.app.clock.now();
    const keys = Array.from({ length: 400 }, (_, i) => `tw-${i}`);
    await scheduleAttempts(h.app.db, now, keys.map((key) => ({ idempotencyKey: key, customerId: customer.body.id, receivableIds: [], channel: 'email', templateId: null, content: { text: key }, dueAt: now, decision: {} })));
    const second = await createApp(h.app.config, { clock: h.app.clock, providerFor: () => recordingProvider('unused') });
    try {
      const slow = () => new Promise<SendResult>((done) => setTimeout(() => done({ ok: true, providerMessageId: 'p' }), 2));
      const providerA = recordingProvider('a', slow);
      const providerB = recordingProvider('b', slow);
      const workA = createDeliveryWork({ db: h.app.db, clock: h.app.clock, vault: h.app.vault, providerFor: () => providerA, logger: silentLogger, owner: 'A', batchSize: 20, concurrency: 4 });
      const workB = createDeliveryWork({ db: second.db, clock: h.app.clock, vault: second.vault, providerFor: () => providerB, logger: silentLogger, owner: 'B', batchSize: 20, concurrency: 4 });
      await Promise.all([workA.runDue(now), workB.runDue(now)]);
      const a = providerA.received.map((m) => m.idempotencyKey);
      const b = new Set(providerB.received.map((m) => m.idempotencyKey));
      expect(a.filter((key) => b.has(key))).toEqual([]);
      expect(a.length).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect(new Set([...a, ...b]).size).toBe(400);
      const statuses = await h.app.db.selectFrom('contact_attempts').select(({ fn }) => ['status', fn.countAll().as('n')]).groupBy('status').execute();
      expect(statuses).toEqual([{ status: 'sent', n: 400n }]);
    } finally {
      await second.close();
    }
  });
});
