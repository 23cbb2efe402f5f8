import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDraft, type MessageDraft, renderMessage } from '../src/messaging/index.js';
import { createLiveDecisioning, dailyDraws, DEFAULT_DECISIONING, loadOutcomeCounts, posteriorFor } from '../src/decisioning/live/live-decisioning.js';
import { observeOutcomes } from '../src/decisioning/live/outcomes.js';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { decisionWithReasons } from '../src/delivery/decision-reasons.js';
import { planContacts, WAIT_RULE } from '../src/delivery/planner.js';
import type { Decision, EvaluationContext } from '../src/strategy/index.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

/**
 * The learning policy as the live planner uses it: beliefs rebuilt from observed outcomes, choices
 * sampled with their propensities, a hashed control group on the baseline, and rewards scored once
 * each decision's window has closed.
 */
describe.each(DATABASE_KINDS)('live decisioning on %s', (kind) => {
  let h: Harness;
  let customerId: string;
  let receivableId: string;
  beforeAll(async () => {
    // Without the shipped policy's 5% no-contact holdout, which a debtor's random id can land in.
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() });
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'dl-c', timezone: 'Asia/Shanghai' } },
        { type: 'receivable', data: { externalId: 'dl-r', customerExternalId: 'dl-c', kind: 'bill', amount: '800.00', currency: 'CNY', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    customerId = res.body.results[0].id;
    receivableId = res.body.results[1].id;
  });
  afterAll(async () => h?.close());

  const now = () => h.app.clock.now();
  const decisionFor = (channel: 'sms' | 'email', rank: number): Decision =>
    ({ channel, receivableIds: [receivableId], stage: 'm1', escalationRank: rank, policy: 'test@1', outcome: 'allowed', sendAt: now(), templates: [], rule: 'r', reason: 'ok', notes: [] }) as Decision;
  const context = (): EvaluationContext =>
    ({
      now: now(),
      customer: { id: customerId, locale: 'zh-CN', consents: {}, optedOut: [], reachable: ['sms', 'email'] },
      receivables: [{ id: receivableId, externalId: 'dl-r', kind: 'bill', amountMinor: 80_000n, currency: 'CNY', dueAt: new Date('2026-02-20T16:00:00Z') }],
      history: { contacts: [] },
    }) as unknown as EvaluationContext;

  /** `count` logged decisions on `arm` (and a wording), `paid` of them rewarded, written as a real planner would leave them. */
  async function logOutcomes(prefix: string, arm: string, count: number, paid: number, variant: string | null = null): Promise<void> {
    const attempts = Array.from({ length: count }, (_, i) => ({
      idempotencyKey: `${prefix}-${i}`, customerId, receivableIds: [receivableId], channel: 'sms' as const, templateId: null,
      content: { text: 'x' }, dueAt: now(), decision: { decisioning: { mode: 'ai', arm } }, status: 'blocked' as const,
    }));
    await scheduleAttempts(h.app.db, now(), attempts);
    await sql`
      insert into decision_outcomes (attempt_id, arm, variant, reward, decided_at, observed_at)
      select id, ${arm}, ${variant}, case when row_number() over (order by idempotency_key) <= ${paid} then 1 else 0 end, ${now()}::timestamptz, ${now()}::timestamptz
      from contact_attempts where idempotency_key like ${`${prefix}-%`}`.execute(h.app.db);
  }

  it('rebuilds Beta beliefs per stage and arm from observed outcomes on top of the cold-start prior', async () => {
    const prior = DEFAULT_DECISIONING.prior;
    const close = (actual: { alpha: number; beta: number }, alpha: number, beta: number) => {
      expect(actual.alpha).toBeCloseTo(alpha, 9);
      expect(actual.beta).toBeCloseTo(beta, 9);
    };
    // Before anything is observed a contact is believed to help: p 0.2 against 0.05 for waiting, worth 20 outcomes.
    close(posteriorFor(prior, 'sms', undefined), 4, 16);
    close(posteriorFor(prior, 'wait', undefined), 1, 19);
    await logOutcomes('belief-sms', 'm1:sms', 200, 120);
    await logOutcomes('belief-email', 'm1:email', 200, 10);
    await logOutcomes('belief-wait', 'm1:wait', 200, 20);
    const observed = await loadOutcomeCounts(h.app.db);
    expect(observed.get('m1:sms')).toEqual({ paid: 120, trials: 200 });
    close(posteriorFor(prior, 'sms', observed.get('m1:sms')), 124, 96);
    close(posteriorFor(prior, 'email', observed.get('m1:email')), 14, 206);
    close(posteriorFor(prior, 'wait', observed.get('m1:wait')), 21, 199);
  });

  it('with nothing observed yet, contacts nearly everyone as the baseline would, still exploring', async () => {
    const run = await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now());
    const fresh = (channel: 'sms' | 'email', rank: number) => ({ ...decisionFor(channel, rank), stage: 'm2' }) as Decision;
    let contacted = 0;
    let policy = 0;
    for (let i = 0; i < 2000; i++) {
      const choice = run.choose(`cold-${i}`, [fresh('email', 0), fresh('sms', 1)], context(), '2026-03-01');
      if ((choice.record as { group?: string }).group === 'control') continue;
      policy += 1;
      if (choice.kind === 'contact') contacted += 1;
    }
    expect(contacted / policy).toBeGreaterThan(0.9);
    expect(contacted).toBeLessThan(policy);
  });

  it('mostly picks the arm that pays, records the propensity it was sampled with, and keeps a 5% control group on the baseline', async () => {
    const run = await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now());
    const allowed = [decisionFor('email', 0), decisionFor('sms', 1)];
    const counts = { control: 0, sms: 0, email: 0, wait: 0 };
    const propensities = new Map<string, Set<number>>();
    for (let i = 0; i < 4000; i++) {
      const choice = run.choose(`customer-${i}`, allowed, context(), '2026-03-01');
      const record = choice.record as { group?: string; arm: string; propensity: number; baseline?: string };
      if (record.group === 'control') {
        counts.control += 1;
        // The baseline: the first allowed channel in escalation order, chosen for certain.
        expect(choice.kind === 'contact' && choice.decision.channel).toBe('email');
        expect(record.propensity).toBe(1);
        continue;
      }
      const arm = choice.kind === 'wait' ? 'wait' : choice.decision.channel;
      counts[arm as 'sms' | 'email' | 'wait'] += 1;
      expect(record.arm).toBe(`m1:${arm}`);
      // What the fixed schedule would have done, for off-policy evaluation of it.
      expect(record.baseline).toBe('email');
      propensities.set(arm, (propensities.get(arm) ?? new Set()).add(record.propensity));
    }
    expect(counts.control).toBeGreaterThan(4000 * 0.05 - 3 * Math.sqrt(4000 * 0.05 * 0.95));
    expect(counts.control).toBeLessThan(4000 * 0.05 + 3 * Math.sqrt(4000 * 0.05 * 0.95));
    const policy = 4000 - counts.control;
    expect(counts.sms / policy).toBeGreaterThan(0.9);
    // One situation, one distribution: every debtor's propensity for an arm is that arm's share, and
    // the sampled frequency matches it.
    const smsShare = [...propensities.get('sms')!][0]!;
    expect(propensities.get('sms')!.size).toBe(1);
    expect(Math.abs(counts.sms / policy - smsShare)).toBeLessThan(3 * Math.sqrt((smsShare * (1 - smsShare)) / policy) + 0.001);
    // No arm is impossible: each keeps a propensity above zero for off-policy evaluation.
    expect(counts.email + counts.wait).toBeGreaterThan(0);
  });

  it('gives a debtor the same draw all day, so hourly re-planning does not re-roll it', async () => {
    const allowed = [decisionFor('email', 0), decisionFor('sms', 1)];
    const first = await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now());
    const second = await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, new Date(now().getTime() + 3_600_000));
    for (let i = 0; i < 200; i++) {
      const a = first.choose(`steady-${i}`, allowed, context(), '2026-03-01');
      const b = second.choose(`steady-${i}`, allowed, context(), '2026-03-01');
      expect((b.record as { arm: string }).arm).toBe((a.record as { arm: string }).arm);
    }
  });

  it('chooses among the template\'s wordings, evenly before outcomes and towards the one that pays after', async () => {
    const variants = ['neutral', 'friendly', 'firm'];
    const allowed = [decisionFor('sms', 0)].map((d) => ({ ...d, stage: 'm3_plus' }) as Decision);
    const tally = async () => {
      const run = await createLiveDecisioning({ ...DEFAULT_DECISIONING, controlRate: 0 }).begin(h.app.db, now());
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const choice = run.choose(`wording-${i}`, allowed, context(), '2026-03-01', () => variants);
        if (choice.kind !== 'contact') continue;
        const record = choice.record as { variant: string; variantPropensity: number };
        expect(record.variant).toBe(choice.variant);
        expect(record.variantPropensity).toBeGreaterThan(0);
        counts.set(choice.variant!, (counts.get(choice.variant!) ?? 0) + 1);
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return (variant: string) => (counts.get(variant) ?? 0) / total;
    };
    const before = await tally();
    for (const v of variants) expect(Math.abs(before(v) - 1 / 3), v).toBeLessThan(0.1);
    await logOutcomes('wording-friendly', 'm3_plus:sms', 300, 150, 'friendly');
    await logOutcomes('wording-firm', 'm3_plus:sms', 300, 15, 'firm');
    await logOutcomes('wording-neutral', 'm3_plus:sms', 300, 30, 'neutral');
    expect((await loadOutcomeCounts(h.app.db)).get('m3_plus:sms/friendly')).toEqual({ paid: 150, trials: 300 });
    const after = await tally();
    expect(after('friendly')).toBeGreaterThan(0.9);
    expect(after('firm')).toBeGreaterThan(0);
    // A template with one wording leaves the choice to the template.
    const run = await createLiveDecisioning({ ...DEFAULT_DECISIONING, controlRate: 0 }).begin(h.app.db, now());
    const single = run.choose('wording-single', allowed, context(), '2026-03-01', () => ['neutral']);
    expect(single.kind === 'contact' && single.variant).toBeUndefined();
  });

  it('in baseline mode always takes the first allowed channel and learns nothing', async () => {
    const run = await createLiveDecisioning({ ...DEFAULT_DECISIONING, mode: 'baseline' }).begin(h.app.db, now());
    for (let i = 0; i < 100; i++) {
      const choice = run.choose(`base-${i}`, [decisionFor('email', 0), decisionFor('sms', 1)], context(), '2026-03-01');
      expect(choice.kind === 'contact' && choice.decision.channel).toBe('email');
      expect(choice.record).toEqual({ mode: 'baseline', arm: 'm1:email' });
    }
  });

  it('scores a sent decision 1 when its debt is paid within the window, 0 when not, once, and only after the window closed', async () => {
    const sentAt = now();
    await scheduleAttempts(h.app.db, sentAt, [
      { idempotencyKey: 'obs-paid', customerId, receivableIds: [receivableId], channel: 'sms', templateId: null, content: { text: 'x' }, dueAt: sentAt, decision: { decisioning: { mode: 'ai', arm: 'm1:sms', variant: 'firm', sendHour: 'evening' } } },
    ]);
    await sql`update contact_attempts set status = 'sent', sent_at = ${sentAt}::timestamptz where idempotency_key = 'obs-paid'`.execute(h.app.db);
    const before = await observeOutcomes(h.app.db, new Date(sentAt.getTime() + 6 * 86_400_000), 7);
    expect(before).toBe(0);
    const pay = await h.call('POST', '/v1/payments', { externalId: 'dl-p1', receivableExternalId: 'dl-r', amount: '100.00', paidAt: sentAt.toISOString() });
    expect(pay.status, JSON.stringify(pay.body)).toBeLessThan(300);
    const after = new Date(sentAt.getTime() + 8 * 86_400_000);
    expect(await observeOutcomes(h.app.db, after, 7)).toBe(1);
    expect(await observeOutcomes(h.app.db, after, 7)).toBe(0);
    const row = await sql<{ arm: string; variant: string; send_hour: string; reward: number }>`
      select o.arm, o.variant, o.send_hour, o.reward from decision_outcomes o join contact_attempts a on a.id = o.attempt_id where a.idempotency_key = 'obs-paid'`.execute(h.app.db);
    expect(row.rows).toEqual([{ arm: 'm1:sms', variant: 'firm', send_hour: 'evening', reward: 1 }]);
  });

  it('in the planner, records each choice with its arm and propensity, and a wait as a skipped contact once a day', async () => {
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'dl-plan', timezone: 'Asia/Shanghai', identities: { phone: '+8613800002222', email: 'dl-plan@example.com' }, consents: { sms: true, email: true } } },
        { type: 'receivable', data: { externalId: 'dl-plan-r', customerExternalId: 'dl-plan', kind: 'bill', amount: '300.00', currency: 'CNY', dueAt: '2026-02-25' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    const planFor = async (settings: typeof DEFAULT_DECISIONING) => {
      await planContacts({ db: h.app.db, policy: () => h.app.policy, decisioning: createLiveDecisioning(settings) }, now());
      // The decision as reads show it, its reasons put back from decision_reasons.
      return h.app.db.selectFrom('contact_attempts').select(['status', 'channel', 'content']).select(decisionWithReasons(sql.ref('decision')).as('decision')).where('customer_id', '=', res.body.results[0].id).execute();
    };
    // Every arm keeps a sliver of probability (about 0.5% each here), and the debtor's draw is a hash
    // of experiment, customer and day; pick an experiment whose draw lands mid-range on the days
    // the planner may use, so the assertions below test beliefs, not a 1-in-100 hash.
    const id: string = res.body.results[0].id;
    const localDay = (offsetDays: number) => new Date(now().getTime() + offsetDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    const experiment = Array.from({ length: 100 }, (_, i) => `dl-plan-${i}`).find((e) =>
      [0, 1].every((d) => { const u = dailyDraws(e, id, localDay(d)).channel; return u > 0.1 && u < 0.9; }))!;
    // A belief that waiting pays far better than any contact: the planner skips the contact and says why.
    const patient = { ...DEFAULT_DECISIONING, experiment, controlRate: 0, prior: { contact: 0.01, wait: 0.9, strength: 1000 } };
    const waited = await planFor(patient);
    expect(waited).toHaveLength(1);
    expect(waited[0]!.status).toBe('blocked');
    const record = waited[0]!.decision as { rule: string; reason: string; decisioning: { mode: string; group: string; arm: string; propensity: number } };
    expect(record.rule).toBe(WAIT_RULE);
    expect(record.reason).toMatch(/^waiting is worth more than a contact now: /);
    expect(record.decisioning).toMatchObject({ mode: 'ai', group: 'policy', arm: 'm1:wait' });
    expect(record.decisioning.propensity).toBeGreaterThan(0.9);
    // Planning again the same day draws the same and writes nothing new.
    expect(await planFor(patient)).toHaveLength(1);

    // With contact believed to pay, the same debtor gets a reminder, logged with its arm and propensity.
    const eager = { ...DEFAULT_DECISIONING, experiment, controlRate: 0, prior: { contact: 0.9, wait: 0.01, strength: 1000 } };
    const planned = (await planFor(eager)).filter((a) => a.status === 'scheduled');
    expect(planned).toHaveLength(1);
    const chosen = planned[0]!.decision as { decisioning: { arm: string; propensity: number; reasons: string[] } };
    expect(chosen.decisioning.arm).toBe(`m1:${planned[0]!.channel}`);
    expect(chosen.decisioning.propensity).toBeGreaterThan(0);
    expect(chosen.decisioning.reasons.some((r) => /chosen in \d+% of posterior draws/.test(r))).toBe(true);
    // The wording the policy chose is the one the reminder was written in, and is scored with it.
    const wording = (chosen.decisioning as unknown as { variant: string }).variant;
    expect(['neutral', 'friendly', 'firm', 'neutral-short', 'friendly-short', 'firm-short']).toContain(wording);
    const draft = (planned[0]!.content as { draft: MessageDraft }).draft;
    expect(draft.variant).toBe(wording);
    expect(renderMessage(fromDraft(draft)).rendering?.variant).toBe(wording);
  });
});
