import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DAY_MS } from '../src/core/time.js';

/**
 * Deterministic synthetic data for the ingest benchmark: the API, the raw peer and the bulk import
 * all see rows of the same shape, spread over the same customers, so their rates compare.
 */

export const BENCH_CLOCK_START = '2026-03-01T00:00:00.000Z';
export const CURRENCY = 'CNY';
const KINDS = ['order', 'bill', 'instalment'] as const;
// A quarter of the debtors have no known zone, which sends due dates down the "end of day at UTC-12" path.
const ZONES = ['Asia/Shanghai', undefined, 'Europe/London', 'America/New_York'] as const;
// Due dates from 180 days before the clock start to 90 days after: every case stage gets rows.
const FIRST_DUE_MS = Date.parse(BENCH_CLOCK_START) - 181 * DAY_MS;
const DUE_DATES = Array.from({ length: 270 }, (_, day) => new Date(FIRST_DUE_MS + day * DAY_MS).toISOString().slice(0, 10));
// A prime step scatters consecutive rows over customers, as a real feed would, instead of in runs.
const SCATTER = 7919;

export interface ReceivableSpec {
  externalId: string;
  customerExternalId: string;
  kind: (typeof KINDS)[number];
  amount: string;
  currency: string;
  dueAt: string;
  status: 'open' | 'paid';
}

export function customerExternalId(index: number): string {
  return `bench-c${index}`;
}

export function customerData(index: number): Record<string, unknown> {
  const zone = ZONES[index % ZONES.length];
  return {
    externalId: customerExternalId(index),
    name: `Bench Debtor ${index}`,
    locale: index % 2 === 0 ? 'zh-CN' : 'en',
    ...(zone ? { timezone: zone } : {}),
    identities: { phone: `+86138${String(index).padStart(8, '0')}`, email: `debtor${index}@example.com` },
    consents: { sms: true, email: index % 3 !== 0 },
  };
}

export function receivableSpec(prefix: string, index: number, customers: number): ReceivableSpec {
  const cents = String(index % 100).padStart(2, '0');
  return {
    externalId: `${prefix}-${index}`,
    customerExternalId: customerExternalId((index * SCATTER) % customers),
    kind: KINDS[index % KINDS.length]!,
    amount: `${100 + (index % 9000)}.${cents}`,
    currency: CURRENCY,
    dueAt: DUE_DATES[index % DUE_DATES.length]!,
    // One in ten arrives already settled: the upsert's closed_at branch runs too.
    status: index % 10 === 0 ? 'paid' : 'open',
  };
}

/** The specs of one batch: rows [from, from + count) of a set named by `prefix`. */
export function receivableSpecs(prefix: string, from: number, count: number, customers: number): ReceivableSpec[] {
  return Array.from({ length: count }, (_, offset) => receivableSpec(prefix, from + offset, customers));
}

/** The body of `POST /v1/events:batch` for these receivables. */
export function batchBody(specs: ReceivableSpec[]): string {
  return JSON.stringify({ items: specs.map((data) => ({ type: 'receivable', data })) });
}

export const CSV_COLUMNS = ['externalId', 'customerExternalId', 'kind', 'amount', 'currency', 'dueAt', 'status'] as const;

/** Writes `rows` receivables as CSV (API field names as headers), honouring back-pressure. */
export async function writeReceivablesCsv(file: string, prefix: string, rows: number, customers: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${CSV_COLUMNS.join(',')}\n`);
  const CHUNK = 5_000;
  for (let from = 0; from < rows; from += CHUNK) {
    const specs = receivableSpecs(prefix, from, Math.min(CHUNK, rows - from), customers);
    await write(specs.map((s) => `${CSV_COLUMNS.map((c) => s[c]).join(',')}\n`).join(''));
  }
  out.end();
  await once(out, 'finish');
}
