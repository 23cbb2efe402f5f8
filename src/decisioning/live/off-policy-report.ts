import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { type Estimate, evaluatePolicy, type LoggedDecision, WAIT_ARM } from '../policy/index.js';

/**
 * Off-policy evaluation on the live log: what other policies would have achieved on the debtors the
 * learning policy decided for, estimated from its own decisions and their propensities before any of
 * them is run. The reward is the one the policy learns from (paid within the outcome window).
 *
 * The control group is the check: it really ran the baseline schedule, so its observed rate is what
 * the "baseline" estimate should come close to, give or take the two groups' own noise.
 */
export interface CandidateEstimate {
  name: 'baseline' | 'wait';
  /** Decisions the estimate rests on: logged decisions that recorded what the baseline would have done. */
  n: number;
  ips: Estimate;
  snips: Estimate;
  doublyRobust: Estimate;
  effectiveSampleSize: number;
}

export interface OffPolicyReport {
  from: string;
  to: string;
  /** The learning policy as it ran: decisions with an observed outcome and their mean reward. */
  policy: { decisions: number; paidRate: number | null };
  /** The control group as it ran: the baseline schedule's observed mean reward. */
  control: { decisions: number; paidRate: number | null };
  candidates: CandidateEstimate[];
  /** Why no estimate could be made, when none could. */
  note?: string;
}

/** What the estimates condition on: the case's stage and what the baseline schedule would have done there. */
export interface OffPolicyContext {
  stage: string;
  baseline: string;
}
type Context = OffPolicyContext;

interface LoggedRow {
  arm: string;
  reward: number;
  group: string | null;
  propensity: string | null;
  baseline: string | null;
}

const round = (x: number) => Number(x.toFixed(4));
const roundEstimate = (e: Estimate): Estimate => ({ value: round(e.value), standardError: round(e.standardError), interval: [round(e.interval[0]), round(e.interval[1])] });

/** The reward model for the doubly robust estimator: each stage and action's mean reward in the log, shrunk to the overall mean. */
function meanRewardModel(log: readonly LoggedDecision<Context>[]): (context: Context, action: string) => number {
  const overall = log.reduce((sum, d) => sum + d.reward, 0) / log.length;
  const cells = new Map<string, { sum: number; n: number }>();
  for (const d of log) {
    const key = `${d.context.stage}:${d.action}`;
    const cell = cells.get(key) ?? { sum: 0, n: 0 };
    cell.sum += d.reward;
    cell.n += 1;
    cells.set(key, cell);
  }
  // Ten decisions' worth of the overall mean: a cell seen twice does not swing the model.
  const PRIOR = 10;
  return (context, action) => {
    const cell = cells.get(`${context.stage}:${action}`);
    return cell ? (cell.sum + PRIOR * overall) / (cell.n + PRIOR) : overall;
  };
}

export async function offPolicyReport(db: Db, from: Date, to: Date): Promise<OffPolicyReport> {
  const rows = await sql<LoggedRow>`
    select o.arm, o.reward, a.decision->'decisioning'->>'group' as "group",
           a.decision->'decisioning'->>'propensity' as propensity, a.decision->'decisioning'->>'baseline' as baseline
    from decision_outcomes o join contact_attempts a on a.id = o.attempt_id
    where o.decided_at >= ${from}::timestamptz and o.decided_at < ${to}::timestamptz`.execute(db);
  const rate = (group: LoggedRow[]) => ({ decisions: group.length, paidRate: group.length ? round(group.reduce((s, r) => s + r.reward, 0) / group.length) : null });
  const policyRows = rows.rows.filter((r) => r.group === 'policy');
  const report: OffPolicyReport = {
    from: from.toISOString(),
    to: to.toISOString(),
    policy: rate(policyRows),
    control: rate(rows.rows.filter((r) => r.group === 'control')),
    candidates: [],
  };
  const log: LoggedDecision<Context>[] = policyRows
    .filter((r) => r.baseline !== null && r.propensity !== null && Number(r.propensity) > 0)
    .map((r) => {
      const [stage, action] = splitArm(r.arm);
      return { context: { stage, baseline: r.baseline! }, action, propensity: Number(r.propensity), reward: r.reward };
    });
  if (log.length === 0) return { ...report, note: 'no learning-policy decision with an observed outcome in this range yet' };
  const estimated = estimateCandidates(log);
  return 'note' in estimated ? { ...report, note: estimated.note } : { ...report, candidates: estimated.candidates };
}

/**
 * IPS, self-normalised IPS and doubly robust estimates of the candidates "baseline" (the fixed
 * schedule's action at each logged decision) and "wait" (no contact), from a learning policy's log.
 * `recoup simulate` calls it on the backtest's log, the API on the live one.
 */
export function estimateCandidates(log: readonly LoggedDecision<Context>[]): { candidates: CandidateEstimate[] } | { note: string } {
  if (log.length === 0) return { note: 'no learning-policy decision with an observed outcome yet' };
  const rewardModel = meanRewardModel(log);
  const targets = { baseline: (c: Context) => ({ [c.baseline]: 1 }), wait: () => ({ [WAIT_ARM]: 1 }) } as const;
  const candidates: CandidateEstimate[] = [];
  for (const name of ['baseline', 'wait'] as const) {
    const evaluated = evaluatePolicy(log, targets[name], { rewardModel });
    if (!evaluated.ok) return { note: evaluated.error.message };
    const e = evaluated.value;
    candidates.push({ name, n: e.n, ips: roundEstimate(e.ips), snips: roundEstimate(e.snips), doublyRobust: roundEstimate(e.doublyRobust!), effectiveSampleSize: Math.round(e.effectiveSampleSize) });
  }
  return { candidates };
}

/** `m1:sms` → ['m1', 'sms']; the action is what follows the stage. */
function splitArm(arm: string): [string, string] {
  const colon = arm.indexOf(':');
  return colon < 0 ? ['', arm] : [arm.slice(0, colon), arm.slice(colon + 1)];
}
