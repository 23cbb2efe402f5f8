import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { HandoffState } from '../db/schema.js';

/**
 * One conversation per customer, whatever the channel: a question asked on SMS is continued on the
 * app with its flow and pending slots intact. After `idleMinutes` without a message the next one
 * starts afresh (flow, slots and the count of misunderstandings), while the history stays on the
 * customer's timeline and a handoff stays with its agent.
 */
export interface Session {
  customerId: string;
  flow: string | null;
  slots: Record<string, unknown>;
  lastIntents: string[];
  failedUnderstandings: number;
  handoffState: HandoffState;
  handoffReason: string | null;
  handoffAt: Date | null;
  agent: string | null;
  lastChannel: string | null;
  lastActivityAt: Date;
  remindersPausedUntil: Date | null;
  /** True when this message starts a new flow because the last one went idle. */
  expired: boolean;
}

const KEPT_INTENTS = 5;

/** Loads the customer's conversation, creating it on their first message. */
export async function loadSession(trx: Db, customerId: string, now: Date, idleMinutes: number): Promise<Session> {
  await sql`
    insert into conversations (customer_id, last_activity_at, created_at, updated_at)
    values (${customerId}, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
    on conflict (customer_id) do nothing`.execute(trx);
  const row = await trx.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).executeTakeFirstOrThrow();
  const expired = now.getTime() - row.last_activity_at.getTime() > idleMinutes * 60_000;
  return {
    customerId,
    flow: expired ? null : row.flow,
    slots: expired ? {} : row.slots,
    lastIntents: row.last_intents,
    failedUnderstandings: expired ? 0 : row.failed_understandings,
    handoffState: row.handoff_state,
    handoffReason: row.handoff_reason,
    handoffAt: row.handoff_at,
    agent: row.agent,
    lastChannel: row.last_channel,
    lastActivityAt: row.last_activity_at,
    remindersPausedUntil: row.reminders_paused_until,
    expired,
  };
}

export function rememberIntent(session: Session, intent: string): void {
  session.lastIntents = [...session.lastIntents, intent].slice(-KEPT_INTENTS);
}

export async function saveSession(trx: Db, session: Session, now: Date, channel: string): Promise<void> {
  await trx
    .updateTable('conversations')
    .set({
      flow: session.flow,
      slots: JSON.stringify(session.slots),
      last_intents: JSON.stringify(session.lastIntents),
      failed_understandings: session.failedUnderstandings,
      handoff_state: session.handoffState,
      handoff_reason: session.handoffReason,
      handoff_at: session.handoffAt,
      agent: session.agent,
      last_channel: channel,
      last_activity_at: now,
      reminders_paused_until: session.remindersPausedUntil,
      updated_at: now,
    })
    .where('customer_id', '=', session.customerId)
    .execute();
}
