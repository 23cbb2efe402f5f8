import { describe, expect, it } from 'vitest';
import { hourOptions } from './send-hour-choice.js';

const options = (iso: string, zone?: string) => hourOptions(new Date(iso), zone).map((o) => `${o.bucket}@${o.at.toISOString()}`);

describe('the send-hour options of a reminder', () => {
  it('offers the rest of the local day: its own part at the earliest allowed instant, each later part at its start', () => {
    // 09:30 in Shanghai (UTC+8).
    expect(options('2026-03-02T01:30:00Z', 'Asia/Shanghai')).toEqual([
      'morning@2026-03-02T01:30:00.000Z',
      'afternoon@2026-03-02T04:00:00.000Z',
      'evening@2026-03-02T09:00:00.000Z',
    ]);
    // 13:15 local: the morning is gone.
    expect(options('2026-03-02T05:15:00Z', 'Asia/Shanghai')).toEqual(['afternoon@2026-03-02T05:15:00.000Z', 'evening@2026-03-02T09:00:00.000Z']);
    // 20:00 local: only the evening is left, and nothing after 21:00.
    expect(options('2026-03-02T12:00:00Z', 'Asia/Shanghai')).toEqual(['evening@2026-03-02T12:00:00.000Z']);
    expect(options('2026-03-02T13:30:00Z', 'Asia/Shanghai')).toEqual([]);
  });

  it('counts an instant before the first part of the day as morning, and finds the later parts across a clock change', () => {
    // 07:00 in UTC, a policy that allows early mornings.
    expect(options('2026-03-02T07:00:00Z')[0]).toBe('morning@2026-03-02T07:00:00.000Z');
    // 8 March 2026, New York springs forward at 02:00: 09:00 local is 13:00 UTC, and 17:00 local is 21:00 UTC (UTC-4), not 22:00.
    expect(options('2026-03-08T13:00:00Z', 'America/New_York')).toEqual([
      'morning@2026-03-08T13:00:00.000Z',
      'afternoon@2026-03-08T16:00:00.000Z',
      'evening@2026-03-08T21:00:00.000Z',
    ]);
  });
});
