import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split.js';

const target = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 3 ? 1 : 0));
const positives = (indices: Uint32Array) => indices.reduce((sum, i) => sum + target[i]!, 0);

describe('stratifiedSplit', () => {
  it('keeps the class ratio in both parts and uses every row once', () => {
    const { train, test } = stratifiedSplit(target, 0.2, 42);
    expect(test.length).toBe(200);
    expect(train.length).toBe(800);
    expect(positives(test)).toBe(20);
    expect(positives(train)).toBe(80);
    expect(new Set([...train, ...test]).size).toBe(1000);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = stratifiedSplit(target, 0.2, 42);
    expect(stratifiedSplit(target, 0.2, 42)).toEqual(a);
    expect(Array.from(stratifiedSplit(target, 0.2, 7).test)).not.toEqual(Array.from(a.test));
  });

  it('returns sorted indices and refuses a fraction outside (0, 1)', () => {
    const { test } = stratifiedSplit(target, 0.3, 1);
    expect(Array.from(test)).toEqual([...test].sort((x, y) => x - y));
    expect(() => stratifiedSplit(target, 1, 1)).toThrow(RangeError);
  });
});
