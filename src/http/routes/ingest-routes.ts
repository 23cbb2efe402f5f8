import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { App } from '../../app.js';
import { prefixFields } from '../../core/errors.js';
import { CustomerInput } from '../../customers/customer-schema.js';
import { InteractionInput } from '../../customers/interactions.js';
import { getCustomerView } from '../../customers/single-view.js';
import { type IngestContext, type ItemType, ITEM_TYPES, ingestBatch, MAX_BATCH_ITEMS } from '../../ingest/ingest-batch.js';
import { getReceivable } from '../../receivables/queries.js';
import { PaymentInput, ReceivableInput } from '../../receivables/receivable-schema.js';
import { actorOf, WRITERS } from '../auth.js';
import { RequestValidationError, sendDomainError } from '../errors.js';

function contextFor(app: App, request: FastifyRequest): IngestContext {
  return { db: app.db, vault: app.vault, stages: app.config.stages, now: app.clock.now(), actor: actorOf(request), source: 'api' };
}

export function ingestRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    const ingestOne = async (request: FastifyRequest, type: ItemType, data: unknown) => {
      const { results } = await ingestBatch(contextFor(app, request), [{ type, data }]);
      return results[0]!;
    };

    server.post('/v1/customers', { schema: { tags: ['ingest'], summary: 'Create or update a customer by externalId', body: CustomerInput }, config: { roles: WRITERS } }, async (request, reply) => {
      const result = await ingestOne(request, 'customer', request.body);
      if (result.status === 'rejected') return sendDomainError(reply, result.error);
      return reply.status(result.status === 'created' ? 201 : 200).send(await getCustomerView(app.db, result.id));
    });

    server.post('/v1/receivables', { schema: { tags: ['ingest'], summary: 'Create or update a receivable by externalId', body: ReceivableInput }, config: { roles: WRITERS } }, async (request, reply) => {
      const result = await ingestOne(request, 'receivable', request.body);
      if (result.status === 'rejected') return sendDomainError(reply, result.error);
      return reply.status(result.status === 'created' ? 201 : 200).send(await getReceivable(app.db, result.id));
    });

    server.post('/v1/payments', { schema: { tags: ['ingest'], summary: 'Record a payment; idempotent by externalId', body: PaymentInput }, config: { roles: WRITERS } }, async (request, reply) => {
      const result = await ingestOne(request, 'payment', request.body);
      if (result.status === 'rejected') return sendDomainError(reply, result.error);
      const payment = await app.db.selectFrom('payments').select('receivable_id').where('id', '=', result.id).executeTakeFirstOrThrow();
      return reply.status(result.status === 'created' ? 201 : 200).send({ id: result.id, status: result.status, receivable: await getReceivable(app.db, payment.receivable_id) });
    });

    server.post(
      // '::' is fastify's escape for a literal colon; a single one would declare a path parameter.
      '/v1/events::batch',
      {
        schema: {
          tags: ['ingest'],
          summary: `Up to ${MAX_BATCH_ITEMS} mixed items, applied in order customers, receivables, payments, events; one result per item`,
          body: Type.Object(
            {
              items: Type.Array(
                Type.Object({ type: Type.Enum([...ITEM_TYPES]), data: Type.Union([CustomerInput, ReceivableInput, PaymentInput, InteractionInput]) }),
                { minItems: 1, maxItems: MAX_BATCH_ITEMS },
              ),
            },
            { additionalProperties: false },
          ),
        },
        // The schema above documents the items; each is validated on its own below, so one bad item
        // is reported in its result instead of failing the whole batch.
        validatorCompiler: ({ httpPart }) => (data: unknown) => {
          if (httpPart !== 'body') return { value: data };
          const items = (data as { items?: unknown } | null)?.items;
          if (!Array.isArray(items) || items.length === 0) return { error: new RequestValidationError('body', [{ field: 'items', reason: 'must be a non-empty array' }]) };
          if (items.length > MAX_BATCH_ITEMS) {
            return { error: new RequestValidationError('body', [{ field: 'items', reason: `has ${items.length} entries; at most ${MAX_BATCH_ITEMS} are allowed per batch` }]) };
          }
          return { value: data };
        },
        config: { roles: WRITERS },
      },
      async (request) => {
        const { items } = request.body as { items: unknown[] };
        const { results, counts } = await ingestBatch(contextFor(app, request), items);
        return {
          counts,
          results: results.map((r) => (r.status === 'rejected' ? { ...r, error: prefixFields(r.error, r.type === null ? `items[${r.index}]` : `items[${r.index}].data`) } : r)),
        };
      },
    );
  };
}
