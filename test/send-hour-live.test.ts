import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveDecisioning, DEFAULT_DECISIONING, loadOutcomeCounts } from '../src/decisioning/live/live-decisioning.js';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { decisionWithReasons } from '../src/delivery/decision-reasons.js';
import { planContacts } from '../src/delivery/planner.js';
import type { Decision, EvaluationContext } from '../src/strategy/index.js';
import { loadPolicyFile } from '../src/strategy/load-policy-file.js';
import { shippedRenderer } from '../src/messaging/index.js';
import { tempDir } from './support/cli.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

/**
 * The send hour as a learning arm in the live planner: a reminder the strategy allows from the
 * morning may be held for the afternoon or evening of the same local day, chosen by Thompson sampling
 * on outcomes per stage, channel and part of the day, and only where the strategy allows it then too.
 * The clock starts at 08:00 on Sunday 1 March 2026 in Shanghai.
 */
const SHANGHAI_TIMES = { morning: null, afternoon: '2026-03-01T04:00:00.000Z', evening: '2026-03-01T09:00:00.000Z' } as const;

describe('the send hour in live decisioning', () => {
  let h: Harness;
  let customerId: string;
  let receivableId: string;
  let serial = 0;

  beforeAll(async () => {
    h = await startHarness('pglite', { policyFile: policyWithoutControlGroup(), decisioning: { mode: 'ai' } });
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'sh-c', timezone: 'Asia/Shanghai', locale: 'zh-CN', identities: { phone: '+8613800138000' }, consents: { sms: true, voice: false } } },
        { type: 'receivable', data: { externalId: 'sh-r', customerExternalId: 'sh-c', kind: 'bill', amount: '800.00', currency: 'CNY', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    customerId = res.body.results[0].id;
    receivableId = res.body.results[1].id;
  });
  afterAll(async () => h?.close());

  const now = () => h.app.clock.now();
  const smsAt = (at: Date, templates: string[] = []): Decision =>
    ({ channel: 'sms', receivableIds: [receivableId], stage: 'm1', escalationRank: 0, policy: 'test@1', outcome: 'allowed', sendAt: at, templates, rule: 'r', reason: 'ok', notes: [] }) as Decision;
  // As the planner asks: the wording is chosen before the hour, from the same run's draws.
  const variantsOf = (d: Decision) => (d.templates[0] ? shippedRenderer().variantsOf(d.templates[0]) : []);
  const context = (): EvaluationContext =>
    ({
      now: now(),
      customer: { id: customerId, timezone: 'Asia/Shanghai', locale: 'zh-CN', consents: {}, optedOut: [], reachable: ['sms'] },
      receivables: [{ id: receivableId, externalId: 'sh-r', kind: 'bill', amountMinor: 80_000n, currency: 'CNY', dueAt: new Date('2026-02-20T16:00:00Z') }],
      history: { contacts: [] },
    }) as unknown as EvaluationContext;

  /** `count` scored decisions on `arm` sent in `sendHour`, `paid` of them rewarded. */
  async function logOutcomes(arm: string, sendHour: string, count: number, paid: number): Promise<void> {
    const prefix = `sh-${serial++}`;
    await scheduleAttempts(h.app.db, now(), Array.from({ length: count }, (_, i) => ({
      idempotencyKey: `${prefix}-${i}`, customerId, receivableIds: [receivableId], channel: 'sms' as const, templateId: null,
      content: { text: 'x' }, dueAt: now(), decision: { decisioning: { mode: 'ai', arm, sendHour } }, status: 'blocked' as const,
    })));
    await sql`
      insert into decision_outcomes (attempt_id, arm, send_hour, reward, decided_at, observed_at)
      select id, ${arm}, ${sendHour}, case when row_number() over (order by idempotency_key) <= ${paid} then 1 else 0 end, ${now()}::timestamptz, ${now()}::timestamptz
      from contact_attempts where idempotency_key like ${`${prefix}-%`}`.execute(h.app.db);
  }

  function tally(run: Awaited<ReturnType<ReturnType<typeof createLiveDecisioning>['begin']>>, earliest: Date, times: Record<string, string | null> = SHANGHAI_TIMES) {
    const counts: Record<string, number> = { morning: 0, afternoon: 0, evening: 0 };
    for (let i = 0; i < 3000; i++) {
      const choice = run.choose(`sh-customer-${i}`, [smsAt(earliest)], context(), '2026-03-01');
      const record = choice.record as { group?: string; sendHour?: keyof typeof SHANGHAI_TIMES; sendHourPropensity?: number };
      if (choice.kind !== 'contact' || record.group === 'control') continue;
      counts[record.sendHour!]! += 1;
      expect(record.sendHourPropensity).toBeGreaterThan(0);
      // The choice's send time is the chosen part of the day; the morning is the strategy's own earliest.
      const expected = times[record.sendHour!];
      expect(choice.sendAt?.toISOString() ?? null).toBe(expected);
    }
    return counts;
  }

  it('tries every part of the day about equally before any outcome, and holds a reminder only for later the same day', async () => {
    const counts = tally(await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now()), now());
    const total = counts.morning! + counts.afternoon! + counts.evening!;
    for (const part of ['morning', 'afternoon', 'evening']) expect(counts[part]! / total).toBeGreaterThan(0.2);
    // From 13:00 local the morning is not on offer.
    const afternoon = tally(await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now()), new Date('2026-03-01T05:00:00Z'), { ...SHANGHAI_TIMES, afternoon: null });
    expect(afternoon.morning).toBe(0);
  });

  it('gives debtors whose channel, wording and part of the day come out alike one shared, read-only list of reasons', async () => {
    const run = await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now());
    const lists = new Map<string, readonly string[]>();
    let shared = 0;
    for (let i = 0; i < 300; i++) {
      const choice = run.choose(`sh-share-${i}`, [smsAt(new Date('2026-03-01T02:00:00Z'), ['m1-sms-zh'])], context(), '2026-03-01', variantsOf);
      const record = choice.record as { group?: string; variant?: string; sendHour?: string; reasons: readonly string[] };
      if (choice.kind !== 'contact' || record.group !== 'policy') continue;
      expect(Object.isFrozen(record.reasons)).toBe(true);
      const situation = `${record.variant}|${record.sendHour}`;
      const seen = lists.get(situation);
      if (seen) {
        expect(record.reasons).toBe(seen);
        shared += 1;
      } else lists.set(situation, record.reasons);
    }
    // Several wordings and parts of the day, each list made once and then shared.
    expect(lists.size).toBeGreaterThan(3);
    expect(shared).toBeGreaterThan(200);
    expect(new Set([...lists.values()].map((list) => list.join('\n'))).size).toBe(lists.size);
  });

  it('learns which part of the day pays, per stage and channel, and goes there', async () => {
    await logOutcomes('m1:sms', 'evening', 200, 120);
    await logOutcomes('m1:sms', 'morning', 200, 20);
    await logOutcomes('m1:sms', 'afternoon', 200, 20);
    const observed = await loadOutcomeCounts(h.app.db);
    expect(observed.get('m1:sms@evening')).toEqual({ paid: 120, trials: 200 });
    // The channel's own belief counts every part of the day.
    expect(observed.get('m1:sms')).toEqual({ paid: 160, trials: 600 });
    const counts = tally(await createLiveDecisioning(DEFAULT_DECISIONING).begin(h.app.db, now()), now());
    expect(counts.evening! / (counts.morning! + counts.afternoon! + counts.evening!)).toBeGreaterThan(0.9);
    // `earliest` turns it off: every reminder as soon as the strategy allows, and no hour recorded as chosen.
    const earliest = await createLiveDecisioning({ ...DEFAULT_DECISIONING, sendHour: 'earliest' }).begin(h.app.db, now());
    const choice = earliest.choose('sh-customer-1', [smsAt(now())], context(), '2026-03-01');
    expect(choice.kind === 'contact' && choice.sendAt).toBeUndefined();
    expect(choice.record.sendHour).toBeUndefined();
  });

  it('plans the reminder at the chosen part of the day, or as soon as allowed where the strategy ends the day earlier', async () => {
    // An experiment name under which this debtor's draw is the evening (every part keeps a small
    // chance, so the draw is looked for rather than assumed).
    const run = async (experiment: string) => createLiveDecisioning({ ...DEFAULT_DECISIONING, experiment }).begin(h.app.db, now());
    let experiment = '';
    for (let k = 0; k < 100 && !experiment; k++) {
      const choice = (await run(`sh-${k}`)).choose(customerId, [smsAt(new Date('2026-03-01T02:00:00Z'), ['m1-sms-zh'])], context(), '2026-03-01', variantsOf);
      if (choice.kind === 'contact' && choice.record.group === 'policy' && choice.record.sendHour === 'evening') experiment = `sh-${k}`;
    }
    expect(experiment).not.toBe('');
    const shipped = loadPolicyFile(policyWithoutControlGroup());
    const planned = await planContacts({ db: h.app.db, policy: () => shipped, decisioning: createLiveDecisioning({ ...DEFAULT_DECISIONING, experiment }) }, now());
    expect(planned.scheduled).toBe(1);
    const attempt = await h.app.db.selectFrom('contact_attempts').selectAll().where('customer_id', '=', customerId).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
    // Sunday's hours are 10:00-18:00 in the shipped policy: the evening begins at 17:00 inside them.
    expect(attempt.due_at.toISOString()).toBe(SHANGHAI_TIMES.evening);
    expect(attempt.decision).toMatchObject({ decisioning: { sendHour: 'evening' } });
    await h.app.db.deleteFrom('contact_attempts').where('id', '=', attempt.id).execute();

    // The same policy with its hours ending at noon: the evening is not allowed, so it goes at 10:00.
    const text = readFileSync(policyWithoutControlGroup(), 'utf8').replaceAll(/end: "(20|18):00"/g, 'end: "12:00"');
    const file = join(tempDir(), 'noon.yaml');
    writeFileSync(file, text);
    const noon = loadPolicyFile(file);
    await planContacts({ db: h.app.db, policy: () => noon, decisioning: createLiveDecisioning({ ...DEFAULT_DECISIONING, experiment }) }, now());
    const early = await h.app.db.selectFrom('contact_attempts').selectAll().select(decisionWithReasons(sql.ref('decision')).as('shown_decision')).where('customer_id', '=', customerId).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
    expect(early.due_at.toISOString()).toBe('2026-03-01T02:00:00.000Z');
    const decisioning = (early.shown_decision as { decisioning: { sendHour: string; reasons: string[] } }).decisioning;
    expect(decisioning.sendHour).toBe('morning');
    expect(decisioning.reasons.at(-1)).toMatch(/^the evening was not allowed \(policy\.contact-hours\): sent as soon as allowed$/);
  });
});
