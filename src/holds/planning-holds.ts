import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { inKeyScope, type KeyScope } from '../db/key-scope.js';
import type { Conversation, ReceivableContext } from '../strategy/index.js';

interface ConversationRow {
  customer_id: string;
  receivable_id: string | null;
  occurred_at: Date;
  receivable_ids: unknown;
  initiated_by: string | null;
}

/** The holds on one page of customers, keyed by customer id. */
export interface PageHolds {
  /** Per customer, the receivable of each open dispute; null for a dispute about everything. */
  disputes: Map<string, Array<string | null>>;
  promiseUntil: Map<string, Date>;
  conversations: Map<string, ConversationRow[]>;
}

/**
 * One query per kind of hold for the whole page, each served by a partial index (0005-holds). The
 * `call.conversation` literal sits in the SQL text, not in a parameter, so that the planner can match
 * the partial index's predicate in a generic plan too. `customers` may take in customers not on the
 * page (key-scope.ts): the maps then hold them too, and callers look up only the page's.
 */
export async function loadHolds(db: Db, now: Date, customers: KeyScope, historyDays: number): Promise<PageHolds> {
  const inPage = (column: string) => inKeyScope(column, customers);
  const since = new Date(now.getTime() - historyDays * 86_400_000);
  const [disputes, promises, conversations] = await Promise.all([
    sql<{ customer_id: string; receivable_id: string | null }>`
      select customer_id, receivable_id from disputes where ${inPage('customer_id')} and status = 'open'`.execute(db),
    // A debtor who told the assistant they already paid is held like a promise while it is reconciled.
    sql<{ customer_id: string; until: Date }>`
      select customer_id, max(until) as until from (
        select customer_id, promised_for as until from promises_to_pay where ${inPage('customer_id')} and status = 'open'
        union all
        select customer_id, reminders_paused_until from conversations where ${inPage('customer_id')} and reminders_paused_until > ${now}::timestamptz
      ) held group by customer_id`.execute(db),
    sql<ConversationRow>`
      select customer_id, receivable_id, occurred_at, payload->'receivableIds' as receivable_ids, payload->>'initiatedBy' as initiated_by
      from interaction_events
      where ${inPage('customer_id')} and kind = 'call.conversation' and occurred_at > ${since}::timestamptz`.execute(db),
  ]);
  const holds: PageHolds = { disputes: new Map(), promiseUntil: new Map(), conversations: new Map() };
  for (const d of disputes.rows) holds.disputes.set(d.customer_id, [...(holds.disputes.get(d.customer_id) ?? []), d.receivable_id]);
  for (const p of promises.rows) holds.promiseUntil.set(p.customer_id, p.until);
  for (const c of conversations.rows) holds.conversations.set(c.customer_id, [...(holds.conversations.get(c.customer_id) ?? []), c]);
  return holds;
}

type Owed = ReceivableContext & { externalId: string };

/**
 * Which debts a conversation was about. Events from /v1/events:batch name debts by whatever the
 * integrator knows, so ids and external ids are both accepted. Naming none means all of them: Reg F's
 * pause is per debt, and when the record does not say which, pausing all is the reading that cannot
 * break the rule. The same caution makes a missing initiatedBy count as the collector's call.
 */
function conversationOf(row: ConversationRow, owed: readonly Owed[]): Conversation {
  const named = Array.isArray(row.receivable_ids) ? row.receivable_ids.filter((v): v is string => typeof v === 'string') : [];
  const refs = named.length > 0 ? named : row.receivable_id ? [row.receivable_id] : null;
  const receivableIds = refs === null ? owed.map((r) => r.id) : owed.filter((r) => refs.includes(r.id) || refs.includes(r.externalId)).map((r) => r.id);
  return { at: row.occurred_at, receivableIds, initiatedBy: row.initiated_by === 'debtor' ? 'debtor' : 'collector' };
}

export interface HeldContext {
  receivables: readonly ReceivableContext[];
  conversations: Conversation[] | undefined;
  disputeOpen: boolean;
  promiseToPayUntil: Date | undefined;
}

/**
 * A dispute about everything, or about every debt still owed, holds the whole case: the receivables
 * stay so that the decision record names the dispute rule. A dispute about some debts only takes those
 * out of the context, and the others are collected as usual.
 */
export function applyHolds(holds: PageHolds, customerId: string, owed: readonly Owed[]): HeldContext {
  const disputed = holds.disputes.get(customerId);
  const whole = disputed !== undefined && (disputed.includes(null) || (owed.length > 0 && owed.every((r) => disputed.includes(r.id))));
  // Perf: most debtors have no dispute, and their list is passed on as it is (this runs per case).
  const kept = disputed === undefined || whole ? owed : owed.filter((r) => !disputed.includes(r.id));
  const conversations = holds.conversations.get(customerId)?.map((row) => conversationOf(row, owed));
  return {
    // The extra externalId rides along unread: copying every receivable to drop it cost more than it saved.
    receivables: kept,
    conversations,
    disputeOpen: whole,
    promiseToPayUntil: holds.promiseUntil.get(customerId),
  };
}
