import { estimateCandidates, type CandidateEstimate, type OffPolicyContext } from '../decisioning/live/off-policy-report.js';
import { type LoggedDecision, WAIT_ARM } from '../decisioning/policy/index.js';
import { baselineContact } from './baseline-policy.js';
import type { Channel } from './channels.js';
import { paidBetween, type Ledger } from './ledger.js';
import { createRandom } from './random.js';

/**
 * Off-policy evaluation in the backtest, as production does it on the live log (GET
 * /v1/analytics/off-policy): a sample of the learning policy's decisions is logged with the
 * probability it had of taking that action, and from that log alone "baseline" (what the fixed
 * schedule would have done in the same outcome window) and "wait" are estimated by IPS, self-
 * normalised IPS and doubly robust. The control group, which really follows the schedule, is scored
 * on the same windows beside them as the check.
 *
 * Propensities here are per channel (every variant and send hour of it together), estimated by
 * re-deciding with a random source of the log's own, so that logging changes no decision of the run.
 * Each logged decision keeps its own window even when the policy decides again sooner (the retry
 * after an unnoticed contact): what is estimated is "paid within the window after a decision".
 */
export interface OffPolicyOptions {
  /** One decision in `every` is logged; the rest cost nothing. */
  every?: number;
  /** Re-decisions behind each logged propensity. */
  draws?: number;
}

export interface OffPolicySummary {
  /** Logged decisions of the learning policy (a sample) and their observed rate of payment within the window. */
  policy: { decisions: number; paidRate: number | null };
  /** The control group's windows under the real fixed schedule: what the "baseline" estimate should come near. */
  control: { decisions: number; paidRate: number | null };
  candidates: CandidateEstimate[];
  note?: string;
}

const STAGES: ReadonlyArray<[number, string]> = [[30, 'm1'], [60, 'm2']];
const stageOf = (daysPastDue: number) => STAGES.find(([upTo]) => daysPastDue <= upTo)?.[1] ?? 'm3_plus';

/** The fixed schedule's first step within the window that opens today, if the rules let it through; otherwise it waits. */
export function baselineInWindow(daysPastDue: number, windowDays: number, allowed: readonly Channel[]): string {
  for (let d = daysPastDue; d < daysPastDue + windowDays; d++) {
    const step = baselineContact(d);
    if (step) return allowed.includes(step.channel) ? step.channel : WAIT_ARM;
  }
  return WAIT_ARM;
}

interface Open {
  index: number;
  day: number;
  entry?: Omit<LoggedDecision<OffPolicyContext>, 'reward'>;
}

const round = (x: number) => Number(x.toFixed(4));

/** A rate as the CLI and the chart page print the estimates: one decimal of a percent, or n/a. */
export const formatRate = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export class OffPolicyLog {
  readonly #random;
  readonly #every: number;
  readonly #draws: number;
  readonly #windowDays: number;
  readonly #ledgerOf: (index: number) => Ledger;
  #open: Open[] = [];
  readonly #log: LoggedDecision<OffPolicyContext>[] = [];
  readonly #control: number[] = [];

  constructor(seed: number, windowDays: number, ledgerOf: (index: number) => Ledger, options: OffPolicyOptions = {}) {
    this.#random = createRandom((seed ^ 0x0ff90c1e) >>> 0);
    this.#every = options.every ?? 40;
    this.#draws = options.draws ?? 40;
    this.#windowDays = windowDays;
    this.#ledgerOf = ledgerOf;
  }

  /**
   * After the learning policy took `action` (a channel, or WAIT_ARM): perhaps logs it, with the share
   * of `redecide` calls (the same decision drawn again) that took the same action.
   */
  decided(index: number, day: number, daysPastDue: number, allowed: readonly Channel[], action: string, redecide: (random: { next(): number }) => string): void {
    if (this.#random.next() * this.#every >= 1) return;
    let same = 0;
    for (let k = 0; k < this.#draws; k++) if (redecide(this.#random) === action) same++;
    const context = { stage: stageOf(daysPastDue), baseline: baselineInWindow(daysPastDue, this.#windowDays, allowed) };
    // As decide() smooths its own: never zero, so a logged action always has a finite weight.
    this.#open.push({ index, day, entry: { context, action, propensity: (same + 1) / (this.#draws + 1) } });
  }

  /** A control-group case on a day its window would open (every windowDays from the first day past due): scored, not logged. */
  controlDay(index: number, day: number, daysPastDue: number): void {
    if ((daysPastDue - 1) % this.#windowDays === 0) this.#open.push({ index, day });
  }

  /** Settles every window that closed today: 1 if anything was paid in it. */
  endOfDay(day: number): void {
    const still: Open[] = [];
    for (const open of this.#open) {
      const windowEnd = open.day + this.#windowDays - 1;
      if (windowEnd > day) {
        still.push(open);
        continue;
      }
      const reward = paidBetween(this.#ledgerOf(open.index), open.day, windowEnd) ? 1 : 0;
      if (open.entry) this.#log.push({ ...open.entry, reward });
      else this.#control.push(reward);
    }
    this.#open = still;
  }

  summary(): OffPolicySummary {
    const rate = (rewards: readonly number[]) => ({ decisions: rewards.length, paidRate: rewards.length ? round(rewards.reduce((a, b) => a + b, 0) / rewards.length) : null });
    const estimated = estimateCandidates(this.#log);
    return {
      policy: rate(this.#log.map((d) => d.reward)),
      control: rate(this.#control),
      ...('note' in estimated ? { candidates: [], note: estimated.note } : estimated),
    };
  }
}
