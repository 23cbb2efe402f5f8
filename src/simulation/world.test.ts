import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel, type PlannedContact } from './channels.js';
import { openLedger, type Ledger } from './ledger.js';
import { generatePopulation, type Debtor, type DebtorTraits } from './population.js';
import { hourFactor, World } from './world.js';

const responsive = Object.fromEntries(CHANNELS.map((c) => [c, 0.9])) as Record<Channel, number>;

function debtor(index: number, traits: Partial<DebtorTraits>): Debtor {
  return {
    profile: { id: `t-${index}`, index, locale: 'en', ageBand: '30-50', timezone: 'Europe/London', channels: [...CHANNELS], kind: 'bill', amountMinor: 12_345n, dueDay: 0, priorEpisodes: 0, priorSelfCures: 0 },
    traits: { ability: 0.9, will: 0.9, selfCureHazard: 0, responsiveness: responsive, peakHour: 19.5, firmResponder: false, complaintSensitivity: 0, optOutSensitivity: 0, ...traits },
  };
}

/** Plays `days` days for each debtor: the contact (if any) the schedule gives, then the day's payment. */
function play(debtors: Debtor[], days: number, contactOn: (day: number) => PlannedContact | null): Ledger[] {
  const world = new World(debtors, 7);
  const ledgers = debtors.map((d) => openLedger(d.profile));
  for (let day = 1; day < days; day++) {
    debtors.forEach((d, i) => {
      const ledger = ledgers[i]!;
      const contact = contactOn(day);
      if (contact && ledger.outstandingMinor > 0n) ledger.contacts.push({ ...contact, day, ...world.contact(i, ledger, contact, day) });
      const paid = world.settle(i, ledger, day);
      ledger.outstandingMinor -= paid;
      if (paid > 0n) ledger.payments.push({ day, amountMinor: paid });
    });
  }
  return ledgers;
}

const everyDay = (): PlannedContact => ({ channel: 'wechat', variant: 'gentle', localHour: 19 });

describe('the simulated world', () => {
  it('never lets a debtor with zero ability pay, however often and well they are contacted', () => {
    const broke = Array.from({ length: 100 }, (_, i) => debtor(i, { ability: 0, will: 1, selfCureHazard: 0 }));
    const ledgers = play(broke, 60, everyDay);
    expect(ledgers.every((l) => l.payments.length === 0 && l.outstandingMinor === 12_345n)).toBe(true);
    expect(ledgers.some((l) => l.contacts.some((c) => c.engaged))).toBe(true);
  });

  it('lets self-curers pay without any contact, and people who need a nudge mostly not', () => {
    const selfCurers = play(Array.from({ length: 300 }, (_, i) => debtor(i, { selfCureHazard: 0.2 })), 30, () => null);
    const needNudge = play(Array.from({ length: 300 }, (_, i) => debtor(i, { selfCureHazard: 0 })), 30, () => null);
    const paid = (ledgers: Ledger[]) => ledgers.filter((l) => l.outstandingMinor === 0n).length;
    expect(paid(selfCurers)).toBeGreaterThan(285);
    expect(paid(needNudge)).toBeLessThan(30);
    expect(selfCurers.every((l) => l.contacts.length === 0)).toBe(true);
  });

  it('turns reminders into payments for able, willing debtors, and pays exact minor units', () => {
    const ledgers = play(Array.from({ length: 300 }, (_, i) => debtor(i, {})), 20, (day) => (day % 3 === 1 ? everyDay() : null));
    const paidInFull = ledgers.filter((l) => l.outstandingMinor === 0n).length;
    expect(paidInFull).toBeGreaterThan(150);
    for (const l of ledgers) expect(l.payments.reduce((sum, p) => sum + p.amountMinor, 0n) + l.outstandingMinor).toBe(12_345n);
  });

  it('notices contacts at the person\'s hour more than far from it', () => {
    expect(hourFactor(19.5, 19)).toBeCloseTo(1, 5);
    expect(hourFactor(19.5, 8)).toBeLessThan(0.31);
    const atPeak = play(Array.from({ length: 400 }, (_, i) => debtor(i, { ability: 0 })), 2, () => ({ channel: 'sms', variant: 'gentle', localHour: 19 }));
    const offPeak = play(Array.from({ length: 400 }, (_, i) => debtor(i, { ability: 0 })), 2, () => ({ channel: 'sms', variant: 'gentle', localHour: 8 }));
    const noticed = (ledgers: Ledger[]) => ledgers.filter((l) => l.contacts[0]!.engaged).length;
    expect(noticed(atPeak)).toBeGreaterThan(320);
    expect(noticed(offPeak)).toBeLessThan(160);
  });

  it('generates the same population for the same seed and a different one for another seed', () => {
    const a = generatePopulation({ customers: 500, seed: 11, dueWithinDays: 45 });
    const b = generatePopulation({ customers: 500, seed: 11, dueWithinDays: 45 });
    const c = generatePopulation({ customers: 500, seed: 12, dueWithinDays: 45 });
    expect(b).toEqual(a);
    expect(c.map((d) => d.profile.amountMinor)).not.toEqual(a.map((d) => d.profile.amountMinor));
    expect(a.every((d) => d.profile.dueDay >= 0 && d.profile.dueDay < 45 && d.profile.amountMinor > 0n)).toBe(true);
    expect(a.filter((d) => d.traits.ability === 0).length).toBeGreaterThan(30);
    expect(a.filter((d) => d.traits.selfCureHazard > 0).length).toBeGreaterThan(50);
    expect(new Set(a.map((d) => d.profile.timezone)).size).toBeGreaterThan(4);
  });
});
