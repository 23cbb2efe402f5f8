import { MINUTE_MS, DAY_MS, HOUR_MS, zoneClock, type ZoneClock } from '../strategy/zone-clock.js';
import { CONTACT_WINDOW_HOURS, type Channel, type PlannedContact } from './channels.js';
import { contactsInLastDays, contactsOnDay, type Ledger } from './ledger.js';
import type { DebtorProfile } from './population.js';

/**
 * The rules a real collection strategy imposes, applied to every policy alike: contact only inside
 * 08:00-21:00 in the debtor's own time zone, at most one contact a day and three in any seven days,
 * at most seven calls in seven days (the Chinese industry rule), no contact for a week after a
 * complaint, and never again on a channel the debtor opted out of.
 */
export const CONTACT_RULES = {
  maxPerDay: 1,
  maxPer7Days: 3,
  maxCallsPer7Days: 7,
  complaintPauseDays: 7,
} as const;

export type RuleCheck = { ok: true; instant: number } | { ok: false; rule: string };

const firstMidnights = new Map<string, number>();

/** The UTC instant of `localHour`:00 on simulation day `day` in a zone, DST included. */
export function contactInstant(startMs: number, day: number, localHour: number, zone: ZoneClock): number {
  // Day 0's local midnight is looked up once per zone: recomputing it per contact thrashed the zone clock's offset cache.
  const key = `${zone.name}|${startMs}`;
  let midnight = firstMidnights.get(key);
  if (midnight === undefined) {
    midnight = Math.floor(zone.toWall(startMs) / DAY_MS) * DAY_MS;
    firstMidnights.set(key, midnight);
  }
  return zone.fromWall(midnight + day * DAY_MS + localHour * HOUR_MS);
}

function clockFor(profile: DebtorProfile): ZoneClock {
  const clock = zoneClock(profile.timezone);
  if (!clock) throw new RangeError(`unknown time zone ${profile.timezone}`);
  return clock;
}

/** Channels on which a contact is allowed today at all (before the hour is chosen). */
export function allowedChannels(profile: DebtorProfile, ledger: Ledger, day: number): Channel[] {
  if (contactsOnDay(ledger, day) >= CONTACT_RULES.maxPerDay) return [];
  if (contactsInLastDays(ledger, day, 7) >= CONTACT_RULES.maxPer7Days) return [];
  if (ledger.lastComplaintDay !== undefined && day - ledger.lastComplaintDay < CONTACT_RULES.complaintPauseDays) return [];
  return profile.channels.filter((channel) => {
    if (ledger.optedOut.has(channel)) return false;
    return channel !== 'voice' || contactsInLastDays(ledger, day, 7, 'voice') < CONTACT_RULES.maxCallsPer7Days;
  });
}

/** The full check of one planned contact, hour included; the runner refuses anything that fails. */
export function checkContact(startMs: number, profile: DebtorProfile, ledger: Ledger, contact: PlannedContact, day: number): RuleCheck {
  if (!profile.channels.includes(contact.channel)) return { ok: false, rule: 'no identity or consent for the channel' };
  if (ledger.optedOut.has(contact.channel)) return { ok: false, rule: 'opted out of the channel' };
  if (!allowedChannels(profile, ledger, day).includes(contact.channel)) return { ok: false, rule: 'contact cap or complaint pause' };
  const zone = clockFor(profile);
  const instant = contactInstant(startMs, day, contact.localHour, zone);
  const local = zone.toWall(instant);
  const minute = Math.floor((local % DAY_MS) / MINUTE_MS);
  if (minute < CONTACT_WINDOW_HOURS.start * 60 || minute >= CONTACT_WINDOW_HOURS.end * 60) return { ok: false, rule: 'outside local contact hours' };
  return { ok: true, instant };
}
