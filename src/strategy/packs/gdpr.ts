import Type from 'typebox';
import { block, type PackDefinition } from '../rule-kit.js';
import type { Channel } from '../types.js';

/**
 * GDPR and PIPL at the strategy level: electronic messages only with recorded consent (ePrivacy),
 * and no processing at all while the person has it restricted (Art. 18). Access, erasure and audit
 * live in compliance/, not here.
 */
export interface GdprOptions {
  consentRequired: Channel[];
}

export const GDPR_RULES = {
  consent: 'gdpr.recorded-consent',
  restricted: 'gdpr.processing-restricted',
} as const;

export const gdpr: PackDefinition<GdprOptions> = {
  id: 'gdpr',
  options: Type.Object(
    { consentRequired: Type.Optional(Type.Array(Type.Enum(['sms', 'email', 'voice', 'push', 'wechat', 'app']))) },
    { additionalProperties: false },
  ),
  defaults: { consentRequired: ['sms', 'email', 'push'] },
  build(o) {
    const needsConsent = new Set(o.consentRequired);
    return [
      {
        name: GDPR_RULES.restricted,
        timeless: true,
        check: (p) => (p.ctx.customer.processingRestricted ? block('the person restricted processing of their data (GDPR Art. 18)') : null),
      },
      {
        name: GDPR_RULES.consent,
        timeless: true,
        check: (p, c) =>
          needsConsent.has(c.channel) && p.ctx.customer.consents[c.channel] !== true
            ? block(`${c.channel} needs recorded consent under this policy's GDPR pack, and there is none`)
            : null,
      },
    ];
  },
};
