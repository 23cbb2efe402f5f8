import type { RandomSource } from './sampling.js';
import { chooseArm, createBandit, posteriorOf, recordReward, type ArmChoice, type BanditState, type BetaParams } from './thompson.js';

/**
 * The contextual variant: one arm state per segment, each borrowing strength from the pooled
 * (all-segment) state. A segment with little data behaves like the whole portfolio; one with a lot
 * follows its own evidence. This is the same shrinkage the send-time model uses.
 */
export interface SegmentedBandit {
  version: 1;
  /** How many pooled pseudo-outcomes a segment's arm starts with. */
  borrowStrength: number;
  global: BanditState;
  segments: Record<string, BanditState>;
}

export function createSegmentedBandit(options: { arms: readonly string[]; prior?: BetaParams; discount?: number; borrowStrength?: number }): SegmentedBandit {
  const borrowStrength = options.borrowStrength ?? 20;
  if (!(borrowStrength > 0)) throw new RangeError('borrowStrength must be positive');
  return { version: 1, borrowStrength, global: createBandit(options), segments: {} };
}

/** Segment posterior: its own counts on top of a prior centred on the pooled posterior mean. */
export function segmentPosteriorOf(model: SegmentedBandit, segment: string, arm: string): BetaParams {
  const pooled = posteriorOf(model.global, arm);
  const mean = pooled.alpha / (pooled.alpha + pooled.beta);
  const counts = model.segments[segment]?.arms[arm] ?? { successes: 0, failures: 0 };
  return {
    alpha: model.borrowStrength * mean + counts.successes,
    beta: model.borrowStrength * (1 - mean) + counts.failures,
  };
}

export function recordSegmentReward(model: SegmentedBandit, segment: string, arm: string, reward: number): SegmentedBandit {
  const own = model.segments[segment] ?? createBandit({ arms: [], prior: model.global.prior, discount: model.global.discount });
  return {
    ...model,
    global: recordReward(model.global, arm, reward),
    segments: { ...model.segments, [segment]: recordReward(own, arm, reward) },
  };
}

export function chooseSegmentArm(
  random: RandomSource,
  model: SegmentedBandit,
  segment: string,
  arms: readonly string[],
  options: { propensityDraws?: number } = {},
): ArmChoice {
  return chooseArm(random, arms, (arm) => segmentPosteriorOf(model, segment, arm), options);
}
