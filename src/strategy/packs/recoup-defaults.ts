import Type from 'typebox';
import { DAY_MS } from '../zone-clock.js';
import { anyContact, block, capUntilSorted, delay, touches, type Candidate, type PackDefinition, type PreparedContact, type Rule } from '../rule-kit.js';

/** The voluntary limits good collectors add (COMPLIANCE.md, last section). Always on. */
export interface RecoupDefaultsOptions {
  perReceivablePerChannelPerDay: number;
  perPersonPerWeek: number;
}

export const RECOUP_RULES = {
  paid: 'recoup.balance-paid',
  dispute: 'recoup.dispute-open',
  promise: 'recoup.promise-to-pay',
  cease: 'recoup.cease-communication',
  optedOut: 'recoup.opted-out',
  consentWithdrawn: 'recoup.consent-withdrawn',
  noAddress: 'recoup.no-address',
  receivableDaily: 'recoup.receivable-channel-daily',
  personWeekly: 'recoup.person-weekly-cap',
  combined: 'recoup.combined-message',
} as const;

const sameChannelAndReceivable = (x: PreparedContact, c: Candidate): boolean => x.channel === c.channel && touches(x, c);

function receivableDaily(o: RecoupDefaultsOptions): Rule {
  return {
    name: RECOUP_RULES.receivableDaily,
    check(p, c, t) {
      const until = capUntilSorted(p.contactsByTime, sameChannelAndReceivable, c, DAY_MS, o.perReceivablePerChannelPerDay, t);
      return until === null ? null : delay(until, `already ${o.perReceivablePerChannelPerDay} ${c.channel} reminder(s) for this receivable in the last 24 hours`);
    },
  };
}

function personWeekly(o: RecoupDefaultsOptions): Rule {
  return {
    name: RECOUP_RULES.personWeekly,
    check(p, _c, t) {
      const until = capUntilSorted(p.contactsByTime, anyContact, null, 7 * DAY_MS, o.perPersonPerWeek, t);
      return until === null ? null : delay(until, `already ${o.perPersonPerWeek} contacts with this person, all channels, in the last 7 days`);
    },
  };
}

function stateRules(): Rule[] {
  return [
    {
      name: RECOUP_RULES.paid,
      timeless: true,
      check: (_p, c) => (c.receivables.every((r) => r.amountMinor <= 0n) ? block('the balance is paid') : null),
    },
    { name: RECOUP_RULES.dispute, timeless: true, check: (p) => (p.ctx.history.disputeOpen ? block('a dispute is open') : null) },
    {
      name: RECOUP_RULES.promise,
      check(p, _c, t) {
        const until = p.ctx.history.promiseToPayUntil?.getTime();
        return until !== undefined && t < until ? delay(until, `the debtor promised to pay by ${new Date(until).toISOString()}`) : null;
      },
    },
    { name: RECOUP_RULES.cease, timeless: true, check: (p) => (p.ctx.customer.ceaseCommunication ? block('the debtor asked us to stop contacting them') : null) },
    { name: RECOUP_RULES.optedOut, timeless: true, check: (p, c) => (p.optedOut.has(c.channel) ? block(`the debtor opted out of ${c.channel}`) : null) },
    {
      name: RECOUP_RULES.consentWithdrawn,
      timeless: true,
      check: (p, c) => (p.ctx.customer.consents[c.channel] === false ? block(`consent for ${c.channel} was withdrawn`) : null),
    },
    {
      name: RECOUP_RULES.noAddress,
      timeless: true,
      check: (p, c) => {
        const reachable = p.ctx.customer.reachable;
        return reachable && !reachable.includes(c.channel) ? block(`no ${c.channel} address on record`) : null;
      },
    },
  ];
}

export const recoupDefaults: PackDefinition<RecoupDefaultsOptions> = {
  id: 'recoup',
  options: Type.Object(
    {
      perReceivablePerChannelPerDay: Type.Optional(Type.Integer({ minimum: 0 })),
      perPersonPerWeek: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  defaults: { perReceivablePerChannelPerDay: 1, perPersonPerWeek: 10 },
  build: (o) => [...stateRules(), receivableDaily(o), personWeekly(o)],
};
