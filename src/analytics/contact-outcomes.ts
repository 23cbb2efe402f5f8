import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { GroupBy } from './kpi-window.js';

// Tried on a channel: the provider was called, whatever it answered. Scheduled, cancelled and
// blocked attempts never left, so they say nothing about reach.
const ATTEMPTED = ['sent', 'delivered', 'read', 'clicked', 'replied', 'failed'];
// The provider took the message (sent) or confirmed it arrived (delivered and beyond).
const REACHED = ['sent', 'delivered', 'read', 'clicked', 'replied'];
/** How long after a contact a payment, a reply, a complaint or an opt-out counts as its outcome. */
export const OUTCOME_DAYS = 7;

/** Exact counts for one group (and, when split by day, one UTC day) of attempts. */
export interface OutcomeCounts {
  attempted: bigint;
  reached: bigint;
  responded: bigint;
  converted: bigint;
  complained: bigint;
  optedOut: bigint;
}

export interface OutcomeRow extends OutcomeCounts {
  groupBy: GroupBy;
  /** The UTC day (YYYY-MM-DD) when rows are split by day, else null. */
  day: string | null;
  key: string;
}

const KEY: Record<GroupBy, RawBuilder<string>> = {
  channel: sql`channel`,
  stage: sql`stage`,
  segment: sql`segment`,
  template: sql`template`,
  day: sql`day`,
  decisioning: sql`decisioning`,
};

interface RawRow {
  group_by: GroupBy;
  day: string | null;
  grp: string;
  attempted: string;
  reached: string;
  responded: string;
  converted: string;
  complained: string;
  opted_out: string;
}

/**
 * Contact outcomes of the attempts due in [from, to), counted per attempt once: reached, answered
 * (a click, a reply, or an inbound message within OUTCOME_DAYS of the send), converted (a payment on
 * one of its debts), complained, opted out. One pass computes the outcomes of every attempt; then each
 * grouping in `groupings` counts them, split by UTC day when `byDay`, so the daily rollup gets every
 * grouping of a range from one query. Outcome lookups are driven from the events, which are few,
 * to the attempts of the same customer sent in the days before.
 */
export async function countOutcomes(db: Db, from: Date, to: Date, groupings: readonly GroupBy[], byDay: boolean): Promise<OutcomeRow[]> {
  // Events that can follow an attempt of the range: from its start to OUTCOME_DAYS after its end.
  const since = sql`${from}::timestamptz`;
  const until = sql`${to}::timestamptz + make_interval(days => ${OUTCOME_DAYS})`;
  // Only the segment needs the customer row; joining it otherwise would cost a lookup per attempt for nothing.
  const segment = groupings.includes('segment');
  const followedBy = (events: RawBuilder<unknown>, match: RawBuilder<unknown>) => sql`
    select distinct a.id from (${events}) ev
    join attempts a on a.customer_id = ev.customer_id
      and a.sent_at >= ev.at - make_interval(days => ${OUTCOME_DAYS}) and a.sent_at < ev.at
    where a.reached and ${match}`;
  const selects = groupings.map((g) => sql`
    select ${g}::text as group_by, ${byDay && g !== 'day' ? sql`day` : sql`null`} as day, ${KEY[g]} as grp,
      count(*) as attempted, count(*) filter (where reached) as reached,
      count(*) filter (where status in ('clicked', 'replied') or wrote) as responded,
      count(*) filter (where converted) as converted, count(*) filter (where complained) as complained,
      count(*) filter (where opted_out) as opted_out
    from outcomes group by ${byDay && g !== 'day' ? sql`day, ` : sql``}${KEY[g]}`);
  const result = await sql<RawRow>`
    with attempts as materialized (
      select a.id, a.customer_id, a.channel, a.status, a.sent_at, a.receivable_ids,
        a.status = any(${REACHED}::text[]) as reached,
        to_char(a.due_at at time zone 'UTC', 'YYYY-MM-DD') as day,
        coalesce(a.decision->>'stage', '(none)') as stage,
        coalesce(a.template_id, '(none)') as template,
        case when a.decision->'decisioning'->>'mode' = 'baseline' then 'baseline'
             when a.decision->'decisioning'->>'group' = 'control' then 'control'
             when a.decision->'decisioning'->>'mode' = 'ai' then 'ai'
             else '(none)' end as decisioning,
        ${segment ? sql`coalesce(c.attributes->>'segment', '(none)')` : sql`null::text`} as segment
      from contact_attempts a ${segment ? sql`join customers c on c.id = a.customer_id` : sql``}
      where a.due_at >= ${since} and a.due_at < ${to}::timestamptz and a.status = any(${ATTEMPTED}::text[])),
    converted as (${followedBy(
      sql`select r.customer_id, p.paid_at as at, p.receivable_id from payments p join receivables r on r.id = p.receivable_id
        where p.paid_at > ${since} and p.paid_at <= ${until}`,
      sql`ev.receivable_id = any(a.receivable_ids)`,
    )}),
    -- A click or a reply already counts as a response: only the other attempts are looked up here.
    wrote as (${followedBy(
      sql`select e.customer_id, e.occurred_at as at from interaction_events e
        where e.kind = 'message.inbound' and e.occurred_at > ${since} and e.occurred_at <= ${until}`,
      sql`a.status not in ('clicked', 'replied')`,
    )}),
    complained as (${followedBy(
      sql`select e.customer_id, e.occurred_at as at from interaction_events e
        where e.kind = 'handoff.requested' and e.occurred_at > ${since} and e.occurred_at <= ${until} and e.payload->>'reason' = 'complaint'`,
      sql`true`,
    )}),
    opted_out as (${followedBy(
      sql`select l.customer_id, l.recorded_at as at, l.channel from consent_ledger l
        where not l.granted and l.recorded_at > ${since} and l.recorded_at <= ${until}`,
      sql`(ev.channel = a.channel or ev.channel = 'all')`,
    )}),
    outcomes as materialized (
      select a.*, cv.id is not null as converted, w.id is not null as wrote, cp.id is not null as complained, oo.id is not null as opted_out
      from attempts a
      left join converted cv on cv.id = a.id
      left join wrote w on w.id = a.id
      left join complained cp on cp.id = a.id
      left join opted_out oo on oo.id = a.id)
    ${sql.join(selects, sql` union all `)}`.execute(db);
  return result.rows.map((r) => ({
    groupBy: r.group_by,
    day: r.day,
    key: r.grp,
    attempted: BigInt(r.attempted),
    reached: BigInt(r.reached),
    responded: BigInt(r.responded),
    converted: BigInt(r.converted),
    complained: BigInt(r.complained),
    optedOut: BigInt(r.opted_out),
  }));
}

export const ZERO_COUNTS: OutcomeCounts = { attempted: 0n, reached: 0n, responded: 0n, converted: 0n, complained: 0n, optedOut: 0n };

export function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return {
    attempted: a.attempted + b.attempted,
    reached: a.reached + b.reached,
    responded: a.responded + b.responded,
    converted: a.converted + b.converted,
    complained: a.complained + b.complained,
    optedOut: a.optedOut + b.optedOut,
  };
}
