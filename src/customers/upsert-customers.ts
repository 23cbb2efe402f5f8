import { sql } from 'kysely';
import { conflict } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import { maskIdentity } from '../compliance/masking.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { type IndexedItem, type Outcomes, rejected } from '../ingest/outcome.js';
import { KIND_TO_API } from './identities.js';
import { type PreparedCustomer, mergeCustomer, prepareCustomer } from './prepare-customer.js';
import { anyOf } from '../db/any-of.js';

export interface CustomerWriteContext {
  vault: PiiVault;
  now: Date;
  /** Where the write came from, kept in the consent ledger: api, csv, nats. */
  source: string;
}

interface Pending {
  customer: PreparedCustomer;
  indexes: number[];
}

/**
 * Upserts many customers in a few set-based statements (the batch path and the single path share it).
 * Items whose identities belong to someone else are rejected; the others are written.
 */
export async function upsertCustomers(trx: Db, ctx: CustomerWriteContext, items: IndexedItem[]): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  const byExternalId = new Map<string, Pending>();
  for (const item of items) {
    const prepared = prepareCustomer(item.data);
    if (!prepared.ok) {
      outcomes.set(item.index, rejected(prepared.error));
      continue;
    }
    const pending = byExternalId.get(prepared.value.externalId);
    if (pending) {
      pending.customer = mergeCustomer(pending.customer, prepared.value);
      pending.indexes.push(item.index);
    } else byExternalId.set(prepared.value.externalId, { customer: prepared.value, indexes: [item.index] });
  }

  const accepted = await dropIdentityConflicts(trx, ctx, [...byExternalId.values()], outcomes);
  if (accepted.length === 0) return outcomes;
  const previousConsents = await loadConsents(trx, accepted.map((p) => p.customer.externalId));
  const ids = await writeCustomerRows(trx, ctx.now, accepted.map((p) => p.customer));
  await writeIdentities(trx, ctx, accepted, ids);
  await recordConsentChanges(trx, ctx, accepted, ids, previousConsents);

  for (const pending of accepted) {
    const written = ids.get(pending.customer.externalId);
    if (!written) throw new Error(`customer ${pending.customer.externalId} was not written`);
    for (const index of pending.indexes) outcomes.set(index, { status: written.inserted ? 'created' : 'updated', id: written.id });
  }
  return outcomes;
}

async function dropIdentityConflicts(trx: Db, ctx: CustomerWriteContext, pending: Pending[], outcomes: Outcomes): Promise<Pending[]> {
  const claims = pending.flatMap((p) => p.customer.identities.map((i) => ({ owner: p.customer.externalId, kind: i.kind, hash: ctx.vault.lookupHash(i.kind, i.value) })));
  if (claims.length === 0) return pending;
  const existing = await sql<{ kind: string; lookup_hash: string; external_id: string }>`
    select ci.kind, ci.lookup_hash, c.external_id
    from unnest(${claims.map((c) => c.kind)}::text[], ${claims.map((c) => c.hash)}::text[]) as x(kind, hash)
    join customer_identities ci on ci.kind = x.kind and ci.lookup_hash = x.hash
    join customers c on c.id = ci.customer_id`.execute(trx);
  const ownerOf = new Map(existing.rows.map((r) => [`${r.kind}:${r.lookup_hash}`, r.external_id]));
  const clashes = new Map<string, string>();
  for (const claim of claims) {
    const key = `${claim.kind}:${claim.hash}`;
    const owner = ownerOf.get(key);
    if (owner === undefined) ownerOf.set(key, claim.owner);
    else if (owner !== claim.owner) clashes.set(claim.owner, KIND_TO_API[claim.kind as keyof typeof KIND_TO_API]);
  }
  return pending.filter((p) => {
    const field = clashes.get(p.customer.externalId);
    if (!field) return true;
    const error = conflict(`identities.${field} already belongs to another customer`, [{ field: `identities.${field}`, reason: 'belongs to another customer' }]);
    for (const index of p.indexes) outcomes.set(index, rejected(error));
    return false;
  });
}

async function loadConsents(trx: Db, externalIds: string[]): Promise<Map<string, Partial<Record<Channel, boolean>>>> {
  const rows = await trx.selectFrom('customers').select(['external_id', 'consents']).where(anyOf('external_id', externalIds, 'text')).execute();
  return new Map(rows.map((r) => [r.external_id, r.consents]));
}

async function writeCustomerRows(trx: Db, now: Date, customers: PreparedCustomer[]): Promise<Map<string, { id: string; inserted: boolean }>> {
  // Merging with the stored row happens in the SELECT, so the conflict branch only copies `excluded`.
  const result = await sql<{ id: string; external_id: string; inserted: boolean }>`
    insert into customers as c (external_id, name, locale, timezone, consents, attributes, created_at, updated_at)
    select x.external_id,
           coalesce(x.name, old.name),
           coalesce(x.locale, old.locale, 'en'),
           case when x.timezone is not null then x.timezone else old.timezone end,
           coalesce(old.consents, '{}'::jsonb) || x.consents,
           coalesce(old.attributes, '{}'::jsonb) || x.attributes,
           ${now}::timestamptz, ${now}::timestamptz
    from unnest(
      ${customers.map((c) => c.externalId)}::text[], ${customers.map((c) => c.name)}::text[],
      ${customers.map((c) => c.locale)}::text[], ${customers.map((c) => c.timezone)}::text[],
      ${customers.map((c) => JSON.stringify(c.consents))}::jsonb[], ${customers.map((c) => JSON.stringify(c.attributes))}::jsonb[]
    ) as x(external_id, name, locale, timezone, consents, attributes)
    left join customers old on old.external_id = x.external_id
    on conflict (external_id) do update set
      name = excluded.name, locale = excluded.locale, timezone = excluded.timezone,
      consents = excluded.consents, attributes = excluded.attributes, updated_at = excluded.updated_at
    returning c.id, c.external_id, (c.xmax = 0) as inserted`.execute(trx);
  return new Map(result.rows.map((r) => [r.external_id, { id: r.id, inserted: r.inserted }]));
}

async function writeIdentities(trx: Db, ctx: CustomerWriteContext, pending: Pending[], ids: Map<string, { id: string }>): Promise<void> {
  const rows = pending.flatMap((p) =>
    p.customer.identities.map((i) => ({
      customerId: ids.get(p.customer.externalId)!.id,
      kind: i.kind,
      hash: ctx.vault.lookupHash(i.kind, i.value),
      ciphertext: ctx.vault.encrypt(i.value),
      masked: maskIdentity(i.kind, i.value),
    })),
  );
  if (rows.length === 0) return;
  await sql`
    insert into customer_identities as ci (customer_id, kind, lookup_hash, ciphertext, masked, updated_at)
    select x.customer_id, x.kind, x.hash, x.ciphertext, x.masked, ${ctx.now}::timestamptz
    from unnest(${rows.map((r) => r.customerId)}::uuid[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.hash)}::text[],
                ${rows.map((r) => r.ciphertext)}::text[], ${rows.map((r) => r.masked)}::text[]) as x(customer_id, kind, hash, ciphertext, masked)
    on conflict (customer_id, kind) do update set
      lookup_hash = excluded.lookup_hash, ciphertext = excluded.ciphertext, masked = excluded.masked, updated_at = excluded.updated_at
    where ci.lookup_hash <> excluded.lookup_hash`.execute(trx);
}

async function recordConsentChanges(
  trx: Db,
  ctx: CustomerWriteContext,
  pending: Pending[],
  ids: Map<string, { id: string }>,
  previous: Map<string, Partial<Record<Channel, boolean>>>,
): Promise<void> {
  const changes = pending.flatMap((p) => {
    const before = previous.get(p.customer.externalId) ?? {};
    return Object.entries(p.customer.consents)
      .filter(([channel, granted]) => before[channel as Channel] !== granted)
      .map(([channel, granted]) => ({
        customer_id: ids.get(p.customer.externalId)!.id,
        channel: channel as Channel,
        granted: granted === true,
      }));
  });
  if (changes.length === 0) return;
  // unnest, not multi-row VALUES: a large batch would pass PostgreSQL's 65,535-parameter limit.
  await sql`
    insert into consent_ledger (customer_id, channel, granted, source, recorded_at)
    select x.customer_id, x.channel, x.granted, ${ctx.source}, ${ctx.now}::timestamptz
    from unnest(${changes.map((c) => c.customer_id)}::uuid[], ${changes.map((c) => c.channel)}::text[], ${changes.map((c) => c.granted)}::boolean[])
      as x(customer_id, channel, granted)`.execute(trx);
}
