import { type Kysely, sql } from 'kysely';

/**
 * contact_attempts no longer has a foreign key to customers. Every attempt is written for a customer
 * the writer has just read (the planner's page, the opt-out acknowledgement, the agent's reply), and
 * customers are never deleted (retention pseudonymises them in place: compliance/retention.ts), so the
 * key guarded against nothing that can happen. Its price was paid on every planned attempt: the check
 * locks the customer's row (FOR KEY SHARE), which writes that row and logs it, about 240 MB of
 * write-ahead log per million planned attempts (1,758 MB against 1,519 MB on bench/dispatch's
 * database) and 7% of PostgreSQL's CPU for each page's insert (an interleaved A/B of 120,000
 * attempts: 10.2 s against 9.5 s, and 9.7 s against 8.9 s).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contact_attempts drop constraint if exists contact_attempts_customer_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contact_attempts add constraint contact_attempts_customer_id_fkey foreign key (customer_id) references customers (id)`.execute(db);
}
