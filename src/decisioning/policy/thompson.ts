import { argmax, sampleBeta, type RandomSource } from './sampling.js';

/**
 * Beta-Bernoulli Thompson sampling over arms. An arm is one way to remind: channel × template
 * variant × send-hour bucket, written as a string key so states serialise as plain JSON.
 */

export interface BetaParams {
  alpha: number;
  beta: number;
}

/** Counts are numbers, not integers: the forgetting factor makes them fractional. */
export interface ArmCounts {
  successes: number;
  failures: number;
}

export interface BanditState {
  version: 1;
  /** Pseudo-counts added to every arm, e.g. {1, 1} for uniform or {1, 19} for "about 5% pay". */
  prior: BetaParams;
  /** Forgetting factor in (0, 1]: 1 is stationary; 0.999 remembers roughly the last 1,000 outcomes. */
  discount: number;
  arms: Record<string, ArmCounts>;
}

export interface ArmParts {
  channel: string;
  variant: string;
  /** Send-hour bucket, e.g. 9 for 09:00-09:59 local, or a coarser bucket index chosen by the caller. */
  hourBucket: number;
}

const SEPARATOR = '|';

export function formatArmKey(parts: ArmParts): string {
  for (const value of [parts.channel, parts.variant]) {
    if (value.includes(SEPARATOR)) throw new Error(`arm part ${JSON.stringify(value)} must not contain "${SEPARATOR}"`);
  }
  return [parts.channel, parts.variant, `h${parts.hourBucket}`].join(SEPARATOR);
}

export function parseArmKey(key: string): ArmParts | undefined {
  const [channel, variant, hour, extra] = key.split(SEPARATOR);
  if (!channel || !variant || !hour || extra !== undefined || !/^h\d+$/.test(hour)) return undefined;
  return { channel, variant, hourBucket: Number(hour.slice(1)) };
}

export function createBandit(options: { arms: readonly string[]; prior?: BetaParams; discount?: number }): BanditState {
  const prior = options.prior ?? { alpha: 1, beta: 1 };
  const discount = options.discount ?? 1;
  if (!(prior.alpha > 0 && prior.beta > 0)) throw new RangeError('prior pseudo-counts must be positive');
  if (!(discount > 0 && discount <= 1)) throw new RangeError(`discount must be in (0, 1], got ${discount}`);
  const arms: Record<string, ArmCounts> = {};
  for (const arm of options.arms) arms[arm] = { successes: 0, failures: 0 };
  return { version: 1, prior: { ...prior }, discount, arms };
}

/** Posterior of one arm; an arm never seen has the prior (so new template variants get explored). */
export function posteriorOf(state: BanditState, arm: string): BetaParams {
  const counts = state.arms[arm] ?? { successes: 0, failures: 0 };
  return { alpha: state.prior.alpha + counts.successes, beta: state.prior.beta + counts.failures };
}

/**
 * Records one outcome; `reward` in [0, 1] (a fractional reward counts as a weighted success, the
 * usual Bernoulli trick). With discount < 1 every arm decays first, so an arm that stopped working
 * loses its old evidence and is explored again.
 */
export function recordReward(state: BanditState, arm: string, reward: number): BanditState {
  if (!(reward >= 0 && reward <= 1)) throw new RangeError(`reward must be in [0, 1], got ${reward}`);
  const arms: Record<string, ArmCounts> = {};
  for (const [key, counts] of Object.entries(state.arms)) {
    arms[key] = state.discount === 1 ? counts : { successes: counts.successes * state.discount, failures: counts.failures * state.discount };
  }
  const current = arms[arm] ?? { successes: 0, failures: 0 };
  arms[arm] = { successes: current.successes + reward, failures: current.failures + (1 - reward) };
  return { ...state, arms };
}

/** One Thompson draw: a plausible success rate per arm from its posterior, then the best of them. */
export function sampleArm(random: RandomSource, arms: readonly string[], posterior: (arm: string) => BetaParams): string {
  if (arms.length === 0) throw new Error('sampleArm needs at least one allowed arm');
  const draws = arms.map((arm) => {
    const { alpha, beta } = posterior(arm);
    return sampleBeta(random, alpha, beta);
  });
  return arms[argmax(draws)]!;
}

/** Share of `draws` independent runs of `pick` that return each key (a Monte Carlo choice probability). */
export function estimateChoiceShares(draws: number, pick: () => string): Map<string, number> {
  const wins = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const key = pick();
    wins.set(key, (wins.get(key) ?? 0) + 1);
  }
  for (const [key, count] of wins) wins.set(key, count / draws);
  return wins;
}

export interface ArmChoice {
  arm: string;
  /** Probability that this policy picks this arm in this state: what off-policy evaluation divides by. */
  propensity: number;
}

/**
 * Thompson sampling has no closed-form choice probability for more than two arms, so it is estimated
 * by re-running the draw. 200 extra draws keep the standard error of a propensity below 0.035 (and
 * near 0.015 for a 5% arm) at a cost of 200 × arms gamma pairs, well under a millisecond for the tens
 * of arms a case is allowed. The decision's own draw is counted too: it is one more sample from the
 * same distribution, and it guarantees the logged propensity is never 0, which IPS would divide by.
 * The price is an upward bias of (1 − p) / (draws + 1), under 0.5% at 200 draws.
 */
export function chooseArm(
  random: RandomSource,
  arms: readonly string[],
  posterior: (arm: string) => BetaParams,
  options: { propensityDraws?: number } = {},
): ArmChoice {
  const draws = options.propensityDraws ?? 200;
  const arm = sampleArm(random, arms, posterior);
  const shares = estimateChoiceShares(draws, () => sampleArm(random, arms, posterior));
  const propensity = ((shares.get(arm) ?? 0) * draws + 1) / (draws + 1);
  return { arm, propensity };
}

/** Convenience for the plain (non-contextual) bandit. */
export function chooseBanditArm(random: RandomSource, state: BanditState, arms: readonly string[] = Object.keys(state.arms), options: { propensityDraws?: number } = {}): ArmChoice {
  return chooseArm(random, arms, (arm) => posteriorOf(state, arm), options);
}

export function serializeBandit(state: BanditState): string {
  return JSON.stringify(state);
}

export type BanditParse = { ok: true; state: BanditState } | { ok: false; reason: string };

/** Parses a stored state; a bad state is an expected failure (old rows, hand edits), not a crash. */
export function parseBandit(json: string): BanditParse {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, reason: `bandit state is not JSON: ${(error as Error).message}` };
  }
  const candidate = value as Partial<BanditState> | null;
  if (!candidate || candidate.version !== 1) return { ok: false, reason: 'bandit state must have version 1' };
  const { prior, discount, arms } = candidate;
  if (!prior || !(prior.alpha > 0) || !(prior.beta > 0)) return { ok: false, reason: 'prior must have positive alpha and beta' };
  if (typeof discount !== 'number' || !(discount > 0 && discount <= 1)) return { ok: false, reason: 'discount must be in (0, 1]' };
  if (!arms || typeof arms !== 'object') return { ok: false, reason: 'arms must be an object of counts' };
  for (const [key, counts] of Object.entries(arms)) {
    if (!(counts?.successes >= 0) || !(counts?.failures >= 0)) return { ok: false, reason: `arm ${key} must have non-negative successes and failures` };
  }
  return { ok: true, state: { version: 1, prior, discount, arms } };
}
