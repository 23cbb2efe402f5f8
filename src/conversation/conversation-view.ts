import { sql } from 'kysely';
import { redactContactDetails } from '../compliance/masking.js';
import type { Db } from '../db/database.js';
import type { HandoffState } from '../db/schema.js';
import { loadOwed, money, totalsByCurrency } from './account.js';

/**
 * What an agent sees of a conversation: a summary of where it stands and the history across every
 * channel. Agents are not the data's owner, so PII is masked: identities as stored masked, the name
 * to its first character, and phone numbers, emails and long digit runs (ID, card numbers) inside
 * the words the debtor typed.
 */
export interface HistoryEntry {
  at: string;
  kind: string;
  /** customer, assistant, agent or system. */
  author: string;
  channel: string | null;
  text: string | null;
  detail: Record<string, unknown>;
}

export interface ConversationSummary {
  customerId: string;
  customerExternalId: string;
  name: string | null;
  identities: Array<{ kind: string; masked: string }>;
  state: HandoffState;
  handoffReason: string | null;
  handoffAt: string | null;
  agent: string | null;
  lastChannel: string | null;
  lastActivityAt: string | null;
  channelsUsed: string[];
  lastIntents: string[];
  flow: string | null;
  pending: string | null;
  owed: string[];
  remindersPausedUntil: string | null;
  /** One paragraph for the agent who picks the conversation up. */
  summary: string;
}

const HISTORY_KINDS = ['message.inbound', 'assistant.reply', 'agent.reply', 'handoff.requested', 'conversation.taken_over', 'conversation.handed_back', 'payment.claimed'];
const AUTHOR: Record<string, string> = { 'message.inbound': 'customer', 'assistant.reply': 'assistant', 'agent.reply': 'agent' };
const HISTORY_LIMIT = 100;

export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name.trim()];
  return chars.length === 0 ? null : `${chars[0]}${'*'.repeat(Math.min(Math.max(chars.length - 1, 2), 6))}`;
}

/** Phones, emails, and any run of 7 or more digits (with a trailing X, as Chinese ID numbers end) show only their last four. */
export function maskFreeText(text: string): string {
  return redactContactDetails(text).replace(/\d{7,}[Xx]?/g, (run) => `****${run.slice(-4)}`);
}

export async function loadHistory(db: Db, customerId: string, limit = HISTORY_LIMIT): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('interaction_events')
    .select(['occurred_at', 'kind', 'channel', 'payload', 'created_at'])
    .where('customer_id', '=', customerId)
    .where('kind', 'in', HISTORY_KINDS)
    .orderBy('occurred_at', 'desc')
    .orderBy(sql`(payload->>'seq')::bigint`, (ob) => ob.desc().nullsLast())
    .limit(limit)
    .execute();
  return rows.reverse().map((row) => {
    const { text, seq: _seq, ...rest } = row.payload as { text?: unknown; seq?: unknown; surface?: unknown; reference?: unknown };
    const surface = typeof rest.surface === 'string' ? rest.surface : null;
    return {
      at: row.occurred_at.toISOString(), kind: row.kind, author: AUTHOR[row.kind] ?? 'system', channel: surface ?? row.channel,
      text: typeof text === 'string' ? maskFreeText(text) : null, detail: rest.reference ? { ...rest, reference: maskFreeText(String(rest.reference)) } : rest,
    };
  });
}

function describe(s: Omit<ConversationSummary, 'summary'>): string {
  const parts = [
    s.state === 'bot' ? 'The assistant is answering.' : `${s.state === 'queued' ? 'Waiting for an agent' : `With agent ${s.agent}`} since ${s.handoffAt} (reason: ${s.handoffReason ?? 'agent takeover'}).`,
    s.channelsUsed.length > 0 ? `Channels used: ${s.channelsUsed.join(', ')}; last: ${s.lastChannel}.` : 'No messages yet.',
    s.lastIntents.length > 0 ? `Recent intents: ${s.lastIntents.join(', ')}.` : '',
    s.pending ? `Waiting for the customer's ${s.pending.replace(/_/g, ' ')}.` : '',
    s.owed.length > 0 ? `Owes ${s.owed.join(' + ')}.` : 'Owes nothing.',
    s.remindersPausedUntil ? `Reminders paused until ${s.remindersPausedUntil} (says already paid; reconcile).` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export async function loadSummary(db: Db, customerId: string, history?: readonly HistoryEntry[]): Promise<ConversationSummary | undefined> {
  const customer = await db.selectFrom('customers').select(['id', 'external_id', 'name']).where('id', '=', customerId).executeTakeFirst();
  if (!customer) return undefined;
  const [conversation, identities, owed, channels] = await Promise.all([
    db.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).executeTakeFirst(),
    db.selectFrom('customer_identities').select(['kind', 'masked']).where('customer_id', '=', customerId).orderBy('kind').execute(),
    loadOwed(db, customerId),
    history
      ? Promise.resolve([...new Set(history.filter((h) => h.author === 'customer').map((h) => h.channel ?? 'web'))])
      : sql<{ surface: string }>`
          select distinct coalesce(payload->>'surface', channel) as surface from interaction_events
          where customer_id = ${customerId} and kind = 'message.inbound'`.execute(db).then((r) => r.rows.map((x) => x.surface)),
  ]);
  const base = {
    customerId, customerExternalId: customer.external_id, name: maskName(customer.name), identities,
    state: conversation?.handoff_state ?? ('bot' as const), handoffReason: conversation?.handoff_reason ?? null,
    handoffAt: conversation?.handoff_at?.toISOString() ?? null, agent: conversation?.agent ?? null,
    lastChannel: conversation?.last_channel ?? null, lastActivityAt: conversation?.last_activity_at.toISOString() ?? null,
    channelsUsed: channels, lastIntents: conversation?.last_intents ?? [], flow: conversation?.flow ?? null,
    pending: typeof conversation?.slots.pending === 'string' ? conversation.slots.pending : null,
    owed: totalsByCurrency(owed).map((t) => money(t.minor, t.currency)),
    remindersPausedUntil: conversation?.reminders_paused_until?.toISOString() ?? null,
  };
  return { ...base, summary: describe(base) };
}

export async function loadQueue(db: Db): Promise<ConversationSummary[]> {
  const waiting = await db.selectFrom('conversations').select('customer_id').where('handoff_state', '<>', 'bot').orderBy('handoff_at').limit(200).execute();
  const summaries = await Promise.all(waiting.map((w) => loadSummary(db, w.customer_id)));
  return summaries.filter((s): s is ConversationSummary => s !== undefined);
}
