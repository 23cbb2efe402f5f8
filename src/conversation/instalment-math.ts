/**
 * Instalment plans, computed exactly: money in bigint minor units, rates as rationals parsed from
 * decimal strings, never a binary float.
 *
 * The plan is a level-payment (annuity) loan of the balance P over n monthly periods at the monthly
 * rate i = annualRate / 12:
 *
 *   instalment A = P · i · (1 + i)^n / ((1 + i)^n − 1), rounded half up to the minor unit (A = P / n at i = 0)
 *   interest of period k = balance before k · i, rounded half up to the minor unit
 *   principal of period k = A − interest; the last period repays the whole remaining balance, so the
 *   rounding of every earlier period is settled there and the principals add up to P exactly
 *   fee F = P · feeRate, rounded half up, charged with the first instalment
 *
 * The APR is the annual percentage rate of the actuarial method (US Regulation Z, appendix J): twelve
 * times the monthly rate x at which the payments, fee included, discounted monthly, are worth P. It
 * has no closed form, so x is found by bisection on exact rationals to 1e-12 and the APR is rounded
 * half up to a hundredth of a percent.
 */

export interface Rational {
  num: bigint;
  den: bigint;
}

const DECIMAL_RATE = /^(\d{1,3})(?:\.(\d{1,9}))?$/;

/** "0.12" → 12/100; refuses anything that is not a plain non-negative decimal. */
export function parseRate(text: string): Rational {
  const match = DECIMAL_RATE.exec(text.trim());
  if (!match) throw new Error(`rate ${JSON.stringify(text)} is not a decimal such as "0.12"`);
  const fraction = match[2] ?? '';
  return { num: BigInt(`${match[1]}${fraction}`), den: 10n ** BigInt(fraction.length) };
}

/** num / den rounded half up, for non-negative values. */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

export interface ScheduleLine {
  period: number;
  /** YYYY-MM-DD in the debtor's zone. */
  dueDate: string;
  paymentMinor: bigint;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  balanceAfterMinor: bigint;
}

export interface InstalmentPlan {
  periods: number;
  principalMinor: bigint;
  /** The level instalment; the last one may differ by the rounding it settles. */
  instalmentMinor: bigint;
  feeMinor: bigint;
  totalInterestMinor: bigint;
  totalPaidMinor: bigint;
  /** What the plan costs beyond the balance: interest plus fee. */
  totalCostMinor: bigint;
  /** Annual percentage rate, a decimal string in percent with two places ("13.65"). */
  apr: string;
  schedule: ScheduleLine[];
}

export interface PlanTerms {
  annualRate: string;
  feeRate: string;
}

function levelInstalment(principal: bigint, periods: number, monthly: Rational): bigint {
  if (monthly.num === 0n) return roundHalfUp(principal, BigInt(periods));
  const n = BigInt(periods);
  const grown = (monthly.den + monthly.num) ** n;
  const base = monthly.den ** n;
  // P · (a/b) · ((b+a)/b)^n / (((b+a)/b)^n − 1) = P · a · (b+a)^n / (b · ((b+a)^n − b^n))
  return roundHalfUp(principal * monthly.num * grown, monthly.den * (grown - base));
}

/** Whether the payments, discounted at the monthly rate x/scale, are worth at least the principal. */
function worthAtLeast(payments: readonly bigint[], principal: bigint, x: bigint, scale: bigint): boolean {
  const n = payments.length;
  const growth = scale + x;
  // Σ pay_k / (1+x)^k ≥ P  ⇔  Σ pay_k · scale^k · (scale+x)^(n−k) ≥ P · (scale+x)^n, all integers.
  let total = 0n;
  for (let k = 1; k <= n; k++) total += payments[k - 1]! * scale ** BigInt(k) * growth ** BigInt(n - k);
  return total >= principal * growth ** BigInt(n);
}

const APR_SCALE = 10n ** 12n;

/** Annual percentage rate in hundredths of a percent, from the cash flows (payments a month apart). */
export function aprHundredthsOfPercent(principal: bigint, payments: readonly bigint[]): bigint {
  // Worth decreases as the rate grows; find the rate where it crosses the principal. Rates above 100% a
  // month are not plans anyone may offer, so that bounds the search.
  let low = 0n;
  let high = APR_SCALE;
  if (!worthAtLeast(payments, principal, low, APR_SCALE)) return 0n;
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (worthAtLeast(payments, principal, mid, APR_SCALE)) low = mid;
    else high = mid;
  }
  // 12 · x · 100 (percent) · 100 (hundredths)
  return roundHalfUp(12n * low * 10_000n, APR_SCALE);
}

export function formatHundredths(value: bigint): string {
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;
}

/** The plan of `periods` monthly instalments for the balance; `dueDates[k]` is when instalment k+1 falls due. */
export function computePlan(principal: bigint, periods: number, terms: PlanTerms, dueDates: readonly string[]): InstalmentPlan {
  if (!Number.isInteger(periods) || periods < 1) throw new Error(`periods must be a positive integer, got ${periods}`);
  if (dueDates.length !== periods) throw new Error(`expected ${periods} due dates, got ${dueDates.length}`);
  if (principal <= 0n) throw new Error('principal must be positive');
  const annual = parseRate(terms.annualRate);
  const monthly: Rational = { num: annual.num, den: annual.den * 12n };
  const fee = parseRate(terms.feeRate);
  const feeMinor = roundHalfUp(principal * fee.num, fee.den);
  const instalment = levelInstalment(principal, periods, monthly);
  const schedule: ScheduleLine[] = [];
  let balance = principal;
  for (let k = 1; k <= periods; k++) {
    const interest = roundHalfUp(balance * monthly.num, monthly.den);
    const principalPart = k === periods ? balance : instalment - interest;
    balance -= principalPart;
    const lineFee = k === 1 ? feeMinor : 0n;
    schedule.push({ period: k, dueDate: dueDates[k - 1]!, paymentMinor: principalPart + interest + lineFee, principalMinor: principalPart, interestMinor: interest, feeMinor: lineFee, balanceAfterMinor: balance });
  }
  const totalInterestMinor = schedule.reduce((sum, line) => sum + line.interestMinor, 0n);
  const totalPaidMinor = schedule.reduce((sum, line) => sum + line.paymentMinor, 0n);
  return {
    periods,
    principalMinor: principal,
    instalmentMinor: instalment,
    feeMinor,
    totalInterestMinor,
    totalPaidMinor,
    totalCostMinor: totalPaidMinor - principal,
    apr: formatHundredths(aprHundredthsOfPercent(principal, schedule.map((line) => line.paymentMinor))),
    schedule,
  };
}
