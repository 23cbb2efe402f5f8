import { VirtualClock } from '../core/clock.js';
import { DAY_MS } from '../core/time.js';
import { AiPolicy } from './ai-policy.js';
import { createBaselinePolicy } from './baseline-policy.js';
import { CHANNEL_COST_MINOR, type Channel } from './channels.js';
import { allowedChannels, checkContact } from './contact-rules.js';
import { openLedger, type Ledger } from './ledger.js';
import type { OffPolicySummary } from './off-policy-log.js';
import type { CaseView, SimulationPolicy } from './policy.js';
import { generatePopulation, type Debtor, type DebtorProfile } from './population.js';
import { World } from './world.js';

/**
 * The backtest: one seeded population, one policy, a virtual clock moved a day at a time. Each day
 * every open overdue case is offered to the policy, its contact is checked against the contact rules
 * and answered by the world, then the day's payments are booked and the policy learns.
 */

export type PolicyName = 'ai' | 'baseline';

export interface SimulationOptions {
  customers: number;
  days: number;
  policy: PolicyName;
  seed: number;
  /** Day 0 of the run; a Monday in March, so the US and UK clock changes fall inside a 90-day run. */
  start?: Date;
}

export interface SimulationTotals {
  amountOverdueMinor: bigint;
  amountRecoveredMinor: bigint;
  contacts: number;
  contactsByChannel: Record<Channel, number>;
  complaints: number;
  optOuts: number;
  costMinor: bigint;
  paidInFull: number;
}

export interface SimulationResult {
  options: Required<SimulationOptions>;
  totals: SimulationTotals;
  /** Cumulative amount recovered at the end of each day, in minor units. */
  recoveredByDay: bigint[];
  /** For the AI policy: the same totals for its 5% control group and for the rest. */
  groups?: { control: SimulationTotals; policy: SimulationTotals };
  /** For the AI policy: how many times it decided, and how many of those decisions were to wait. */
  decisions?: { decisions: number; waits: number };
  /** For the AI policy: the baseline schedule and "wait" estimated off-policy from a sample of its decisions. */
  offPolicy?: OffPolicySummary;
  seconds: number;
}

export const DEFAULT_START = new Date('2026-03-02T00:00:00Z');

function emptyTotals(): SimulationTotals {
  return {
    amountOverdueMinor: 0n,
    amountRecoveredMinor: 0n,
    contacts: 0,
    contactsByChannel: { sms: 0, email: 0, voice: 0, push: 0, wechat: 0, app: 0 },
    complaints: 0,
    optOuts: 0,
    costMinor: 0n,
    paidInFull: 0,
  };
}

function createPolicy(options: Required<SimulationOptions>, debtors: readonly Debtor[], ledgers: readonly Ledger[]): SimulationPolicy {
  if (options.policy === 'baseline') return createBaselinePolicy();
  const ai = new AiPolicy({ seed: options.seed, customers: debtors.length, startWeekday: (options.start.getUTCDay() + 6) % 7, ledgerOf: (i) => ledgers[i]!, offPolicy: {} });
  for (const debtor of debtors) ai.enrol(debtor.profile);
  return ai;
}

/** Receivables fall due during the first half of the run, so every case is followed for at least half of it. */
export function dueWithinDays(days: number): number {
  return Math.max(1, Math.floor(days / 2));
}

function caseView(profile: DebtorProfile, ledger: Ledger, day: number): CaseView {
  let allowed: Channel[] | undefined;
  return {
    profile,
    ledger,
    daysPastDue: day - profile.dueDay,
    get allowed() {
      return (allowed ??= allowedChannels(profile, ledger, day));
    },
  };
}

export type PolicyFactory = (options: Required<SimulationOptions>, debtors: readonly Debtor[], ledgers: readonly Ledger[]) => SimulationPolicy;

/**
 * `makePolicy` replaces the named policy: tests and experiments run their own against the same world.
 * `onDay` hears of each simulated day as it ends (the console's backtest progress).
 */
export function runSimulation(input: SimulationOptions, makePolicy: PolicyFactory = createPolicy, onDay?: (day: number) => void): SimulationResult {
  const began = performance.now();
  const options: Required<SimulationOptions> = { start: DEFAULT_START, ...input };
  const debtors = generatePopulation({ customers: options.customers, seed: options.seed, dueWithinDays: dueWithinDays(options.days) });
  const ledgers = debtors.map((d) => openLedger(d.profile));
  const world = new World(debtors, options.seed);
  const policy = makePolicy(options, debtors, ledgers);
  const control = policy instanceof AiPolicy ? (i: number) => policy.isControl(i) : undefined;
  const totals = emptyTotals();
  const groups = control ? { control: emptyTotals(), policy: emptyTotals() } : undefined;
  const bucketOf = (i: number) => (groups ? (control!(i) ? groups.control : groups.policy) : undefined);
  const clock = new VirtualClock(options.start);
  const startMs = options.start.getTime();
  const recoveredByDay: bigint[] = [];

  for (let day = 0; day < options.days; day++) {
    clock.set(new Date(startMs + day * DAY_MS));
    for (const { profile } of debtors) {
      const ledger = ledgers[profile.index]!;
      if (day === profile.dueDay + 1) for (const t of [totals, bucketOf(profile.index)]) if (t) t.amountOverdueMinor += profile.amountMinor;
      if (day <= profile.dueDay || ledger.outstandingMinor === 0n) continue;
      const view = caseView(profile, ledger, day);
      const planned = policy.plan(view, day);
      if (!planned) continue;
      const check = checkContact(startMs, profile, ledger, planned, day);
      if (!check.ok) throw new Error(`${policy.name} policy planned a forbidden contact for ${profile.id} on day ${day}: ${check.rule}`);
      const outcome = world.contact(profile.index, ledger, planned, day);
      const record = { ...planned, day, ...outcome };
      ledger.contacts.push(record);
      if (outcome.complained) {
        ledger.complaints++;
        ledger.lastComplaintDay = day;
      }
      if (outcome.optedOut) ledger.optedOut.add(planned.channel);
      for (const t of [totals, bucketOf(profile.index)]) {
        if (!t) continue;
        t.contacts++;
        t.contactsByChannel[planned.channel]++;
        t.costMinor += CHANNEL_COST_MINOR[planned.channel];
        if (outcome.complained) t.complaints++;
        if (outcome.optedOut) t.optOuts++;
      }
      policy.observe?.(view, record);
    }
    for (const { profile } of debtors) {
      const ledger = ledgers[profile.index]!;
      const paid = world.settle(profile.index, ledger, day);
      if (paid === 0n) continue;
      ledger.outstandingMinor -= paid;
      ledger.payments.push({ day, amountMinor: paid });
      for (const t of [totals, bucketOf(profile.index)]) {
        if (!t) continue;
        t.amountRecoveredMinor += paid;
        if (ledger.outstandingMinor === 0n) t.paidInFull++;
      }
    }
    policy.endOfDay?.(day);
    recoveredByDay.push(totals.amountRecoveredMinor);
    onDay?.(day);
  }
  const decisions = policy instanceof AiPolicy ? { ...policy.stats } : undefined;
  const offPolicy = policy instanceof AiPolicy ? policy.offPolicySummary() : undefined;
  return { options, totals, recoveredByDay, ...(groups ? { groups } : {}), ...(decisions ? { decisions } : {}), ...(offPolicy ? { offPolicy } : {}), seconds: (performance.now() - began) / 1000 };
}
