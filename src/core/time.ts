import { DateTime, IANAZone } from 'luxon';
import type { FieldError } from './errors.js';

export const DAY_MS = 86_400_000;

// Instants recently written as ISO text, by epoch milliseconds.
const ISO_TEXT = new Map<number, string>();
const ISO_TEXTS_KEPT = 4096;

/**
 * `new Date(ms).toISOString()`, remembered for instants met again. Perf: planning writes the same few
 * instants (now, the opening of each zone's contact hours) into the reasons and delays of a million
 * decisions; and a Date left inside a document sends JSON.stringify down its slow path (toJSON) for
 * the whole object, so a decision with its delays' instants as text took half as long to serialize
 * (bench/dispatch).
 */
export function isoAt(ms: number): string {
  let text = ISO_TEXT.get(ms);
  if (text === undefined) {
    if (ISO_TEXT.size >= ISO_TEXTS_KEPT) ISO_TEXT.clear();
    ISO_TEXT.set(ms, (text = new Date(ms).toISOString()));
  }
  return text;
}

/** `at.toISOString()` through isoAt's memory. */
export function isoInstant(at: Date): string {
  return isoAt(at.getTime());
}

/**
 * Luxon's zone work asks Intl afresh on every call (tens of microseconds each), and a batch of ten
 * thousand rows repeats the same few zones and due dates: answers are remembered, in maps that are
 * emptied when full so that odd input cannot grow them without bound.
 */
const MEMO_LIMIT = 10_000;

function memoized<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

const validZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  return memoized(validZones, zone, () => IANAZone.isValidZone(zone));
}

// Epoch milliseconds of the first instant after a calendar day in a zone, or null for no such day.
const dayEnds = new Map<string, number | null>();

function endOfLocalDay(date: string, zone: string): number | null {
  return memoized(dayEnds, `${zone} ${date}`, () => {
    const day = DateTime.fromISO(date, { zone });
    return day.isValid ? day.plus({ days: 1 }).startOf('day').toMillis() : null;
  });
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// An instant must say where it is: a date-time without an offset would silently take the server's zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export type InstantParse = { ok: true; instant: Date } | { ok: false; error: FieldError };

/**
 * Parses an ISO 8601 instant. A date-time must carry an offset. A bare date (for a due date) means
 * "by the end of that day where the debtor lives", so it becomes the next local midnight in `zone`:
 * the first instant at which the payment is late.
 */
export function parseInstant(value: unknown, field: string, zone = 'UTC'): InstantParse {
  if (typeof value !== 'string') return { ok: false, error: { field, reason: 'must be an ISO 8601 date or date-time string' } };
  if (DATE_ONLY.test(value)) {
    const end = endOfLocalDay(value, zone);
    if (end === null) return { ok: false, error: { field, reason: `${value} is not a real calendar date` } };
    return { ok: true, instant: new Date(end) };
  }
  if (!DATE_TIME.test(value)) {
    return { ok: false, error: { field, reason: `${JSON.stringify(value)} is not ISO 8601 (use 2026-12-01 or 2026-12-01T09:00:00+08:00)` } };
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return { ok: false, error: { field, reason: `${value} is not a real date and time` } };
  return { ok: true, instant: parsed.toJSDate() };
}
