import { type Kysely, sql } from 'kysely';

/**
 * For the dashboard's KPIs (src/analytics): outcomes are found from the events of a window (payments,
 * timeline entries) back to the contacts sent to the same person in the days before, so attempts are
 * looked up by customer and send time, and the events by when they happened.
 */
const STATEMENTS = [
  `create index contact_attempts_customer_sent on contact_attempts (customer_id, sent_at) where sent_at is not null`,
  `create index interaction_events_kind_time on interaction_events (kind, occurred_at)`,
  `create index payments_paid_at on payments (paid_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['contact_attempts_customer_sent', 'interaction_events_kind_time', 'payments_paid_at']) await sql.raw(`drop index if exists ${name}`).execute(db);
}
