import { type Kysely, sql } from 'kysely';

/**
 * Long work the console shows while it runs (imports, model training): what it is, how far it got,
 * and how it ended. Rows are written by whichever process does the work, so any console sees them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id uuid primary key default gen_random_uuid(),
      kind text not null,
      label text not null,
      actor text not null,
      status text not null check (status in ('running', 'done', 'failed')),
      done bigint not null default 0,
      total bigint,
      detail jsonb not null default '{}'::jsonb,
      started_at timestamptz not null,
      updated_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index jobs_started on jobs (started_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table jobs`.execute(db);
}
