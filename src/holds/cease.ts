import { sql } from 'kysely';
import { appendAudit } from '../compliance/audit-log.js';
import { type Result, fail, notFound, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { cancelScheduledContact } from './cancel-contact.js';

export interface CeaseOutcome {
  customerId: string;
  ceaseCommunication: true;
  /** False when the customer had already asked: nothing changed, and nothing is recorded twice. */
  changed: boolean;
  cancelledAttempts: number;
}

/**
 * The debtor asked in writing to stop, or refused to pay (FDCPA 1692c(c)). Recorded as a standing
 * flag the planner reads, a consent-ledger entry for every channel at once ('all') so that the
 * consent history tells the whole story, and an audit entry; waiting reminders are cancelled in the
 * same transaction. Transactional notices (an opt-out acknowledgement) are left to go.
 */
export async function requestCeaseCommunication(db: Db, now: Date, input: { customerId: string; source: string; actor: string }): Promise<Result<CeaseOutcome>> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.selectFrom('customers').select(['id', 'cease_communication']).where('id', '=', input.customerId).forUpdate().executeTakeFirst();
    if (!customer) return fail(notFound('customer', 'id', input.customerId));
    if (customer.cease_communication) return ok({ customerId: customer.id, ceaseCommunication: true, changed: false, cancelledAttempts: 0 });
    await sql`update customers set cease_communication = true, updated_at = ${now}::timestamptz where id = ${customer.id}`.execute(trx);
    await trx.insertInto('consent_ledger').values({ customer_id: customer.id, channel: 'all', granted: false, source: `cease_communication:${input.source}`, recorded_at: now }).execute();
    const cancelledAttempts = await cancelScheduledContact(trx, now, { customerId: customer.id }, 'cease communication requested');
    await appendAudit(trx, now, { actor: input.actor, action: 'communication.ceased', subject: customer.id, details: { source: input.source, cancelledAttempts } });
    return ok({ customerId: customer.id, ceaseCommunication: true, changed: true, cancelledAttempts });
  });
}
