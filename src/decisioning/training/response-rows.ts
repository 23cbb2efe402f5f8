import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { type ContactFacts, responseFeatures } from './response-features.js';
import type { TrainingRows } from './training-rows.js';

// A message that left for the debtor; a failed or cancelled one could not have made anyone pay.
const SENT_STATUSES = ['sent', 'delivered', 'read', 'clicked', 'replied'];

interface ContactRow {
  sent_at: Date;
  channel: string;
  template_id: string | null;
  stage: string | null;
  locale: string | null;
  timezone: string | null;
  first_due: Date | null;
  kinds: string[] | null;
  receivable_count: number;
  amount_minor: bigint | null;
  known_paid_minor: bigint;
  currencies: string[] | null;
  contacts_7d: number;
  prior_contacts: number;
  prior_responses: number;
  prior_inbound: number;
  prior_payments: number;
  paid: boolean;
}

/**
 * Each sent contact whose outcome window has closed, with what was known when it was sent and
 * whether a payment on the debtor's receivables followed within `labelDays`. A payment counts as
 * known at an instant only if it had happened and been recorded by then: a payment file that arrives
 * a day late must not tell the model about the past what the planner could not have known.
 */
export async function loadResponseRows(db: Db, now: Date, labelDays: number, maxRows: number): Promise<TrainingRows> {
  const window = sql`make_interval(days => ${labelDays})`;
  const knownPayments = (before: ReturnType<typeof sql>) => sql`
    select p.paid_at from payments p join receivables pr on pr.id = p.receivable_id
    where pr.customer_id = a.customer_id and p.paid_at < ${before} and p.created_at <= ${before}`;
  const result = await sql<ContactRow>`
    select a.sent_at, a.channel, a.template_id, a.decision->>'stage' as stage, c.locale, c.timezone,
      r.first_due, r.kinds, coalesce(cardinality(a.receivable_ids), 0)::int as receivable_count,
      r.amount_minor, r.currencies,
      coalesce((select sum(p.amount_minor) from payments p
        where p.receivable_id = any(a.receivable_ids) and p.paid_at < a.sent_at and p.created_at <= a.sent_at), 0)::bigint as known_paid_minor,
      (select count(*) from contact_attempts b where b.customer_id = a.customer_id
        and b.sent_at >= a.sent_at - interval '7 days' and b.sent_at < a.sent_at)::int as contacts_7d,
      (select count(*) from contact_attempts b where b.customer_id = a.customer_id and b.sent_at < a.sent_at)::int as prior_contacts,
      (select count(*) from contact_attempts b where b.customer_id = a.customer_id and b.sent_at < a.sent_at
        and exists (select 1 from (${knownPayments(sql`a.sent_at`)}) k where k.paid_at > b.sent_at and k.paid_at <= b.sent_at + ${window}))::int as prior_responses,
      (select count(*) from interaction_events e where e.customer_id = a.customer_id
        and e.kind = 'message.inbound' and e.occurred_at < a.sent_at)::int as prior_inbound,
      (select count(*) from (${knownPayments(sql`a.sent_at`)}) k)::int as prior_payments,
      exists (select 1 from payments p join receivables pr on pr.id = p.receivable_id
        where pr.customer_id = a.customer_id and p.paid_at > a.sent_at and p.paid_at <= a.sent_at + ${window}) as paid
    from contact_attempts a
    join customers c on c.id = a.customer_id
    cross join lateral (
      select min(x.due_at) as first_due, array_agg(distinct x.kind) as kinds, sum(x.amount_minor)::bigint as amount_minor,
        array_agg(distinct x.currency) as currencies
      from receivables x where x.id = any(a.receivable_ids)
    ) r
    where a.status = any(${SENT_STATUSES}::text[]) and a.sent_at is not null
      -- Only outcomes that are final: a contact sent yesterday has not yet had its chance to be paid.
      and a.sent_at + ${window} <= ${now}::timestamptz
    -- The idempotency key breaks ties, not the random uuid: the same history always gives the same split.
    order by a.sent_at desc, a.idempotency_key
    limit ${maxRows}`.execute(db);
  // Oldest first, so that rows are in time order whatever the limit cut off.
  const rows = result.rows.reverse();
  const labels = Uint8Array.from(rows, (row) => (row.paid ? 1 : 0));
  return {
    records: rows.map((row) => responseFeatures(toFacts(row))),
    labels,
    from: rows[0]?.sent_at ?? null,
    to: rows[rows.length - 1]?.sent_at ?? null,
    unit: 'sent contact attempts',
    outcome: `a payment within ${labelDays} day${labelDays === 1 ? '' : 's'}`,
  };
}

function toFacts(row: ContactRow): ContactFacts {
  const currencies = row.currencies?.filter((c) => c !== null) ?? [];
  return {
    sentAt: row.sent_at,
    channel: row.channel,
    templateId: row.template_id,
    stage: row.stage,
    locale: row.locale,
    timezone: row.timezone,
    firstDueAt: row.first_due,
    receivableKinds: row.kinds?.filter((k) => k !== null) ?? [],
    receivableCount: row.receivable_count,
    outstandingMinor: row.amount_minor === null ? null : BigInt(row.amount_minor) - BigInt(row.known_paid_minor),
    currency: currencies.length === 1 ? currencies[0]! : null,
    contactsLast7Days: row.contacts_7d,
    priorContacts: row.prior_contacts,
    priorResponses: row.prior_responses,
    priorInbound: row.prior_inbound,
    priorPayments: row.prior_payments,
  };
}
