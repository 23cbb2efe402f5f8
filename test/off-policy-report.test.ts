import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../src/simulation/random.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * The live off-policy report on a log whose truth is known: a logging policy that picked SMS, email
 * or waiting with fixed propensities, in a world where each action has a known chance of payment.
 * The fixed schedule (always SMS here) and waiting are estimated from that log alone, and the
 * estimates must land on the truth within their own intervals' reach.
 */
const TRUTH = { sms: 0.3, email: 0.2, wait: 0.1 } as const;
const LOGGING = { sms: 0.5, email: 0.3, wait: 0.2 } as const;
const DECIDED = '2026-02-10T09:00:00Z';

describe('GET /v1/analytics/off-policy', () => {
  let h: Harness;
  let expectedPolicyRate = 0;
  let expectedControlRate = 0;

  beforeAll(async () => {
    h = await startHarness('pglite');
    const created = await h.call('POST', '/v1/customers', { externalId: 'ope-debtor' });
    const customerId = created.body.id as string;
    const random = createRandom(20260210);
    const rows: Array<{ key: string; decisioning: Record<string, unknown>; reward: number; at: string }> = [];
    const draw = (p: number) => (random.next() < p ? 1 : 0);
    let policyPaid = 0;
    for (let i = 0; i < 3000; i++) {
      const u = random.next();
      const action = u < LOGGING.sms ? 'sms' : u < LOGGING.sms + LOGGING.email ? 'email' : 'wait';
      const reward = draw(TRUTH[action]);
      policyPaid += reward;
      rows.push({ key: `ope-p-${i}`, decisioning: { mode: 'ai', group: 'policy', arm: `m1:${action}`, propensity: LOGGING[action], baseline: 'sms' }, reward, at: DECIDED });
    }
    let controlPaid = 0;
    for (let i = 0; i < 150; i++) {
      const reward = draw(TRUTH.sms);
      controlPaid += reward;
      rows.push({ key: `ope-c-${i}`, decisioning: { mode: 'ai', group: 'control', arm: 'm1:sms', propensity: 1 }, reward, at: DECIDED });
    }
    // Outside the range asked for below: must not count.
    rows.push({ key: 'ope-old', decisioning: { mode: 'ai', group: 'policy', arm: 'm1:sms', propensity: 0.5, baseline: 'sms' }, reward: 1, at: '2025-12-01T09:00:00Z' });
    expectedPolicyRate = policyPaid / 3000;
    expectedControlRate = controlPaid / 150;
    for (const row of rows) {
      const attempt = await h.app.db.insertInto('contact_attempts').values({
        idempotency_key: row.key, customer_id: customerId, channel: 'sms', content: '{}', status: 'sent', due_at: row.at, decision: JSON.stringify({ decisioning: row.decisioning }),
        created_at: row.at, updated_at: row.at, sent_at: row.at,
      }).returning('id').executeTakeFirstOrThrow();
      await sql`insert into decision_outcomes (attempt_id, arm, reward, decided_at, observed_at) values (${attempt.id}, ${row.decisioning.arm as string}, ${row.reward}, ${row.at}::timestamptz, ${row.at}::timestamptz)`.execute(h.app.db);
    }
  });
  afterAll(async () => h?.close());

  it('reports what the policy and its control group observed, and estimates the baseline and waiting from the policy\'s log', async () => {
    const response = await h.call('GET', '/v1/analytics/off-policy?from=2026-02-01&to=2026-02-28');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const report = response.body;
    expect(report.policy).toEqual({ decisions: 3000, paidRate: Number(expectedPolicyRate.toFixed(4)) });
    expect(report.control).toEqual({ decisions: 150, paidRate: Number(expectedControlRate.toFixed(4)) });
    for (const [name, truth] of [['baseline', TRUTH.sms], ['wait', TRUTH.wait]] as const) {
      const candidate = report.candidates.find((c: { name: string }) => c.name === name);
      expect(candidate.n).toBe(3000);
      for (const estimator of ['ips', 'snips', 'doublyRobust'] as const) {
        const e = candidate[estimator];
        // Within four standard errors of the truth: a wrong weight (e.g. ignoring propensities, which
        // would estimate SMS at its raw share of rewards) lands far outside.
        expect(Math.abs(e.value - truth), `${name} ${estimator} ${JSON.stringify(e)}`).toBeLessThan(4 * e.standardError);
        expect(e.interval[0]).toBeLessThan(e.value);
        expect(e.interval[1]).toBeGreaterThan(e.value);
      }
    }
    // Waiting is estimated from the 20% of decisions that waited: fewer decisions' worth than SMS's 50%.
    const [baseline, wait] = ['baseline', 'wait'].map((n) => report.candidates.find((c: { name: string }) => c.name === n));
    expect(wait.effectiveSampleSize).toBeLessThan(baseline.effectiveSampleSize);
  });

  it('says so when there is nothing to estimate from, and refuses a bad range by field', async () => {
    const empty = await h.call('GET', '/v1/analytics/off-policy?from=2026-05-01&to=2026-05-31');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ policy: { decisions: 0, paidRate: null }, candidates: [], note: expect.stringMatching(/no learning-policy decision/) });
    const bad = await h.call('GET', '/v1/analytics/off-policy?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.from');
  });

  it('is for those who watch the numbers, not for agents', async () => {
    const key = async (role: string) => (await h.call('POST', '/v1/api-keys', { name: `ope-${role}`, role })).body.key as string;
    expect((await h.call('GET', '/v1/analytics/off-policy', undefined, await key('analyst'))).status).toBe(200);
    expect((await h.call('GET', '/v1/analytics/off-policy', undefined, await key('agent'))).status).toBe(403);
  });
});
