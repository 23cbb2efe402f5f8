import { anyContact, hoursRule, block, capUntilSorted, delay, sameChannel, touches, type Candidate, type Prepared, type PreparedContact, type Rule } from './rule-kit.js';
import { isoAt } from '../core/time.js';
import type { WeeklyWindow } from './hours.js';
import { effectiveTimeout, nextReminderAfter, reminderPoints, type CalendarPeriod, type ReminderPlan } from './pre-due.js';
import type { Channel, ReceivableContext } from './types.js';
import { DAY_MS, HOUR_MS } from './zone-clock.js';

/** Rules the policy document itself sets, per stage and segment. Names are stable: they appear in decisions. */
export const POLICY_RULES = {
  hours: 'policy.contact-hours',
  minGap: 'policy.min-gap',
  personDay: 'policy.cap.person-day',
  personWeek: 'policy.cap.person-week',
  receivableDay: 'policy.cap.receivable-day',
  receivableWeek: 'policy.cap.receivable-week',
  channelDay: 'policy.cap.channel-day',
  channelWeek: 'policy.cap.channel-week',
  preDue: 'policy.pre-due-schedule',
  orderTimeout: 'policy.order-timeout-passed',
  controlGroup: 'policy.control-group',
  noChannels: 'policy.no-channels',
  noTemplate: 'policy.no-template',
  allowed: 'policy.allowed',
} as const;

export interface CompiledCaps {
  person: { day?: number; week?: number };
  receivable: { day?: number; week?: number };
  channel: Partial<Record<Channel, { day?: number; week?: number }>>;
}

type Scope = 'person' | 'receivable' | 'channel';

/** Which past contacts count toward a cap of this scope, for capUntilSorted. */
const SCOPE_MATCH: Record<Scope, (x: PreparedContact, c: Candidate) => boolean> = {
  person: anyContact,
  channel: sameChannel,
  receivable: touches,
};

function capRule(name: string, scope: Scope, windowMs: number, limitFor: (c: Candidate) => number | undefined, label: string): Rule {
  const match = SCOPE_MATCH[scope];
  return {
    name,
    check(p, c, t) {
      const limit = limitFor(c);
      if (limit === undefined) return null;
      const until = capUntilSorted(p.contactsByTime, match, c, windowMs, limit, t);
      return until === null ? null : delay(until, `${label} cap of ${limit} reached`);
    },
  };
}

export function capRules(caps: CompiledCaps): Rule[] {
  const rules: Rule[] = [];
  const { person, receivable, channel } = caps;
  if (person.day !== undefined) rules.push(capRule(POLICY_RULES.personDay, 'person', DAY_MS, () => person.day, 'per-person 24-hour'));
  if (person.week !== undefined) rules.push(capRule(POLICY_RULES.personWeek, 'person', 7 * DAY_MS, () => person.week, 'per-person 7-day'));
  if (receivable.day !== undefined) rules.push(capRule(POLICY_RULES.receivableDay, 'receivable', DAY_MS, () => receivable.day, 'per-receivable 24-hour'));
  if (receivable.week !== undefined) rules.push(capRule(POLICY_RULES.receivableWeek, 'receivable', 7 * DAY_MS, () => receivable.week, 'per-receivable 7-day'));
  if (Object.values(channel).some((x) => x.day !== undefined)) {
    rules.push(capRule(POLICY_RULES.channelDay, 'channel', DAY_MS, (c) => channel[c.channel]?.day, 'per-channel 24-hour'));
  }
  if (Object.values(channel).some((x) => x.week !== undefined)) {
    rules.push(capRule(POLICY_RULES.channelWeek, 'channel', 7 * DAY_MS, (c) => channel[c.channel]?.week, 'per-channel 7-day'));
  }
  return rules;
}

export function minGapRule(hours: number): Rule {
  const gapMs = hours * HOUR_MS;
  return {
    name: POLICY_RULES.minGap,
    check(p, _c, t) {
      let last = -Infinity;
      for (const x of p.contacts) if (x.at <= t && x.at > last) last = x.at;
      return t < last + gapMs ? delay(last + gapMs, `the last contact with this person was less than ${hours} hours ago`) : null;
    },
  };
}

export function policyHoursRule(window: WeeklyWindow): Rule {
  return hoursRule(POLICY_RULES.hours, window, "the policy's contact hours");
}

function lastContactAbout(p: Prepared, id: string): number | undefined {
  let last: number | undefined;
  for (const x of p.contacts) if (x.receivableIds.includes(id) && (last === undefined || x.at > last)) last = x.at;
  return last;
}

/** Pre-due reminders go only at the planned points; an order past its (widened) timeout gets none. */
export function preDueRules(plan: ReminderPlan, calendar: readonly CalendarPeriod[]): Rule[] {
  // The next reminder depends on the receivable and the evaluation (p.now, zone, contacts), not on
  // the channel or t; every channel and round of one evaluation asks again, so remember the last one.
  let lastP: Prepared | null = null;
  let lastR: ReceivableContext | null = null;
  let lastNext: number | null = null;
  const nextFor = (p: Prepared, r: ReceivableContext): number | null => {
    if (p !== lastP || r !== lastR) {
      lastNext = nextReminderAfter(reminderPoints(r, plan, p.clocks[0], calendar), p.now, lastContactAbout(p, r.id));
      lastP = p;
      lastR = r;
    }
    return lastNext;
  };
  const schedule: Rule = {
    name: POLICY_RULES.preDue,
    check(p, c, t) {
      let until = -1;
      for (const r of c.receivables) {
        const next = nextFor(p, r);
        if (next === null) return block('every planned pre-due reminder for this receivable has been sent');
        if (next > t && next > until) until = next;
      }
      return until < 0 ? null : delay(until, `the next planned pre-due reminder is at ${isoAt(until)}`);
    },
  };
  const timeout: Rule = {
    name: POLICY_RULES.orderTimeout,
    check(_p, c, t) {
      for (const r of c.receivables) {
        if (r.kind !== 'order' || !r.paymentTimeoutAt) continue;
        const deadline = effectiveTimeout(r.paymentTimeoutAt.getTime(), calendar);
        if (t >= deadline) return block(`the order's payment timeout (${new Date(deadline).toISOString()}) will have passed`);
      }
      return null;
    },
  };
  return [schedule, timeout];
}

/** A stable share of customers gets no contact at all, so uplift can be measured against them. */
export function controlGroupRule(share: number, salt: string): Rule {
  // Every channel of an evaluation asks about the same customer: remember the last answer, since
  // hashing the id is a pure function of it.
  let primed = false;
  let lastId = '';
  let lastIn = false;
  return {
    name: POLICY_RULES.controlGroup,
    timeless: true,
    check(p) {
      const id = p.ctx.customer.id;
      if (!primed || id !== lastId) {
        lastIn = inControlGroup(id, share, salt);
        lastId = id;
        primed = true;
      }
      return lastIn ? block(`the customer is in the ${Math.round(share * 100)}% control group`) : null;
    },
  };
}

/** FNV-1a over salt and id: the same customer lands in the same group on every machine and every run. */
export function inControlGroup(customerId: string, share: number, salt: string): boolean {
  if (share <= 0) return false;
  let h = 0x811c9dc5;
  const text = `${salt}:${customerId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000 < share;
}
