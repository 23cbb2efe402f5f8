import { type FieldError, type Result, fail, invalid, notFound, ok } from '../core/errors.js';
import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/database.js';

export interface HoldCustomer {
  id: string;
  timezone: string | null;
}

export interface HoldReceivable {
  id: string;
  externalId: string;
  currency: string;
}

export async function findCustomer(trx: Db, externalId: string): Promise<Result<HoldCustomer>> {
  const row = await trx.selectFrom('customers').select(['id', 'timezone']).where('external_id', '=', externalId).executeTakeFirst();
  return row ? ok({ id: row.id, timezone: row.timezone }) : fail(notFound('customer', 'customerExternalId', externalId));
}

/**
 * Resolves receivables named by external id; each must exist and belong to the customer, since a hold
 * on someone else's debt would silence the wrong person. `fieldOf(i)` names the i-th input in errors.
 */
export async function findReceivablesOf(trx: Db, customerId: string, externalIds: readonly string[], fieldOf: (index: number) => string): Promise<Result<HoldReceivable[]>> {
  const unique = [...new Set(externalIds)];
  const rows = await trx.selectFrom('receivables').select(['id', 'external_id', 'customer_id', 'currency']).where(anyOf('external_id', unique, 'text')).execute();
  const byExternal = new Map(rows.map((r) => [r.external_id, r]));
  const missing = externalIds.findIndex((id) => !byExternal.has(id));
  if (missing >= 0) return fail(notFound('receivable', fieldOf(missing), externalIds[missing]!));
  const errors: FieldError[] = [];
  externalIds.forEach((id, i) => {
    if (byExternal.get(id)!.customer_id !== customerId) errors.push({ field: fieldOf(i), reason: `receivable ${JSON.stringify(id)} belongs to another customer` });
  });
  if (errors.length > 0) return fail(invalid(errors));
  return ok(unique.map((id) => ({ id: byExternal.get(id)!.id, externalId: id, currency: byExternal.get(id)!.currency })));
}

/** Receivables the customer still owes, the ones a hold without named debts applies to. */
export async function owedReceivables(trx: Db, customerId: string): Promise<HoldReceivable[]> {
  const rows = await trx
    .selectFrom('receivables')
    .select(['id', 'external_id', 'currency'])
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['open', 'written_off'])
    .whereRef('paid_minor', '<', 'amount_minor')
    .execute();
  return rows.map((r) => ({ id: r.id, externalId: r.external_id, currency: r.currency }));
}
