import type { CaseStage, Channel, ReceivableKind } from '../db/schema.js';

export type { CaseStage, Channel, ReceivableKind };

export const STAGES = ['pre_due', 'm1', 'm2', 'm3_plus', 'written_off'] as const satisfies readonly CaseStage[];
export const CHANNEL_IDS = ['sms', 'email', 'voice', 'push', 'wechat', 'app'] as const satisfies readonly Channel[];
export const PACK_IDS = ['us-reg-f', 'cn-collection', 'gdpr'] as const;
export type PackId = (typeof PACK_IDS)[number];

/** A past contact attempt that reached (or was handed to) a provider. Blocked and cancelled ones are not history. */
export interface ContactRecord {
  at: Date;
  channel: Channel;
  receivableIds: readonly string[];
}

/** A telephone conversation with the debtor about some debts. Reg F counts only those the collector placed. */
export interface Conversation {
  at: Date;
  receivableIds: readonly string[];
  initiatedBy: 'collector' | 'debtor';
}

export interface CustomerContext {
  id: string;
  /** IANA zone when known. */
  timezone?: string | undefined;
  /** When the zone is unknown: every zone the debtor's data allows (e.g. all zones of the phone's country). */
  candidateZones?: readonly string[] | undefined;
  locale: string;
  /** ISO 3166 country whose law governs the debt; packs scoped to jurisdictions use it. Unknown: every pack applies. */
  jurisdiction?: string | undefined;
  segment?: string | undefined;
  /** Recorded consent per channel: true granted, false withdrawn, absent never asked. */
  consents: Partial<Record<Channel, boolean>>;
  optedOut: ReadonlySet<Channel> | readonly Channel[];
  /** Channels the customer has an address for; absent means the caller did not say, so all are assumed. */
  reachable?: readonly Channel[] | undefined;
  ceaseCommunication?: boolean | undefined;
  /** GDPR Art. 18 restriction of processing. */
  processingRestricted?: boolean | undefined;
}

export interface ReceivableContext {
  id: string;
  kind: ReceivableKind;
  /** Outstanding balance in minor units; 0 or less means paid. */
  amountMinor: bigint;
  currency: string;
  /** First instant at which payment is late (see core/time parseInstant). */
  dueAt: Date;
  /** For an unpaid e-commerce order: when it is cancelled if still unpaid. */
  paymentTimeoutAt?: Date | undefined;
}

export interface EvaluationContext {
  /** From the caller's clock. Evaluation never reads the system clock. */
  now: Date;
  customer: CustomerContext;
  case?: { stage: CaseStage; daysPastDue: number } | undefined;
  receivables: readonly ReceivableContext[];
  history: {
    contacts: readonly ContactRecord[];
    conversations?: readonly Conversation[] | undefined;
    disputeOpen?: boolean | undefined;
    /** Contact resumes only once this instant has passed. */
    promiseToPayUntil?: Date | undefined;
  };
}

export type Outcome = 'allowed' | 'delayed' | 'blocked';

/** One rule's say on a candidate: it either blocks, or sets the earliest instant the contact may go. */
export interface RuleNote {
  rule: string;
  outcome: 'blocked' | 'delayed';
  reason: string;
  until?: Date;
}

/** The decision record for one candidate contact: what, whether, when, and which rule said so. */
export interface Decision {
  channel: Channel;
  receivableIds: string[];
  stage: CaseStage;
  /** 0 is the first channel in the stage's escalation order. */
  escalationRank: number;
  outcome: Outcome;
  /** Set unless blocked: now when allowed, later when delayed. */
  sendAt?: Date;
  templates: string[];
  /** The deciding rule: the blocking rule, the first rule that delayed the send time, or `policy.allowed`. */
  rule: string;
  reason: string;
  /** `id@version` of the policy that decided. */
  policy: string;
  /** Every rule that blocked or delayed this candidate, in the order they spoke. */
  notes: RuleNote[];
}
