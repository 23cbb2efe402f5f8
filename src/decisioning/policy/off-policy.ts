import type { RandomSource } from './sampling.js';

/**
 * Off-policy evaluation: what a candidate policy would have recovered, estimated from decisions the
 * live policy already logged, before the candidate touches a single debtor. It works only because
 * every decision stores its propensity (the probability the live policy had of choosing it).
 *
 * - IPS reweights each logged reward by target / logging probability: unbiased, high variance.
 * - Self-normalised IPS divides by the sum of weights instead of n: slightly biased, much steadier
 *   when a few weights are large.
 * - Doubly robust starts from a reward model's prediction and corrects it with the reweighted
 *   residual: unbiased if either the propensities or the model are right, and low variance when the
 *   model is good.
 */

export interface LoggedDecision<C> {
  context: C;
  action: string;
  /** Probability the logging policy had of choosing `action` in `context`, in (0, 1]. */
  propensity: number;
  /** Observed outcome, e.g. 1 if paid within the window, or the amount recovered. */
  reward: number;
}

/** Action probabilities of the policy being evaluated; actions left out have probability 0. */
export type TargetPolicy<C> = (context: C) => Readonly<Record<string, number>>;
/** q(context, action): a model's expected reward, for the doubly robust estimator. */
export type RewardModel<C> = (context: C, action: string) => number;

export interface Estimate {
  value: number;
  standardError: number;
  /** Normal-approximation interval at the requested level (95% by default). */
  interval: [number, number];
}

export interface Evaluation {
  n: number;
  ips: Estimate;
  snips: Estimate;
  /** Present when a reward model was given. */
  doublyRobust?: Estimate;
  /** Kish effective sample size (Σw)² / Σw²: how many logged decisions the estimate is really worth. */
  effectiveSampleSize: number;
  maxWeight: number;
}

export type EvaluationResult<T> = { ok: true; value: T } | { ok: false; error: { type: 'invalid_log'; message: string } };

interface Weighted<C> {
  entry: LoggedDecision<C>;
  weight: number;
  targetProbabilities: Readonly<Record<string, number>>;
}

/** Importance weights π(a|x) / μ(a|x), refusing logs that cannot support an unbiased estimate. */
function weigh<C>(log: readonly LoggedDecision<C>[], target: TargetPolicy<C>): EvaluationResult<Weighted<C>[]> {
  if (log.length === 0) return invalid('the log is empty: evaluate only once decisions have been recorded');
  const weighted: Weighted<C>[] = [];
  for (const [index, entry] of log.entries()) {
    if (!(entry.propensity > 0 && entry.propensity <= 1)) {
      return invalid(`entry ${index} has propensity ${entry.propensity}; it must be in (0, 1]. Decisions without a propensity cannot be reweighted`);
    }
    if (!Number.isFinite(entry.reward)) return invalid(`entry ${index} has a non-finite reward`);
    const targetProbabilities = target(entry.context);
    const total = Object.values(targetProbabilities).reduce((sum, p) => sum + p, 0);
    if (Math.abs(total - 1) > 1e-6) return invalid(`the target policy's probabilities sum to ${total} at entry ${index}; they must sum to 1`);
    weighted.push({ entry, weight: (targetProbabilities[entry.action] ?? 0) / entry.propensity, targetProbabilities });
  }
  return { ok: true, value: weighted };
}

function invalid<T>(message: string): EvaluationResult<T> {
  return { ok: false, error: { type: 'invalid_log', message } };
}

/** Mean of i.i.d. per-decision terms with its standard error (IPS and DR are both such means). */
function estimateMean(terms: readonly number[], z: number): Estimate {
  const n = terms.length;
  const mean = terms.reduce((sum, t) => sum + t, 0) / n;
  const variance = n > 1 ? terms.reduce((sum, t) => sum + (t - mean) ** 2, 0) / (n - 1) : 0;
  const standardError = Math.sqrt(variance / n);
  return { value: mean, standardError, interval: [mean - z * standardError, mean + z * standardError] };
}

/** Self-normalised IPS; its standard error by the delta method for a ratio of means. */
function estimateRatio(weighted: readonly Weighted<unknown>[], z: number): Estimate {
  const sumW = weighted.reduce((sum, w) => sum + w.weight, 0);
  if (sumW === 0) return { value: Number.NaN, standardError: Number.NaN, interval: [Number.NaN, Number.NaN] };
  const value = weighted.reduce((sum, w) => sum + w.weight * w.entry.reward, 0) / sumW;
  const squared = weighted.reduce((sum, w) => sum + (w.weight * (w.entry.reward - value)) ** 2, 0);
  const standardError = Math.sqrt(squared) / sumW;
  return { value, standardError, interval: [value - z * standardError, value + z * standardError] };
}

function doublyRobustTerm<C>(w: Weighted<C>, model: RewardModel<C>): number {
  const { context, action, reward } = w.entry;
  let direct = 0;
  for (const [candidate, probability] of Object.entries(w.targetProbabilities)) {
    if (probability > 0) direct += probability * model(context, candidate);
  }
  return direct + w.weight * (reward - model(context, action));
}

/** z for a two-sided normal interval; the levels people ask for, without an inverse-CDF routine. */
function zFor(level: number): number {
  const table: Record<string, number> = { '0.8': 1.2816, '0.9': 1.6449, '0.95': 1.96, '0.99': 2.5758 };
  const z = table[String(level)];
  if (z === undefined) throw new RangeError(`confidence level must be one of ${Object.keys(table).join(', ')}`);
  return z;
}

export function evaluatePolicy<C>(
  log: readonly LoggedDecision<C>[],
  target: TargetPolicy<C>,
  options: { rewardModel?: RewardModel<C>; level?: number } = {},
): EvaluationResult<Evaluation> {
  const z = zFor(options.level ?? 0.95);
  const weighted = weigh(log, target);
  if (!weighted.ok) return weighted;
  const rows = weighted.value;
  const sumW = rows.reduce((sum, w) => sum + w.weight, 0);
  const sumW2 = rows.reduce((sum, w) => sum + w.weight * w.weight, 0);
  const evaluation: Evaluation = {
    n: rows.length,
    ips: estimateMean(rows.map((w) => w.weight * w.entry.reward), z),
    snips: estimateRatio(rows, z),
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
    maxWeight: rows.reduce((max, w) => Math.max(max, w.weight), 0),
  };
  const model = options.rewardModel;
  if (model) evaluation.doublyRobust = estimateMean(rows.map((w) => doublyRobustTerm(w, model)), z);
  return { ok: true, value: evaluation };
}

/**
 * Percentile bootstrap interval for any estimator of the log, for when the normal approximation is
 * doubtful (few decisions, a handful of huge weights). Resamples whole decisions with replacement.
 */
export function bootstrapInterval<C>(
  random: RandomSource,
  log: readonly LoggedDecision<C>[],
  estimator: (sample: readonly LoggedDecision<C>[]) => number,
  options: { replicates?: number; level?: number } = {},
): [number, number] {
  const replicates = options.replicates ?? 500;
  const level = options.level ?? 0.95;
  if (log.length === 0) throw new RangeError('bootstrapInterval needs a non-empty log');
  const values: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const sample = Array.from({ length: log.length }, () => log[Math.floor(random.next() * log.length)]!);
    values.push(estimator(sample));
  }
  values.sort((a, b) => a - b);
  const lowIndex = Math.floor(((1 - level) / 2) * (replicates - 1));
  const highIndex = Math.ceil((1 - (1 - level) / 2) * (replicates - 1));
  return [values[lowIndex]!, values[highIndex]!];
}
