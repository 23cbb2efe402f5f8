import Type from 'typebox';
import type { FieldError } from '../../core/errors.js';
import { dailyIntervals, weekly, type WeeklyWindow } from '../hours.js';
import { parseHhmm } from '../rule-kit.js';

/** Regulatory hours are one daily window, the same every day: "after 08:00 and before 21:00". */
export const PackHours = Type.Object({ start: Type.String(), end: Type.String() }, { additionalProperties: false });
export interface PackHoursOptions {
  start: string;
  end: string;
}

export function checkPackHours(hours: PackHoursOptions, field: string): FieldError[] {
  const start = parseHhmm(hours.start, false);
  const end = parseHhmm(hours.end, true);
  const errors: FieldError[] = [];
  if (start === null) errors.push({ field: `${field}.start`, reason: `${JSON.stringify(hours.start)} is not a time of day (00:00–23:59)` });
  if (end === null) errors.push({ field: `${field}.end`, reason: `${JSON.stringify(hours.end)} is not a time of day (00:00–24:00)` });
  if (start !== null && end !== null && start >= end) {
    errors.push({ field, reason: `start ${hours.start} is not before end ${hours.end}; a regulatory window cannot wrap midnight` });
  }
  return errors;
}

export function packWindow(hours: PackHoursOptions): WeeklyWindow {
  const intervals = dailyIntervals(parseHhmm(hours.start, false) ?? 0, parseHhmm(hours.end, true) ?? 0, false);
  return weekly(() => intervals);
}
