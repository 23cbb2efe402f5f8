import Type from 'typebox';
import { block, hoursRule, type PackDefinition } from '../rule-kit.js';
import type { Channel } from '../types.js';
import { checkPackHours, packWindow, PackHours, type PackHoursOptions } from './pack-hours.js';

/**
 * Chinese consumer-finance collection practice. The hours are the commonly cited NIFA window, kept
 * configurable because the text was not verified. Third-party contact and wording are enforced by the
 * compliance gate on content, not here: strategy only ever addresses the debtor.
 */
export interface CnCollectionOptions {
  contactHours: PackHoursOptions;
  consentRequired: Channel[];
}

export const CN_COLLECTION_RULES = {
  hours: 'cn-collection.contact-hours',
  consent: 'cn-collection.recorded-consent',
  unsubscribe: 'cn-collection.unsubscribe',
} as const;

export const cnCollection: PackDefinition<CnCollectionOptions> = {
  id: 'cn-collection',
  options: Type.Object(
    {
      contactHours: Type.Optional(PackHours),
      consentRequired: Type.Optional(Type.Array(Type.Enum(['sms', 'email', 'voice', 'push', 'wechat', 'app']))),
    },
    { additionalProperties: false },
  ),
  defaults: { contactHours: { start: '08:00', end: '21:00' }, consentRequired: ['sms'] },
  check: (o, field) => checkPackHours(o.contactHours, `${field}.contactHours`),
  build(o) {
    const needsConsent = new Set(o.consentRequired);
    return [
      {
        name: CN_COLLECTION_RULES.unsubscribe,
        timeless: true,
        check: (p, c) => (p.optedOut.has(c.channel) ? block(`the debtor unsubscribed from ${c.channel} (退订)`) : null),
      },
      {
        name: CN_COLLECTION_RULES.consent,
        timeless: true,
        check: (p, c) =>
          needsConsent.has(c.channel) && p.ctx.customer.consents[c.channel] !== true
            ? block(`${c.channel} needs the customer's recorded consent, and there is none`)
            : null,
      },
      hoursRule(CN_COLLECTION_RULES.hours, packWindow(o.contactHours), `${o.contactHours.start}–${o.contactHours.end} local time`),
    ];
  },
};
