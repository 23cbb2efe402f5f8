import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { riskFeatures } from './risk-features.js';
import type { TrainingRows } from './training-rows.js';

interface OverdueRow {
  due_at: Date;
  kind: string;
  currency: string;
  amount_minor: bigint;
  known_paid_minor: bigint;
  locale: string | null;
  prior_receivables: number;
  prior_paid_on_time: number;
  prior_paid_late: number;
  pre_due_contacts: number;
  prior_inbound: number;
  rolled: boolean;
}

/**
 * Each receivable that fell due not fully paid and whose M2 date has passed, with what was known at
 * its due instant and whether it was still owed when it reached M2 (day `m2FromDay`). Payments count
 * as known at an instant only if made and recorded by then. Cancelled receivables are left out: when
 * they were cancelled is not recorded, so their outcome is not known.
 */
export async function loadRiskRows(db: Db, now: Date, m2FromDay: number, maxRows: number): Promise<TrainingRows> {
  // Day 1 starts at the due instant, so day `m2FromDay` starts this long after it.
  const toM2 = sql`make_interval(days => ${m2FromDay - 1})`;
  const result = await sql<OverdueRow>`
    select * from (
      select x.due_at, x.kind, x.currency, x.amount_minor, c.locale,
        coalesce((select sum(p.amount_minor) from payments p
          where p.receivable_id = x.id and p.paid_at < x.due_at and p.created_at <= x.due_at), 0)::bigint as known_paid_minor,
        (select count(*) from receivables o where o.customer_id = x.customer_id and o.due_at < x.due_at)::int as prior_receivables,
        (select count(*) from payments p join receivables o on o.id = p.receivable_id
          where o.customer_id = x.customer_id and o.id <> x.id and p.paid_at < x.due_at and p.created_at <= x.due_at and p.paid_at < o.due_at)::int as prior_paid_on_time,
        (select count(*) from payments p join receivables o on o.id = p.receivable_id
          where o.customer_id = x.customer_id and o.id <> x.id and p.paid_at < x.due_at and p.created_at <= x.due_at and p.paid_at >= o.due_at)::int as prior_paid_late,
        (select count(*) from contact_attempts a where a.customer_id = x.customer_id and x.id = any(a.receivable_ids)
          and a.sent_at < x.due_at)::int as pre_due_contacts,
        (select count(*) from interaction_events e where e.customer_id = x.customer_id
          and e.kind = 'message.inbound' and e.occurred_at < x.due_at)::int as prior_inbound,
        x.amount_minor > coalesce((select sum(p.amount_minor) from payments p
          where p.receivable_id = x.id and p.paid_at < x.due_at + ${toM2}), 0) as rolled
      from receivables x join customers c on c.id = x.customer_id
      where x.status <> 'cancelled' and x.due_at + ${toM2} <= ${now}::timestamptz
      -- The external id breaks ties, not the random uuid: the same history always gives the same split.
      order by x.due_at desc, x.external_id
      limit ${maxRows}
    ) newest
    -- Only what was late at all can roll: a receivable paid in full by its due date is not a case.
    where amount_minor > known_paid_minor`.execute(db);
  const rows = result.rows.reverse();
  return {
    records: rows.map((row) =>
      riskFeatures({
        kind: row.kind,
        currency: row.currency,
        outstandingMinor: BigInt(row.amount_minor) - BigInt(row.known_paid_minor),
        partlyPaid: BigInt(row.known_paid_minor) > 0n,
        locale: row.locale,
        priorReceivables: row.prior_receivables,
        priorPaidOnTime: row.prior_paid_on_time,
        priorPaidLate: row.prior_paid_late,
        preDueContacts: row.pre_due_contacts,
        priorInbound: row.prior_inbound,
      }),
    ),
    labels: Uint8Array.from(rows, (row) => (row.rolled ? 1 : 0)),
    from: rows[0]?.due_at ?? null,
    to: rows[rows.length - 1]?.due_at ?? null,
    unit: 'receivables that fell due unpaid',
    outcome: `still owed on day ${m2FromDay}, when it enters M2`,
  };
}
