import { sql } from 'kysely';
import Type from 'typebox';
import { conflict } from '../core/errors.js';
import { schemaErrors } from '../core/validate.js';
import type { StageConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { appendAudit } from '../compliance/audit-log.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { recordInteractions } from '../customers/interactions.js';
import { upsertCustomers } from '../customers/upsert-customers.js';
import { applyPayments } from '../receivables/apply-payments.js';
import { raiseCases, refreshCases } from '../receivables/cases.js';
import { type Arrival, upsertReceivables } from '../receivables/upsert-receivables.js';
import { type IndexedItem, type ItemOutcome, type Outcomes, rejected } from './outcome.js';

export const MAX_BATCH_ITEMS = 10_000;
export const ITEM_TYPES = ['customer', 'receivable', 'payment', 'event'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

// `data` is checked here only for being an object; each kind's own schema checks its fields. An
// open Object, not a Record of unknowns: that one tested every key of every item (bench/ingest).
export const BatchItem = Type.Object(
  { type: Type.Enum([...ITEM_TYPES]), data: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);

export interface IngestContext {
  db: Db;
  vault: PiiVault;
  stages: StageConfig;
  now: Date;
  actor: string;
  source: string;
}

/** `type` is null when the item itself was malformed; otherwise error fields are relative to its `data`. */
export type ItemResult = { index: number; type: ItemType | null } & ItemOutcome;

export interface BatchResult {
  results: ItemResult[];
  counts: Record<ItemOutcome['status'], number>;
}

/** Error codes that mean "another writer got there first", which a per-item retry can report. */
function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === '40001' || code === '40P01';
}

/**
 * Applies one kind's items in one set-based pass. Should that pass hit a constraint another writer
 * raced us to, it is undone and the items are retried one by one, so one item cannot sink the rest.
 */
async function applyGroup(trx: Db, items: IndexedItem[], apply: (items: IndexedItem[]) => Promise<Outcomes>): Promise<Outcomes> {
  if (items.length === 0) return new Map();
  await sql`savepoint ingest_group`.execute(trx);
  try {
    const outcomes = await apply(items);
    await sql`release savepoint ingest_group`.execute(trx);
    return outcomes;
  } catch (error) {
    await sql`rollback to savepoint ingest_group`.execute(trx);
    if (!isWriteConflict(error)) throw error;
  }
  const outcomes: Outcomes = new Map();
  for (const item of items) {
    await sql`savepoint ingest_item`.execute(trx);
    try {
      for (const [index, outcome] of await apply([item])) outcomes.set(index, outcome);
      await sql`release savepoint ingest_item`.execute(trx);
    } catch (error) {
      await sql`rollback to savepoint ingest_item`.execute(trx);
      if (!isWriteConflict(error)) throw error;
      outcomes.set(item.index, rejected(conflict('a concurrent write conflicted with this item; retry it')));
    }
  }
  return outcomes;
}

/**
 * Ingests mixed items in one transaction, in dependency order (customers, then receivables, then
 * payments, then events), so an item may refer to one earlier or later in the same batch. Each item
 * gets its own result; invalid items are reported and the valid ones applied.
 */
export async function ingestBatch(ctx: IngestContext, rawItems: unknown[]): Promise<BatchResult> {
  const results: ItemResult[] = new Array(rawItems.length);
  const groups: Record<ItemType, IndexedItem[]> = { customer: [], receivable: [], payment: [], event: [] };
  rawItems.forEach((raw, index) => {
    const shape = schemaErrors(BatchItem, raw);
    if (shape.length > 0) {
      results[index] = { index, type: null, ...rejected({ type: 'validation', message: `item ${index} is not {type, data}`, details: shape }) };
      return;
    }
    const item = raw as { type: ItemType; data: unknown };
    groups[item.type].push({ index, data: item.data });
  });

  await ctx.db.transaction().execute(async (trx) => {
    const touched = new Set<string>();
    const arrivals = new Map<string, Arrival>();
    const collect = (outcomes: { outcomes: Outcomes; customerIds: Set<string>; arrivals?: Map<string, Arrival> }) => {
      for (const id of outcomes.customerIds) touched.add(id);
      for (const [id, arrival] of outcomes.arrivals ?? []) {
        const seen = arrivals.get(id);
        arrivals.set(id, seen ? { firstDue: arrival.firstDue < seen.firstDue ? arrival.firstDue : seen.firstDue, anyWrittenOff: seen.anyWrittenOff || arrival.anyWrittenOff } : arrival);
      }
      return outcomes.outcomes;
    };
    const all: Array<[ItemType, Outcomes]> = [
      ['customer', await applyGroup(trx, groups.customer, (items) => upsertCustomers(trx, ctx, items))],
      ['receivable', await applyGroup(trx, groups.receivable, async (items) => collect(await upsertReceivables(trx, ctx.now, items)))],
      ['payment', await applyGroup(trx, groups.payment, async (items) => collect(await applyPayments(trx, ctx.now, items)))],
      ['event', await applyGroup(trx, groups.event, (items) => recordInteractions(trx, ctx.now, items))],
    ];
    for (const [type, outcomes] of all) {
      for (const [index, outcome] of outcomes) {
        // Spelled out rather than spread: this runs once per item of a 10,000-item batch.
        results[index] = outcome.status === 'rejected' ? { index, type, status: outcome.status, error: outcome.error } : { index, type, status: outcome.status, id: outcome.id };
      }
    }
    // A customer whose receivables only grew needs no rescan of what they owed before: their case
    // can only open or move up. Any change or payment takes the full refresh.
    for (const id of touched) arrivals.delete(id);
    await refreshCases(trx, ctx.now, ctx.stages, touched);
    await raiseCases(trx, ctx.now, ctx.stages, arrivals);
    const counts = countStatuses(results);
    if (counts.created + counts.updated > 0) {
      await appendAudit(trx, ctx.now, { actor: ctx.actor, action: 'ingest', details: { source: ctx.source, items: rawItems.length, ...counts } });
    }
  });
  return { results, counts: countStatuses(results) };
}

function countStatuses(results: ItemResult[]): BatchResult['counts'] {
  const counts = { created: 0, updated: 0, duplicate: 0, rejected: 0 };
  for (const result of results) if (result) counts[result.status] += 1;
  return counts;
}
