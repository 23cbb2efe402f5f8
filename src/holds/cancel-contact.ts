import { sql } from 'kysely';
import type { Channel } from '../db/schema.js';
import type { Db } from '../db/database.js';

export interface CancelScope {
  customerId: string;
  /** Only attempts about any of these debts; absent means every reminder to the customer. */
  receivableIds?: readonly string[] | undefined;
  channel?: Channel | undefined;
}

/**
 * Cancels reminders still waiting to be claimed, in the caller's transaction, so that none can be sent
 * once the hold commits. Found through customer_id (indexed); receivable_ids has no index, and a
 * customer has few attempts. Transactional messages (an opt-out acknowledgement) are not reminders
 * and still go. An attempt a worker has already claimed ('sending') is beyond recall.
 */
export async function cancelScheduledContact(trx: Db, now: Date, scope: CancelScope, reason: string): Promise<number> {
  const about = scope.receivableIds ? sql`and receivable_ids && ${[...scope.receivableIds]}::uuid[]` : sql``;
  const on = scope.channel ? sql`and channel = ${scope.channel}` : sql``;
  const result = await sql`
    update contact_attempts set status = 'cancelled', last_error = ${reason}, updated_at = ${now}::timestamptz
    where customer_id = ${scope.customerId} and status = 'scheduled'
      and coalesce(content->>'transactional', 'false') <> 'true'
      ${about} ${on}`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}
