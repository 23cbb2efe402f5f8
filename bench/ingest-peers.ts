import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createScratchDatabase as createOn, type ScratchDatabase } from '../src/db/scratch-database.js';
import type { App } from '../src/app.js';
import { parseAmount } from '../src/core/money.js';
import { parseInstant } from '../src/core/time.js';
import { ingestBatch, MAX_BATCH_ITEMS } from '../src/ingest/ingest-batch.js';
import { customerData, type ReceivableSpec } from './ingest-data.js';

/** The two ways of writing receivables that the benchmark compares, and what both need. */

/** A database of its own on the server `base` names, so a run never touches real data; dropped after. */
export function createScratchDatabase(base: string): Promise<ScratchDatabase> {
  return createOn(base, 'recoup_bench');
}

export async function secondsOf(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

/** Runs `tasks` with at most `concurrency` in flight, in order of start. */
export async function runPool<T>(tasks: T[], concurrency: number, run: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await run(tasks[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Customers through the same ingest function the API calls; not measured, only needed. */
export async function loadCustomers(app: App, count: number): Promise<void> {
  const ctx = { db: app.db, vault: app.vault, stages: app.config.stages, now: app.clock.now(), actor: 'bench', source: 'bench' };
  for (let from = 0; from < count; from += MAX_BATCH_ITEMS) {
    const items = Array.from({ length: Math.min(MAX_BATCH_ITEMS, count - from) }, (_, i) => ({ type: 'customer', data: customerData(from + i) }));
    const { counts } = await ingestBatch(ctx, items);
    if (counts.created !== items.length) throw new Error(`loading customers: ${JSON.stringify(counts)}`);
  }
}

/** One `POST /v1/events:batch`; fails loudly unless every receivable was created. */
export async function postBatch(baseUrl: string, apiKey: string, body: string, expected: number): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/events:batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`events:batch answered ${response.status}: ${text.slice(0, 500)}`);
  const { counts } = JSON.parse(text) as { counts: Record<string, number> };
  if (counts.created !== expected) throw new Error(`events:batch created ${counts.created} of ${expected}: ${JSON.stringify(counts)}`);
}

// Mirrors upsert-receivables.ts: a bare due date of a debtor with no known zone ends at UTC-12.
const UNKNOWN_ZONE_DUE = 'Etc/GMT+12';

export interface Owner {
  id: string;
  timezone: string | null;
}

export async function loadOwners(client: pg.ClientBase): Promise<Map<string, Owner>> {
  const { rows } = await client.query<{ id: string; external_id: string; timezone: string | null }>('select id, external_id, timezone from customers');
  return new Map(rows.map((r) => [r.external_id, { id: r.id, timezone: r.timezone }]));
}

/** The receivables table's columns for these specs, computed exactly as the ingest path computes them. */
export type RawColumns = [string[], string[], string[], string[], string[], string[], string[]];

export function rawColumns(specs: ReceivableSpec[], owners: Map<string, Owner>): RawColumns {
  const columns: RawColumns = [[], [], [], [], [], [], []];
  for (const spec of specs) {
    const owner = owners.get(spec.customerExternalId);
    const amount = parseAmount(spec.amount, spec.currency);
    const due = parseInstant(spec.dueAt, 'dueAt', owner?.timezone ?? UNKNOWN_ZONE_DUE);
    if (!owner || !amount.ok || !due.ok) throw new Error(`bench row ${spec.externalId} is not valid`);
    const values = [spec.externalId, owner.id, spec.kind, spec.currency, amount.minor.toString(), due.instant.toISOString(), spec.status];
    values.forEach((value, column) => columns[column]!.push(value));
  }
  return columns;
}

// One statement per batch, arrays in and no ON CONFLICT: the plainest fast insert a client can send.
const RAW_INSERT = `
  insert into receivables (external_id, customer_id, kind, currency, amount_minor, due_at, status, created_at, updated_at, closed_at)
  select x.external_id, x.customer_id, x.kind, x.currency, x.amount_minor, x.due_at, x.status, $8, $8,
         case when x.status = 'open' then null else $8::timestamptz end
  from unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[], $7::text[])
    as x(external_id, customer_id, kind, currency, amount_minor, due_at, status)`;

export async function insertRaw(pool: pg.Pool, columns: RawColumns, now: Date): Promise<void> {
  const result = await pool.query(RAW_INSERT, [...columns, now.toISOString()]);
  if (result.rowCount !== columns[0].length) throw new Error(`raw insert wrote ${result.rowCount} of ${columns[0].length}`);
}
