import { describe, expect, it } from 'vitest';
import { makeData } from '../../../test/support/model-data.js';
import { createRandom } from '../../simulation/random.js';
import { fitLogistic, predictLogistic } from './logistic.js';
import { logisticFromJson, logisticToJson } from './model-json.js';

/** Draws from a known model: logit = 0.5 + 2 x1 - 1 x2 + 1 [group = b], x1 ~ N(3, 2), x2 ~ N(0, 1). */
function synthetic(rows: number, seed: number) {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const x1: number[] = [];
  const x2: number[] = [];
  const group: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = 3 + 2 * normal();
    const b = normal();
    const g = random.chance(0.5) ? 'b' : 'a';
    const logit = 0.5 + 2 * (a - 3) - b + (g === 'b' ? 1 : 0);
    x1.push(a);
    x2.push(b);
    group.push(g);
    y.push(random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return makeData({ x1, x2, group }, y);
}

describe('fitLogistic', () => {
  const data = synthetic(20_000, 11);

  it('recovers known coefficients on synthetic data', () => {
    const fit = fitLogistic(data, { l2: 1e-6 });
    if (!fit.ok) throw new Error(fit.error.message);
    const [x1, x2, group] = fit.value.model.features;
    if (x1?.kind !== 'numeric' || x2?.kind !== 'numeric' || group?.kind !== 'categorical') throw new Error('unexpected feature kinds');
    // Weights are on standardised inputs: divided by the spread they are per unit of the raw input.
    expect(x1.weight / x1.std).toBeCloseTo(2, 1);
    expect(x2.weight / x2.std).toBeCloseTo(-1, 1);
    const effect = group.weights[group.levels.indexOf('b')]! - group.weights[group.levels.indexOf('a')]!;
    expect(effect).toBeCloseTo(1, 1);
    expect(fit.value.iterations).toBeLessThan(15);
  });

  it('is deterministic and round-trips through JSON', () => {
    const a = fitLogistic(data);
    const b = fitLogistic(data);
    if (!a.ok || !b.ok) throw new Error('fit failed');
    expect(logisticToJson(a.value.model)).toEqual(logisticToJson(b.value.model));
    const loaded = logisticFromJson(JSON.parse(JSON.stringify(logisticToJson(a.value.model))));
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(predictLogistic(loaded.value, data)).toEqual(predictLogistic(a.value.model, data));
  });

  it('handles missing values and unseen levels at prediction', () => {
    const withGaps = makeData({ x: [1, 2, Number.NaN, 4, 5, 6, Number.NaN, 8, 9, 10, 11, 12], c: ['a', 'b', null, 'a', 'b', 'a', 'b', null, 'a', 'b', 'a', 'b'] }, [0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1]);
    const fit = fitLogistic(withGaps);
    if (!fit.ok) throw new Error(fit.error.message);
    const p = predictLogistic(fit.value.model, makeData({ x: [Number.NaN], c: ['never-seen'] }, [0]));
    expect(p.ok && p.value[0]! > 0 && p.value[0]! < 1).toBe(true);
  });

  it('refuses a single class and too few rows', () => {
    const one = fitLogistic(makeData({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, Array<number>(11).fill(1)));
    expect(!one.ok && one.error.message).toMatch(/single class/);
    const few = fitLogistic(makeData({ x: [1, 2, 3] }, [0, 1, 0]));
    expect(!few.ok && few.error.message).toMatch(/too little data/);
  });
});
