import { type Kysely, sql } from 'kysely';

/**
 * Every collection policy ever activated (or offered for activation), kept verbatim so a decision's
 * `policy id@version` can always be traced to the exact text that made it, and any two diffed.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `
    create table policy_versions (
      id uuid primary key default gen_random_uuid(),
      policy_id text not null,
      version integer not null check (version >= 1),
      source text not null,
      format text not null check (format in ('yaml', 'json')),
      sha256 text not null unique,
      created_at timestamptz not null,
      created_by text not null,
      activated_at timestamptz,
      -- Which version is in force is the newest activation; the sequence orders activations that share
      -- an instant (the virtual clock stands still between advances). Unique, so it is also indexed.
      activation_seq bigint unique,
      unique (policy_id, version)
    );
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists policy_versions`.execute(db);
}
