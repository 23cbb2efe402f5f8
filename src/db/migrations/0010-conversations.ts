import { type Kysely, sql } from 'kysely';

/**
 * The assistant's memory: one conversation per customer across every channel (flow, pending slots,
 * last intents, handoff), and the verification state of each sender that is not identified by the
 * channel itself. The words exchanged are interaction events, on the customer's one timeline.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `
    create table conversations (
      customer_id uuid primary key references customers (id),
      flow text,
      slots jsonb not null default '{}',
      last_intents jsonb not null default '[]',
      failed_understandings integer not null default 0 check (failed_understandings >= 0),
      handoff_state text not null default 'bot' check (handoff_state in ('bot', 'queued', 'agent')),
      handoff_reason text,
      handoff_at timestamptz,
      agent text,
      last_channel text,
      last_activity_at timestamptz not null,
      flow_started_at timestamptz,
      -- The debtor says they already paid: reminders wait until then while the payment is reconciled.
      reminders_paused_until timestamptz,
      reconciliation_flagged_at timestamptz,
      -- Numbers the conversation's events: on the virtual clock many share one instant.
      event_seq bigint not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((handoff_state = 'bot') = (handoff_at is null))
    )
  `,
  // The agents' queue: a sliver of all conversations, oldest waiting first.
  `create index conversations_handoff on conversations (handoff_at) where handoff_state <> 'bot'`,
  `
    create table sender_verifications (
      -- Keyed hash of the channel and the sender's address: no PII at rest, and verification binds to that sender only.
      sender_key text primary key,
      customer_id uuid references customers (id),
      verified_until timestamptz,
      failed_attempts integer not null default 0 check (failed_attempts >= 0),
      locked_until timestamptz,
      updated_at timestamptz not null
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists sender_verifications, conversations`.execute(db);
}
