/**
 * The best hour of the week to contact a person, from when they have responded before.
 *
 * A person's responses per hour-of-week (168 buckets, 0 = Monday 00:00 in their local time) are
 * combined with their segment's distribution as a Dirichlet prior of `priorWeight` pseudo-responses:
 *   share(h) = (count(h) + priorWeight × segment(h)) / (n + priorWeight)
 * With a handful of responses the segment decides; with many the person's own habit does. One reply
 * at 03:00 on a Sunday is an accident, twenty are a pattern.
 */

export const HOURS_PER_WEEK = 168;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Default prior weight: large enough that one or two responses cannot outvote a segment peak. */
export const DEFAULT_PRIOR_WEIGHT = 50;

/** day: 0 = Monday … 6 = Sunday (ISO order), hour: 0-23, both in the person's local time. */
export function toHourOfWeek(day: number, hour: number): number {
  if (!Number.isInteger(day) || day < 0 || day > 6 || !Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`day must be 0-6 and hour 0-23, got ${day} and ${hour}`);
  }
  return day * 24 + hour;
}

export function formatHourOfWeek(hourOfWeek: number): string {
  const day = DAYS[Math.floor(hourOfWeek / 24)];
  if (day === undefined) throw new RangeError(`hour of week must be 0-167, got ${hourOfWeek}`);
  return `${day} ${String(hourOfWeek % 24).padStart(2, '0')}:00`;
}

function checkBuckets(name: string, values: readonly number[]): void {
  if (values.length !== HOURS_PER_WEEK) throw new RangeError(`${name} must have ${HOURS_PER_WEEK} hour-of-week buckets, got ${values.length}`);
  if (values.some((v) => !(v >= 0))) throw new RangeError(`${name} must be non-negative`);
}

/**
 * A segment's distribution over the week from its members' counts. `smoothing` pseudo-responses per
 * bucket keep every hour possible, so a person's own evidence can still win an hour no member used.
 */
export function segmentDistribution(memberCounts: readonly (readonly number[])[], smoothing = 0.5): number[] {
  const totals = new Array<number>(HOURS_PER_WEEK).fill(smoothing);
  for (const counts of memberCounts) {
    checkBuckets('member counts', counts);
    for (let h = 0; h < HOURS_PER_WEEK; h++) totals[h]! += counts[h]!;
  }
  const sum = totals.reduce((a, b) => a + b, 0);
  if (sum === 0) return totals.map(() => 1 / HOURS_PER_WEEK);
  return totals.map((t) => t / sum);
}

export interface SendTime {
  hourOfWeek: number;
  label: string;
  /** Posterior share of this person's responses expected in that hour. */
  share: number;
  /** The person's own responses behind the estimate. */
  responses: number;
  /** Weight on the segment, priorWeight / (n + priorWeight): 1 means all segment, 0 all person. */
  shrinkage: number;
}

/** Shrunk per-hour shares for one person; sums to 1. */
export function shrinkToSegment(personCounts: readonly number[], segmentShares: readonly number[], priorWeight = DEFAULT_PRIOR_WEIGHT): number[] {
  checkBuckets('person counts', personCounts);
  checkBuckets('segment shares', segmentShares);
  if (!(priorWeight >= 0)) throw new RangeError('priorWeight must be non-negative');
  const n = personCounts.reduce((a, b) => a + b, 0);
  const segmentTotal = segmentShares.reduce((a, b) => a + b, 0);
  if (n + priorWeight === 0 || segmentTotal === 0) return segmentShares.map(() => 1 / HOURS_PER_WEEK);
  return personCounts.map((count, h) => (count + (priorWeight * segmentShares[h]!) / segmentTotal) / (n + priorWeight));
}

/**
 * The best hour for one person, optionally only among `allowedHours` (the strategy's and the
 * regulator's contact windows). Ties go to the earliest hour of the week, so results are stable.
 */
export function bestSendHour(
  personCounts: readonly number[],
  segmentShares: readonly number[],
  options: { priorWeight?: number; allowedHours?: readonly number[] } = {},
): SendTime {
  const priorWeight = options.priorWeight ?? DEFAULT_PRIOR_WEIGHT;
  const shares = shrinkToSegment(personCounts, segmentShares, priorWeight);
  const candidates = options.allowedHours ?? shares.map((_, h) => h);
  if (candidates.length === 0) throw new RangeError('bestSendHour needs at least one allowed hour');
  let best = candidates[0]!;
  for (const h of candidates) if (shares[h]! > shares[best]!) best = h;
  const responses = personCounts.reduce((a, b) => a + b, 0);
  return {
    hourOfWeek: best,
    label: formatHourOfWeek(best),
    share: shares[best]!,
    responses,
    shrinkage: responses + priorWeight === 0 ? 1 : priorWeight / (responses + priorWeight),
  };
}
