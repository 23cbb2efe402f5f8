import { currencyDigits } from '../../core/money.js';
import { daysPastDue } from '../../receivables/stages.js';
import { zoneClock } from '../../strategy/zone-clock.js';
import type { FeatureRecord, FeatureSet } from './feature-table.js';

/**
 * What was known about one contact at the instant it was sent: the facts the response model learns
 * from. Every count looks only backwards from `sentAt`, so training sees what serving will see.
 */
export interface ContactFacts {
  sentAt: Date;
  channel: string;
  templateId: string | null;
  /** The case stage the planner recorded with its decision; null when it did not record one. */
  stage: string | null;
  locale: string | null;
  timezone: string | null;
  /** The earliest due date among the receivables the contact was about. */
  firstDueAt: Date | null;
  receivableKinds: readonly string[];
  receivableCount: number;
  /** Owed on those receivables at `sentAt` (amount less payments made before it), in minor units. */
  outstandingMinor: bigint | null;
  /** Null when the receivables mix currencies: the amount then has no single scale. */
  currency: string | null;
  contactsLast7Days: number;
  priorContacts: number;
  /** Earlier contacts that a payment followed within the label window, counting only payments before `sentAt`. */
  priorResponses: number;
  priorInbound: number;
  priorPayments: number;
}

export const RESPONSE_FEATURES: FeatureSet = {
  id: 'response.v1',
  columns: [
    { name: 'channel', kind: 'categorical' },
    { name: 'template', kind: 'categorical' },
    { name: 'stage', kind: 'categorical' },
    { name: 'days_past_due', kind: 'numeric' },
    { name: 'amount_bucket', kind: 'categorical' },
    { name: 'receivable_kind', kind: 'categorical' },
    { name: 'receivable_count', kind: 'numeric' },
    { name: 'local_hour', kind: 'numeric' },
    { name: 'weekday', kind: 'categorical' },
    { name: 'contacts_7d', kind: 'numeric' },
    { name: 'prior_contacts', kind: 'numeric' },
    { name: 'prior_responses', kind: 'numeric' },
    { name: 'prior_inbound', kind: 'numeric' },
    { name: 'prior_payments', kind: 'numeric' },
    { name: 'locale', kind: 'categorical' },
  ],
};

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
// Major units; a bucket and not the amount itself, so that a model does not learn one debtor's exact sum.
const AMOUNT_BUCKETS: readonly [bigint, string][] = [
  [50n, 'lt_50'],
  [200n, '50_200'],
  [1000n, '200_1k'],
  [5000n, '1k_5k'],
];

/** Exact bucket of a minor-unit amount (bigint all the way: no float ever sees money). */
export function amountBucket(minor: bigint | null, currency: string | null): string | null {
  if (minor === null || currency === null) return null;
  const digits = currencyDigits(currency);
  if (digits === undefined) return null;
  if (minor <= 0n) return 'none';
  const scale = 10n ** BigInt(digits);
  for (const [limit, name] of AMOUNT_BUCKETS) if (minor < limit * scale) return name;
  return 'ge_5k';
}

/** Hour (0-23) and weekday where the debtor lives; missing when the zone is unknown. */
export function localHourAndWeekday(at: Date, zone: string | null): { hour: number | null; weekday: string | null } {
  const clock = zone ? zoneClock(zone) : null;
  if (!clock) return { hour: null, weekday: null };
  const wall = new Date(clock.toWall(at.getTime()));
  return { hour: wall.getUTCHours(), weekday: WEEKDAYS[wall.getUTCDay()]! };
}

/** The feature row of one contact: shared by training (from history) and scoring (from a plan). */
export function responseFeatures(facts: ContactFacts): FeatureRecord {
  const local = localHourAndWeekday(facts.sentAt, facts.timezone);
  const kinds = [...new Set(facts.receivableKinds)];
  return {
    channel: facts.channel,
    template: facts.templateId,
    stage: facts.stage,
    days_past_due: facts.firstDueAt ? daysPastDue(facts.firstDueAt, facts.sentAt) : null,
    amount_bucket: amountBucket(facts.outstandingMinor, facts.currency),
    receivable_kind: kinds.length === 0 ? null : kinds.length === 1 ? kinds[0]! : 'mixed',
    receivable_count: facts.receivableCount,
    local_hour: local.hour,
    weekday: local.weekday,
    contacts_7d: facts.contactsLast7Days,
    prior_contacts: facts.priorContacts,
    prior_responses: facts.priorResponses,
    prior_inbound: facts.priorInbound,
    prior_payments: facts.priorPayments,
    locale: facts.locale,
  };
}
