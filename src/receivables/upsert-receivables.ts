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
import { plainArrayLiteral, quotedArrayLiteral } from '../db/array-literal.js';

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
}

function prepareReceivable(item: IndexedItem, owners: Map<string, Owner>): Result<PreparedReceivable> {
  const shape = schemaErrors(ReceivableInput, item.data);
  if (shape.length > 0) return fail(invalid(shape));
  const input = item.data as ReceivableInput;
  const owner = owners.get(input.customerExternalId);
  if (!owner) return fail(notFound('customer', 'customerExternalId', input.customerExternalId));
  const amount = parseAmount(input.amount, input.currency);
  const due = parseInstant(input.dueAt, 'dueAt', owner.timezone ?? UNKNOWN_ZONE_DUE);
  const errors = [amount, due].flatMap((r) => (r.ok ? [] : [r.error]));
  if (!amount.ok || !due.ok) return fail(invalid(errors));
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
  const wanted = [...new Set(items.map((i) => (i.data as { customerExternalId?: unknown } | null)?.customerExternalId).filter((v): v is string => typeof v === 'string'))];
  const owners = new Map<string, Owner>();
  if (wanted.length > 0) {
    const rows = await trx.selectFrom('customers').select(['id', 'external_id', 'timezone']).where(anyOf('external_id', wanted, 'text')).execute();
    for (const row of rows) owners.set(row.external_id, { id: row.id, timezone: row.timezone });
  }

  // The last write to an externalId in a batch is the one that counts.
  const latest = new Map<string, PreparedReceivable>();
  const sameTarget = new Map<number, string>();
  for (const item of items) {
    const prepared = prepareReceivable(item, owners);
    if (!prepared.ok) outcomes.set(item.index, rejected(prepared.error));
    else {
      latest.set(prepared.value.externalId, prepared.value);
      sameTarget.set(item.index, prepared.value.externalId);
    }
  }
  if (latest.size === 0) return { outcomes, customerIds, arrivals };

  const rows = [...latest.values()];
  const written = new Map<string, { id: string; inserted: boolean }>();
  // The rows travel as hand-built array literals (see array-literal.ts). A stored receivable that may
  // not take the change (moved to another customer, or a new currency after payments) is left as it
  // is and comes back in no row; explainRefusals says why.
  const c = columnLiterals(rows);
  const result = await sql<{ id: string; external_id: string; customer_id: string; inserted: boolean }>`
    insert into receivables as r (external_id, customer_id, kind, currency, amount_minor, due_at, status, created_at, updated_at, closed_at)
    select x.external_id, x.customer_id, x.kind, x.currency, x.amount_minor, x.due_at, x.status, ${now}::timestamptz, ${now}::timestamptz,
           case when x.status = 'open' then null else ${now}::timestamptz end
    from unnest(${c.externalIds}::text[], ${c.customerIds}::uuid[], ${c.kinds}::text[], ${c.currencies}::text[],
                ${c.amounts}::bigint[], ${c.dues}::timestamptz[], ${c.statuses}::text[])
      as x(external_id, customer_id, kind, currency, amount_minor, due_at, status)
    on conflict (external_id) do update set
      kind = excluded.kind, currency = excluded.currency, amount_minor = excluded.amount_minor, due_at = excluded.due_at,
      -- Money already received decides: an "open" receivable that is covered is paid.
      status = case when excluded.status = 'open' and r.paid_minor >= excluded.amount_minor then 'paid' else excluded.status end,
      closed_at = case
        when excluded.status = 'open' and r.paid_minor < excluded.amount_minor then null
        else coalesce(r.closed_at, excluded.updated_at) end,
      updated_at = excluded.updated_at
    where r.customer_id = excluded.customer_id and (r.currency = excluded.currency or r.paid_minor = 0)
    returning r.id, r.external_id, r.customer_id, (r.xmax = 0) as inserted`.execute(trx);
  for (const row of result.rows) {
    written.set(row.external_id, { id: row.id, inserted: row.inserted });
    if (row.inserted) noteArrival(arrivals, latest.get(row.external_id)!);
    else customerIds.add(row.customer_id);
  }
  for (const id of customerIds) arrivals.delete(id);
  const refusals = written.size === rows.length ? new Map<string, DomainError>() : await explainRefusals(trx, rows.filter((r) => !written.has(r.externalId)));

  for (const [index, externalId] of sameTarget) {
    const refusal = refusals.get(externalId);
    const row = written.get(externalId);
    if (refusal) outcomes.set(index, rejected(refusal));
    else if (row) outcomes.set(index, { status: row.inserted ? 'created' : 'updated', id: row.id });
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
  const dues: string[] = [];
  const statuses: string[] = [];
  for (const r of rows) {
    externalIds.push(r.externalId);
    customerIds.push(r.customerId);
    kinds.push(r.kind);
    currencies.push(r.currency);
    amounts.push(r.amountMinor);
    dues.push(r.dueAt.toISOString());
    statuses.push(r.status);
  }
  return {
    externalIds: quotedArrayLiteral(externalIds),
    customerIds: plainArrayLiteral(customerIds),
    kinds: plainArrayLiteral(kinds),
    currencies: plainArrayLiteral(currencies),
    amounts: plainArrayLiteral(amounts),
    dues: plainArrayLiteral(dues),
    statuses: plainArrayLiteral(statuses),
  };
}
