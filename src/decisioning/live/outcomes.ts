import { sql } from 'kysely';
import { periodicWork } from '../../core/periodic-work.js';
import type { DueWork } from '../../core/work-loop.js';
import type { Db } from '../../db/database.js';

/**
 * Rewards for learning decisions whose window has closed: 1 when any of the attempt's receivables
 * received a payment within `windowDays` of the decision taking effect (the send, or the wait's
 * moment), else 0. Each attempt is scored once; later runs pick up only newly closed windows.
 */
export async function observeOutcomes(db: Db, now: Date, windowDays: number): Promise<number> {
  const windowHours = 24 * windowDays;
  const result = await sql`
    insert into decision_outcomes (attempt_id, arm, variant, send_hour, reward, decided_at, observed_at)
    select a.id, a.decision->'decisioning'->>'arm', a.decision->'decisioning'->>'variant', a.decision->'decisioning'->>'sendHour',
           case when exists (
             select 1 from payments p
             where p.receivable_id = any(a.receivable_ids)
               and p.paid_at >= coalesce(a.sent_at, a.due_at)
               and p.paid_at < coalesce(a.sent_at, a.due_at) + make_interval(hours => ${windowHours})
           ) then 1 else 0 end,
           coalesce(a.sent_at, a.due_at), ${now}::timestamptz
    from contact_attempts a
    where a.decision->'decisioning'->>'mode' = 'ai'
      and ((a.sent_at is not null and a.status not in ('failed', 'cancelled')) or (a.status = 'blocked' and a.decision->>'rule' = 'decisioning.wait'))
      and coalesce(a.sent_at, a.due_at) + make_interval(hours => ${windowHours}) <= ${now}::timestamptz
      and not exists (select 1 from decision_outcomes o where o.attempt_id = a.id)
    on conflict (attempt_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Scoring as due work: hourly on the real clock, and at each hour the virtual clock passes. */
export function createOutcomeWork(db: Db, windowDays: number, intervalMs = 3_600_000): DueWork {
  return periodicWork('decision-outcomes', intervalMs, (now) => observeOutcomes(db, now, windowDays));
}
