import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';

/**
 * Writes a conversation's events (messages both ways, handoffs, agent actions) to the customer's
 * timeline, each numbered in the conversation: time alone cannot order them, since many share one
 * instant (a message and its answer; everything between two advances of the virtual clock).
 */
export interface ConversationEvent {
  kind: string;
  channel: Channel | null;
  payload: Record<string, unknown>;
}

export async function recordConversationEvents(db: Db, customerId: string, now: Date, events: readonly ConversationEvent[]): Promise<void> {
  if (events.length === 0) return;
  const counted = await sql<{ last: string }>`
    insert into conversations (customer_id, last_activity_at, created_at, updated_at, event_seq)
    values (${customerId}, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz, ${events.length})
    on conflict (customer_id) do update set event_seq = conversations.event_seq + ${events.length}
    returning event_seq::text as last`.execute(db);
  const first = BigInt(counted.rows[0]!.last) - BigInt(events.length) + 1n;
  await db
    .insertInto('interaction_events')
    .values(events.map((e, i) => ({
      customer_id: customerId, kind: e.kind, channel: e.channel, occurred_at: now, created_at: now,
      payload: JSON.stringify({ ...e.payload, seq: Number(first + BigInt(i)) }),
    })))
    .execute();
}
