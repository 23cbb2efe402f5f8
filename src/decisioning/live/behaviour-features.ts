import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { BehaviourFeatures } from '../policy/index.js';

/**
 * Each debtor's behaviour over a look-back window, as the segment model reads it, computed from what
 * the database records: contacts sent, replies and payments after them, complaints, opt-outs, and
 * overdue bills paid before anyone asked. A feature with nothing behind it (no contacts, so no
 * response rate) is null, for the model to fill with the portfolio's typical value.
 */
export interface ObservedBehaviour {
  customerId: string;
  contacts: number;
  /** Bills that were overdue in the window: the episodes the self-cure rate is a share of. */
  overdueEpisodes: number;
  features: { [K in keyof BehaviourFeatures]: number | null };
}

/** A payment this soon after a contact counts as its response, the window the response model learns. */
const RESPONSE_HOURS = 72;
/** Contacts no payment followed within this long are as slow as the feature can say. */
export const SLOWEST_HOURS_TO_PAY = 14 * 24;
const SENT_STATUSES = ['sent', 'delivered', 'read', 'clicked', 'replied'];

interface Row {
  customer_id: string;
  contacts: number;
  responses: number;
  call_responses: number;
  median_hours: number | null;
  complaints: number;
  opt_outs: number;
  overdue: number;
  self_cured: number;
}

/**
 * The behaviour of `limit` debtors who were contacted or fell due in the window, chosen by a hash
 * of their id (a stable, unbiased sample of a large portfolio), or of one debtor.
 */
export async function loadBehaviour(db: Db, since: Date, until: Date, who: { customerId: string } | { limit: number }): Promise<ObservedBehaviour[]> {
  const window = sql`between ${since}::timestamptz and ${until}::timestamptz`;
  const sample =
    'customerId' in who
      ? sql`select ${who.customerId}::uuid as customer_id`
      : sql`select customer_id from (
          select customer_id from contact_attempts where sent_at ${window} and status = any(${SENT_STATUSES}::text[])
          union
          select customer_id from receivables where due_at >= ${since}::timestamptz and due_at < ${until}::timestamptz
        ) s order by md5(customer_id::text) limit ${who.limit}`;
  const result = await sql<Row>`
    with sample as (${sample}),
    contacts as (
      select a.customer_id, a.channel, a.status, a.sent_at,
        (select min(p.paid_at) from payments p join receivables r on r.id = p.receivable_id
          where r.customer_id = a.customer_id and p.paid_at >= a.sent_at
            and p.paid_at < a.sent_at + make_interval(hours => ${SLOWEST_HOURS_TO_PAY})) as paid_at
      from contact_attempts a join sample s on s.customer_id = a.customer_id
      where a.sent_at ${window} and a.status = any(${SENT_STATUSES}::text[])
    ),
    responded as (
      select *, (status = 'replied' or paid_at < sent_at + make_interval(hours => ${RESPONSE_HOURS})) as answered from contacts
    ),
    contact_stats as (
      select customer_id, count(*)::int as contacts,
        count(*) filter (where answered)::int as responses,
        count(*) filter (where answered and channel = 'voice')::int as call_responses,
        percentile_cont(0.5) within group (order by extract(epoch from paid_at - sent_at) / 3600) filter (where paid_at is not null) as median_hours
      from responded group by customer_id
    ),
    episodes as (
      select r.customer_id, r.due_at, r.paid_minor >= r.amount_minor as settled,
        (select max(p.paid_at) from payments p where p.receivable_id = r.id) as settled_at
      from receivables r join sample s on s.customer_id = r.customer_id
      where r.due_at >= ${since}::timestamptz and r.due_at < ${until}::timestamptz and r.status <> 'cancelled'
    ),
    episode_stats as (
      select e.customer_id,
        count(*) filter (where not e.settled or e.settled_at > e.due_at)::int as overdue,
        count(*) filter (where e.settled and e.settled_at > e.due_at and not exists (
          select 1 from contact_attempts a where a.customer_id = e.customer_id and a.sent_at >= e.due_at and a.sent_at < e.settled_at
            and a.status = any(${SENT_STATUSES}::text[])))::int as self_cured
      from episodes e group by e.customer_id
    )
    select s.customer_id, coalesce(c.contacts, 0) as contacts, coalesce(c.responses, 0) as responses,
      coalesce(c.call_responses, 0) as call_responses, c.median_hours,
      (select count(*)::int from interaction_events i where i.customer_id = s.customer_id and i.kind = 'handoff.requested'
        and i.payload->>'reason' = 'complaint' and i.occurred_at ${window}) as complaints,
      (select count(*)::int from consent_ledger l where l.customer_id = s.customer_id and not l.granted and l.recorded_at ${window}) as opt_outs,
      coalesce(e.overdue, 0) as overdue, coalesce(e.self_cured, 0) as self_cured
    from sample s left join contact_stats c on c.customer_id = s.customer_id left join episode_stats e on e.customer_id = s.customer_id
    order by s.customer_id`.execute(db);
  return result.rows.filter((r) => r.contacts > 0 || r.overdue > 0).map(toBehaviour);
}

function toBehaviour(row: Row): ObservedBehaviour {
  const contacted = row.contacts > 0;
  const share = (part: number, whole: number) => Math.min(1, part / whole);
  return {
    customerId: row.customer_id,
    contacts: row.contacts,
    overdueEpisodes: row.overdue,
    features: {
      responseRate: contacted ? share(row.responses, row.contacts) : null,
      // Contacted, and nothing was paid within the window after any of them: as slow as it gets.
      medianHoursToPay: row.median_hours !== null ? Number(row.median_hours) : contacted ? SLOWEST_HOURS_TO_PAY : null,
      callShare: row.responses > 0 ? share(row.call_responses, row.responses) : null,
      complaintRate: contacted ? share(row.complaints, row.contacts) : null,
      contactSensitivity: contacted ? share(row.opt_outs + row.complaints, row.contacts) : null,
      selfCureRate: row.overdue > 0 ? share(row.self_cured, row.overdue) : null,
    },
  };
}
