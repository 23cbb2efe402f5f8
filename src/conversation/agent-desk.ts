import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import Type, { type Static } from 'typebox';
import { appendAudit } from '../compliance/audit-log.js';
import { type Result, conflict, fail, notFound, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Channel, HandoffState } from '../db/schema.js';
import { scheduleAttempts } from '../delivery/attempt-queue.js';
import { recordConversationEvents } from './conversation-events.js';

/**
 * What agents do with a conversation: take it over (from the queue or straight from the bot), reply
 * to the customer, and hand it back to the bot. Each is audited in the transaction that makes it.
 */
export const AgentReplyInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A retried request with the same key sends nothing twice' })),
  },
  { additionalProperties: false },
);
export type AgentReplyInput = Static<typeof AgentReplyInput>;

export interface DeskOutcome {
  customerId: string;
  state: HandoffState;
  agent: string | null;
}

export interface ReplyOutcome extends DeskOutcome {
  messageId: string | null;
  channel: Channel;
  /** False when the idempotency key was used before: nothing new was queued. */
  queued: boolean;
}

// The web chat page has no outbound channel of its own: the app carries an agent's answer there.
const DELIVERY_FOR: Record<string, Channel> = { web: 'app', voice: 'sms' };

async function lockConversation(trx: Db, customerId: string, now: Date) {
  const customer = await trx.selectFrom('customers').select(['id', 'locale']).where('id', '=', customerId).executeTakeFirst();
  if (!customer) return undefined;
  await sql`
    insert into conversations (customer_id, last_activity_at, created_at, updated_at)
    values (${customerId}, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
    on conflict (customer_id) do nothing`.execute(trx);
  const row = await trx.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).forUpdate().executeTakeFirstOrThrow();
  return { customer, row };
}

async function recordEvent(trx: Db, now: Date, customerId: string, kind: string, channel: Channel | null, payload: Record<string, unknown>): Promise<void> {
  await recordConversationEvents(trx, customerId, now, [{ kind, channel, payload }]);
}

/** Any conversation may be taken over, waiting in the queue or not; the bot is silent in it from now on. */
export async function takeOver(db: Db, now: Date, customerId: string, actor: string): Promise<Result<DeskOutcome>> {
  return db.transaction().execute(async (trx) => {
    const locked = await lockConversation(trx, customerId, now);
    if (!locked) return fail(notFound('customer', 'customerId', customerId));
    const from = locked.row.handoff_state;
    await trx
      .updateTable('conversations')
      .set({ handoff_state: 'agent', agent: actor, handoff_at: locked.row.handoff_at ?? now, handoff_reason: locked.row.handoff_reason ?? 'agent_takeover', updated_at: now })
      .where('customer_id', '=', customerId)
      .execute();
    await recordEvent(trx, now, customerId, 'conversation.taken_over', null, { agent: actor, from });
    await appendAudit(trx, now, { actor, action: 'conversation.taken_over', subject: customerId, details: { from } });
    return ok({ customerId, state: 'agent' as const, agent: actor });
  });
}

/**
 * The agent's words go to the customer on the channel they last wrote on, as an outbound attempt
 * through the normal delivery path (and its compliance gate), never straight to a gateway.
 */
export async function replyAsAgent(db: Db, now: Date, customerId: string, input: AgentReplyInput, actor: string): Promise<Result<ReplyOutcome>> {
  return db.transaction().execute(async (trx) => {
    const locked = await lockConversation(trx, customerId, now);
    if (!locked) return fail(notFound('customer', 'customerId', customerId));
    const { row } = locked;
    if (row.handoff_state !== 'agent') return fail(conflict('take the conversation over before replying (POST …/takeover)', [{ field: 'customerId', reason: `the conversation is ${row.handoff_state === 'bot' ? 'with the bot' : 'waiting in the queue'}` }]));
    if (row.agent !== actor) return fail(conflict(`the conversation is held by ${row.agent}; take it over first`, [{ field: 'customerId', reason: 'held by another agent' }]));
    const last = row.last_channel;
    if (!last) return fail(conflict('the customer has not written yet: there is no channel to answer on', [{ field: 'customerId', reason: 'no inbound message' }]));
    const channel = DELIVERY_FOR[last] ?? (last as Channel);
    const key = `agent-reply:${customerId}:${input.idempotencyKey ?? randomUUID()}`;
    const created = await scheduleAttempts(trx, now, [
      {
        idempotencyKey: key, customerId, receivableIds: [], channel, templateId: 'agent_reply',
        content: { text: input.text, subject: input.text.slice(0, 80), locale: locked.customer.locale, transactional: true, author: 'agent' },
        dueAt: now, decision: { rule: 'agent_reply', reason: `agent ${actor} answered the customer's conversation` },
      },
    ]);
    const attempt = await trx.selectFrom('contact_attempts').select('id').where('idempotency_key', '=', key).executeTakeFirst();
    const queued = created.has(key);
    if (queued) {
      await recordEvent(trx, now, customerId, 'agent.reply', channel, { text: input.text, agent: actor, messageId: attempt?.id, surface: last });
      await appendAudit(trx, now, { actor, action: 'conversation.agent_replied', subject: customerId, details: { messageId: attempt?.id, channel } });
    }
    return ok({ customerId, state: 'agent' as const, agent: actor, messageId: attempt?.id ?? null, channel, queued });
  });
}

/** The bot answers again, starting a fresh flow; the history stays. */
export async function handBack(db: Db, now: Date, customerId: string, actor: string): Promise<Result<DeskOutcome>> {
  return db.transaction().execute(async (trx) => {
    const locked = await lockConversation(trx, customerId, now);
    if (!locked) return fail(notFound('customer', 'customerId', customerId));
    if (locked.row.handoff_state === 'bot') return fail(conflict('the conversation is already with the bot', [{ field: 'customerId', reason: 'not handed off' }]));
    await trx
      .updateTable('conversations')
      .set({ handoff_state: 'bot', agent: null, handoff_at: null, handoff_reason: null, flow: null, slots: '{}', failed_understandings: 0, updated_at: now })
      .where('customer_id', '=', customerId)
      .execute();
    await recordEvent(trx, now, customerId, 'conversation.handed_back', null, { agent: actor });
    await appendAudit(trx, now, { actor, action: 'conversation.handed_back', subject: customerId, details: { from: locked.row.handoff_state } });
    return ok({ customerId, state: 'bot' as const, agent: null });
  });
}
