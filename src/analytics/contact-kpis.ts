import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { GroupBy, KpiWindow } from './kpi-window.js';
import { ratio } from './ratio.js';

// Tried on a channel: the provider was called, whatever it answered. Scheduled, cancelled and
// blocked attempts never left, so they say nothing about reach.
const ATTEMPTED = ['sent', 'delivered', 'read', 'clicked', 'replied', 'failed'];
// The provider took the message (sent) or confirmed it arrived (delivered and beyond).
const REACHED = ['sent', 'delivered', 'read', 'clicked', 'replied'];
/** How long after a contact a payment, a reply, a complaint or an opt-out counts as its outcome. */
export const OUTCOME_DAYS = 7;

export interface ContactKpis {
  key: string;
  attempted: number;
  reached: number;
  responded: number;
  converted: number;
  complained: number;
  optedOut: number;
  reachRate: string | null;
  responseRate: string | null;
  conversionRate: string | null;
  complaintRate: string | null;
  optOutRate: string | null;
}

interface Row {
  grp: string;
  attempted: string;
  reached: string;
  responded: string;
  converted: string;
  complained: string;
  opted_out: string;
}

function groupExpression(groupBy: GroupBy): RawBuilder<string> {
  switch (groupBy) {
    case 'channel':
      return sql`a.channel`;
    case 'stage':
      return sql`coalesce(a.decision->>'stage', '(none)')`;
    case 'segment':
      return sql`coalesce(c.attributes->>'segment', '(none)')`;
    case 'template':
      return sql`coalesce(a.template_id, '(none)')`;
    case 'day':
      return sql`to_char(a.due_at at time zone 'UTC', 'YYYY-MM-DD')`;
  }
}

// Only the segment needs the customer row; joining it otherwise would cost a million lookups for nothing.
function customerJoin(groupBy: GroupBy): RawBuilder<unknown> {
  return groupBy === 'segment' ? sql`join customers c on c.id = a.customer_id` : sql``;
}

/**
 * Reached attempts of the window followed, within OUTCOME_DAYS of being sent, by one of `events`
 * (rows with customer_id and at, plus whatever `match` needs), counted once per attempt, by group.
 * Driven from the events, which are few, through the attempts-by-customer-and-send-time index,
 * instead of probing for an event after each of a million attempts.
 */
function followedBy(window: KpiWindow, events: RawBuilder<unknown>, match: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select grp, count(distinct id) as n from (
      select a.id, ${groupExpression(window.groupBy)} as grp
      from (${events}) ev
      join contact_attempts a on a.customer_id = ev.customer_id
        and a.sent_at >= ev.at - make_interval(days => ${OUTCOME_DAYS}) and a.sent_at < ev.at
      ${customerJoin(window.groupBy)}
      where a.due_at >= ${window.from}::timestamptz and a.due_at < ${window.to}::timestamptz
        and a.status = any(${REACHED}::text[]) and ${match}) x
    group by grp`;
}

/**
 * Contact outcomes, one row per group. An attempt belongs to the window by its due time (the time of
 * its last try); its outcomes are the events in the OUTCOME_DAYS after it was sent.
 */
export async function loadContactKpis(db: Db, window: KpiWindow): Promise<ContactKpis[]> {
  // Events that can follow an attempt of the window: from its start to OUTCOME_DAYS after its end.
  const until = sql`${window.to}::timestamptz + make_interval(days => ${OUTCOME_DAYS})`;
  const since = sql`${window.from}::timestamptz`;
  const payments = sql`select r.customer_id, p.paid_at as at, p.receivable_id from payments p join receivables r on r.id = p.receivable_id
    where p.paid_at > ${since} and p.paid_at <= ${until}`;
  const timeline = (kind: string, extra: RawBuilder<unknown>) => sql`select e.customer_id, e.occurred_at as at from interaction_events e
    where e.kind = ${kind} and e.occurred_at > ${since} and e.occurred_at <= ${until} ${extra}`;
  const optOuts = sql`select l.customer_id, l.recorded_at as at, l.channel from consent_ledger l
    where not l.granted and l.recorded_at > ${since} and l.recorded_at <= ${until}`;
  const result = await sql<Row>`
    with base as (
      select ${groupExpression(window.groupBy)} as grp,
        count(*) as attempted,
        count(*) filter (where a.status = any(${REACHED}::text[])) as reached,
        count(*) filter (where a.status in ('clicked', 'replied')) as answered
      from contact_attempts a ${customerJoin(window.groupBy)}
      where a.due_at >= ${window.from}::timestamptz and a.due_at < ${window.to}::timestamptz
        and a.status = any(${ATTEMPTED}::text[])
      group by 1),
    converted as (${followedBy(window, payments, sql`ev.receivable_id = any(a.receivable_ids)`)}),
    -- A click or a reply already counts as a response: only the other attempts are looked up here.
    wrote as (${followedBy(window, timeline('message.inbound', sql``), sql`a.status not in ('clicked', 'replied')`)}),
    complained as (${followedBy(window, timeline('handoff.requested', sql`and e.payload->>'reason' = 'complaint'`), sql`true`)}),
    opted_out as (${followedBy(window, optOuts, sql`(ev.channel = a.channel or ev.channel = 'all')`)})
    select b.grp, b.attempted, b.reached,
      b.answered + coalesce(w.n, 0) as responded,
      coalesce(cv.n, 0) as converted,
      coalesce(cp.n, 0) as complained,
      coalesce(oo.n, 0) as opted_out
    from base b
    left join converted cv on cv.grp = b.grp
    left join wrote w on w.grp = b.grp
    left join complained cp on cp.grp = b.grp
    left join opted_out oo on oo.grp = b.grp
    order by b.grp`.execute(db);
  return result.rows.map(toKpis);
}

function toKpis(row: Row): ContactKpis {
  const attempted = BigInt(row.attempted);
  const reached = BigInt(row.reached);
  const [responded, converted, complained, optedOut] = [row.responded, row.converted, row.complained, row.opted_out].map(BigInt) as [bigint, bigint, bigint, bigint];
  return {
    key: row.grp,
    attempted: Number(attempted),
    reached: Number(reached),
    responded: Number(responded),
    converted: Number(converted),
    complained: Number(complained),
    optedOut: Number(optedOut),
    reachRate: ratio(reached, attempted),
    responseRate: ratio(responded, reached),
    conversionRate: ratio(converted, reached),
    complaintRate: ratio(complained, reached),
    optOutRate: ratio(optedOut, reached),
  };
}

/** The same figures over the whole window, summed from the groups (every attempt is in exactly one). */
export function sumContactKpis(groups: readonly ContactKpis[]): ContactKpis {
  const total = (pick: (g: ContactKpis) => number) => BigInt(groups.reduce((sum, g) => sum + pick(g), 0));
  const attempted = total((g) => g.attempted);
  const reached = total((g) => g.reached);
  const responded = total((g) => g.responded);
  const converted = total((g) => g.converted);
  const complained = total((g) => g.complained);
  const optedOut = total((g) => g.optedOut);
  return {
    key: 'all',
    attempted: Number(attempted), reached: Number(reached), responded: Number(responded), converted: Number(converted), complained: Number(complained), optedOut: Number(optedOut),
    reachRate: ratio(reached, attempted), responseRate: ratio(responded, reached), conversionRate: ratio(converted, reached),
    complaintRate: ratio(complained, reached), optOutRate: ratio(optedOut, reached),
  };
}
