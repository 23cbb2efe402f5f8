import { type Kysely, sql } from 'kysely';

/**
 * The part of the local day (send-hour bucket) a learning decision sent in, beside its channel arm
 * and wording, so the planner learns when each stage and channel is answered as well as how.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decision_outcomes add column send_hour text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decision_outcomes drop column send_hour`.execute(db);
}
