import { describe, expect, it } from 'vitest';
import { zoneClock } from '../strategy/zone-clock.js';
import { AiPolicy } from './ai-policy.js';
import { CONTACT_RULES, contactInstant } from './contact-rules.js';
import type { Ledger } from './ledger.js';
import type { DebtorProfile } from './population.js';
import { DEFAULT_START, runSimulation } from './run-simulation.js';
import { summarise } from './summary.js';

describe('a backtest', () => {
  it('is deterministic under a seed, for both policies, and differs with the seed', () => {
    for (const policy of ['ai', 'baseline'] as const) {
      const a = runSimulation({ customers: 150, days: 30, policy, seed: 9 });
      const b = runSimulation({ customers: 150, days: 30, policy, seed: 9 });
      const c = runSimulation({ customers: 150, days: 30, policy, seed: 10 });
      expect(summarise(b)).toEqual(summarise(a));
      expect(b.recoveredByDay).toEqual(a.recoveredByDay);
      expect(summarise(c)).not.toEqual(summarise(a));
    }
  });

  it('keeps the AI policy inside the contact rules and away from the hidden traits', () => {
    let ledgers: readonly Ledger[] = [];
    let profiles: DebtorProfile[] = [];
    let viewsWithTraits = 0;
    const result = runSimulation({ customers: 600, days: 60, policy: 'ai', seed: 4 }, (options, debtors, seen) => {
      ledgers = seen;
      profiles = debtors.map((d) => d.profile);
      const ai = new AiPolicy({ seed: options.seed, customers: debtors.length, startWeekday: 0, ledgerOf: (i) => seen[i]! });
      for (const d of debtors) ai.enrol(d.profile);
      const plan = ai.plan.bind(ai);
      ai.plan = (view, day) => {
        if ('traits' in view || 'traits' in view.profile) viewsWithTraits++;
        return plan(view, day);
      };
      return ai;
    });
    expect(result.totals.contacts).toBeGreaterThan(500);
    expect(viewsWithTraits).toBe(0);
    ledgers.forEach((ledger, i) => {
      const profile = profiles[i]!;
      const zone = zoneClock(profile.timezone)!;
      const optedOutOn = new Map<string, number>();
      ledger.contacts.forEach((contact, n) => {
        expect(contact.day).toBeGreaterThan(profile.dueDay);
        expect(profile.channels).toContain(contact.channel);
        const local = new Date(zone.toWall(contactInstant(DEFAULT_START.getTime(), contact.day, contact.localHour, zone)));
        expect(local.getUTCHours()).toBeGreaterThanOrEqual(8);
        expect(local.getUTCHours()).toBeLessThan(21);
        const week = ledger.contacts.filter((c) => c.day > contact.day - 7 && c.day <= contact.day);
        expect(week.length).toBeLessThanOrEqual(CONTACT_RULES.maxPer7Days);
        expect(ledger.contacts.filter((c) => c.day === contact.day)).toHaveLength(1);
        const optOutDay = optedOutOn.get(contact.channel);
        expect(optOutDay).toBeUndefined();
        if (contact.optedOut) optedOutOn.set(contact.channel, n);
        const complaint = ledger.contacts.slice(0, n).findLast((c) => c.complained);
        if (complaint) expect(contact.day - complaint.day).toBeGreaterThanOrEqual(CONTACT_RULES.complaintPauseDays);
      });
    });
  });

  it('holds out a control group that follows the baseline schedule', () => {
    const result = runSimulation({ customers: 2_000, days: 30, policy: 'ai', seed: 2 });
    const control = result.groups!.control;
    const share = Number(control.amountOverdueMinor) / Number(result.totals.amountOverdueMinor);
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.09);
    expect(control.contactsByChannel.email + control.contactsByChannel.wechat + control.contactsByChannel.app + control.contactsByChannel.push).toBe(0);
    expect(control.contacts + result.groups!.policy.contacts).toBe(result.totals.contacts);
  });
});
