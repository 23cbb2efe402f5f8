import { describe, expect, it } from 'vitest';
import { baselineContact, createBaselinePolicy } from './baseline-policy.js';
import type { Ledger } from './ledger.js';
import { runSimulation } from './run-simulation.js';

const SCHEDULE_DAYS = [1, 3, 7, 10, 17, 24, 31, 38, 45, 52, 59];

describe('the baseline schedule', () => {
  it('sends SMS on days 1, 3 and 7, calls on day 10, then an SMS every week', () => {
    const steps = Array.from({ length: 61 }, (_, day) => [day, baselineContact(day)] as const).filter(([, step]) => step !== null);
    expect(steps.map(([day]) => day)).toEqual(SCHEDULE_DAYS);
    expect(steps.map(([, step]) => step!.channel)).toEqual(['sms', 'sms', 'sms', 'voice', 'sms', 'sms', 'sms', 'sms', 'sms', 'sms', 'sms']);
    expect(steps.every(([, step]) => step!.localHour === 10)).toBe(true);
  });

  it('contacts each debtor only on those days past due in a backtest, skipping steps the rules forbid', () => {
    let ledgers: readonly Ledger[] = [];
    let dueDays: number[] = [];
    const result = runSimulation({ customers: 400, days: 60, policy: 'baseline', seed: 5 }, (_options, debtors, seen) => {
      ledgers = seen;
      dueDays = debtors.map((d) => d.profile.dueDay);
      return createBaselinePolicy();
    });
    let checked = 0;
    let skippedAfterOptOut = 0;
    ledgers.forEach((ledger, i) => {
      const days = ledger.contacts.map((c) => c.day - dueDays[i]!);
      for (const day of days) expect(SCHEDULE_DAYS).toContain(day);
      checked += days.length;
      const optOut = ledger.contacts.findIndex((c) => c.optedOut);
      if (optOut >= 0) {
        const channel = ledger.contacts[optOut]!.channel;
        expect(ledger.contacts.slice(optOut + 1).some((c) => c.channel === channel)).toBe(false);
        skippedAfterOptOut++;
      }
    });
    expect(checked).toBe(result.totals.contacts);
    expect(checked).toBeGreaterThan(1000);
    expect(skippedAfterOptOut).toBeGreaterThan(0);
  });
});
