import { sql } from 'kysely';
import { formatMinor } from '../core/money.js';
import type { Db } from '../db/database.js';
import { DateTime } from 'luxon';

/** What the assistant may tell a verified customer about their own account, read fresh each turn. */
export interface OwedItem {
  id: string;
  externalId: string;
  kind: string;
  currency: string;
  outstandingMinor: bigint;
  dueAt: Date;
}

export interface AccountCustomer {
  id: string;
  externalId: string;
  locale: string;
  timezone: string;
}

export async function loadCustomer(db: Db, customerId: string): Promise<AccountCustomer> {
  const row = await db.selectFrom('customers').select(['id', 'external_id', 'locale', 'timezone']).where('id', '=', customerId).executeTakeFirstOrThrow();
  return { id: row.id, externalId: row.external_id, locale: row.locale, timezone: row.timezone || 'UTC' };
}

/** Open debts with something left to pay, earliest due first. */
export async function loadOwed(db: Db, customerId: string): Promise<OwedItem[]> {
  const rows = await db
    .selectFrom('receivables')
    .select(['id', 'external_id', 'kind', 'currency', 'amount_minor', 'paid_minor', 'due_at'])
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .where(sql<boolean>`amount_minor > paid_minor`)
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id, externalId: r.external_id, kind: r.kind, currency: r.currency.trim(),
    outstandingMinor: BigInt(r.amount_minor) - BigInt(r.paid_minor), dueAt: r.due_at,
  }));
}

/** Totals per currency, in the order the currencies first appear (a debtor rarely owes in two). */
export function totalsByCurrency(items: readonly OwedItem[]): Array<{ currency: string; minor: bigint }> {
  const totals = new Map<string, bigint>();
  for (const item of items) totals.set(item.currency, (totals.get(item.currency) ?? 0n) + item.outstandingMinor);
  return [...totals].map(([currency, minor]) => ({ currency, minor }));
}

export function money(minor: bigint, currency: string): string {
  return `${formatMinor(minor, currency)} ${currency}`;
}

/** The calendar day an instant falls on in the debtor's zone; a due instant is the first late moment, so its day is the one before. */
export function dueDay(dueAt: Date, timezone: string): string {
  return DateTime.fromJSDate(new Date(dueAt.getTime() - 1), { zone: timezone }).toISODate() ?? dueAt.toISOString().slice(0, 10);
}

export function localDay(at: Date, timezone: string, plusDays = 0, plusMonths = 0): string {
  return DateTime.fromJSDate(at, { zone: timezone }).plus({ days: plusDays, months: plusMonths }).toISODate() ?? at.toISOString().slice(0, 10);
}
