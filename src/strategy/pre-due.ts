import { parseInstant } from '../core/time.js';
import type { PolicyDocument } from './policy-schema.js';
import type { ReceivableContext } from './types.js';
import { MINUTE_MS, type ZoneClock } from './zone-clock.js';

/** Calendar periods compiled to instants, e.g. a promotion that gives orders longer to pay. */
export interface CalendarPeriod {
  name: string;
  from: number;
  to: number;
  orderTimeoutExtensionMs: number;
}

export function compileCalendar(doc: PolicyDocument): CalendarPeriod[] {
  return (doc.calendar ?? []).map((e) => {
    const from = parseInstant(e.from, 'from');
    const to = parseInstant(e.to, 'to');
    // The loader has already refused unparseable instants; this only narrows the type.
    if (!from.ok || !to.ok) throw new Error(`calendar ${e.name}: instants were not validated`);
    return { name: e.name, from: from.instant.getTime(), to: to.instant.getTime(), orderTimeoutExtensionMs: (e.orderTimeoutExtensionMinutes ?? 0) * MINUTE_MS };
  });
}

/** An order's payment timeout as the calendar widens it. Periods do not stack: the widest applies. */
export function effectiveTimeout(timeoutMs: number, calendar: readonly CalendarPeriod[]): number {
  let extra = 0;
  for (const p of calendar) if (timeoutMs >= p.from && timeoutMs < p.to && p.orderTimeoutExtensionMs > extra) extra = p.orderTimeoutExtensionMs;
  return timeoutMs + extra;
}

export interface ReminderPlan {
  /** Days before due, largest first (3, 1). */
  daysBefore: readonly number[];
  /** Minutes before an order's payment timeout, largest first. */
  orderMinutesBefore: readonly number[];
}

/**
 * The instants, ascending, at which a pre-due receivable is owed a reminder. An order with a payment
 * timeout is reminded before the timeout; anything else before its due instant, counted in local
 * calendar days so the reminder keeps its time of day across a DST change.
 */
export function reminderPoints(r: ReceivableContext, plan: ReminderPlan, clock: ZoneClock | undefined, calendar: readonly CalendarPeriod[]): number[] {
  if (r.kind === 'order' && r.paymentTimeoutAt) {
    const deadline = effectiveTimeout(r.paymentTimeoutAt.getTime(), calendar);
    return plan.orderMinutesBefore.map((m) => deadline - m * MINUTE_MS).sort((a, b) => a - b);
  }
  const due = r.dueAt.getTime();
  return plan.daysBefore.map((d) => (clock ? clock.shiftDays(due, -d) : due - d * 86_400_000)).sort((a, b) => a - b);
}

/**
 * When this receivable next needs a reminder, given the last contact about it: the latest point
 * already reached if nobody has reminded since, else the next point ahead. Null when none is left.
 */
export function nextReminderAfter(points: readonly number[], now: number, lastContact: number | undefined): number | null {
  let latestReached: number | undefined;
  for (const p of points) {
    if (p <= now) latestReached = p;
    else if (latestReached === undefined || (lastContact !== undefined && lastContact >= latestReached)) return p;
    else break;
  }
  if (latestReached !== undefined && (lastContact === undefined || lastContact < latestReached)) return latestReached;
  return null;
}
