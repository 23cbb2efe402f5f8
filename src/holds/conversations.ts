import { appendAudit } from '../compliance/audit-log.js';
import { type Result, conflict, fail, invalid, ok } from '../core/errors.js';
import { parseInstant } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import { cancelScheduledContact } from './cancel-contact.js';
import { findCustomer, findReceivablesOf } from './lookups.js';
import { ConversationInput } from './schemas.js';

/** The interaction-event kind the planner reads as a telephone conversation (also accepted from /v1/events:batch). */
export const CONVERSATION_KIND = 'call.conversation';

// Phone systems and servers disagree about the time by a little; by more than this is a mistake.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface ConversationOutcome {
  id: string;
  created: boolean;
  cancelledAttempts: number;
}

async function prepare(trx: Db, now: Date, input: ConversationInput): Promise<Result<{ customerId: string; receivableIds: string[]; occurredAt: Date }>> {
  const customer = await findCustomer(trx, input.customerExternalId);
  if (!customer.ok) return customer;
  let receivableIds: string[] = [];
  if (input.receivableExternalIds) {
    const found = await findReceivablesOf(trx, customer.value.id, input.receivableExternalIds, (i) => `receivableExternalIds[${i}]`);
    if (!found.ok) return found;
    receivableIds = found.value.map((r) => r.id);
  }
  const parsed = input.occurredAt === undefined ? { ok: true as const, instant: now } : parseInstant(input.occurredAt, 'occurredAt');
  if (!parsed.ok) return fail(invalid([parsed.error]));
  if (parsed.instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return fail(invalid([{ field: 'occurredAt', reason: `is in the future (now is ${now.toISOString()})` }]));
  return ok({ customerId: customer.value.id, receivableIds, occurredAt: parsed.instant });
}

/**
 * Records a telephone conversation as an interaction event. One the collector placed starts Regulation
 * F's pause on calls about those debts, so calls already waiting for them are cancelled now; the
 * planner reschedules them after the pause. No named debt means all of them: the cautious reading.
 */
export async function recordConversation(db: Db, now: Date, input: ConversationInput, actor: string): Promise<Result<ConversationOutcome>> {
  const shape = schemaErrors(ConversationInput, input);
  if (shape.length > 0) return fail(invalid(shape));
  return db.transaction().execute(async (trx) => {
    const prepared = await prepare(trx, now, input);
    if (!prepared.ok) return prepared;
    const { customerId, receivableIds, occurredAt } = prepared.value;
    const row = await trx
      .insertInto('interaction_events')
      .values({
        external_id: input.externalId ?? null, customer_id: customerId, receivable_id: receivableIds.length === 1 ? receivableIds[0]! : null,
        kind: CONVERSATION_KIND, channel: 'voice', occurred_at: occurredAt, created_at: now,
        payload: JSON.stringify({ initiatedBy: input.initiatedBy, ...(receivableIds.length > 0 ? { receivableIds } : {}) }),
      })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (!row) {
      const earlier = await trx.selectFrom('interaction_events').select(['id', 'customer_id', 'kind']).where('external_id', '=', input.externalId!).executeTakeFirstOrThrow();
      if (earlier.customer_id !== customerId || earlier.kind !== CONVERSATION_KIND) {
        return fail(conflict(`event ${input.externalId} was already recorded as something else`, [{ field: 'externalId', reason: 'already used for a different event' }]));
      }
      return ok({ id: earlier.id, created: false, cancelledAttempts: 0 });
    }
    const cancelledAttempts =
      input.initiatedBy === 'collector'
        ? await cancelScheduledContact(trx, now, { customerId, channel: 'voice', receivableIds: receivableIds.length > 0 ? receivableIds : undefined }, 'telephone conversation held')
        : 0;
    await appendAudit(trx, now, { actor, action: 'conversation.recorded', subject: customerId, details: { eventId: row.id, initiatedBy: input.initiatedBy, cancelledAttempts } });
    return ok({ id: row.id, created: true, cancelledAttempts });
  });
}
