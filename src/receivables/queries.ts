import { type Result, ok } from '../core/errors.js';
import { formatMinor } from '../core/money.js';
import { type Page, pageOf, parseCursor } from '../core/pagination.js';
import { afterCursor } from '../db/keyset.js';

export type { Page };
import type { Db } from '../db/database.js';
import type { CaseStage, ReceivableStatus } from '../db/schema.js';

export interface ReceivableView {
  id: string;
  externalId: string;
  customerId: string;
  kind: string;
  currency: string;
  amount: string;
  amountPaid: string;
  amountOutstanding: string;
  dueAt: string;
  status: ReceivableStatus;
  createdAt: string;
  closedAt: string | null;
}

interface ReceivableRow {
  id: string;
  external_id: string;
  customer_id: string;
  kind: string;
  currency: string;
  amount_minor: bigint;
  paid_minor: bigint;
  due_at: Date;
  status: ReceivableStatus;
  created_at: Date;
  closed_at: Date | null;
}

/** Outstanding is derived, never stored: what is owed minus what was paid, and nothing once settled. */
export function outstandingMinor(row: Pick<ReceivableRow, 'amount_minor' | 'paid_minor' | 'status'>): bigint {
  if (row.status === 'paid' || row.status === 'cancelled') return 0n;
  const left = row.amount_minor - row.paid_minor;
  return left > 0n ? left : 0n;
}

export function toReceivableView(row: ReceivableRow): ReceivableView {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    kind: row.kind,
    currency: row.currency,
    amount: formatMinor(row.amount_minor, row.currency),
    amountPaid: formatMinor(row.paid_minor, row.currency),
    amountOutstanding: formatMinor(outstandingMinor(row), row.currency),
    dueAt: row.due_at.toISOString(),
    status: row.status,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export async function getReceivable(db: Db, id: string): Promise<ReceivableView | undefined> {
  const row = await db.selectFrom('receivables').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toReceivableView(row) : undefined;
}

export async function listReceivables(
  db: Db,
  filter: { customerId?: string; externalId?: string; status?: ReceivableStatus; limit?: number; after?: string },
): Promise<Result<Page<ReceivableView>>> {
  const cursor = parseCursor(filter.after);
  if (!cursor.ok) return cursor;
  const limit = filter.limit ?? 100;
  let query = db.selectFrom('receivables').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.externalId) query = query.where('external_id', '=', filter.externalId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (cursor.value) query = query.where(afterCursor('created_at', cursor.value));
  const rows = await query.execute();
  return ok(pageOf(rows, limit, (row) => row.created_at, toReceivableView));
}

export interface CaseView {
  id: string;
  customerId: string;
  stage: CaseStage;
  status: 'open' | 'closed';
  daysPastDue: number;
  openedAt: string;
  stageChangedAt: string;
  closedAt: string | null;
}

export async function listCases(
  db: Db,
  filter: { customerId?: string; stage?: CaseStage; status?: 'open' | 'closed'; limit?: number; after?: string },
): Promise<Result<Page<CaseView>>> {
  const cursor = parseCursor(filter.after);
  if (!cursor.ok) return cursor;
  const limit = filter.limit ?? 100;
  let query = db.selectFrom('cases').selectAll().orderBy('opened_at').orderBy('id').limit(limit + 1);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.stage) query = query.where('stage', '=', filter.stage);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (cursor.value) query = query.where(afterCursor('opened_at', cursor.value));
  const rows = await query.execute();
  return ok(
    pageOf(rows, limit, (row) => row.opened_at, (row) => ({
      id: row.id,
      customerId: row.customer_id,
      stage: row.stage,
      status: row.status,
      daysPastDue: row.max_days_past_due,
      openedAt: row.opened_at.toISOString(),
      stageChangedAt: row.stage_changed_at.toISOString(),
      closedAt: row.closed_at?.toISOString() ?? null,
    })),
  );
}
