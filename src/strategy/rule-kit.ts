import type { TSchema } from 'typebox';
import type { FieldError } from '../core/errors.js';
import { isoAt } from '../core/time.js';
import type { WeeklyWindow } from './hours.js';
import { isOpenAt, nextOpenInstant } from './hours.js';
import type { Channel, ContactRecord, Conversation, EvaluationContext, ReceivableContext } from './types.js';
import type { ZoneClock } from './zone-clock.js';

/** What every rule may read, derived once per evaluation so rules do no parsing or allocation-heavy work. */
export interface Prepared {
  ctx: EvaluationContext;
  now: number;
  /** Zones the contact hours must hold in: the debtor's, or every candidate zone. Empty when unknown. */
  clocks: readonly ZoneClock[];
  contacts: readonly PreparedContact[];
  /** The contacts with a valid instant, oldest first, so caps can count a window without building arrays. */
  contactsByTime: readonly PreparedContact[];
  conversations: readonly { at: number; receivableIds: readonly string[]; initiatedBy: Conversation['initiatedBy'] }[];
  optedOut: ReadonlySet<Channel>;
}

export interface PreparedContact {
  at: number;
  channel: Channel;
  receivableIds: readonly string[];
}

export interface Candidate {
  channel: Channel;
  receivables: readonly ReceivableContext[];
}

export type Verdict = { kind: 'block'; reason: string } | { kind: 'delay'; until: number; reason: string };

/**
 * A named rule. `check` is asked "may this candidate go at instant t?" and answers null (yes), a block
 * (never, for now), or a delay (not before `until`). Evaluation repeats the question at the later
 * instant until every rule agrees, so a rule only has to know about itself.
 */
export interface Rule {
  name: string;
  check(p: Prepared, c: Candidate, t: number): Verdict | null;
  /**
   * True when the answer never depends on t (state rules: paid, dispute, consent...). Evaluation then
   * asks the rule once per candidate instead of again every time another rule moves the instant.
   */
  timeless?: boolean;
}

export interface PackDefinition<O> {
  id: string;
  /** TypeBox schema of the pack's options; every number has its COMPLIANCE.md default. */
  options: TSchema;
  defaults: O;
  /** Checks beyond the schema (e.g. hours that exist), each error's field under `field`. */
  check?(options: O, field: string): FieldError[];
  build(options: O): Rule[];
}

export const block = (reason: string): Verdict => ({ kind: 'block', reason });
export const delay = (until: number, reason: string): Verdict => ({ kind: 'delay', until, reason });

/**
 * With `times` the instants of past contacts that count, the instant at which a contact at `t` would
 * respect "at most `limit` in any window of `windowMs`", or null if `t` already does. Windows roll:
 * a contact at a counts until a + windowMs.
 */
export function capUntil(times: readonly number[], windowMs: number, limit: number, t: number): number | null {
  const inWindow: number[] = [];
  for (const at of times) if (at <= t && t - at < windowMs) inWindow.push(at);
  if (inWindow.length < limit) return null;
  if (limit <= 0) return Number.POSITIVE_INFINITY;
  inWindow.sort((a, b) => a - b);
  return inWindow[inWindow.length - limit]! + windowMs;
}

/**
 * capUntil over contacts already sorted by time (Prepared.contactsByTime), counting only those `match`
 * accepts for `key`. Same answer as capUntil on the matching times, but without allocating arrays or
 * sorting on every call: in-window contacts form a run of the sorted list, so two scans suffice.
 */
export function capUntilSorted<K>(
  sorted: readonly PreparedContact[],
  match: (x: PreparedContact, key: K) => boolean,
  key: K,
  windowMs: number,
  limit: number,
  t: number,
): number | null {
  let count = 0;
  for (const x of sorted) if (x.at <= t && t - x.at < windowMs && match(x, key)) count++;
  if (count < limit) return null;
  if (limit <= 0) return Number.POSITIVE_INFINITY;
  // The limit-th most recent contact in the window is the one that must age out first.
  let skip = count - limit;
  for (const x of sorted) if (x.at <= t && t - x.at < windowMs && match(x, key) && skip-- === 0) return x.at + windowMs;
  return null;
}

/** Predicates for capUntilSorted, defined once so the hot path creates no closures. */
export const anyContact = (): boolean => true;
export const sameChannel = (x: PreparedContact, c: Candidate): boolean => x.channel === c.channel;

export function touches(record: { receivableIds: readonly string[] }, c: Candidate): boolean {
  for (const r of c.receivables) if (record.receivableIds.includes(r.id)) return true;
  return false;
}

// An hours rule's answers kept per clock list (evaluate.ts shares one list per known zone) and instant.
const HOURS_ANSWERS_KEPT = 1024;

/**
 * A rule that holds contacts to a weekly window in the debtor's zone(s); used by the packs and the
 * policy. Its answer depends on the debtor's clocks and the instant alone, and planning asks it at the
 * same few instants (now, the opening of the next window) for every debtor of a zone, so each answer
 * is worked out once and shared, read-only, instead of the next opening, its reason text and the
 * verdict being made again for every debtor and channel. Perf: fewer allocations per decision; the
 * wall time of bench/dispatch did not move measurably above this host's noise.
 */
export function hoursRule(name: string, window: WeeklyWindow, label: string): Rule {
  const answer = (clocks: readonly ZoneClock[], t: number): Verdict | null => {
    if (clocks.length === 0) return block('the debtor\'s timezone is unknown and no candidate zones were given');
    let open = true;
    for (const clock of clocks) if (!isOpenAt(window, clock, t)) open = false;
    if (open) return null;
    const next = nextOpenInstant(window, clocks, t);
    const zones = clocks.length === 1 ? clocks[0]!.name : clocks.map((c) => c.name).join(', ');
    if (next === null) return block(`no instant in the coming week is within ${label} in every zone (${zones})`);
    return Object.freeze(delay(next, `outside ${label} in ${zones}; next allowed ${isoAt(next)}`));
  };
  const answers = new WeakMap<readonly ZoneClock[], Map<number, Verdict | null>>();
  return {
    name,
    check(p, _c, t) {
      let byInstant = answers.get(p.clocks);
      if (!byInstant) answers.set(p.clocks, (byInstant = new Map()));
      let verdict = byInstant.get(t);
      if (verdict === undefined) {
        if (byInstant.size >= HOURS_ANSWERS_KEPT) byInstant.clear();
        byInstant.set(t, (verdict = answer(p.clocks, t)));
      }
      return verdict;
    },
  };
}

export function toMs(records: readonly ContactRecord[]): PreparedContact[] {
  return records.map((r) => ({ at: r.at.getTime(), channel: r.channel, receivableIds: r.receivableIds }));
}

/** Oldest first; contacts without a valid instant never count toward a cap, so they are left out. */
export function byTime(contacts: readonly PreparedContact[]): readonly PreparedContact[] {
  // Histories usually arrive in order already (or are empty): then the list serves as it is.
  let ordered = true;
  for (let i = 0; i < contacts.length && ordered; i++) ordered = !Number.isNaN(contacts[i]!.at) && (i === 0 || contacts[i - 1]!.at <= contacts[i]!.at);
  if (ordered) return contacts;
  return contacts.filter((x) => !Number.isNaN(x.at)).sort((a, b) => a.at - b.at);
}

export const HHMM = /^(\d{1,2}):(\d{2})$/;

/** "08:00" → 480; null for an impossible time. 24:00 is allowed as the end of a day. */
export function parseHhmm(text: string, asEnd: boolean): number | null {
  const m = HHMM.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && asEnd) return 1440;
  if (h > 23) return null;
  return h * 60 + min;
}
