import type { Channel, PlannedContact } from './channels.js';
import type { DebtorProfile } from './population.js';

/**
 * What a real system records about one overdue case: every contact with its receipt (noticed or not,
 * complaint, opt-out) and every payment. Policies read this and the profile; nothing else.
 */

export interface ContactRecord extends PlannedContact {
  day: number;
  /** The receipt: read, clicked, answered or replied to. */
  engaged: boolean;
  complained: boolean;
  optedOut: boolean;
}

export interface PaymentRecord {
  day: number;
  amountMinor: bigint;
}

export interface Ledger {
  outstandingMinor: bigint;
  contacts: ContactRecord[];
  payments: PaymentRecord[];
  optedOut: Set<Channel>;
  complaints: number;
  lastComplaintDay: number | undefined;
}

export function openLedger(profile: DebtorProfile): Ledger {
  return { outstandingMinor: profile.amountMinor, contacts: [], payments: [], optedOut: new Set(), complaints: 0, lastComplaintDay: undefined };
}

/** Contacts on days (day − days, day), i.e. the `days` days before `day`, optionally on one channel. */
export function contactsInLastDays(ledger: Ledger, day: number, days: number, channel?: Channel): number {
  let count = 0;
  for (let i = ledger.contacts.length - 1; i >= 0; i--) {
    const contact = ledger.contacts[i]!;
    if (contact.day <= day - days) break;
    if (contact.day < day && (channel === undefined || contact.channel === channel)) count++;
  }
  return count;
}

/** Contacts on `day` itself (for the per-day cap). */
export function contactsOnDay(ledger: Ledger, day: number): number {
  let count = 0;
  for (let i = ledger.contacts.length - 1; i >= 0 && ledger.contacts[i]!.day === day; i--) count++;
  return count;
}

export function lastEngagedContact(ledger: Ledger): ContactRecord | undefined {
  for (let i = ledger.contacts.length - 1; i >= 0; i--) if (ledger.contacts[i]!.engaged) return ledger.contacts[i];
  return undefined;
}

export function paidBetween(ledger: Ledger, fromDay: number, toDay: number): boolean {
  return ledger.payments.some((p) => p.day >= fromDay && p.day <= toDay);
}
