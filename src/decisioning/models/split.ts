import { createRandom } from '../../simulation/random.js';

export interface Split {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * A seeded stratified split: each class is shuffled on its own (Fisher-Yates, mulberry32) and the
 * same fraction of each goes to the test part, so both parts keep the class ratio. Indices come back
 * sorted, so the result depends on the seed alone and not on the order classes were visited.
 */
export function stratifiedSplit(target: Uint8Array, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const random = createRandom(seed);
  const byClass: number[][] = [[], []];
  for (let i = 0; i < target.length; i++) byClass[target[i] === 1 ? 1 : 0]!.push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      const swap = members[i]!;
      members[i] = members[j]!;
      members[j] = swap;
    }
    const testCount = Math.round(members.length * testFraction);
    test.push(...members.slice(0, testCount));
    train.push(...members.slice(testCount));
  }
  const sorted = (values: number[]) => Uint32Array.from(values).sort();
  return { train: sorted(train), test: sorted(test) };
}
