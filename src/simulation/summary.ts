import { formatMinor } from '../core/money.js';
import { BASELINE_HOUR } from './baseline-policy.js';
import { CONTACT_WINDOW_HOURS, SIMULATION_CURRENCY } from './channels.js';
import { CONTACT_RULES } from './contact-rules.js';
import type { SimulationResult, SimulationTotals } from './run-simulation.js';

/** The one-line figures of a run, as `simulate --json` prints them (CONTRACT.md). */
export interface SimulationSummary {
  policy: 'ai' | 'baseline';
  seed: number;
  recoveryRate: number;
  amountRecovered: string;
  amountOverdue: string;
  contacts: number;
  complaints: number;
  optOuts: number;
  costTotal: string;
}

/** recovered / overdue to six decimals, computed on the integers so no float ever touches the amounts. */
export function ratio(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) return 0;
  return Number((numerator * 1_000_000n) / denominator) / 1_000_000;
}

function money(minor: bigint): string {
  return formatMinor(minor, SIMULATION_CURRENCY);
}

export function summarise(result: SimulationResult): SimulationSummary {
  const { totals, options } = result;
  return {
    policy: options.policy,
    seed: options.seed,
    recoveryRate: ratio(totals.amountRecoveredMinor, totals.amountOverdueMinor),
    amountRecovered: money(totals.amountRecoveredMinor),
    amountOverdue: money(totals.amountOverdueMinor),
    contacts: totals.contacts,
    complaints: totals.complaints,
    optOuts: totals.optOuts,
    costTotal: money(totals.costMinor),
  };
}

function describeTotals(totals: SimulationTotals) {
  return {
    recoveryRate: ratio(totals.amountRecoveredMinor, totals.amountOverdueMinor),
    amountRecovered: money(totals.amountRecoveredMinor),
    amountOverdue: money(totals.amountOverdueMinor),
    paidInFull: totals.paidInFull,
    contacts: totals.contacts,
    contactsByChannel: totals.contactsByChannel,
    complaints: totals.complaints,
    optOuts: totals.optOuts,
    costTotal: money(totals.costMinor),
  };
}

/** Everything about one run that report.json keeps: the figures, the daily recovery curve, the groups. */
export function describeRun(result: SimulationResult) {
  return {
    policy: result.options.policy,
    ...describeTotals(result.totals),
    ...(result.groups ? { groups: { control: describeTotals(result.groups.control), policy: describeTotals(result.groups.policy) } } : {}),
    ...(result.decisions ? { decisions: result.decisions } : {}),
    ...(result.offPolicy ? { offPolicy: result.offPolicy } : {}),
    recoveredByDay: result.recoveredByDay.map(money),
    seconds: Number(result.seconds.toFixed(2)),
  };
}

/** ai against baseline on the same world: the figures the done-when target is judged on. */
export function compareRuns(ai: SimulationSummary, baseline: SimulationSummary) {
  const recoveryLift = baseline.recoveryRate === 0 ? null : Number((ai.recoveryRate / baseline.recoveryRate).toFixed(4));
  const contactsRatio = baseline.contacts === 0 ? null : Number((ai.contacts / baseline.contacts).toFixed(4));
  return {
    recoveryRatio: recoveryLift,
    contactsRatio,
    fewerComplaints: ai.complaints < baseline.complaints,
    fewerOptOuts: ai.optOuts < baseline.optOuts,
    meetsTarget: recoveryLift !== null && contactsRatio !== null && recoveryLift >= 1.15 && contactsRatio <= 0.7 && ai.complaints < baseline.complaints && ai.optOuts < baseline.optOuts,
  };
}

/** The fixed assumptions of every run, written beside the figures so they can be read without the code. */
export function describeSetup(result: SimulationResult) {
  const { customers, days, seed, start } = result.options;
  return {
    customers,
    days,
    seed,
    start: start.toISOString(),
    currency: SIMULATION_CURRENCY,
    dueDates: `receivables fall due on days 0-${Math.max(1, Math.floor(days / 2)) - 1}; each is followed to day ${days - 1}`,
    contactRules: { ...CONTACT_RULES, localHours: `${CONTACT_WINDOW_HOURS.start}:00-${CONTACT_WINDOW_HOURS.end}:00` },
    baselineSchedule: `SMS on days 1 and 3 (gentle) and 7 (firm), a call on day 10, then a firm SMS weekly (days 17, 24, ...), at ${BASELINE_HOUR}:00 local`,
  };
}
