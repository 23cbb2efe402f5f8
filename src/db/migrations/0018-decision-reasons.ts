import { type Kysely, sql } from 'kysely';

/**
 * The learning policy's reasons for a choice ("uplift +15.0% on 48.71", "chosen in 38% of posterior
 * draws", ...) are made once per situation and shared by every debtor in it, yet were stored in
 * full with each contact attempt, a fifth of each planned row. Each distinct list is now stored
 * once, under an id derived from its text, and an attempt's decision refers to it; reads put the
 * list back (src/delivery/decision-reasons.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table decision_reasons (id text primary key, reasons jsonb not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table decision_reasons`.execute(db);
}
