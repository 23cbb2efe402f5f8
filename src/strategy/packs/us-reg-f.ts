import Type from 'typebox';
import { DAY_MS } from '../zone-clock.js';
import { block, capUntilSorted, delay, hoursRule, touches, type PackDefinition, type PreparedContact, type Rule } from '../rule-kit.js';
import { checkPackHours, packWindow, PackHours, type PackHoursOptions } from './pack-hours.js';

/** FDCPA (15 USC 1692) and CFPB Regulation F (12 CFR 1006). Numbers default to COMPLIANCE.md. */
export interface UsRegFOptions {
  contactHours: PackHoursOptions;
  callsPerWindow: number;
  callWindowDays: number;
  pauseAfterConversationDays: number;
}

export const US_REG_F_RULES = {
  hours: 'us-reg-f.contact-hours',
  callFrequency: 'us-reg-f.call-frequency',
  afterConversation: 'us-reg-f.call-after-conversation',
  optOut: 'us-reg-f.electronic-opt-out',
  cease: 'us-reg-f.cease-communication',
} as const;

const voiceAbout = (x: PreparedContact, receivableId: string): boolean => x.channel === 'voice' && x.receivableIds.includes(receivableId);

function callFrequency(o: UsRegFOptions): Rule {
  const windowMs = o.callWindowDays * DAY_MS;
  return {
    name: US_REG_F_RULES.callFrequency,
    check(p, c, t) {
      if (c.channel !== 'voice') return null;
      // Per debt (1006.14(b)(2)(i)): each receivable in the candidate must stay within the cap.
      let until: number | null = null;
      for (const r of c.receivables) {
        const u = capUntilSorted(p.contactsByTime, voiceAbout, r.id, windowMs, o.callsPerWindow, t);
        if (u !== null && (until === null || u > until)) until = u;
      }
      if (until === null) return null;
      return delay(until, `${o.callsPerWindow} calls about this debt already placed in the last ${o.callWindowDays} days`);
    },
  };
}

function afterConversation(o: UsRegFOptions): Rule {
  const pauseMs = o.pauseAfterConversationDays * DAY_MS;
  return {
    name: US_REG_F_RULES.afterConversation,
    check(p, c, t) {
      if (c.channel !== 'voice') return null;
      let until = -1;
      // Calls the debtor makes do not start the pause (1006.14(b)(2)(ii)).
      for (const conv of p.conversations) {
        if (conv.initiatedBy === 'collector' && touches(conv, c) && t < conv.at + pauseMs) until = Math.max(until, conv.at + pauseMs);
      }
      if (until < 0) return null;
      return delay(until, `a telephone conversation about this debt took place within the last ${o.pauseAfterConversationDays} days`);
    },
  };
}

export const usRegF: PackDefinition<UsRegFOptions> = {
  id: 'us-reg-f',
  options: Type.Object(
    {
      contactHours: Type.Optional(PackHours),
      callsPerWindow: Type.Optional(Type.Integer({ minimum: 0 })),
      callWindowDays: Type.Optional(Type.Integer({ minimum: 1 })),
      pauseAfterConversationDays: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  defaults: { contactHours: { start: '08:00', end: '21:00' }, callsPerWindow: 7, callWindowDays: 7, pauseAfterConversationDays: 7 },
  check: (o, field) => checkPackHours(o.contactHours, `${field}.contactHours`),
  build(o) {
    return [
      {
        name: US_REG_F_RULES.cease,
        timeless: true,
        check: (p) => (p.ctx.customer.ceaseCommunication ? block('the debtor asked in writing to stop, or refused to pay (1692c(c))') : null),
      },
      {
        name: US_REG_F_RULES.optOut,
        timeless: true,
        check: (p, c) =>
          (c.channel === 'email' || c.channel === 'sms') && p.optedOut.has(c.channel)
            ? block(`the debtor opted out of ${c.channel} (1006.6(e))`)
            : null,
      },
      hoursRule(US_REG_F_RULES.hours, packWindow(o.contactHours), `${o.contactHours.start}–${o.contactHours.end} local time (1692c(a)(1))`),
      callFrequency(o),
      afterConversation(o),
    ];
  },
};
