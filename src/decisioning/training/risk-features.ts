import type { FeatureRecord, FeatureSet } from './feature-table.js';
import { amountBucket } from './response-features.js';

/**
 * What was known about a receivable at the instant it fell due unpaid: the facts the risk model
 * learns "will this roll into M2?" from. Counts look only backwards from `dueAt`.
 */
export interface OverdueFacts {
  kind: string;
  currency: string;
  /** Still owed at the due instant, by the payments recorded by then, in minor units. */
  outstandingMinor: bigint;
  partlyPaid: boolean;
  locale: string | null;
  priorReceivables: number;
  priorPaidOnTime: number;
  priorPaidLate: number;
  preDueContacts: number;
  priorInbound: number;
}

export const RISK_FEATURES: FeatureSet = {
  id: 'risk.v1',
  columns: [
    { name: 'receivable_kind', kind: 'categorical' },
    { name: 'amount_bucket', kind: 'categorical' },
    { name: 'partly_paid', kind: 'numeric' },
    { name: 'locale', kind: 'categorical' },
    { name: 'prior_receivables', kind: 'numeric' },
    { name: 'prior_paid_on_time', kind: 'numeric' },
    { name: 'prior_paid_late', kind: 'numeric' },
    { name: 'pre_due_contacts', kind: 'numeric' },
    { name: 'prior_inbound', kind: 'numeric' },
  ],
};

/** The feature row of one receivable at its due date: shared by training and scoring. */
export function riskFeatures(facts: OverdueFacts): FeatureRecord {
  return {
    receivable_kind: facts.kind,
    amount_bucket: amountBucket(facts.outstandingMinor, facts.currency),
    partly_paid: facts.partlyPaid ? 1 : 0,
    locale: facts.locale,
    prior_receivables: facts.priorReceivables,
    prior_paid_on_time: facts.priorPaidOnTime,
    prior_paid_late: facts.priorPaidLate,
    pre_due_contacts: facts.preDueContacts,
    prior_inbound: facts.priorInbound,
  };
}
