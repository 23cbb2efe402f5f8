import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMinor, parseAmount } from './money.js';

describe('parseAmount', () => {
  it('reads decimal strings exactly into minor units', () => {
    expect(parseAmount('1280.50', 'CNY')).toEqual({ ok: true, minor: 128050n });
    expect(parseAmount('0.1', 'USD')).toEqual({ ok: true, minor: 10n });
    expect(parseAmount('92233720368547758.07', 'USD')).toEqual({ ok: true, minor: 9223372036854775807n });
  });

  it('uses the currency minor unit: JPY has none, BHD has three', () => {
    expect(parseAmount('1500', 'JPY')).toEqual({ ok: true, minor: 1500n });
    expect(parseAmount('1.234', 'BHD')).toEqual({ ok: true, minor: 1234n });
    const yen = parseAmount('15.5', 'JPY');
    expect(yen.ok).toBe(false);
    if (!yen.ok) expect(yen.error.reason).toContain('JPY has 0 decimal place');
  });

  it('accepts trailing zeros beyond the minor unit', () => {
    expect(parseAmount('10.500', 'USD')).toEqual({ ok: true, minor: 1050n });
  });

  it('refuses negatives, non-numbers, zero and unknown currencies with a reason', () => {
    const cases: Array<[unknown, string, string, string]> = [
      ['-5', 'USD', 'amount', 'must not be negative'],
      ['12,50', 'USD', 'amount', 'is not a decimal amount'],
      ['1e3', 'USD', 'amount', 'is not a decimal amount'],
      [null, 'USD', 'amount', 'must be a decimal number'],
      ['0', 'USD', 'amount', 'greater than zero'],
      ['10', 'ZZZ', 'currency', 'unknown ISO 4217'],
      ['10', 'XAU', 'currency', 'unknown ISO 4217'],
      ['92233720368547758.08', 'USD', 'amount', 'too large'],
    ];
    for (const [value, currency, field, reason] of cases) {
      const parsed = parseAmount(value, currency);
      expect(parsed.ok, `${String(value)} ${currency}`).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.field).toBe(field);
        expect(parsed.error.reason).toContain(reason);
      }
    }
  });

  it('allows zero when asked', () => {
    expect(parseAmount('0.00', 'USD', 'amount', { allowZero: true })).toEqual({ ok: true, minor: 0n });
  });
});

describe('formatMinor', () => {
  it('renders minor units back to decimal text', () => {
    expect(formatMinor(128050n, 'CNY')).toBe('1280.50');
    expect(formatMinor(5n, 'USD')).toBe('0.05');
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(1234n, 'BHD')).toBe('1.234');
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
  });

  it('round-trips amounts that binary floating point cannot hold', () => {
    const text = '9007199254740993.01';
    const parsed = parseAmount(text, 'USD');
    expect(parsed.ok && formatMinor(parsed.minor, 'USD')).toBe(text);
  });

  it('knows the minor units of common currencies', () => {
    expect([currencyDigits('USD'), currencyDigits('CNY'), currencyDigits('KRW'), currencyDigits('KWD')]).toEqual([2, 2, 0, 3]);
  });
});
