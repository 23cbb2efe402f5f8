import { DateTime } from 'luxon';
import type { App } from '../../src/app.js';
import type { VirtualClock } from '../../src/core/clock.js';
import { scheduleAttempts } from '../../src/delivery/attempt-queue.js';
import { createDeliveryWork } from '../../src/delivery/delivery-work.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import { createRandom } from '../../src/simulation/random.js';

/** One way of contacting: a channel at a local hour, and the chance that the debtor pays within days of it. */
export interface Arm {
  channel: 'sms' | 'email';
  localHour: number;
  payChance: number;
}

export const SIGNAL_ARMS: readonly Arm[] = [
  { channel: 'sms', localHour: 10, payChance: 0.7 },
  { channel: 'sms', localHour: 3, payChance: 0.3 },
  { channel: 'email', localHour: 10, payChance: 0.3 },
  { channel: 'email', localHour: 3, payChance: 0.06 },
];

export const NOISE_ARMS: readonly Arm[] = SIGNAL_ARMS.map((arm) => ({ ...arm, payChance: 0.35 }));

const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York'];

export interface HistoryOptions {
  prefix: string;
  customers: number;
  arms: readonly Arm[];
  seed: number;
  /** The first local day contacts go out (YYYY-MM-DD); they spread over the following ten days. */
  firstDay: string;
  /** Days after the contact on which a payer pays (1 to this). */
  payWithinDays?: number;
}

export interface SeededHistory {
  sent: number;
  paid: number;
  lastSentAt: Date;
}

/**
 * Recorded outcomes made through the product's own paths: customers and receivables ingested as a
 * batch, one contact per debtor scheduled on the attempt queue and sent by the delivery worker at
 * its due time (so `sent_at` is the worker's clock), then payments ingested with their `paidAt`.
 * The clock is the app's virtual clock, moved forward only.
 */
export async function seedContactHistory(app: App, options: HistoryOptions): Promise<SeededHistory> {
  const clock = app.clock as VirtualClock;
  const random = createRandom(options.seed);
  const context = () => ({ db: app.db, vault: app.vault, stages: app.config.stages, now: clock.now(), actor: 'test', source: 'api' as const });
  // Phone numbers must be unique across customers: one block of a thousand numbers per prefix.
  const block = [...options.prefix].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9000, 7);
  const people = Array.from({ length: options.customers }, (_, i) => ({
    id: `${options.prefix}-${i}`,
    phone: `+86138${String(block * 1000 + i).padStart(8, '0')}`,
    zone: ZONES[i % ZONES.length]!,
    arm: random.pick(options.arms),
    day: i % 10,
    amount: `${random.int(80, 4000)}.${String(random.int(0, 99)).padStart(2, '0')}`,
  }));
  const setup = await ingestBatch(context(), [
    ...people.map((p) => ({ type: 'customer', data: { externalId: p.id, timezone: p.zone, locale: p.zone === 'Asia/Shanghai' ? 'zh-CN' : 'en', identities: { phone: p.phone, email: `${p.id}@example.com` } } })),
    ...people.map((p) => ({ type: 'receivable', data: { externalId: `${p.id}-r`, customerExternalId: p.id, kind: 'bill', amount: p.amount, currency: 'CNY', dueAt: '2026-02-01' } })),
  ]);
  if (setup.counts.created !== 2 * people.length) throw new Error(`seeding failed: ${JSON.stringify(setup.results.find((r) => r.status === 'rejected'))}`);
  const ids = new Map((await app.db.selectFrom('receivables').select(['id', 'customer_id', 'external_id']).where('external_id', 'like', `${options.prefix}-%`).execute()).map((r) => [r.external_id, r]));
  const start = DateTime.fromISO(options.firstDay, { zone: 'UTC' });
  const attempts = people.map((p) => {
    const day = start.plus({ days: p.day });
    const dueAt = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: p.arm.localHour }, { zone: p.zone }).toJSDate();
    const receivable = ids.get(`${p.id}-r`)!;
    return {
      idempotencyKey: `${options.prefix}:${p.id}`, customerId: receivable.customer_id, receivableIds: [receivable.id], channel: p.arm.channel,
      templateId: 'reminder', content: { text: 'Your bill is overdue', locale: 'en' }, dueAt, decision: { rule: 'test', stage: 'm1' },
    };
  });
  await scheduleAttempts(app.db, clock.now(), attempts);
  const delivery = createDeliveryWork({ db: app.db, clock, vault: app.vault, providerFor: (channel) => app.providers.forChannel(channel), logger: { warn: () => undefined } });
  for (const at of [...new Set(attempts.map((a) => a.dueAt.getTime()))].sort((a, b) => a - b)) {
    clock.set(new Date(at));
    await delivery.runDue(clock.now());
  }
  const lastSentAt = clock.now();
  const within = options.payWithinDays ?? 5;
  const payments = people.flatMap((p, i) => {
    if (!random.chance(p.arm.payChance)) return [];
    const paidAt = new Date(attempts[i]!.dueAt.getTime() + random.int(2, within * 24 - 1) * 3_600_000);
    return [{ type: 'payment', data: { externalId: `${p.id}-pay`, receivableExternalId: `${p.id}-r`, amount: p.amount, paidAt: paidAt.toISOString() } }];
  });
  // Past every outcome window (7 days by default), so each contact has its final label.
  clock.set(new Date(lastSentAt.getTime() + Math.max(within + 1, 8) * 86_400_000));
  const paid = await ingestBatch(context(), payments);
  if (paid.counts.created !== payments.length) throw new Error(`payments failed: ${JSON.stringify(paid.results.find((r) => r.status === 'rejected'))}`);
  const sent = await app.db.selectFrom('contact_attempts').select((eb) => eb.fn.countAll<string>().as('n')).where('idempotency_key', 'like', `${options.prefix}:%`).where('status', '=', 'sent').executeTakeFirstOrThrow();
  return { sent: Number(sent.n), paid: payments.length, lastSentAt };
}
