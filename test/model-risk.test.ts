import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OverdueFacts, riskFeatures, trainModel } from '../src/decisioning/training/index.js';
import { ingestBatch } from '../src/ingest/ingest-batch.js';
import { createRandom } from '../src/simulation/random.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

const DAY = 86_400_000;
// Starting an app on a fresh database and seeding it can take minutes on a busy machine.
const HOOK_TIMEOUT_MS = 300_000;

/**
 * The risk model learns who rolls from M1 into M2. The seeded portfolio has a known signal: an
 * instalment left unpaid at its due date rolls 85 times in 100, an order 10 times in 100.
 */
describe.each(DATABASE_KINDS)('the risk model on %s', (kind) => {
  let h: Harness;
  let rolled = 0;

  beforeAll(async () => {
    h = await startHarness(kind, { training: { retrainHours: 0 } });
    const random = createRandom(7);
    const now = h.app.clock.now().getTime();
    const items: { type: string; data: Record<string, unknown> }[] = [];
    for (let i = 0; i < 400; i++) {
      const receivableKind = i % 2 === 0 ? 'instalment' : 'order';
      const dueDay = `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`;
      items.push({ type: 'customer', data: { externalId: `rk-${i}`, timezone: 'UTC', locale: i % 3 === 0 ? 'zh-CN' : 'en' } });
      items.push({ type: 'receivable', data: { externalId: `rk-${i}-r`, customerExternalId: `rk-${i}`, kind: receivableKind, amount: '300.00', currency: 'CNY', dueAt: dueDay } });
      const rolls = random.chance(receivableKind === 'instalment' ? 0.85 : 0.1);
      // Late but before day 31 for those who do not roll; after it (or never) for those who do.
      const daysLate = rolls ? (random.chance(0.5) ? random.int(35, 50) : undefined) : random.int(1, 25);
      if (rolls) rolled += 1;
      if (daysLate === undefined) continue;
      const paidAt = new Date(Date.parse(`${dueDay}T00:00:00Z`) + daysLate * DAY);
      if (paidAt.getTime() > now) continue;
      items.push({ type: 'payment', data: { externalId: `rk-${i}-p`, receivableExternalId: `rk-${i}-r`, amount: '300.00', paidAt: paidAt.toISOString() } });
    }
    const result = await ingestBatch({ db: h.app.db, vault: h.app.vault, stages: h.app.config.stages, now: h.app.clock.now(), actor: 'test', source: 'api' }, items);
    expect(result.counts.rejected ?? 0, JSON.stringify(result.results.find((r) => r.status === 'rejected'))).toBe(0);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('learns that unpaid instalments roll into M2 more than orders, and is promoted as the first champion', async () => {
    const report = await trainModel({ db: h.app.db, clock: h.app.clock, training: h.app.config.training, m2FromDay: h.app.config.stages.m2FromDay, logger: h.app.logger }, 'risk');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value).toMatchObject({ kind: 'risk', rows: 400, promoted: true });
    expect(report.value.metrics.positiveRate).toBeCloseTo(rolled / 400, 4);
    expect(report.value.metrics.auc).toBeGreaterThan(0.75);
    expect(report.value.version.trained_from?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    await h.app.models.refresh();
    const facts = (receivableKind: string): OverdueFacts => ({
      kind: receivableKind, currency: 'CNY', outstandingMinor: 30_000n, partlyPaid: false, locale: 'en',
      priorReceivables: 0, priorPaidOnTime: 0, priorPaidLate: 0, preDueContacts: 0, priorInbound: 0,
    });
    const score = (receivableKind: string) => {
      const result = h.app.models.predict('risk', riskFeatures(facts(receivableKind)));
      if (!result.ok) throw new Error(result.error.message);
      return result.value.probability;
    };
    expect(score('instalment')).toBeGreaterThan(score('order') + 0.4);
  });

  it('does not retrain on the work loop when retrainHours is 0', async () => {
    const count = async () => (await h.app.db.selectFrom('model_versions').select('id').execute()).length;
    expect(await count()).toBe(1);
    await h.advance(25 * 60);
    expect(await count()).toBe(1);
  });
});
