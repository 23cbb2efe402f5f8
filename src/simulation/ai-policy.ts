import {
  createSegmentedBandit,
  decide,
  formatArmKey,
  isInControlGroup,
  segmentPosteriorOf,
  WAIT,
  WAIT_ARM,
  type ContactAction,
  type PolicyAction,
  type ControlGroupConfig,
  type ExpectedValueConfig,
  type SegmentedBandit,
} from '../decisioning/policy/index.js';
import { recordSegmentRewardInPlace } from './bandit-ledger.js';
import { baselineContact } from './baseline-policy.js';
import { caseContext, type CaseContext } from './case-segment.js';
import { ChannelNoticeModel, scaleBelief } from './channel-notice.js';
import { CHANNEL_COST_MINOR, CHANNELS, HOUR_BUCKETS, SIMULATION_CURRENCY, hourBucketOf, VARIANTS, type Channel, type PlannedContact, type Variant } from './channels.js';
import { contactsInLastDays, paidBetween, type ContactRecord, type Ledger } from './ledger.js';
import type { DebtorProfile } from './population.js';
import type { CaseView, SimulationPolicy } from './policy.js';
import { OffPolicyLog, type OffPolicyOptions, type OffPolicySummary } from './off-policy-log.js';
import { createRandom } from './random.js';
import { SendHourModel } from './send-hour.js';

/**
 * The learning policy in the backtest: the decisioning code that serves production (control group,
 * expected value with 'wait', Thompson sampling on a segmented bandit over channel × variant ×
 * send-hour bucket), fed only with what the ledger shows. Each decision is judged by whether the
 * person paid within OUTCOME_DAYS, or before the case's next decision if that comes sooner (see
 * UNNOTICED_RETRY_DAYS), so every payment belongs to exactly one decision: the latest before it.
 */

export const OUTCOME_DAYS = 3;
/**
 * After a wait the case is looked at again one outcome window later (3 days). Backing off to two
 * windows after a second wait saved re-decisions but cost recovery: on seeds 101 and 102 (kept apart
 * from the reported seeds 1-5), recovery against the baseline went from x1.13 to x1.15-1.16.
 */
const MAX_WAIT_BACKOFF = 1;

/**
 * A contact whose receipt shows it went unnoticed cannot have persuaded anyone, so there is nothing
 * to wait for: the case is looked at again the next day (the contact rules and the annoyance penalty
 * still decide whether and how to try again), and that decision's window is closed at the retry.
 * A debt is persuaded less the older it gets, so the days lost waiting out a dead window cost the
 * most early on. Retrying after 1 day instead of 3 took recovery against the baseline from
 * x1.14-1.17 to x1.18-1.21 on seeds 101-105 (kept apart from the reported seeds 1-5); after 2 days
 * it came to x1.17-1.20 with more contacts (seeds 101-103, at the old annoyance of 20.00).
 */
const UNNOTICED_RETRY_DAYS = 1;

/**
 * Annoyance in fen: the third contact in a week costs 3 × 22.00 CNY of goodwill, each complaint on
 * record 50.00 more. At 30.00 the policy used half the baseline's contacts and recovered x1.11; at
 * 20.00 about two thirds of them for x1.15 (seeds 101, 102); under 18.00 contacts rose faster than
 * recovery. Retrying unnoticed contacts sooner made each contact worth more and brought more of
 * them: at 20.00 they came to 0.67-0.70 of the baseline's, at 22.00 to 0.64-0.66 for the same
 * recovery (x1.19-1.20 on seeds 101-103), at 25.00 to 0.62-0.63 for less (x1.17-1.20).
 */
export const SIMULATION_EV_CONFIG: ExpectedValueConfig = {
  channelCostMinor: CHANNEL_COST_MINOR,
  annoyance: {
    perRecentContactMinor: 2_200n,
    perComplaintMinor: 5_000n,
    channelIntrusivenessPercent: { voice: 300, sms: 100, wechat: 80, push: 70, app: 60, email: 50 },
  },
};

export interface AiPolicyOptions {
  seed: number;
  customers: number;
  /** Simulation day 0 is this weekday (0 = Monday), for the send-time model. */
  startWeekday: number;
  ledgerOf: (index: number) => Ledger;
  controlRate?: number;
  /** Longest back-off after waits in a row, in outcome windows; MAX_WAIT_BACKOFF when absent. */
  maxWaitBackoff?: number;
  /** Costs and annoyance; SIMULATION_EV_CONFIG when absent. */
  evConfig?: ExpectedValueConfig;
  /** Log a sample of decisions with their propensities and estimate other policies from it (off-policy-log.ts). */
  offPolicy?: OffPolicyOptions;
}

interface Pending {
  index: number;
  day: number;
  arm: string;
  context: CaseContext;
}

function armKey(channel: Channel, variant: Variant, bucket: number): string {
  return formatArmKey({ channel, variant, hourBucket: bucket });
}

export const ALL_ARMS: readonly string[] = [
  WAIT_ARM,
  ...CHANNELS.flatMap((channel) => VARIANTS.flatMap((variant) => HOUR_BUCKETS.map((bucket) => armKey(channel, variant, bucket.index)))),
];

export class AiPolicy implements SimulationPolicy {
  readonly name = 'ai' as const;
  readonly experiment: ControlGroupConfig;
  readonly #options: AiPolicyOptions;
  readonly #random;
  readonly #sendHours = new SendHourModel();
  readonly #notice = new ChannelNoticeModel();
  readonly #nextReview: Int32Array;
  readonly #waitsInARow: Uint8Array;
  readonly #control: Uint8Array;
  /** Each case's decision whose outcome window is still open, by debtor index. */
  readonly #pending = new Map<number, Pending>();
  /** Decisions by the learning policy, and how many of them were to wait. */
  readonly stats = { decisions: 0, waits: 0 };
  readonly #bandits = new Map<string, SegmentedBandit>();
  readonly #offPolicy: OffPolicyLog | undefined;

  constructor(options: AiPolicyOptions) {
    this.#options = options;
    this.#random = createRandom((options.seed ^ 0x2545f491) >>> 0);
    this.experiment = { salt: `simulate-seed-${options.seed}`, rate: options.controlRate ?? 0.05 };
    this.#nextReview = new Int32Array(options.customers);
    this.#waitsInARow = new Uint8Array(options.customers);
    this.#control = new Uint8Array(options.customers);
    this.#offPolicy = options.offPolicy ? new OffPolicyLog(options.seed, OUTCOME_DAYS, options.ledgerOf, options.offPolicy) : undefined;
  }

  /** What the sampled log says other policies would have achieved; undefined when the run logs none. */
  offPolicySummary(): OffPolicySummary | undefined {
    return this.#offPolicy?.summary();
  }

  /** The learned state per pool, for the report: what the policy believes about each arm in each segment. */
  get bandits(): ReadonlyMap<string, Readonly<SegmentedBandit>> {
    return this.#bandits;
  }

  #banditFor(pool: string): SegmentedBandit {
    let bandit = this.#bandits.get(pool);
    if (!bandit) {
      bandit = createSegmentedBandit({ arms: ALL_ARMS, prior: { alpha: 1, beta: 9 }, borrowStrength: 20 });
      this.#bandits.set(pool, bandit);
    }
    return bandit;
  }

  isControl(index: number): boolean {
    return this.#control[index] === 1;
  }

  /** Assigns the control group by the production hash; call once per debtor before the run. */
  enrol(profile: DebtorProfile): void {
    this.#control[profile.index] = isInControlGroup(profile.id, this.experiment) ? 1 : 0;
  }

  plan(view: CaseView, day: number): PlannedContact | null {
    const index = view.profile.index;
    if (this.#control[index] === 1) return this.#planControl(view, day);
    if (day < this.#nextReview[index]! || view.allowed.length === 0) return null;
    // A retry after an unnoticed contact comes before that contact's window closes: its reward is what was paid until now.
    const open = this.#pending.get(index);
    if (open) this.#settle(open, day - 1);
    const context = caseContext(view);
    const bandit = this.#banditFor(context.pool);
    const localHour = this.#sendHours.choose(this.#random, view, hourGroup(view), (this.#options.startWeekday + day) % 7);
    const bucket = hourBucketOf(localHour);
    const candidates: ContactAction[] = view.allowed.flatMap((channel) =>
      VARIANTS.map((variant) => ({ kind: 'contact' as const, id: armKey(channel, variant, bucket), channel, variant, hourBucket: bucket })),
    );
    const fit = new Map(candidates.map((c) => [c.id, this.#notice.multiplier(view, c.channel as Channel)]));
    const request = {
      customerId: view.profile.id,
      experiment: this.experiment,
      baselineAction: WAIT,
      candidates,
      outstandingMinor: view.ledger.outstandingMinor,
      currency: SIMULATION_CURRENCY,
      contactsLast7Days: contactsInLastDays(view.ledger, day, 7),
      complaints: view.ledger.complaints,
    };
    const belief = (arm: string) => {
      const prior = segmentPosteriorOf(bandit, context.segment, arm);
      const factor = fit.get(arm);
      return factor === undefined ? prior : scaleBelief(prior, factor);
    };
    const evConfig = this.#options.evConfig ?? SIMULATION_EV_CONFIG;
    // The backtest's own decisions need no propensity (the off-policy log estimates its sample's).
    const result = decide(this.#random, request, belief, evConfig, { propensityDraws: 0 });
    if (!result.ok) throw new Error(result.error.message);
    const action = result.decision.action;
    this.#pending.set(index, { index, day, arm: action.id, context });
    this.#offPolicy?.decided(index, day, view.daysPastDue, view.allowed, channelOrWait(action), (random) => {
      const again = decide(random, request, belief, evConfig, { propensityDraws: 0 });
      return again.ok ? channelOrWait(again.decision.action) : WAIT_ARM;
    });
    this.stats.decisions++;
    if (action.kind === 'wait') {
      this.stats.waits++;
      const waits = Math.min(this.#options.maxWaitBackoff ?? MAX_WAIT_BACKOFF, this.#waitsInARow[index]! + 1);
      this.#waitsInARow[index] = waits;
      this.#nextReview[index] = day + OUTCOME_DAYS * waits;
      return null;
    }
    this.#waitsInARow[index] = 0;
    this.#nextReview[index] = day + OUTCOME_DAYS;
    return { channel: action.channel as Channel, variant: action.variant as Variant, localHour };
  }

  /** The control group gets the fixed schedule through the same decide() call production uses. */
  #planControl(view: CaseView, day: number): PlannedContact | null {
    this.#offPolicy?.controlDay(view.profile.index, day, view.daysPastDue);
    const step = baselineContact(view.daysPastDue);
    if (!step || !view.allowed.includes(step.channel)) return null;
    const action: ContactAction = { kind: 'contact', id: armKey(step.channel, step.variant, hourBucketOf(step.localHour)), channel: step.channel };
    const result = decide(this.#random, { customerId: view.profile.id, experiment: this.experiment, baselineAction: action, candidates: [], outstandingMinor: view.ledger.outstandingMinor, currency: SIMULATION_CURRENCY, contactsLast7Days: 0, complaints: 0 }, () => ({ alpha: 1, beta: 1 }), SIMULATION_EV_CONFIG);
    if (!result.ok || result.decision.group !== 'control') throw new Error(`control-group customer ${view.profile.id} was not decided as control`);
    return step;
  }

  observe(view: CaseView, record: ContactRecord): void {
    if (this.#control[view.profile.index] === 1) return;
    const index = view.profile.index;
    if (!record.engaged) this.#nextReview[index] = Math.min(this.#nextReview[index]!, record.day + UNNOTICED_RETRY_DAYS);
    this.#sendHours.record(hourGroup(view), record.localHour, record.engaged);
    this.#notice.record(view.profile.locale, record.channel, record.engaged);
  }

  /** Settles every decision whose outcome window closed today: reward 1 if anything was paid in it. */
  endOfDay(day: number): void {
    this.#offPolicy?.endOfDay(day);
    for (const pending of this.#pending.values()) if (pending.day + OUTCOME_DAYS - 1 <= day) this.#settle(pending, day);
  }

  /** Rewards a decision with whether anything was paid from its day through `lastDay`, and closes it. */
  #settle(pending: Pending, lastDay: number): void {
    const paid = paidBetween(this.#options.ledgerOf(pending.index), pending.day, lastDay);
    recordSegmentRewardInPlace(this.#banditFor(pending.context.pool), pending.context.segment, pending.arm, paid ? 1 : 0);
    this.#pending.delete(pending.index);
  }
}

function channelOrWait(action: PolicyAction): string {
  return action.kind === 'wait' ? WAIT_ARM : action.channel;
}

function hourGroup(view: CaseView): string {
  return `${view.profile.locale}|${view.profile.ageBand}`;
}
