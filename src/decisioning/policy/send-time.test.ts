import { describe, expect, it } from 'vitest';
import { bestSendHour, formatHourOfWeek, HOURS_PER_WEEK, segmentDistribution, shrinkToSegment, toHourOfWeek } from './send-time.js';

const TUESDAY_7PM = toHourOfWeek(1, 19);
const SUNDAY_3AM = toHourOfWeek(6, 3);

function emptyWeek(): number[] {
  return new Array<number>(HOURS_PER_WEEK).fill(0);
}

/** A segment of evening responders: weekday evenings busy, the rest of the week quiet. */
function eveningSegment(): number[] {
  const members = Array.from({ length: 40 }, (_, m) => {
    const counts = emptyWeek();
    for (let day = 0; day < 5; day++) for (const hour of [18, 19, 20]) counts[toHourOfWeek(day, hour)] = 1 + ((m + day + hour) % 3);
    counts[TUESDAY_7PM]! += 3;
    counts[toHourOfWeek(5, 11)] = 1;
    return counts;
  });
  return segmentDistribution(members);
}

function person(hour: number, responses: number): number[] {
  const counts = emptyWeek();
  counts[hour] = responses;
  return counts;
}

describe('best send time, shrunk toward the segment', () => {
  const segment = eveningSegment();

  it('a person with no history gets the segment peak', () => {
    const best = bestSendHour(emptyWeek(), segment);
    expect(best.label).toBe('Tue 19:00');
    expect(best.shrinkage).toBe(1);
  });

  it('one response at an odd hour does not move it; many do', () => {
    const one = bestSendHour(person(SUNDAY_3AM, 1), segment);
    const many = bestSendHour(person(SUNDAY_3AM, 20), segment);
    console.log(`segment peak share ${Math.max(...segment).toFixed(4)}; 1 response: ${one.label} (shrinkage ${one.shrinkage.toFixed(2)}); 20 responses: ${many.label} (shrinkage ${many.shrinkage.toFixed(2)})`);
    expect(one.hourOfWeek).toBe(TUESDAY_7PM);
    expect(many.hourOfWeek).toBe(SUNDAY_3AM);
    expect(many.shrinkage).toBeCloseTo(50 / 70, 10);
  });

  it('without the prior a single response would decide, which is what the shrinkage prevents', () => {
    expect(bestSendHour(person(SUNDAY_3AM, 1), segment, { priorWeight: 0 }).hourOfWeek).toBe(SUNDAY_3AM);
  });

  it('gives shares that sum to 1 and move smoothly toward the person with evidence', () => {
    const shares = [0, 2, 5, 10, 40].map((n) => shrinkToSegment(person(SUNDAY_3AM, n), segment)[SUNDAY_3AM]!);
    expect(Math.abs(shrinkToSegment(person(SUNDAY_3AM, 7), segment).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeGreaterThan(shares[i - 1]!);
  });

  it('keeps to the allowed hours', () => {
    const allowed = Array.from({ length: 7 }, (_, day) => [9, 10, 11].map((h) => toHourOfWeek(day, h))).flat();
    const best = bestSendHour(person(SUNDAY_3AM, 50), segment, { allowedHours: allowed });
    expect(best.label).toBe('Sat 11:00');
  });

  it('labels hours of the week from Monday 00:00 and refuses bad input', () => {
    expect(formatHourOfWeek(0)).toBe('Mon 00:00');
    expect(formatHourOfWeek(167)).toBe('Sun 23:00');
    expect(() => toHourOfWeek(7, 0)).toThrow(RangeError);
    expect(() => bestSendHour([1, 2], segment)).toThrow(/168/);
  });
});
