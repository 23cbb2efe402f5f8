import { randomUUID } from 'node:crypto';
import Type, { type Static } from 'typebox';
import { sql } from 'kysely';
import { type Result, fail, invalid, notFound, ok } from '../core/errors.js';
import { parseInstant } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import { type IndexedItem, type Outcomes, rejected } from '../ingest/outcome.js';
import { CHANNELS } from './customer-schema.js';
import { anyOf } from '../db/any-of.js';

/** Something that happened with a customer outside Recoup's own sending: a visit, a click, a call log. */
export const InteractionInput = Type.Object(
  {
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Makes the event idempotent' })),
    customerExternalId: Type.String({ minLength: 1, maxLength: 200 }),
    receivableExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.String({ pattern: '^[a-z][a-z0-9_.]{1,63}$', description: 'e.g. app.opened, call.completed' }),
    channel: Type.Optional(Type.Enum([...CHANNELS])),
    occurredAt: Type.String({ maxLength: 40 }),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type InteractionInput = Static<typeof InteractionInput>;

interface Prepared {
  index: number;
  externalId: string | null;
  customerId: string;
  receivableId: string | null;
  kind: string;
  channel: Channel | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

async function lookup(trx: Db, table: 'customers' | 'receivables' | 'interaction_events', externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await trx.selectFrom(table).select(['id', 'external_id']).where(anyOf('external_id', externalIds, 'text')).execute();
  return new Map(rows.map((r) => [r.external_id as string, r.id]));
}

function prepare(item: IndexedItem, customers: Map<string, string>, receivables: Map<string, string>): Result<Prepared> {
  const shape = schemaErrors(InteractionInput, item.data);
  if (shape.length > 0) return fail(invalid(shape));
  const input = item.data as InteractionInput;
  const customerId = customers.get(input.customerExternalId);
  if (!customerId) return fail(notFound('customer', 'customerExternalId', input.customerExternalId));
  const receivableId = input.receivableExternalId === undefined ? null : receivables.get(input.receivableExternalId);
  if (receivableId === undefined) return fail(notFound('receivable', 'receivableExternalId', input.receivableExternalId!));
  const occurredAt = parseInstant(input.occurredAt, 'occurredAt');
  if (!occurredAt.ok) return fail(invalid([occurredAt.error]));
  return ok({
    index: item.index,
    externalId: input.externalId ?? null,
    customerId,
    receivableId,
    kind: input.kind,
    channel: input.channel ?? null,
    occurredAt: occurredAt.instant,
    payload: input.payload ?? {},
  });
}

/** Records interaction events; one whose externalId was seen before is a duplicate, not a second event. */
export async function recordInteractions(trx: Db, now: Date, items: IndexedItem[]): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  const field = (name: string) => [...new Set(items.map((i) => (i.data as Record<string, unknown> | null)?.[name]).filter((v): v is string => typeof v === 'string'))];
  const customers = await lookup(trx, 'customers', field('customerExternalId'));
  const receivables = await lookup(trx, 'receivables', field('receivableExternalId'));
  const rows: Prepared[] = [];
  for (const item of items) {
    const prepared = prepare(item, customers, receivables);
    if (prepared.ok) rows.push(prepared.value);
    else outcomes.set(item.index, rejected(prepared.error));
  }
  if (rows.length === 0) return outcomes;
  // Ids are chosen here so that each returned row maps back to its item, with or without an externalId.
  const ids = rows.map(() => randomUUID());
  const inserted = await sql<{ id: string }>`
    insert into interaction_events (id, external_id, customer_id, receivable_id, kind, channel, occurred_at, payload, created_at)
    select x.id, x.external_id, x.customer_id, x.receivable_id, x.kind, x.channel, x.occurred_at, x.payload, ${now}::timestamptz
    from unnest(${ids}::uuid[], ${rows.map((r) => r.externalId)}::text[], ${rows.map((r) => r.customerId)}::uuid[],
                ${rows.map((r) => r.receivableId)}::uuid[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.channel)}::text[],
                ${rows.map((r) => r.occurredAt)}::timestamptz[], ${rows.map((r) => JSON.stringify(r.payload))}::jsonb[])
      as x(id, external_id, customer_id, receivable_id, kind, channel, occurred_at, payload)
    on conflict (external_id) do nothing
    returning id`.execute(trx);
  const written = new Set(inserted.rows.map((r) => r.id));
  const skipped = rows.filter((_, i) => !written.has(ids[i]!)).map((r) => r.externalId!);
  const earlier = skipped.length === 0 ? new Map<string, string>() : await lookup(trx, 'interaction_events', skipped);
  rows.forEach((row, i) => {
    const id = ids[i]!;
    outcomes.set(row.index, written.has(id) ? { status: 'created', id } : { status: 'duplicate', id: earlier.get(row.externalId!)! });
  });
  return outcomes;
}
