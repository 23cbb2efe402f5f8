import { sql } from 'kysely';
import { DAY_MS } from '../core/time.js';
import type { Db } from '../db/database.js';
import { appendAudit } from './audit-log.js';

/**
 * Personal-data retention (GDPR storage limitation, PIPL, and the six months' interaction logs the
 * Chinese rules ask for). A customer whose debts are all closed, with nothing open and no activity of
 * any kind for `personalDataDays`, loses what identifies them: identities, name, attributes, time
 * zone, the texts of messages and replies, dispute wording. What the law asks to keep stays, keyed by
 * the customer id only: receivables, payments, amounts, dates, statuses, consents, the decisions.
 *
 * The audit log is never touched: it names customers by id, holds no values, and is kept whole so
 * that its hash chain keeps proving itself (and far longer than the six months required).
 */
export interface RetentionOptions {
  personalDataDays: number;
  /** Customers purged per transaction. */
  batchSize: number;
}

export interface PurgeReport {
  customers: number;
  cutoff: string;
}

export const RETENTION_ACTOR = 'system:retention';

// Content keys of a contact attempt that say how it was made, not what it said to whom.
const KEPT_CONTENT_KEYS = ['locale', 'rendering', 'transactional'];

/** The next page of customers ready for purging, oldest untouched first, after the keyset position. */
async function nextEligible(db: Db, cutoff: Date, after: { at: Date; id: string } | null, limit: number): Promise<Array<{ id: string; updated_at: Date }>> {
  const position = after ? sql`and (c.updated_at, c.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
  const result = await sql<{ id: string; updated_at: Date }>`
    select c.id, c.updated_at from customers c
    where c.personal_data_purged_at is null and c.updated_at < ${cutoff}::timestamptz ${position}
      and not exists (select 1 from receivables r where r.customer_id = c.id
                      and (r.status in ('open', 'written_off') or r.updated_at >= ${cutoff}::timestamptz or r.closed_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from payments p join receivables r on r.id = p.receivable_id where r.customer_id = c.id
                      and (p.paid_at >= ${cutoff}::timestamptz or p.created_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from cases k where k.customer_id = c.id and (k.status = 'open' or k.closed_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from contact_attempts a where a.customer_id = c.id
                      and (a.status in ('scheduled', 'sending') or a.updated_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from interaction_events e where e.customer_id = c.id
                      and (e.occurred_at >= ${cutoff}::timestamptz or e.created_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from consent_ledger l where l.customer_id = c.id and l.recorded_at >= ${cutoff}::timestamptz)
      and not exists (select 1 from disputes d where d.customer_id = c.id
                      and (d.status = 'open' or d.opened_at >= ${cutoff}::timestamptz or d.resolved_at >= ${cutoff}::timestamptz))
      and not exists (select 1 from promises_to_pay pr where pr.customer_id = c.id
                      and (pr.status = 'open' or pr.created_at >= ${cutoff}::timestamptz or pr.resolved_at >= ${cutoff}::timestamptz))
    order by c.updated_at, c.id
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Strips one page of customers down to their pseudonymised record, with an audit entry for each. */
async function purgeCustomers(trx: Db, now: Date, cutoff: Date, ids: string[]): Promise<void> {
  const list = sql`any(${ids}::uuid[])`;
  await sql`delete from customer_identities where customer_id = ${list}`.execute(trx);
  await sql`
    update customers set name = null, timezone = null, attributes = '{}'::jsonb,
      personal_data_purged_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
    where id = ${list}`.execute(trx);
  await sql`
    update contact_attempts set content = (select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(content) where key = any(${KEPT_CONTENT_KEYS}::text[]))
    where customer_id = ${list} and content <> '{}'::jsonb`.execute(trx);
  await sql`update interaction_events set payload = '{}'::jsonb where customer_id = ${list} and payload <> '{}'::jsonb`.execute(trx);
  await sql`
    update disputes set reason = '[purged]', resolution = case when resolution is null then null else '[purged]' end
    where customer_id = ${list}`.execute(trx);
  for (const id of ids) {
    await appendAudit(trx, now, { actor: RETENTION_ACTOR, action: 'personal_data.purged', subject: id, details: { inactiveSince: cutoff.toISOString() } });
  }
}

/**
 * Purges, in pages of `batchSize` (one transaction each), every customer eligible at `now`. Safe to
 * run from several processes: a page already purged by another no longer matches.
 */
export async function purgeExpiredPersonalData(db: Db, now: Date, options: RetentionOptions): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - options.personalDataDays * DAY_MS);
  let after: { at: Date; id: string } | null = null;
  let customers = 0;
  for (;;) {
    const page = await nextEligible(db, cutoff, after, options.batchSize);
    if (page.length === 0) break;
    await db.transaction().execute(async (trx) => {
      // Re-checked under a row lock, so that a write landing between the read and the purge wins.
      const locked = await sql<{ id: string }>`
        select id from customers where id = any(${page.map((c) => c.id)}::uuid[]) and personal_data_purged_at is null and updated_at < ${cutoff}::timestamptz
        for update`.execute(trx);
      if (locked.rows.length > 0) await purgeCustomers(trx, now, cutoff, locked.rows.map((r) => r.id));
      customers += locked.rows.length;
    });
    const last = page[page.length - 1]!;
    after = { at: last.updated_at, id: last.id };
    if (page.length < options.batchSize) break;
  }
  return { customers, cutoff: cutoff.toISOString() };
}
