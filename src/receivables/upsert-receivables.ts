import { sql } from 'kysely';
import { conflict, type DomainError, fail, invalid, notFound, ok, type Result } from '../core/errors.js';
import { parseAmount } from '../core/money.js';
import { parseInstant } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import type { ReceivableKind, ReceivableStatus } from '../db/schema.js';
import { type IndexedItem, type Outcomes, rejected } from '../ingest/outcome.js';
import { ReceivableInput } from './receivable-schema.js';
import { anyOf } from '../db/any-of.js';
import { fromEpochMs, plainArrayLiteral, quotedArrayLiteral } from '../db/array-literal.js';

// A debtor whose time zone is unknown: a bare due date ends where the day ends last (UTC-12), so that
// nobody is treated as late before they are late everywhere.
const UNKNOWN_ZONE_DUE = 'Etc/GMT+12';

interface Owner {
  id: string;
  timezone: string | null;
}

interface PreparedReceivable {
  index: number;
  externalId: string;
  customerId: string;
  kind: ReceivableKind;
  currency: string;
  amountMinor: bigint;
  dueAt: Date;
  status: ReceivableStatus;
  /** Set once the upsert has returned this row: its id, and whether it was new. */
  id?: string;
  inserted?: boolean;
}

function prepareReceivable(item: IndexedItem, owners: Map<string, Owner>): Result<PreparedReceivable> {
  const shape = schemaErrors(ReceivableInput, item.data);
  if (shape.length > 0) return fail(invalid(shape));
  const input = item.data as ReceivableInput;
  const owner = owners.get(input.customerExternalId);
  if (!owner) return fail(notFound('customer', 'customerExternalId', input.customerExternalId));
  const amount = parseAmount(input.amount, input.currency);
  const due = parseInstant(input.dueAt, 'dueAt', owner.timezone ?? UNKNOWN_ZONE_DUE);
  if (!amount.ok || !due.ok) return fail(invalid([amount, due].flatMap((r) => (r.ok ? [] : [r.error]))));
  return ok({
    index: item.index,
    externalId: input.externalId,
    customerId: owner.id,
    kind: input.kind,
    currency: input.currency,
    amountMinor: amount.minor,
    dueAt: due.instant,
    status: input.status ?? 'open',
  });
}

/** What new receivables add to a customer's debt: the earliest due date among those owed. */
export interface Arrival {
  firstDue: Date;
  anyWrittenOff: boolean;
}

export interface ReceivableUpsert {
  outcomes: Outcomes;
  /** Customers with a changed receivable: their cases need a full refresh. */
  customerIds: Set<string>;
  /** Customers who only gained receivables: their cases can only open or move up (see raiseCases). */
  arrivals: Map<string, Arrival>;
}

/**
 * Upserts receivables by externalId in set-based statements. A receivable cannot move to another
 * customer, nor change currency once money was paid against it. Returns the customers touched, whose
 * cases the caller refreshes in the same transaction.
 */
export async function upsertReceivables(trx: Db, now: Date, items: IndexedItem[]): Promise<ReceivableUpsert> {
  const outcomes: Outcomes = new Map();
  const customerIds = new Set<string>();
  const arrivals = new Map<string, Arrival>();
  const wanted = new Set<string>();
  for (const item of items) {
    const owner = (item.data as { customerExternalId?: unknown } | null)?.customerExternalId;
    if (typeof owner === 'string') wanted.add(owner);
  }
  const owners = new Map<string, Owner>();
  if (wanted.size > 0) {
    const rows = await trx.selectFrom('customers').select(['id', 'external_id', 'timezone']).where(anyOf('external_id', [...wanted], 'text')).execute();
    for (const row of rows) owners.set(row.external_id, row);
  }

  // The last write to an externalId in a batch is the one that counts: every item's outcome is its
  // target's, the latest prepared row with its externalId.
  const latest = new Map<string, PreparedReceivable>();
  const accepted: PreparedReceivable[] = [];
  for (const item of items) {
    const prepared = prepareReceivable(item, owners);
    if (!prepared.ok) outcomes.set(item.index, rejected(prepared.error));
    else {
      latest.set(prepared.value.externalId, prepared.value);
      accepted.push(prepared.value);
    }
  }
  if (latest.size === 0) return { outcomes, customerIds, arrivals };
  const targetOf = latest.size === accepted.length ? (row: PreparedReceivable) => row : (row: PreparedReceivable) => latest.get(row.externalId)!;

  const rows = [...latest.values()];
  // The rows travel as hand-built array literals (see array-literal.ts). A stored receivable that may
  // not take the change (moved to another customer, or a new currency after payments) is left as it
  // is and comes back in no row; explainRefusals says why.
  const c = columnLiterals(rows);
  const result = await sql<{ id: string; external_id: string; customer_id: string | null; inserted: boolean }>`
    insert into receivables as r (external_id, customer_id, kind, currency, amount_minor, due_at, status, created_at, updated_at, closed_at)
    select x.external_id, x.customer_id, x.kind, x.currency, x.amount_minor, ${fromEpochMs('x.due_ms')}, x.status, ${now}::timestamptz, ${now}::timestamptz,
           case when x.status = 'open' then null else ${now}::timestamptz end
    from unnest(${c.externalIds}::text[], ${c.customerIds}::uuid[], ${c.kinds}::text[], ${c.currencies}::text[],
                ${c.amounts}::bigint[], ${c.dueMs}::bigint[], ${c.statuses}::text[])
      as x(external_id, customer_id, kind, currency, amount_minor, due_ms, status)
    on conflict (external_id) do update set
      kind = excluded.kind, currency = excluded.currency, amount_minor = excluded.amount_minor, due_at = excluded.due_at,
      -- Money already received decides: an "open" receivable that is covered is paid.
      status = case when excluded.status = 'open' and r.paid_minor >= excluded.amount_minor then 'paid' else excluded.status end,
      closed_at = case
        when excluded.status = 'open' and r.paid_minor < excluded.amount_minor then null
        else coalesce(r.closed_at, excluded.updated_at) end,
      updated_at = excluded.updated_at
    where r.customer_id = excluded.customer_id and (r.currency = excluded.currency or r.paid_minor = 0)
    -- The customer only of an updated row: a new one's is the one sent, and 10,000 uuids cost to read.
    returning r.id, r.external_id, case when r.xmax = 0 then null else r.customer_id end as customer_id, (r.xmax = 0) as inserted`.execute(trx);
  for (const row of result.rows) {
    const target = latest.get(row.external_id)!;
    target.id = row.id;
    target.inserted = row.inserted;
    if (row.inserted) noteArrival(arrivals, target);
    else customerIds.add(row.customer_id!);
  }
  for (const id of customerIds) arrivals.delete(id);
  const refused = result.rows.length === rows.length ? [] : rows.filter((r) => r.id === undefined);
  const refusals = refused.length === 0 ? new Map<string, DomainError>() : await explainRefusals(trx, refused);

  for (const prepared of accepted) {
    const target = targetOf(prepared);
    const refusal = refusals.get(target.externalId);
    if (refusal) outcomes.set(prepared.index, rejected(refusal));
    else if (target.id !== undefined) outcomes.set(prepared.index, { status: target.inserted ? 'created' : 'updated', id: target.id });
  }
  return { outcomes, customerIds, arrivals };
}

/** A new receivable is owed unless it arrived settled or cancelled (nothing is paid against it yet). */
function noteArrival(arrivals: Map<string, Arrival>, row: PreparedReceivable): void {
  if ((row.status !== 'open' && row.status !== 'written_off') || row.amountMinor <= 0n) return;
  const seen = arrivals.get(row.customerId);
  const anyWrittenOff = row.status === 'written_off';
  if (!seen) arrivals.set(row.customerId, { firstDue: row.dueAt, anyWrittenOff });
  else {
    if (row.dueAt < seen.firstDue) seen.firstDue = row.dueAt;
    seen.anyWrittenOff ||= anyWrittenOff;
  }
}

/** Why each stored receivable the upsert left alone refused its change (the rare path: read only then). */
async function explainRefusals(trx: Db, refused: PreparedReceivable[]): Promise<Map<string, DomainError>> {
  const refusals = new Map<string, DomainError>();
  const stored = await trx
    .selectFrom('receivables')
    .select(['external_id', 'customer_id', 'currency', 'paid_minor'])
    .where(anyOf('external_id', refused.map((r) => r.externalId), 'text'))
    .execute();
  const storedById = new Map(stored.map((s) => [s.external_id, s]));
  for (const next of refused) {
    const row = storedById.get(next.externalId);
    if (row && row.customer_id !== next.customerId) {
      refusals.set(next.externalId, conflict('receivable belongs to another customer; it cannot be moved', [{ field: 'customerExternalId', reason: 'differs from the customer the receivable was created for' }]));
    } else if (row && row.currency !== next.currency && row.paid_minor > 0n) {
      refusals.set(next.externalId, conflict('currency cannot change after payments were received', [{ field: 'currency', reason: `payments were received in ${row.currency}` }]));
    } else {
      // Changed by another writer between the upsert and this read: the item can simply be sent again.
      refusals.set(next.externalId, conflict('a concurrent write conflicted with this item; retry it'));
    }
  }
  return refusals;
}

/** The rows column by column, as array literals for unnest. */
function columnLiterals(rows: PreparedReceivable[]) {
  const externalIds: string[] = [];
  const customerIds: string[] = [];
  const kinds: string[] = [];
  const currencies: string[] = [];
  const amounts: bigint[] = [];
  const dueMs: number[] = [];
  const statuses: string[] = [];
  for (const r of rows) {
    externalIds.push(r.externalId);
    customerIds.push(r.customerId);
    kinds.push(r.kind);
    currencies.push(r.currency);
    amounts.push(r.amountMinor);
    dueMs.push(r.dueAt.getTime());
    statuses.push(r.status);
  }
  // Only the externalIds are the caller's free text. The customer ids come from the database, and
  // kind, currency and status passed their schema (an enum, three capitals): none needs quoting.
  return {
    externalIds: quotedArrayLiteral(externalIds),
    customerIds: plainArrayLiteral(customerIds),
    kinds: plainArrayLiteral(kinds),
    currencies: plainArrayLiteral(currencies),
    amounts: plainArrayLiteral(amounts),
    dueMs: plainArrayLiteral(dueMs),
    statuses: plainArrayLiteral(statuses),
  };
}
