import { sql } from 'kysely';
import { parseAmount } from '../../core/money.js';
import type { Db } from '../../db/database.js';
import type { Channel } from '../../db/schema.js';
import { createRandom } from '../../simulation/random.js';
import type { Decision as RuleDecision, EvaluationContext } from '../../strategy/index.js';
import { hourOptions, sendHourKey } from './send-hour-choice.js';
import { assignGroup, type BetaParams, type ExpectedValueConfig, hashToUniforms, sampleBeta, scoreActions, WAIT_ARM } from '../policy/index.js';

/**
 * The learning policy in the live planner. Among the channels the strategy allows for a receivable
 * group, it picks by expected value under Thompson sampling, or decides to wait; a hashed control
 * group keeps the baseline (the first allowed channel in escalation order). Beliefs are Beta
 * posteriors per stage and arm, rebuilt at the start of each planning run from observed outcomes
 * (see outcomes.ts), so every process that plans agrees on them without shared memory.
 */

export type DecisioningMode = 'ai' | 'baseline';

export interface DecisioningSettings {
  mode: DecisioningMode;
  /** Names the experiment: a new salt draws a new control group. */
  experiment: string;
  controlRate: number;
  /** Decimal amounts in the debtor's currency per message. */
  channelCost: Readonly<Record<Channel, string>>;
  annoyancePerRecentContact: string;
  annoyancePerComplaint: string;
  /**
   * What the policy believes before any outcome is observed, as p(pay) worth `strength` outcomes.
   * A contact starts believed four times as effective as waiting, so a new deployment behaves
   * like its baseline and explores from there instead of leaving debtors alone on a coin flip.
   */
  prior: { contact: number; wait: number; strength: number };
  /**
   * `learn`: the part of the local day a reminder goes out in is an arm too (send-hour-choice.ts), so a
   * reminder may wait for a later part of the day the strategy allows; `earliest`: as soon as allowed.
   */
  sendHour: 'learn' | 'earliest';
}

export const DEFAULT_DECISIONING: DecisioningSettings = {
  mode: 'ai',
  experiment: 'recoup-1',
  controlRate: 0.05,
  channelCost: { sms: '0.05', email: '0.01', voice: '0.50', push: '0.00', wechat: '0.02', app: '0.00' },
  annoyancePerRecentContact: '0.50',
  annoyancePerComplaint: '5.00',
  prior: { contact: 0.2, wait: 0.05, strength: 20 },
  sendHour: 'learn',
};

/** What the planner does with one receivable group. */
export type Choice =
  /**
   * `variant` is absent when the template's default is to be used (baseline, control, one variant);
   * `sendAt`, when the reminder should wait for a later part of the local day than the strategy's earliest.
   */
  | { kind: 'contact'; decision: RuleDecision; variant?: string; sendAt?: Date; record: Record<string, unknown> }
  | { kind: 'wait'; record: Record<string, unknown> };

export interface PlanningRun {
  /**
   * `allowed` in escalation order, at least one; `day` is the debtor's local day of the contact;
   * `variantsOf` names the wordings the chosen contact's template has, for the run to choose among.
   */
  choose(customerId: string, allowed: readonly RuleDecision[], ctx: EvaluationContext, day: string, variantsOf?: (decision: RuleDecision) => readonly string[]): Choice;
}

export interface LiveDecisioning {
  readonly mode: DecisioningMode;
  /** What it was made with: a planning thread makes its own from them (planning-threads.ts). */
  readonly settings: DecisioningSettings;
  begin(db: Db, now: Date): Promise<PlanningRun>;
}

export const armKey = (stage: string, arm: string) => `${stage}:${arm}`;

export interface ArmOutcomes {
  paid: number;
  trials: number;
}

/** The key of a template variant's outcomes under its channel arm, e.g. `m1:sms/friendly`. */
export const variantKey = (arm: string, variant: string) => `${arm}/${variant}`;

/** Observed outcomes per stage and arm, and per stage, arm and template variant or send-hour bucket (variantKey, sendHourKey). */
export async function loadOutcomeCounts(db: Db): Promise<Map<string, ArmOutcomes>> {
  const rows = await sql<{ arm: string; variant: string | null; send_hour: string | null; paid: number; trials: number }>`
    select arm, variant, send_hour, sum(reward)::int as paid, count(*)::int as trials from decision_outcomes group by arm, variant, send_hour`.execute(db);
  const counts = new Map<string, ArmOutcomes>();
  const add = (key: string, paid: number, trials: number) => {
    const seen = counts.get(key);
    counts.set(key, seen ? { paid: seen.paid + paid, trials: seen.trials + trials } : { paid, trials });
  };
  for (const r of rows.rows) {
    add(r.arm, r.paid, r.trials);
    if (r.variant !== null) add(variantKey(r.arm, r.variant), r.paid, r.trials);
    if (r.send_hour !== null) add(sendHourKey(r.arm, r.send_hour), r.paid, r.trials);
  }
  return counts;
}

/** The Beta posterior of an arm: the prior's pseudo-outcomes plus the observed ones. */
export function posteriorFor(prior: DecisioningSettings['prior'], arm: string, observed: ArmOutcomes | undefined): BetaParams {
  const p = arm === WAIT_ARM ? prior.wait : prior.contact;
  return { alpha: p * prior.strength + (observed?.paid ?? 0), beta: (1 - p) * prior.strength + (observed ? observed.trials - observed.paid : 0) };
}

function minorIn(currency: string, amount: string): bigint {
  const parsed = parseAmount(amount, currency, 'amount', { allowZero: true });
  if (!parsed.ok) throw new Error(`decisioning cost ${amount} in ${currency}: ${parsed.error.reason}`);
  return parsed.minor;
}

/** EV settings in one currency's minor units, built once per currency per run. */
function evConfigFor(settings: DecisioningSettings): (currency: string) => ExpectedValueConfig {
  const cache = new Map<string, ExpectedValueConfig>();
  return (currency) => {
    let config = cache.get(currency);
    if (!config) {
      const channelCostMinor = Object.fromEntries(Object.entries(settings.channelCost).map(([channel, cost]) => [channel, minorIn(currency, cost)]));
      config = {
        channelCostMinor,
        annoyance: { perRecentContactMinor: minorIn(currency, settings.annoyancePerRecentContact), perComplaintMinor: minorIn(currency, settings.annoyancePerComplaint) },
      };
      cache.set(currency, config);
    }
    return config;
  };
}

const WEEK_MS = 7 * 86_400_000;
const DRAWS = 200;
// Eight steps per doubling: amounts within about 9% of each other share one choice distribution.
const STEPS_PER_DOUBLING = 8;

interface ChoiceDistribution {
  /** Cumulative shares in arm order, for sampling with one uniform number; `propensity` is the share as recorded. */
  arms: Array<{ arm: string; upTo: number; share: number; propensity: number }>;
  /** Why each arm wins, scored at the posterior means. */
  reasons: Map<string, readonly string[]>;
}

/** Each arm's share of the draws, and the running total that one uniform number is sampled against. */
function cumulativeShares(wins: ReadonlyMap<string, number>, total: number): ChoiceDistribution['arms'] {
  let upTo = 0;
  return [...wins].map(([arm, count]) => {
    upTo += count / total;
    return { arm, upTo, share: count / total, propensity: Number((count / total).toFixed(4)) };
  });
}

/**
 * Thompson sampling picks an arm with probability equal to its chance of drawing the best value, so
 * the planner estimates those chances once per situation (stage, allowed channels, currency, amount
 * band, recent contacts) by repeated draws, then samples each debtor's arm from them. The sampled
 * share is the decision's exact propensity, which off-policy evaluation divides by, and a million
 * debtors cost a few thousand distributions instead of a million rounds of draws.
 */
function distributionFor(
  random: { next(): number },
  stage: string,
  channels: readonly string[],
  currency: string,
  band: number,
  contacts: number,
  posterior: (arm: string) => BetaParams,
  config: ExpectedValueConfig,
): ChoiceDistribution {
  const outstandingMinor = BigInt(Math.max(1, Math.round(2 ** (band / STEPS_PER_DOUBLING))));
  const request = (pPay: (arm: string) => number) => ({
    candidates: channels.map((channel) => ({ action: { kind: 'contact' as const, id: channel, channel }, pPay: pPay(channel) })),
    pPayIfWait: pPay(WAIT_ARM),
    outstandingMinor,
    currency,
    contactsLast7Days: contacts,
    complaints: 0,
  });
  // Every arm starts with one win, so none has propensity zero: off-policy evaluation needs each
  // action the candidate policy might take to have been possible under the logged one.
  const wins = new Map<string, number>([...channels, WAIT_ARM].map((arm) => [arm, 1]));
  const total = DRAWS + wins.size;
  for (let i = 0; i < DRAWS; i++) {
    const scored = scoreActions(request((arm) => { const b = posterior(arm); return sampleBeta(random, b.alpha, b.beta); }), config, { reasons: false });
    if (!scored.ok) throw new Error(scored.error.message);
    const arm = scored.ranked[0]!.action.id;
    wins.set(arm, (wins.get(arm) ?? 0) + 1);
  }
  const atMeans = scoreActions(request((arm) => { const b = posterior(arm); return b.alpha / (b.alpha + b.beta); }), config, { reasons: true });
  if (!atMeans.ok) throw new Error(atMeans.error.message);
  const arms = cumulativeShares(wins, total);
  // Each arm's reasons as a decision records them, made once per situation rather than per debtor.
  const reasons = new Map<string, readonly string[]>(atMeans.ranked.map((r) => [r.action.id, r.reasons.slice(0, 3)]));
  for (const a of arms) reasons.set(a.arm, Object.freeze([...(reasons.get(a.arm) ?? []), `chosen in ${(a.share * 100).toFixed(0)}% of posterior draws`]));
  return { arms, reasons };
}

/**
 * Which option wins for a stage and channel, a wording or a part of the day: Thompson sampling over
 * the options' Beta posteriors, estimated once per situation like the channel choice. Options start
 * with one shared belief (the contact prior), so they are tried about equally until outcomes tell them apart.
 */
function optionDistributionFor(random: { next(): number }, options: readonly string[], posterior: (option: string) => BetaParams, describe: (option: string) => string): ChoiceDistribution {
  const wins = new Map<string, number>(options.map((o) => [o, 1]));
  const total = DRAWS + wins.size;
  for (let i = 0; i < DRAWS; i++) {
    let best = options[0]!;
    let bestDraw = -1;
    for (const o of options) {
      const b = posterior(o);
      const draw = sampleBeta(random, b.alpha, b.beta);
      if (draw > bestDraw) [best, bestDraw] = [o, draw];
    }
    wins.set(best, wins.get(best)! + 1);
  }
  const reasons = new Map(options.map((o) => {
    const b = posterior(o);
    return [o, Object.freeze([`${describe(o)}: p(pay) ${(b.alpha / (b.alpha + b.beta)).toFixed(3)} from ${Math.round(b.alpha + b.beta)} outcomes and prior`])];
  }));
  return { arms: cumulativeShares(wins, total), reasons };
}

const NO_REASONS: readonly string[] = Object.freeze([]);

/**
 * `first` followed by `then`, one array per pair for the whole run. The parts come from the run's
 * distributions, so every debtor in one situation gets the very same list, which decision-reasons.ts
 * then names by identity instead of joining and hashing its text for each debtor (bench/dispatch).
 * Shared lists are read-only: whoever adds a reason makes a new list.
 */
function reasonListJoiner(): (first: readonly string[], then: readonly string[]) => readonly string[] {
  const joined = new Map<readonly string[], Map<readonly string[], readonly string[]>>();
  return (first, then) => {
    if (then.length === 0) return first;
    let byThen = joined.get(first);
    if (!byThen) joined.set(first, (byThen = new Map()));
    let list = byThen.get(then);
    if (!list) byThen.set(then, (list = Object.freeze([...first, ...then])));
    return list;
  };
}

/**
 * The draws for one situation's distribution, seeded by the run's instant and the situation alone:
 * whichever debtor meets a situation first, and in whichever planning thread, the distribution is
 * the same, so threads planning parts of one run record the same propensities (planning-threads.ts).
 */
function situationRandom(now: Date, situation: string): { next(): number } {
  // FNV-1a over the UTF-16 units: a 32-bit seed, enough to tell a few thousand situations apart.
  let seed = 0x811c9dc5 ^ (now.getTime() % 2 ** 31);
  for (let i = 0; i < situation.length; i++) seed = Math.imul(seed ^ situation.charCodeAt(i), 0x01000193);
  return createRandom(seed >>> 0);
}

const pick = (distribution: ChoiceDistribution, u: number) => distribution.arms.find((a) => u < a.upTo) ?? distribution.arms[distribution.arms.length - 1]!;

/** A debtor's draws of a day, one per choice the planner makes for them. */
export interface DailyDraws {
  channel: number;
  variant: number;
  hour: number;
}

/**
 * The day's draws for a debtor are fixed by experiment, customer and day, so hourly re-planning does
 * not re-roll them; the three choices take independent words of one digest.
 */
export function dailyDraws(experiment: string, customerId: string, day: string): DailyDraws {
  const [channel, variant, hour] = hashToUniforms(`${experiment}:${day}`, customerId, 3);
  return { channel: channel!, variant: variant!, hour: hour! };
}

export function createLiveDecisioning(settings: DecisioningSettings): LiveDecisioning {
  const evConfig = evConfigFor(settings);
  const experiment = { salt: settings.experiment, rate: settings.controlRate };
  return {
    mode: settings.mode,
    settings,
    async begin(db, now) {
      const observed = settings.mode === 'ai' ? await loadOutcomeCounts(db) : new Map<string, ArmOutcomes>();
      const distributions = new Map<string, ChoiceDistribution>();
      const controlReasons: readonly string[] = Object.freeze([`control group (${(settings.controlRate * 100).toFixed(1)}% of customers, experiment "${settings.experiment}"): baseline schedule`]);
      const reasonsAfter = reasonListJoiner();
      return {
        choose(customerId, allowed, ctx, day, variantsOf) {
          const baseline = allowed[0]!;
          const baselineRecord = (mode: string, extra: Record<string, unknown> = {}) => ({ mode, arm: armKey(baseline.stage, baseline.channel), ...extra });
          if (settings.mode === 'baseline') return { kind: 'contact', decision: baseline, record: baselineRecord('baseline') };
          if (assignGroup(customerId, experiment).group === 'control') {
            return { kind: 'contact', decision: baseline, record: baselineRecord('ai', { group: 'control', propensity: 1, reasons: controlReasons }) };
          }
          const stage = baseline.stage;
          const owed = ctx.receivables.filter((r) => baseline.receivableIds.includes(r.id));
          const currency = owed[0]?.currency ?? 'CNY';
          const outstanding = owed.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.amountMinor, 0n);
          const band = outstanding > 0n ? Math.round(Math.log2(Number(outstanding)) * STEPS_PER_DOUBLING) : 0;
          const contacts = Math.min(ctx.history.contacts.filter((c) => c.at.getTime() > now.getTime() - WEEK_MS).length, 6);
          const channels = allowed.map((d) => d.channel);
          const key = `${stage}|${channels.join(',')}|${currency}|${band}|${contacts}`;
          let distribution = distributions.get(key);
          if (!distribution) {
            const posterior = (arm: string) => posteriorFor(settings.prior, arm, observed.get(armKey(stage, arm)));
            distribution = distributionFor(situationRandom(now, key), stage, channels, currency, band, contacts, posterior, evConfig(currency));
            distributions.set(key, distribution);
          }
          const draws = dailyDraws(settings.experiment, customerId, day);
          const picked = pick(distribution, draws.channel);
          const arm = armKey(stage, picked.arm);
          const record: Record<string, unknown> = {
            // `baseline` is what the fixed schedule would have done here: off-policy evaluation asks
            // how that schedule would have fared on the policy group's own decisions (off-policy-report.ts).
            mode: 'ai', group: 'policy', arm, propensity: picked.propensity, baseline: baseline.channel,
            reasons: distribution.reasons.get(picked.arm) ?? NO_REASONS,
          };
          if (picked.arm === WAIT_ARM) return { kind: 'wait', record };
          const decision = allowed.find((d) => d.channel === picked.arm)!;
          // Each choice, once per situation: a distribution by repeated draws, then the debtor's own
          // hashed draw against it (its share is the choice's propensity).
          const choose = (what: 'variant' | 'hour', options: readonly string[], outcomeKey: (option: string) => string, describe: (option: string) => string) => {
            const cacheKey = `${what}|${arm}|${options.join(',')}`;
            let distribution = distributions.get(cacheKey);
            if (!distribution) {
              distribution = optionDistributionFor(situationRandom(now, cacheKey), options, (option) => posteriorFor(settings.prior, arm, observed.get(outcomeKey(option))), describe);
              distributions.set(cacheKey, distribution);
            }
            const chosen = pick(distribution, draws[what]);
            record.reasons = reasonsAfter(record.reasons as readonly string[], distribution.reasons.get(chosen.arm) ?? NO_REASONS);
            return chosen;
          };
          const variants = variantsOf?.(decision) ?? [];
          let variant: string | undefined;
          if (variants.length >= 2) {
            const wording = choose('variant', variants, (v) => variantKey(arm, v), (v) => `wording "${v}"`);
            record.variant = variant = wording.arm;
            record.variantPropensity = wording.propensity;
          }
          const hours = settings.sendHour === 'learn' && decision.sendAt ? hourOptions(decision.sendAt, ctx.customer.timezone) : [];
          let sendAt: Date | undefined;
          if (hours.length >= 2) {
            const hour = choose('hour', hours.map((o) => o.bucket), (b) => sendHourKey(arm, b), (b) => `send in the ${b}`);
            record.sendHour = hour.arm;
            record.sendHourPropensity = hour.propensity;
            const option = hours.find((o) => o.bucket === hour.arm)!;
            if (option.at.getTime() !== decision.sendAt!.getTime()) sendAt = option.at;
          } else if (hours.length === 1) {
            record.sendHour = hours[0]!.bucket;
          }
          return { kind: 'contact', decision, ...(variant === undefined ? {} : { variant }), ...(sendAt ? { sendAt } : {}), record };
        },
      };
    },
  };
}
