import { describe, expect, it } from 'vitest';
import { amountBucket, localHourAndWeekday } from './response-features.js';

describe('amountBucket', () => {
  it('buckets exact minor units by the currency\'s own digits', () => {
    expect(amountBucket(4_999n, 'CNY')).toBe('lt_50');
    expect(amountBucket(5_000n, 'CNY')).toBe('50_200');
    expect(amountBucket(19_999n, 'USD')).toBe('50_200');
    // The yen has no minor unit: 4,999 yen is 4,999 major units.
    expect(amountBucket(4_999n, 'JPY')).toBe('1k_5k');
    expect(amountBucket(500_000n, 'CNY')).toBe('ge_5k');
    expect(amountBucket(0n, 'CNY')).toBe('none');
  });

  it('is missing when there is no single, known currency', () => {
    expect(amountBucket(10_000n, null)).toBeNull();
    expect(amountBucket(10_000n, 'XXX')).toBeNull();
    expect(amountBucket(null, 'CNY')).toBeNull();
  });
});

describe('localHourAndWeekday', () => {
  it('reads the hour and weekday where the debtor lives', () => {
    // 2026-03-01T18:30Z is Monday 02:30 in Shanghai and Sunday 13:30 in New York.
    const at = new Date('2026-03-01T18:30:00Z');
    expect(localHourAndWeekday(at, 'Asia/Shanghai')).toEqual({ hour: 2, weekday: 'mon' });
    expect(localHourAndWeekday(at, 'America/New_York')).toEqual({ hour: 13, weekday: 'sun' });
  });

  it('is missing for an unknown zone rather than guessing UTC', () => {
    expect(localHourAndWeekday(new Date('2026-03-01T18:30:00Z'), 'Mars/Olympus')).toEqual({ hour: null, weekday: null });
    expect(localHourAndWeekday(new Date('2026-03-01T18:30:00Z'), null)).toEqual({ hour: null, weekday: null });
  });
});
