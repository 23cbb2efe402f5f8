import type { PlannedContact } from './channels.js';
import type { CaseView, SimulationPolicy } from './policy.js';

/**
 * Last year's fixed schedule: SMS on days 1, 3 and 7 past due, a call on day 10, then an SMS every
 * week (days 17, 24, 31, …), all at 10:00 local time. The weekly step is an SMS because it is the
 * one channel nearly every debtor has and the cheapest: a weekly call would have cost 60 times as
 * much and drawn far more complaints, and the comparison should be against the kinder reading of the
 * schedule. The tone turns firm from day 7, as dunning letters do.
 */
export const BASELINE_HOUR = 10;

export function baselineContact(daysPastDue: number): PlannedContact | null {
  if (daysPastDue === 1 || daysPastDue === 3) return { channel: 'sms', variant: 'gentle', localHour: BASELINE_HOUR };
  if (daysPastDue === 7) return { channel: 'sms', variant: 'firm', localHour: BASELINE_HOUR };
  if (daysPastDue === 10) return { channel: 'voice', variant: 'firm', localHour: BASELINE_HOUR };
  if (daysPastDue > 10 && (daysPastDue - 10) % 7 === 0) return { channel: 'sms', variant: 'firm', localHour: BASELINE_HOUR };
  return null;
}

/** The fixed schedule as a policy: a step the rules forbid today (an opted-out SMS) is skipped, not replaced. */
export function createBaselinePolicy(): SimulationPolicy {
  return {
    name: 'baseline',
    plan(view: CaseView) {
      const step = baselineContact(view.daysPastDue);
      return step && view.allowed.includes(step.channel) ? step : null;
    },
  };
}
