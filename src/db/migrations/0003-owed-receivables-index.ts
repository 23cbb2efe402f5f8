import { type Kysely, sql } from 'kysely';

/**
 * What a case refresh reads for a customer: their unpaid receivables' due dates and statuses. This
 * partial, covering index lets it read them from the index alone, instead of every receivable row
 * the customer ever had (bench/ingest: the refresh was most of the batch API's cost).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index receivables_owed_by_customer on receivables (customer_id, due_at) include (status)
    where status in ('open', 'written_off') and amount_minor > paid_minor`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index receivables_owed_by_customer`.execute(db);
}
