import { type FieldError, type Result, fail, invalid, ok } from '../core/errors.js';
import { DAY_MS, parseInstant } from '../core/time.js';

/** `decisioning`: who chose the contact: the learning policy (ai), its control group, the baseline mode, or none. */
export const GROUP_BYS = ['channel', 'stage', 'segment', 'template', 'day', 'decisioning'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface KpiQuery {
  from?: string;
  to?: string;
  groupBy?: GroupBy;
}

/** A half-open range [from, to) and how to split it. */
export interface KpiWindow {
  from: Date;
  to: Date;
  groupBy: GroupBy;
}

const DEFAULT_DAYS = 30;
// A dashboard range, not an export: a year and a bit keeps a by-day chart readable and the query bounded.
const MAX_DAYS = 400;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bare date means the whole UTC day: `from=2026-03-01&to=2026-03-31` covers both ends, as a person
 * picking days in a calendar expects.
 */
function parseBound(value: string, field: 'from' | 'to'): { ok: true; instant: Date } | { ok: false; error: FieldError } {
  if (DATE_ONLY.test(value)) {
    const start = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) return { ok: false, error: { field, reason: `${value} is not a real calendar date` } };
    return { ok: true, instant: field === 'from' ? start : new Date(start.getTime() + DAY_MS) };
  }
  return parseInstant(value, field);
}

/** Defaults: the last 30 days up to now, by day. */
export function resolveKpiWindow(query: KpiQuery, now: Date): Result<KpiWindow> {
  const errors: FieldError[] = [];
  const to = query.to === undefined ? { ok: true as const, instant: now } : parseBound(query.to, 'to');
  const from = query.from === undefined ? undefined : parseBound(query.from, 'from');
  if (!to.ok) errors.push(to.error);
  if (from && !from.ok) errors.push(from.error);
  if (errors.length > 0) return fail(invalid(errors));
  const end = (to as { instant: Date }).instant;
  const start = from?.ok ? from.instant : new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) return fail(invalid([{ field: 'from', reason: 'must be before to' }]));
  if (end.getTime() - start.getTime() > MAX_DAYS * DAY_MS) return fail(invalid([{ field: 'from', reason: `the range may span at most ${MAX_DAYS} days` }]));
  return ok({ from: start, to: end, groupBy: query.groupBy ?? 'day' });
}
