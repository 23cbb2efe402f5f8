import { describe, expect, it } from 'vitest';
import { formatMinor } from '../core/money.js';
import { formatDueDay, formatMoney } from './formats.js';

describe('formatMoney', () => {
  it('writes exactly what Intl writes for the decimal string, for every locale and many currencies and amounts', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    for (const locale of ['zh-CN', 'en']) {
      for (const currency of ['CNY', 'USD', 'GBP', 'EUR', 'JPY', 'KRW', 'BHD', 'HKD', 'CHF', 'INR']) {
        const intl = new Intl.NumberFormat(locale, { style: 'currency', currency });
        const amounts = [0n, 1n, 9n, 10n, 999n, 1_000n, 100_000n, 9_223_372_036_854_775_807n, ...Array.from({ length: 200 }, () => BigInt(next()) * BigInt(next() % 1000))];
        for (const minor of amounts) expect(formatMoney(locale, minor, currency), `${locale} ${currency} ${minor}`).toBe(intl.format(formatMinor(minor, currency) as unknown as number));
      }
    }
  });

  it('keeps every digit of amounts beyond float precision', () => {
    expect(formatMoney('en', 9_007_199_254_740_993n, 'USD')).toBe('$90,071,992,547,409.93');
    expect(formatMoney('zh-CN', 123_456_789_012_345_678n, 'JPY')).toBe('JP¥123,456,789,012,345,678');
  });
});

describe('formatDueDay', () => {
  it('names the local day before the first late instant, also across a DST change and at quarter-hour zones', () => {
    expect(formatDueDay('zh-CN', new Date('2026-03-20T16:00:00Z'), 'Asia/Shanghai')).toBe('3月20日');
    // New York springs forward on 8 March 2026: local midnight of 9 March is 04:00Z.
    expect(formatDueDay('en', new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('8 March 2026');
    expect(formatDueDay('en', new Date('2026-03-09T04:00:00.001Z'), 'America/New_York')).toBe('9 March 2026');
    // Kathmandu is UTC+05:45: its midnight falls on a quarter hour of UTC.
    expect(formatDueDay('en', new Date('2026-03-19T18:15:00Z'), 'Asia/Kathmandu')).toBe('19 March 2026');
    expect(formatDueDay('en', new Date('2026-03-19T18:15:00.001Z'), 'Asia/Kathmandu')).toBe('20 March 2026');
  });
});
