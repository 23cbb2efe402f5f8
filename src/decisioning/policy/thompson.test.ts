import { describe, expect, it } from 'vitest';
import { createRandom } from '../../simulation/random.js';
import { chooseSegmentArm, createSegmentedBandit, recordSegmentReward, segmentPosteriorOf } from './segmented-bandit.js';
import {
  chooseArm,
  chooseBanditArm,
  createBandit,
  estimateChoiceShares,
  formatArmKey,
  parseArmKey,
  parseBandit,
  posteriorOf,
  recordReward,
  sampleArm,
  serializeBandit,
  type BanditState,
} from './thompson.js';

const RATES: Record<string, number> = {
  'email|a|h9': 0.02,
  'email|b|h19': 0.04,
  'sms|a|h9': 0.06,
  'sms|b|h19': 0.08,
  'voice|a|h11': 0.1,
};
const ARMS = Object.keys(RATES);
const BEST = 'voice|a|h11';

/** Plays `pulls` rounds against Bernoulli arms; returns pulls per arm and cumulative regret after each round. */
function play(state: BanditState, rates: (round: number) => Record<string, number>, pulls: number, seed: number) {
  const random = createRandom(seed);
  const counts = new Map<string, number>();
  const regret: number[] = [];
  const chosen: string[] = [];
  let total = 0;
  for (let t = 0; t < pulls; t++) {
    const current = rates(t);
    const arm = sampleArm(random, ARMS, (a) => posteriorOf(state, a));
    state = recordReward(state, arm, random.chance(current[arm]!) ? 1 : 0);
    counts.set(arm, (counts.get(arm) ?? 0) + 1);
    total += Math.max(...Object.values(current)) - current[arm]!;
    regret.push(total);
    chosen.push(arm);
  }
  return { counts, regret, chosen, state };
}

describe('Thompson sampling', () => {
  it('converges to the best arm in a stationary setting with sublinear regret', () => {
    const pulls = 20_000;
    const { counts, regret } = play(createBandit({ arms: ARMS }), () => RATES, pulls, 7);
    const bestShare = (counts.get(BEST) ?? 0) / pulls;
    const firstHalf = regret[pulls / 2 - 1]!;
    const secondHalf = regret[pulls - 1]! - firstHalf;
    console.log(`best-arm share ${bestShare.toFixed(3)}, regret ${regret[pulls - 1]!.toFixed(1)} (uniform play: ${(0.04 * pulls).toFixed(0)}), first half ${firstHalf.toFixed(1)}, second half ${secondHalf.toFixed(1)}`);
    expect(bestShare).toBeGreaterThan(0.6);
    // Linear regret would make both halves equal; Thompson's is logarithmic, so the second half is much smaller.
    expect(secondHalf).toBeLessThan(0.6 * firstHalf);
    expect(regret[pulls - 1]!).toBeLessThan(0.25 * 0.04 * pulls);
  });

  it('forgets with a discount, so it follows an arm that starts to work', () => {
    const swapped = { ...RATES, 'email|a|h9': 0.16 };
    const rates = (t: number) => (t < 6_000 ? RATES : swapped);
    const shareOfNewBest = (discount: number) => {
      const { chosen } = play(createBandit({ arms: ARMS, discount }), rates, 10_000, 11);
      return chosen.slice(8_000).filter((a) => a === 'email|a|h9').length / 2_000;
    };
    const forgetting = shareOfNewBest(0.995);
    const remembering = shareOfNewBest(1);
    console.log(`share of the new best arm in the last 2,000 pulls: discount 0.995 ${forgetting.toFixed(3)}, no discount ${remembering.toFixed(3)}`);
    expect(forgetting).toBeGreaterThan(0.35);
    expect(forgetting).toBeGreaterThan(remembering + 0.25);
  });

  it('logs propensities that match how often each arm is really chosen, and sum to about 1', () => {
    let state = createBandit({ arms: ARMS.slice(0, 3) });
    const random = createRandom(5);
    // A state where the arms overlap, so propensities are interior rather than 0 or 1.
    for (const [arm, s, f] of [['email|a|h9', 6, 60], ['email|b|h19', 8, 62], ['sms|a|h9', 4, 60]] as const) {
      for (let i = 0; i < s; i++) state = recordReward(state, arm, 1);
      for (let i = 0; i < f; i++) state = recordReward(state, arm, 0);
    }
    const arms = ARMS.slice(0, 3);
    const calls = 1_500;
    const chosen = new Map<string, number>();
    const reported = new Map<string, number[]>();
    for (let i = 0; i < calls; i++) {
      const choice = chooseBanditArm(random, state, arms);
      chosen.set(choice.arm, (chosen.get(choice.arm) ?? 0) + 1);
      reported.set(choice.arm, [...(reported.get(choice.arm) ?? []), choice.propensity]);
    }
    const truth = estimateChoiceShares(100_000, () => sampleArm(random, arms, (a) => posteriorOf(state, a)));
    let sum = 0;
    for (const arm of arms) {
      const values = reported.get(arm) ?? [];
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      sum += mean;
      expect(Math.abs(mean - truth.get(arm)!)).toBeLessThan(0.02);
      expect(Math.abs((chosen.get(arm) ?? 0) / calls - truth.get(arm)!)).toBeLessThan(0.04);
    }
    console.log(`mean logged propensities sum to ${sum.toFixed(4)}; true choice shares ${arms.map((a) => truth.get(a)!.toFixed(3)).join(', ')}`);
    expect(Math.abs(sum - 1)).toBeLessThan(0.03);
  });

  it('never logs a zero propensity, even for an arm that almost never wins', () => {
    let state = createBandit({ arms: ['good', 'bad'] });
    // good ~ Beta(200, 1), bad ~ Beta(1, 1): bad wins a draw with probability 1/201.
    for (let i = 0; i < 199; i++) state = recordReward(state, 'good', 1);
    const random = createRandom(3);
    const badPropensities: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const choice = chooseBanditArm(random, state);
      expect(choice.propensity).toBeGreaterThan(0);
      if (choice.arm === 'bad') badPropensities.push(choice.propensity);
    }
    // Without counting the decision's own draw, about a third of these would be logged as 0.
    expect(badPropensities.length).toBeGreaterThan(3);
    expect(Math.max(...badPropensities)).toBeLessThan(0.03);
    expect(chooseArm(createRandom(1), ['bad'], (a) => posteriorOf(state, a), { propensityDraws: 10 })).toEqual({ arm: 'bad', propensity: 1 });
  });

  it('round-trips its state through JSON and decides identically afterwards', () => {
    const { state } = play(createBandit({ arms: ARMS, prior: { alpha: 1, beta: 19 }, discount: 0.999 }), () => RATES, 300, 9);
    const parsed = parseBandit(serializeBandit(state));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.state).toEqual(state);
    const a = chooseBanditArm(createRandom(4), state);
    const b = chooseBanditArm(createRandom(4), parsed.state);
    expect(b).toEqual(a);
  });

  it('refuses a broken stored state with a reason instead of throwing', () => {
    expect(parseBandit('{')).toMatchObject({ ok: false });
    expect(parseBandit(JSON.stringify({ version: 1, prior: { alpha: 1, beta: 1 }, discount: 2, arms: {} }))).toMatchObject({ ok: false, reason: 'discount must be in (0, 1]' });
    expect(parseBandit(JSON.stringify({ version: 1, prior: { alpha: 1, beta: 1 }, discount: 1, arms: { x: { successes: -1, failures: 0 } } }))).toMatchObject({ ok: false });
  });

  it('formats and parses arm keys of channel × variant × hour', () => {
    const key = formatArmKey({ channel: 'sms', variant: 'gentle-b', hourBucket: 19 });
    expect(key).toBe('sms|gentle-b|h19');
    expect(parseArmKey(key)).toEqual({ channel: 'sms', variant: 'gentle-b', hourBucket: 19 });
    expect(parseArmKey('sms|x')).toBeUndefined();
    expect(() => formatArmKey({ channel: 'a|b', variant: 'v', hourBucket: 1 })).toThrow();
  });
});

describe('segmented (contextual) Thompson sampling', () => {
  it('starts a thin segment from the pooled rates and lets a rich segment follow its own', () => {
    let model = createSegmentedBandit({ arms: ['sms', 'voice'], borrowStrength: 20 });
    const random = createRandom(8);
    // Pooled: sms is better. The "needs a call" segment: voice is much better.
    for (let i = 0; i < 2_000; i++) model = recordSegmentReward(model, 'responds fast', 'sms', random.chance(0.2) ? 1 : 0);
    for (let i = 0; i < 2_000; i++) model = recordSegmentReward(model, 'responds fast', 'voice', random.chance(0.05) ? 1 : 0);
    for (let i = 0; i < 400; i++) model = recordSegmentReward(model, 'needs a call', 'voice', random.chance(0.4) ? 1 : 0);
    for (let i = 0; i < 400; i++) model = recordSegmentReward(model, 'needs a call', 'sms', random.chance(0.03) ? 1 : 0);
    const mean = (p: { alpha: number; beta: number }) => p.alpha / (p.alpha + p.beta);
    const thin = segmentPosteriorOf(model, 'new segment', 'sms');
    const pooled = posteriorOf(model.global, 'sms');
    expect(Math.abs(mean(thin) - mean(pooled))).toBeLessThan(1e-9);
    expect(chooseSegmentArm(random, model, 'needs a call', ['sms', 'voice']).arm).toBe('voice');
    expect(chooseSegmentArm(random, model, 'responds fast', ['sms', 'voice']).arm).toBe('sms');
  });
});
