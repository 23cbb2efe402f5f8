import { describe, expect, it } from 'vitest';
import { dailyIntervals, weekly } from '../../src/strategy/hours.js';
import { hoursRule, type Prepared } from '../../src/strategy/rule-kit.js';
import { zoneClock } from '../../src/strategy/zone-clock.js';

/**
 * An hours rule works each answer out once per clock list and instant and then shares it: asked
 * again, it gives the very same answer; asked for another zone or instant, that zone's or instant's.
 */
describe('hours rule answers', () => {
  const rule = hoursRule('test.hours', weekly(() => dailyIntervals(8 * 60, 21 * 60, false)), '08:00–21:00 local time');
  const asked = (zones: string[]) => ({ clocks: zones.map((z) => zoneClock(z)!) }) as unknown as Prepared;
  const newYork = asked(['America/New_York']);
  const shanghai = asked(['Asia/Shanghai']);
  const candidate = { channel: 'sms' as const, receivables: [] };
  // 02:00 UTC on a Monday: 21:00 on Sunday in New York (closed), 10:00 in Shanghai (open).
  const t = Date.UTC(2026, 2, 2, 2);

  it('answers per zone and instant, and shares an answer asked again', () => {
    const closed = rule.check(newYork, candidate, t);
    expect(closed).toEqual({ kind: 'delay', until: Date.UTC(2026, 2, 2, 13), reason: 'outside 08:00–21:00 local time in America/New_York; next allowed 2026-03-02T13:00:00.000Z' });
    expect(rule.check(newYork, candidate, t)).toBe(closed);
    expect(Object.isFrozen(closed)).toBe(true);
    expect(rule.check(shanghai, candidate, t)).toBeNull();
    expect(rule.check(newYork, candidate, Date.UTC(2026, 2, 2, 14))).toBeNull();
    expect(rule.check(shanghai, candidate, Date.UTC(2026, 2, 2, 14))).toMatchObject({ kind: 'delay', until: Date.UTC(2026, 2, 3, 0) });
    expect(rule.check(asked([]), candidate, t)).toMatchObject({ kind: 'block' });
  });
});
