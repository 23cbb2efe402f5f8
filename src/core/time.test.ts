import { describe, expect, it } from 'vitest';
import { isoInstant, isValidTimeZone, parseInstant } from './time.js';

describe('parseInstant', () => {
  it('turns a bare due date into the next local midnight in the debtor zone', () => {
    const shanghai = parseInstant('2026-12-01', 'dueAt', 'Asia/Shanghai');
    expect(shanghai.ok && shanghai.instant.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    const newYork = parseInstant('2026-12-01', 'dueAt', 'America/New_York');
    expect(newYork.ok && newYork.instant.toISOString()).toBe('2026-12-02T05:00:00.000Z');
  });

  it('keeps date-times with an offset as the instant they name', () => {
    const parsed = parseInstant('2026-12-01T09:30:00+08:00', 'paidAt');
    expect(parsed.ok && parsed.instant.toISOString()).toBe('2026-12-01T01:30:00.000Z');
  });

  it('refuses impossible dates, missing offsets and non-strings, naming the field', () => {
    for (const value of ['2026-02-30', '2026-13-01', '2026-12-01T25:00:00Z', '2026-12-01T09:00:00', 'tomorrow', 20261201]) {
      const parsed = parseInstant(value, 'dueAt');
      expect(parsed.ok, String(value)).toBe(false);
      if (!parsed.ok) expect(parsed.error.field).toBe('dueAt');
    }
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('isoInstant', () => {
  it('gives toISOString of each instant, the same again when asked again, past the number it keeps', () => {
    const start = Date.UTC(2026, 2, 2, 2);
    for (let i = 0; i < 5000; i++) {
      const at = new Date(start + i * 60_000);
      expect(isoInstant(at)).toBe(at.toISOString());
    }
    expect(isoInstant(new Date(start))).toBe('2026-03-02T02:00:00.000Z');
    expect(isoInstant(new Date(-1))).toBe('1969-12-31T23:59:59.999Z');
  });
});
