import { type Kysely, sql } from 'kysely';

/**
 * Customers, receivables, payments, cases, interaction events, the audit log and API keys.
 * Plain SQL: the same text runs on PGlite and PostgreSQL, and reads like the schema it is.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `
    create table customers (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique,
      name text,
      locale text not null check (locale in ('zh-CN', 'en')),
      timezone text,
      consents jsonb not null default '{}',
      attributes jsonb not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
  `,
  `
    create table customer_identities (
      customer_id uuid not null references customers (id) on delete cascade,
      kind text not null check (kind in ('phone', 'email', 'wechat_open_id', 'app_user_id', 'id_number')),
      lookup_hash text not null,
      ciphertext text not null,
      masked text not null,
      updated_at timestamptz not null,
      primary key (customer_id, kind),
      unique (kind, lookup_hash)
    );
  `,
  `
    create table consent_ledger (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers (id) on delete cascade,
      channel text not null,
      granted boolean not null,
      source text not null,
      recorded_at timestamptz not null
    );
  `,
  `
    create index consent_ledger_customer on consent_ledger (customer_id, recorded_at);
  `,
  `
    create table receivables (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique,
      customer_id uuid not null references customers (id),
      kind text not null check (kind in ('order', 'bill', 'instalment')),
      currency char(3) not null,
      amount_minor bigint not null check (amount_minor > 0),
      paid_minor bigint not null default 0 check (paid_minor >= 0),
      due_at timestamptz not null,
      status text not null check (status in ('open', 'paid', 'cancelled', 'written_off')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz
    );
  `,
  `
    create index receivables_customer on receivables (customer_id);
  `,
  `
    create index receivables_open_due on receivables (due_at) where status in ('open', 'written_off');
  `,
  `
    create table payments (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique,
      receivable_id uuid not null references receivables (id),
      amount_minor bigint not null check (amount_minor > 0),
      currency char(3) not null,
      paid_at timestamptz not null,
      created_at timestamptz not null
    );
  `,
  `
    create index payments_receivable on payments (receivable_id);
  `,
  `
    create table cases (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers (id),
      stage text not null check (stage in ('pre_due', 'm1', 'm2', 'm3_plus', 'written_off')),
      status text not null check (status in ('open', 'closed')),
      max_days_past_due integer not null,
      opened_at timestamptz not null,
      stage_changed_at timestamptz not null,
      closed_at timestamptz
    );
  `,
  `
    create unique index cases_one_open_per_customer on cases (customer_id) where status = 'open';
  `,
  `
    create index cases_stage on cases (stage) where status = 'open';
  `,
  `
    create table case_transitions (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases (id),
      from_stage text,
      to_stage text,
      at timestamptz not null
    );
  `,
  `
    create index case_transitions_case on case_transitions (case_id, at);
  `,
  `
    create table interaction_events (
      id uuid primary key default gen_random_uuid(),
      external_id text unique,
      customer_id uuid not null references customers (id),
      receivable_id uuid references receivables (id),
      kind text not null,
      channel text,
      occurred_at timestamptz not null,
      payload jsonb not null default '{}',
      created_at timestamptz not null
    );
  `,
  `
    create index interaction_events_customer on interaction_events (customer_id, occurred_at);
  `,
  `
    create table audit_log (
      seq bigserial primary key,
      at timestamptz not null,
      actor text not null,
      action text not null,
      subject text,
      details jsonb not null,
      prev_hash text not null,
      hash text not null unique
    );
  `,
  `
    -- Append-only: the database itself refuses to rewrite history.
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end;
    $$;
  `,
  `
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_refuse_change();
  `,
  `
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      role text not null check (role in ('admin', 'operator', 'agent', 'analyst', 'auditor')),
      key_hash text not null unique,
      key_hint text not null,
      created_at timestamptz not null,
      revoked_at timestamptz
    );
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table api_keys, audit_log, interaction_events, case_transitions, cases, payments, receivables, consent_ledger, customer_identities, customers cascade`.execute(db);
  await sql`drop function audit_log_refuse_change`.execute(db);
}
