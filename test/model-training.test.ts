import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContactFacts, type TrainDeps, responseFeatures, trainModel } from '../src/decisioning/training/index.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { NOISE_ARMS, SIGNAL_ARMS, seedContactHistory } from './support/outcome-history.js';

/** A logger whose warnings the test can read, to check what a refused model says (and that it names no one). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

function trainDeps(h: Harness): TrainDeps {
  return { db: h.app.db, clock: h.app.clock, training: h.app.config.training, m2FromDay: h.app.config.stages.m2FromDay, logger: h.app.logger };
}

/**
 * The same debtor contacted in different ways: only the channel and the local hour differ. The rest
 * looks like the signal phase of the seeded history (about 55 days past due).
 */
function contact(channel: string, hour: number): ContactFacts {
  return {
    sentAt: new Date(`2026-05-06T${String(hour).padStart(2, '0')}:00:00Z`), channel, templateId: 'reminder', stage: 'm1', locale: 'en', timezone: 'UTC',
    firstDueAt: new Date('2026-03-12T00:00:00Z'), receivableKinds: ['bill'], receivableCount: 1, outstandingMinor: 120_000n, currency: 'CNY',
    contactsLast7Days: 0, priorContacts: 0, priorResponses: 0, priorInbound: 0, priorPayments: 0,
  };
}

const versions = async (h: Harness) => h.app.db.selectFrom('model_versions').select(['version', 'role', 'kind', 'rows', 'promoted_at']).orderBy('kind').orderBy('version').execute();

// Starting an app on a fresh database and seeding it can take minutes on a busy machine.
const HOOK_TIMEOUT_MS = 300_000;

describe.each(DATABASE_KINDS)('model training from recorded outcomes on %s', (kind) => {
  let h: Harness;
  const log = capturingLogger();

  beforeAll(async () => {
    h = await startHarness(kind, { training: { retrainHours: 2 } }, { logger: log.logger });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('stores the first model as champion, there being none', async () => {
    const seeded = await seedContactHistory(h.app, { prefix: 'noise', customers: 300, arms: NOISE_ARMS, seed: 11, firstDay: '2026-03-02' });
    expect(seeded.sent).toBe(300);
    const report = await trainModel(trainDeps(h), 'response');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value).toMatchObject({ kind: 'response', rows: 300, promoted: true, reason: 'no champion yet' });
    expect(report.value.version).toMatchObject({ version: 1, role: 'champion', rows: 300 });
    expect(report.value.version.promoted_at?.toISOString()).toBe(h.app.clock.now().toISOString());
    expect(report.value.metrics).toMatchObject({ championAuc: null, testRows: 60, trainRows: 240 });
    expect(report.value.metrics.positiveRate).toBeCloseTo(seeded.paid / 300, 4);
  });

  it('promotes a model that learnt a real signal, which beats the champion on the same hold-out and ranks SMS at 10:00 above email at 03:00', async () => {
    await seedContactHistory(h.app, { prefix: 'signal', customers: 600, arms: SIGNAL_ARMS, seed: 12, firstDay: '2026-03-25' });
    const report = await trainModel(trainDeps(h), 'response');
    if (!report.ok) throw new Error(report.error.message);
    const { metrics } = report.value;
    expect(report.value).toMatchObject({ rows: 900, promoted: true });
    expect(report.value.version).toMatchObject({ version: 2, role: 'champion' });
    expect(metrics.auc).toBeGreaterThan(0.65);
    expect(metrics.championAuc).not.toBeNull();
    expect(metrics.auc).toBeGreaterThan(metrics.championAuc!);
    expect(metrics.baselineAuc).toBeGreaterThan(0.6);
    expect(report.value.reason).toBe(`AUC ${metrics.auc} beats the champion's ${metrics.championAuc} on the same hold-out`);
    expect(await versions(h)).toMatchObject([{ version: 1, role: 'retired' }, { version: 2, role: 'champion' }]);

    await h.app.models.refresh();
    const score = (channel: string, hour: number) => {
      const result = h.app.models.predict('response', responseFeatures(contact(channel, hour)));
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value).toMatchObject({ version: 2 });
      return result.value.probability;
    };
    const [sms10, sms3, email10, email3] = [score('sms', 10), score('sms', 3), score('email', 10), score('email', 3)];
    expect(sms10).toBeGreaterThan(sms3);
    expect(sms10).toBeGreaterThan(email10);
    expect(sms3).toBeGreaterThan(email3);
    expect(email10).toBeGreaterThan(email3);
  });

  it('keeps the champion when a new fit on the same outcomes is no better', async () => {
    const report = await trainModel(trainDeps(h), 'response');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.promoted).toBe(false);
    expect(report.value.metrics.auc).toBe(report.value.metrics.championAuc);
    expect(report.value.reason).toMatch(/^AUC [\d.]+ does not beat the champion's [\d.]+ on the same hold-out$/);
    expect(await versions(h)).toMatchObject([{ version: 1, role: 'retired' }, { version: 2, role: 'champion' }, { version: 3, role: 'challenger', promoted_at: null }]);
  });

  it('refuses features of the wrong type or missing ones, naming them', () => {
    const features = responseFeatures(contact('sms', 10));
    const wrong = h.app.models.predict('response', { ...features, local_hour: 'ten' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toBe('column "local_hour" must be numeric: row 1: "ten" is not a number');
    const { weekday: _, contacts_7d: __, ...partial } = features;
    const missing = h.app.models.predict('response', partial);
    if (missing.ok) throw new Error('expected a refusal');
    expect(missing.error.message).toBe('missing features: "weekday", "contacts_7d"');
    const risk = h.app.models.predict('risk', {});
    if (risk.ok) throw new Error('expected a refusal');
    expect(risk.error).toMatchObject({ type: 'not_found', message: 'no risk model is in force; run `recoup train --kind risk` once outcomes are recorded' });
  });

  it('lists versions with metrics and roles on GET /v1/models, for admin, operator and analyst only', async () => {
    const listed = await h.call('GET', '/v1/models?kind=response');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((v: { version: number; role: string }) => [v.version, v.role])).toEqual([[3, 'challenger'], [2, 'champion'], [1, 'retired']]);
    expect(listed.body.items[1]).toMatchObject({ kind: 'response', rows: 900, metrics: { featureSet: 'response.v1', labelDays: 7, testRows: 180 } });
    expect(typeof listed.body.items[1].metrics.auc).toBe('number');
    expect(listed.body.items[1]).not.toHaveProperty('model');
    expect(listed.body.serving).toMatchObject({ response: { version: 2 }, risk: null });
    const bad = await h.call('GET', '/v1/models?kind=churn');
    expect(bad.status).toBe(400);
    for (const role of ['analyst', 'agent'] as const) {
      const key = await h.call('POST', '/v1/api-keys', { name: role, role });
      const response = await h.call('GET', '/v1/models', undefined, key.body.key);
      expect(response.status).toBe(role === 'analyst' ? 200 : 403);
    }
  });

  it('logs a stored champion that fails to load, without personal data, and keeps the previous one serving', async () => {
    const before = h.app.models.predict('response', responseFeatures(contact('sms', 10)));
    if (!before.ok) throw new Error(before.error.message);
    await h.app.db.transaction().execute(async (trx) => {
      await trx.updateTable('model_versions').set({ role: 'retired' }).where('kind', '=', 'response').where('role', '=', 'champion').execute();
      await trx
        .insertInto('model_versions')
        .values({ kind: 'response', version: 4, created_at: h.app.clock.now(), rows: 900, metrics: '{}', role: 'champion', promoted_at: h.app.clock.now(), model: JSON.stringify({ featureSet: 'response.v1', gbm: { format: 'recoup.gbm', version: 1, baseScore: 0, features: [], trees: [] } }) })
        .execute();
    });
    log.lines.length = 0;
    await h.app.models.refresh();
    const after = h.app.models.predict('response', responseFeatures(contact('sms', 10)));
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value).toEqual(before.value);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 40, kind: 'response', modelVersion: 4, servingVersion: 2, msg: 'a stored model failed to load; the previous version keeps serving' });
    expect(String(log.lines[0]!.reason)).toMatch(/^not a valid gradient-boosting model: features /);
    expect(JSON.stringify(log.lines[0])).not.toMatch(/example\.com|\+86/);
    // Refreshing again does not log the same refusal again.
    await h.app.models.refresh();
    expect(log.lines).toHaveLength(1);

    // Training replaces a champion that cannot load with any valid challenger.
    const report = await trainModel(trainDeps(h), 'response');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value).toMatchObject({ promoted: true, reason: 'the champion could not score the hold-out' });
    await h.app.models.refresh();
    expect(h.app.models.serving('response')).toMatchObject({ version: 5 });
  });

  it('retrains on the work loop once the interval has passed since the last version', async () => {
    const count = async () => (await versions(h)).filter((v) => v.kind === 'response').length;
    const before = await count();
    await h.advance(60);
    expect(await count()).toBe(before);
    const now = await h.advance(61);
    expect(await count()).toBe(before + 1);
    const newest = await h.app.db.selectFrom('model_versions').select(['created_at', 'version']).where('kind', '=', 'response').orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(newest.created_at.getTime()).toBeLessThanOrEqual(new Date(now).getTime());
    expect(newest.created_at.getTime()).toBeGreaterThan(new Date(now).getTime() - 61 * 60_000);
        // Nearly every seeded bill was still owed on day 31 (most payments came later): the risk model is refused.
    const refusal = log.lines.find((l) => l.kind === 'risk');
    expect(refusal?.msg).toBe('scheduled retraining refused; the model in force stays');
    expect(String(refusal?.reason)).toMatch(/^(a single class|too few of one class): .*900 receivables that fell due unpaid.*still owed on day 31, when it enters M2/);
    expect((await versions(h)).filter((v) => v.kind === 'risk')).toEqual([]);
  });
});

describe.each(DATABASE_KINDS)('training refusals on %s', (kind) => {
  let h: Harness;
  const stored = async () => Number((await sql<{ n: string }>`select count(*) as n from model_versions`.execute(h.app.db)).rows[0]!.n);

  beforeAll(async () => {
    h = await startHarness(kind, { training: { minRows: 50, retrainHours: 0 } });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('refuses too little data, saying how many rows there are and how many are needed', async () => {
    const report = await trainModel(trainDeps(h), 'response');
    if (report.ok) throw new Error('expected a refusal');
    expect(report.error.message).toBe('too little data: 0 sent contact attempts with a known outcome, need at least 50');
    const risk = await trainModel(trainDeps(h), 'risk');
    if (risk.ok) throw new Error('expected a refusal');
    expect(risk.error.message).toBe('too little data: 0 receivables that fell due unpaid with a known outcome, need at least 50');
    expect(await stored()).toBe(0);
  });

  it('refuses a single class, saying which', async () => {
    await seedContactHistory(h.app, { prefix: 'never', customers: 60, arms: [{ channel: 'sms', localHour: 10, payChance: 0 }], seed: 3, firstDay: '2026-03-02' });
    const report = await trainModel(trainDeps(h), 'response');
    if (report.ok) throw new Error('expected a refusal');
    expect(report.error.message).toBe('a single class: of 60 sent contact attempts, none had the outcome (a payment within 7 days); training needs both outcomes');
    expect(await stored()).toBe(0);
  });

  it('counts only contacts whose outcome window has closed', async () => {
    const report = await trainModel(trainDeps(h), 'response', { labelDays: 60 });
    if (report.ok) throw new Error('expected a refusal');
    expect(report.error.message).toBe('too little data: 0 sent contact attempts with a known outcome, need at least 50');
  });

  it('refuses too few of one outcome for an honest hold-out', async () => {
    await seedContactHistory(h.app, { prefix: 'rare', customers: 60, arms: [{ channel: 'email', localHour: 3, payChance: 0.05 }], seed: 5, firstDay: '2026-03-25' });
    const report = await trainModel(trainDeps(h), 'response');
    if (report.ok) throw new Error('expected a refusal');
    expect(report.error.message).toMatch(/^too few of one class: [1-9] of 120 sent contact attempts with the outcome \(a payment within 7 days\), need at least 10$/);
    expect(await stored()).toBe(0);
  });
});
