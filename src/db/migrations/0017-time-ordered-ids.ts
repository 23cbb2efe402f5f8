import { type Kysely, sql } from 'kysely';

/**
 * New rows get time-ordered UUIDs (version 7, RFC 9562: 48 bits of Unix milliseconds, then random
 * bits) instead of random ones (version 4). Rows written together, such as a batch of customers with
 * their identities, receivables and cases, then sit together in each table and in each id index, so
 * walking customers in id order (the planner's pages) reads neighbouring pages instead of one random
 * page per row, and inserts land at the end of the id indexes instead of on random leaves. With
 * random ids, a page of 2,000 debtors read about 2,000 heap pages from each of four tables
 * (bench/dispatch). Existing ids stay as they are: both kinds are valid uuids and mix freely.
 *
 * PostgreSQL 18 has uuidv7() built in; this SQL version runs on 15 and on PGlite. The timestamp is
 * the database's own clock, not the injected one: it only orders storage and means nothing else.
 */
const TABLES = [
  'customers', 'consent_ledger', 'receivables', 'payments', 'cases', 'case_transitions', 'interaction_events', 'api_keys',
  'contact_attempts', 'disputes', 'promises_to_pay', 'policy_versions', 'model_versions', 'jobs',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // A random (version 4) uuid with its first 48 bits overwritten by the time in milliseconds and its
  // version nibble turned from 0100 into 0111 (set_bit counts from each byte's low bit: bits 52 and
  // 53 are the two low bits of byte 6's high nibble). The variant bits stay those of version 4.
  await sql`
    create function recoup_uuid_v7() returns uuid language sql volatile as $$
      select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
        from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
    $$`.execute(db);
  for (const table of TABLES) await sql`alter table ${sql.table(table)} alter column id set default recoup_uuid_v7()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql`alter table ${sql.table(table)} alter column id set default gen_random_uuid()`.execute(db);
  await sql`drop function recoup_uuid_v7()`.execute(db);
}
