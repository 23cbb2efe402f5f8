import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../../simulation/random.js';
import { bootstrapInterval, evaluatePolicy, type LoggedDecision, type TargetPolicy } from './off-policy.js';

/**
 * A simulated portfolio with known truth: ten customer types, three actions, and a true payment
 * probability per (type, action). The logging policy leans on email; the target policy texts the
 * first five types and calls the others, which the true model rewards.
 */
type Context = number;
const ACTIONS = ['sms', 'email', 'call'] as const;

function truePay(x: Context, action: string): number {
  const base = 0.1 + 0.05 * (x % 5);
  if (action === 'sms') return base + (x < 5 ? 0.15 : 0);
  if (action === 'email') return base + 0.05;
  return base + (x >= 5 ? 0.25 : 0.02);
}

const logging: TargetPolicy<Context> = (x) => (x < 5 ? { sms: 0.3, email: 0.5, call: 0.2 } : { sms: 0.2, email: 0.6, call: 0.2 });
const target: TargetPolicy<Context> = (x) => (x < 5 ? { sms: 0.9, email: 0.05, call: 0.05 } : { sms: 0.05, email: 0.05, call: 0.9 });

function policyValue(policy: TargetPolicy<Context>): number {
  let total = 0;
  for (let x = 0; x < 10; x++) for (const [a, p] of Object.entries(policy(x))) total += p * truePay(x, a);
  return total / 10;
}

function simulateLog(random: Random, n: number): LoggedDecision<Context>[] {
  return Array.from({ length: n }, () => {
    const context = random.int(0, 9);
    const probabilities = logging(context);
    let u = random.next();
    let action: string = 'call';
    for (const a of ACTIONS) {
      u -= probabilities[a]!;
      if (u < 0) {
        action = a;
        break;
      }
    }
    return { context, action, propensity: probabilities[action]!, reward: random.chance(truePay(context, action)) ? 1 : 0 };
  });
}

function summarise(values: readonly number[]): { mean: number; variance: number; seOfMean: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance, seOfMean: Math.sqrt(variance / values.length) };
}

describe('off-policy evaluation on a simulated log with known truth', () => {
  const truth = policyValue(target);
  const loggedValue = policyValue(logging);
  const repetitions = 600;
  const logSize = 1_000;
  const runs = Array.from({ length: repetitions }, (_, r) => {
    const log = simulateLog(createRandom(1_000 + r), logSize);
    const good = evaluatePolicy(log, target, { rewardModel: truePay });
    const bad = evaluatePolicy(log, target, { rewardModel: () => 0.3 });
    if (!good.ok || !bad.ok) throw new Error('simulated log should be valid');
    const naive = log.reduce((sum, d) => sum + d.reward, 0) / log.length;
    return { good: good.value, badDr: bad.value.doublyRobust!, naive };
  });

  it('the target policy is worth clearly more than the logging policy, so a naive average would fail', () => {
    const naive = summarise(runs.map((r) => r.naive)).mean;
    console.log(`true value: target ${truth.toFixed(4)}, logging ${loggedValue.toFixed(4)}; naive log average ${naive.toFixed(4)}`);
    expect(truth - loggedValue).toBeGreaterThan(0.08);
    expect(Math.abs(naive - truth)).toBeGreaterThan(0.08);
  });

  it('IPS, SNIPS and DR (good or bad reward model) are unbiased within a small tolerance', () => {
    const estimators = {
      ips: runs.map((r) => r.good.ips.value),
      snips: runs.map((r) => r.good.snips.value),
      drGoodModel: runs.map((r) => r.good.doublyRobust!.value),
      drWrongModel: runs.map((r) => r.badDr.value),
    };
    for (const [name, values] of Object.entries(estimators)) {
      const { mean, seOfMean } = summarise(values);
      console.log(`${name}: mean ${mean.toFixed(4)} (truth ${truth.toFixed(4)}), bias ${(mean - truth).toFixed(4)} ± ${seOfMean.toFixed(4)}`);
      expect(Math.abs(mean - truth)).toBeLessThan(Math.max(4 * seOfMean, 0.002));
      expect(Math.abs(mean - truth)).toBeLessThan(0.005);
    }
  });

  it('DR with a good reward model has lower variance than IPS', () => {
    const ips = summarise(runs.map((r) => r.good.ips.value)).variance;
    const dr = summarise(runs.map((r) => r.good.doublyRobust!.value)).variance;
    console.log(`variance across logs: IPS ${ips.toExponential(2)}, DR ${dr.toExponential(2)} (ratio ${(dr / ips).toFixed(2)})`);
    // Binary rewards keep much of IPS's noise in DR too; the model removes the part it can predict.
    expect(dr).toBeLessThan(0.75 * ips);
  });

  it('its 95% intervals cover the truth about 95% of the time and the standard errors are honest', () => {
    const coverage = (pick: (r: (typeof runs)[number]) => { interval: [number, number] }) =>
      runs.filter((r) => pick(r).interval[0] <= truth && truth <= pick(r).interval[1]).length / repetitions;
    const ipsCoverage = coverage((r) => r.good.ips);
    const drCoverage = coverage((r) => r.good.doublyRobust!);
    const snipsCoverage = coverage((r) => r.good.snips);
    console.log(`coverage of 95% intervals: IPS ${ipsCoverage}, SNIPS ${snipsCoverage}, DR ${drCoverage}`);
    for (const c of [ipsCoverage, drCoverage, snipsCoverage]) {
      expect(c).toBeGreaterThan(0.9);
      expect(c).toBeLessThan(0.99);
    }
    const empiricalSd = Math.sqrt(summarise(runs.map((r) => r.good.ips.value)).variance);
    const meanReportedSe = summarise(runs.map((r) => r.good.ips.standardError)).mean;
    expect(Math.abs(meanReportedSe / empiricalSd - 1)).toBeLessThan(0.15);
  });

  it('reports an effective sample size below n when the policies differ, and n when they agree', () => {
    const first = runs[0]!.good;
    console.log(`effective sample size ${first.effectiveSampleSize.toFixed(0)} of ${first.n}, max weight ${first.maxWeight.toFixed(2)}`);
    expect(first.effectiveSampleSize).toBeLessThan(0.6 * first.n);
    const same = evaluatePolicy(simulateLog(createRandom(5), 500), logging);
    expect(same.ok && same.value.effectiveSampleSize).toBeCloseTo(500, 6);
  });

  it('gives a bootstrap interval close to the normal one', () => {
    const log = simulateLog(createRandom(77), logSize);
    const ips = (sample: readonly LoggedDecision<Context>[]) => {
      const result = evaluatePolicy(sample, target);
      return result.ok ? result.value.ips.value : Number.NaN;
    };
    const [low, high] = bootstrapInterval(createRandom(78), log, ips, { replicates: 400 });
    const normal = evaluatePolicy(log, target);
    if (!normal.ok) throw new Error('valid log');
    const [nLow, nHigh] = normal.value.ips.interval;
    console.log(`bootstrap [${low.toFixed(4)}, ${high.toFixed(4)}] vs normal [${nLow.toFixed(4)}, ${nHigh.toFixed(4)}]`);
    expect(Math.abs((high - low) / (nHigh - nLow) - 1)).toBeLessThan(0.2);
    expect(low).toBeLessThan(normal.value.ips.value);
    expect(high).toBeGreaterThan(normal.value.ips.value);
  });

  it('refuses logs it cannot reweight, saying why', () => {
    expect(evaluatePolicy([], target)).toMatchObject({ ok: false, error: { type: 'invalid_log' } });
    const zero = evaluatePolicy([{ context: 1, action: 'sms', propensity: 0, reward: 1 }], target);
    expect(zero.ok || zero.error.message).toMatch(/propensity 0/);
    const broken = evaluatePolicy([{ context: 1, action: 'sms', propensity: 0.5, reward: 1 }], () => ({ sms: 0.5 }));
    expect(broken.ok || broken.error.message).toMatch(/sum to 0.5/);
  });
});
