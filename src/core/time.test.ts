import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseInstant } from './time.js';

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
