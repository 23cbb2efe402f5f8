import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Closes open promises in one set-based statement: kept once its debts are no longer owed or the
 * payments recorded since the promise reach the promised amount (a partial promise counts); broken
 * once the promised instant passes without that. A broken promise no longer holds the planner back,
 * so contact resumes at its next pass. Idempotent: only open promises change, so racing planners
 * agree. It walks the open promises through their partial index, a small set next to the cases.
 */
export async function settlePromises(db: Db, now: Date): Promise<{ kept: number; broken: number }> {
  const result = await sql<{ status: string }>`
    with judged as (
      select p.id, p.promised_for,
        (not exists (select 1 from receivables r
                     where r.id = any(p.receivable_ids) and r.status in ('open', 'written_off') and r.paid_minor < r.amount_minor)
         or (select coalesce(sum(pm.amount_minor), 0) from payments pm
             where pm.receivable_id = any(p.receivable_ids) and pm.created_at >= p.created_at) >= p.amount_minor) as settled
      from promises_to_pay p
      where p.status = 'open'
    )
    update promises_to_pay p set status = case when j.settled then 'kept' else 'broken' end, resolved_at = ${now}::timestamptz
    from judged j
    where p.id = j.id and p.status = 'open' and (j.settled or j.promised_for <= ${now}::timestamptz)
    returning p.status`.execute(db);
  const kept = result.rows.filter((r) => r.status === 'kept').length;
  return { kept, broken: result.rows.length - kept };
}
