import type { Random } from '../../simulation/random.js';

/**
 * Only `next()` is needed, so any seeded source works (the simulator's mulberry32 in practice).
 * Every function that draws takes the source as an argument: no Math.random, so a test, a backtest
 * and an off-policy replay give the same draws for the same seed.
 */
export type RandomSource = Pick<Random, 'next'>;

/** A uniform draw in the open interval (0, 1): logs and divisions below must never see 0. */
export function sampleOpenUniform(random: RandomSource): number {
  let u = random.next();
  while (u <= 0) u = random.next();
  return u;
}

/** Standard normal by the Marsaglia polar method (no trigonometry, exact, two uniforms per try). */
export function sampleStandardNormal(random: RandomSource): number {
  for (;;) {
    const u = 2 * random.next() - 1;
    const v = 2 * random.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Gamma(shape, 1) by Marsaglia and Tsang (2000). Shapes below 1 use the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a), which matters here because discounted bandit counts and
 * weak priors routinely give Beta parameters below 1.
 */
export function sampleGamma(random: RandomSource, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be a positive finite number, got ${shape}`);
  if (shape < 1) {
    return sampleGamma(random, shape + 1) * Math.pow(sampleOpenUniform(random), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = sampleOpenUniform(random);
    // The cheap squeeze accepts ~98% of draws without a logarithm.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as X / (X + Y) with independent gammas. */
export function sampleBeta(random: RandomSource, alpha: number, beta: number): number {
  const x = sampleGamma(random, alpha);
  const y = sampleGamma(random, beta);
  const total = x + y;
  // Both gammas can underflow to 0 for tiny shapes; the mean is the honest answer then.
  return total > 0 ? x / total : alpha / (alpha + beta);
}

/** Index of the largest value; ties go to the earliest index so results do not depend on luck. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
