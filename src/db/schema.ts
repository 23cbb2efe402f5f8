import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Money columns are bigint minor units; int8 is parsed to bigint by both drivers. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string, string>;

export type Channel = 'sms' | 'email' | 'voice' | 'push' | 'wechat' | 'app';
export type IdentityKind = 'phone' | 'email' | 'wechat_open_id' | 'app_user_id' | 'id_number';
export type ReceivableKind = 'order' | 'bill' | 'instalment';
export type ReceivableStatus = 'open' | 'paid' | 'cancelled' | 'written_off';
export type CaseStage = 'pre_due' | 'm1' | 'm2' | 'm3_plus' | 'written_off';
export type Role = 'admin' | 'operator' | 'agent' | 'analyst' | 'auditor';

export interface CustomersTable {
  id: Generated<string>;
  external_id: string;
  name: string | null;
  locale: string;
  timezone: string;
  consents: Json<Partial<Record<Channel, boolean>>>;
  attributes: Json<Record<string, unknown>>;
  /** The debtor asked in writing to stop, or refused to pay (FDCPA 1692c(c)): no collection contact. */
  cease_communication: Generated<boolean>;
  /** Set when retention purged the person's data (src/compliance/retention.ts); cleared by any later change. */
  personal_data_purged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CustomerIdentitiesTable {
  customer_id: string;
  kind: IdentityKind;
  /** Keyed hash of the normalised value: lets an inbound phone number find its customer without decrypting. */
  lookup_hash: string;
  ciphertext: string;
  masked: string;
  updated_at: Timestamp;
}

export interface ConsentLedgerTable {
  id: Generated<string>;
  customer_id: string;
  /** 'all' records a request to cease communication, which withdraws every channel at once. */
  channel: Channel | 'all';
  granted: boolean;
  source: string;
  recorded_at: Timestamp;
}

export interface ReceivablesTable {
  id: Generated<string>;
  external_id: string;
  customer_id: string;
  kind: ReceivableKind;
  currency: string;
  amount_minor: bigint;
  paid_minor: Generated<bigint>;
  /** The first instant at which the receivable is late. */
  due_at: Timestamp;
  status: ReceivableStatus;
  created_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface PaymentsTable {
  id: Generated<string>;
  external_id: string;
  receivable_id: string;
  amount_minor: bigint;
  currency: string;
  paid_at: Timestamp;
  created_at: CreatedAt;
}

export interface CasesTable {
  id: Generated<string>;
  customer_id: string;
  stage: CaseStage;
  status: 'open' | 'closed';
  max_days_past_due: number;
  opened_at: Timestamp;
  stage_changed_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface CaseTransitionsTable {
  id: Generated<string>;
  case_id: string;
  from_stage: CaseStage | null;
  to_stage: CaseStage | null;
  at: Timestamp;
}

export interface InteractionEventsTable {
  id: Generated<string>;
  external_id: string | null;
  customer_id: string;
  receivable_id: string | null;
  kind: string;
  channel: Channel | null;
  occurred_at: Timestamp;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  seq: Generated<bigint>;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  role: Role;
  key_hash: string;
  key_hint: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export type AttemptStatus = 'scheduled' | 'sending' | 'sent' | 'delivered' | 'read' | 'clicked' | 'replied' | 'failed' | 'cancelled' | 'blocked';

export interface ContactAttemptsTable {
  id: Generated<string>;
  idempotency_key: string;
  customer_id: string;
  receivable_ids: ColumnType<string[], string[] | undefined, string[]>;
  channel: Channel;
  provider: string | null;
  template_id: string | null;
  content: Json<Record<string, unknown>>;
  status: AttemptStatus;
  due_at: Timestamp;
  attempt_count: Generated<number>;
  max_attempts: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  provider_message_id: string | null;
  last_error: string | null;
  decision: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

/** A learning decision's reasons, stored once per distinct list (src/delivery/decision-reasons.ts). */
export interface DecisionReasonsTable {
  id: string;
  reasons: Json<string[]>;
}

export interface PolicyVersionsTable {
  id: Generated<string>;
  policy_id: string;
  version: number;
  /** The YAML or JSON text as submitted: what a decision's `policy_id@version` was compiled from. */
  source: string;
  format: 'yaml' | 'json';
  sha256: string;
  created_at: CreatedAt;
  created_by: string;
  activated_at: Timestamp | null;
  /** Orders activations; the highest is the version in force. */
  activation_seq: bigint | null;
}

export type DisputeStatus = 'open' | 'resolved';

export interface DisputesTable {
  id: Generated<string>;
  external_id: string | null;
  customer_id: string;
  /** Null: the debtor disputes everything they are said to owe. */
  receivable_id: string | null;
  status: DisputeStatus;
  reason: string;
  resolution: string | null;
  opened_at: Timestamp;
  resolved_at: Timestamp | null;
}

export type PromiseStatus = 'open' | 'kept' | 'broken' | 'cancelled';
export type PromiseSource = 'api' | 'assistant' | 'agent';

export interface PromisesToPayTable {
  id: Generated<string>;
  external_id: string | null;
  customer_id: string;
  receivable_ids: ColumnType<string[], string[], string[]>;
  amount_minor: bigint;
  currency: string;
  /** The instant by which the debtor promised to pay; no reminder goes before it. */
  promised_for: Timestamp;
  status: PromiseStatus;
  source: PromiseSource;
  created_at: CreatedAt;
  /** When the promise was found kept or broken. */
  resolved_at: Timestamp | null;
}

export type ModelKind = 'response' | 'risk';
export type ModelRole = 'champion' | 'challenger' | 'retired';

export interface ModelVersionsTable {
  id: Generated<string>;
  kind: ModelKind;
  version: number;
  created_at: CreatedAt;
  /** The first and last instants of the outcomes trained on (send times, due dates). */
  trained_from: Timestamp | null;
  trained_to: Timestamp | null;
  rows: number;
  metrics: Json<Record<string, unknown>>;
  /** The fitted model as plain JSON (see decisioning/models/model-json.ts); checked again on every load. */
  model: Json<Record<string, unknown>>;
  role: ModelRole;
  promoted_at: Timestamp | null;
}

export type HandoffState = 'bot' | 'queued' | 'agent';

export interface ConversationsTable {
  customer_id: string;
  flow: string | null;
  slots: Json<Record<string, unknown>>;
  last_intents: Json<string[]>;
  failed_understandings: number;
  handoff_state: HandoffState;
  handoff_reason: string | null;
  handoff_at: Timestamp | null;
  agent: string | null;
  last_channel: string | null;
  last_activity_at: Timestamp;
  flow_started_at: Timestamp | null;
  reminders_paused_until: Timestamp | null;
  reconciliation_flagged_at: Timestamp | null;
  event_seq: Generated<bigint>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SenderVerificationsTable {
  sender_key: string;
  customer_id: string | null;
  verified_until: Timestamp | null;
  failed_attempts: number;
  locked_until: Timestamp | null;
  updated_at: Timestamp;
}

export interface Database {
  contact_attempts: ContactAttemptsTable;
  decision_reasons: DecisionReasonsTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  consent_ledger: ConsentLedgerTable;
  receivables: ReceivablesTable;
  payments: PaymentsTable;
  cases: CasesTable;
  case_transitions: CaseTransitionsTable;
  interaction_events: InteractionEventsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  disputes: DisputesTable;
  promises_to_pay: PromisesToPayTable;
  policy_versions: PolicyVersionsTable;
  conversations: ConversationsTable;
  sender_verifications: SenderVerificationsTable;
  model_versions: ModelVersionsTable;
}
