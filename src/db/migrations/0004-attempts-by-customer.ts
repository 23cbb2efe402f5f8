import { type Kysely, sql } from 'kysely';

/**
 * Attempts for a receivable are found through its customer (every attempt belongs to the owner of
 * its receivables), so the GIN index on receivable_ids goes: it was the most expensive index to
 * maintain on each insert, and bench/dispatch showed planning slow down as it grew.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists contact_attempts_receivables`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index contact_attempts_receivables on contact_attempts using gin (receivable_ids)`.execute(db);
}
