import { describe, expect, it } from 'vitest';
import { createRandom } from '../../simulation/random.js';
import { argmax, sampleBeta, sampleGamma, sampleStandardNormal } from './sampling.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe('sampling', () => {
  const n = 100_000;

  it('draws standard normals with mean 0 and variance 1', () => {
    const random = createRandom(1);
    const { mean, variance } = moments(() => sampleStandardNormal(random), n);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it.each([0.3, 1, 3.7, 40])('draws Gamma(%s) with mean and variance equal to the shape', (shape) => {
    const random = createRandom(2);
    const { mean, variance } = moments(() => sampleGamma(random, shape), n);
    // Standard error of the mean is sqrt(shape / n); allow 5 of them.
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.05);
  });

  it.each([
    [2, 5],
    [0.5, 0.5],
    [30, 570],
  ])('draws Beta(%s, %s) with the right mean and variance', (a, b) => {
    const random = createRandom(3);
    const { mean, variance } = moments(() => sampleBeta(random, a, b), n);
    const trueMean = a / (a + b);
    const trueVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(mean - trueMean)).toBeLessThan(5 * Math.sqrt(trueVariance / n));
    expect(Math.abs(variance / trueVariance - 1)).toBeLessThan(0.05);
  });

  it('gives the same draws for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const first = Array.from({ length: 5 }, () => sampleBeta(a, 2, 3));
    const second = Array.from({ length: 5 }, () => sampleBeta(b, 2, 3));
    expect(second).toEqual(first);
  });

  it('refuses a non-positive gamma shape and breaks argmax ties toward the first index', () => {
    expect(() => sampleGamma(createRandom(1), 0)).toThrow(RangeError);
    expect(argmax([1, 3, 3, 2])).toBe(1);
  });
});
