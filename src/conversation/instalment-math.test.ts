import { describe, expect, it } from 'vitest';
import { aprHundredthsOfPercent, computePlan, parseRate, roundHalfUp } from './instalment-math.js';

const dates = (n: number) => Array.from({ length: n }, (_, k) => `2026-${String(k + 4).padStart(2, '0')}-01`);
const terms = { annualRate: '0.12', feeRate: '0.01' };

/**
 * Expected figures worked by hand (and checked with Python's fractions module): 1000.00 at 12% a year
 * is 1% a month; A = 100000 · 0.01 · 1.01^3 / (1.01^3 − 1) = 34002.21 → 34002 minor units.
 */
describe('instalment plans', () => {
  it('3 periods: level instalment, interest on the falling balance, rounding settled in the last period, fee with the first', () => {
    const plan = computePlan(100_000n, 3, terms, dates(3));
    expect(plan.instalmentMinor).toBe(34_002n);
    expect(plan.feeMinor).toBe(1_000n);
    expect(plan.schedule.map((l) => [l.paymentMinor, l.principalMinor, l.interestMinor, l.feeMinor, l.balanceAfterMinor])).toEqual([
      [35_002n, 33_002n, 1_000n, 1_000n, 66_998n],
      [34_002n, 33_332n, 670n, 0n, 33_666n],
      [34_003n, 33_666n, 337n, 0n, 0n],
    ]);
    expect(plan.totalInterestMinor).toBe(2_007n);
    expect(plan.totalPaidMinor).toBe(103_007n);
    expect(plan.totalCostMinor).toBe(3_007n);
    expect(plan.apr).toBe('18.04');
  });

  it('6 and 12 periods match the hand-computed schedules', () => {
    const six = computePlan(100_000n, 6, terms, dates(6));
    expect(six.schedule.map((l) => l.paymentMinor)).toEqual([18_255n, 17_255n, 17_255n, 17_255n, 17_255n, 17_253n]);
    expect(six.schedule.map((l) => l.interestMinor)).toEqual([1_000n, 837n, 673n, 507n, 340n, 171n]);
    expect([six.totalPaidMinor, six.apr]).toEqual([104_528n, '15.47']);
    const twelve = computePlan(100_000n, 12, terms, dates(12));
    expect(twelve.instalmentMinor).toBe(8_885n);
    expect(twelve.schedule.at(-1)).toMatchObject({ paymentMinor: 8_884n, principalMinor: 8_796n, interestMinor: 88n, balanceAfterMinor: 0n });
    expect([twelve.totalInterestMinor, twelve.totalPaidMinor, twelve.apr]).toEqual([6_619n, 107_619n, '13.89']);
    expect(twelve.schedule.reduce((s, l) => s + l.principalMinor, 0n)).toBe(100_000n);
  });

  it('without a fee the APR is the nominal rate; with no interest the balance is split evenly', () => {
    expect(computePlan(100_000n, 3, { annualRate: '0.12', feeRate: '0' }, dates(3)).apr).toBe('12.00');
    const free = computePlan(100_000n, 3, { annualRate: '0', feeRate: '0' }, dates(3));
    expect(free.schedule.map((l) => l.paymentMinor)).toEqual([33_333n, 33_333n, 33_334n]);
    expect(free.apr).toBe('0.00');
  });

  it('parses rates exactly and rounds half up', () => {
    expect(parseRate('0.125')).toEqual({ num: 125n, den: 1000n });
    expect(() => parseRate('1e-2')).toThrow(/not a decimal/);
    expect([roundHalfUp(5n, 2n), roundHalfUp(4n, 3n), roundHalfUp(7n, 2n)]).toEqual([3n, 1n, 4n]);
    // A single payment of 101 a month after borrowing 100 is 1% a month: 12.00% a year.
    expect(aprHundredthsOfPercent(100n, [101n])).toBe(1_200n);
  });
});
