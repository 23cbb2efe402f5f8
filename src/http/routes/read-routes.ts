import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { notFound, prefixFields } from '../../core/errors.js';
import { PageQuery } from '../../core/pagination.js';
import { getCustomerView } from '../../customers/single-view.js';
import { listCases, listReceivables } from '../../receivables/queries.js';
import { RECEIVABLE_STATUSES } from '../../receivables/receivable-schema.js';
import { ALL_ROLES } from '../auth.js';
import { sendDomainError } from '../errors.js';

const Uuid = Type.String({ format: 'uuid', description: 'Recoup id (uuid)' });

export function readRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/customers/:id',
      { schema: { tags: ['read'], summary: 'The single view: masked identities, open cases, receivables, timeline, behaviour segment and the best time to reach them', params: Type.Object({ id: Uuid }) }, config: { roles: ALL_ROLES } },
      async (request, reply) => {
        const view = await getCustomerView(app.db, request.params.id);
        if (!view) return sendDomainError(reply, notFound('customer', 'id', request.params.id));
        const segment = await app.segments.forCustomer(view.id);
        const bestTimeToReach = await app.sendTimes.forCustomer(view.id, segment);
        // The segment's hour-by-hour counts served as the best time's prior; the view needs only their total.
        const shown = segment ? (({ answeredByHour: _, ...rest }) => rest)(segment) : null;
        return { ...view, segment: shown, bestTimeToReach };
      },
    );

    server.get(
      '/v1/receivables',
      {
        schema: {
          tags: ['read'],
          querystring: Type.Object({ customerId: Type.Optional(Uuid), externalId: Type.Optional(Type.String()), status: Type.Optional(Type.Enum([...RECEIVABLE_STATUSES])), ...PageQuery }, { additionalProperties: false }),
        },
        config: { roles: ALL_ROLES },
      },
      async (request, reply) => {
        const page = await listReceivables(app.db, request.query);
        // The filter's field names are query parameters here: say so, as the request validator does.
        return page.ok ? page.value : sendDomainError(reply, prefixFields(page.error, 'query'));
      },
    );

    server.get(
      '/v1/cases',
      {
        schema: {
          tags: ['read'],
          querystring: Type.Object(
            {
              customerId: Type.Optional(Uuid),
              stage: Type.Optional(Type.Enum(['pre_due', 'm1', 'm2', 'm3_plus', 'written_off'])),
              status: Type.Optional(Type.Enum(['open', 'closed'])),
              ...PageQuery,
            },
            { additionalProperties: false },
          ),
        },
        config: { roles: ALL_ROLES },
      },
      async (request, reply) => {
        const page = await listCases(app.db, request.query);
        // The filter's field names are query parameters here: say so, as the request validator does.
        return page.ok ? page.value : sendDomainError(reply, prefixFields(page.error, 'query'));
      },
    );
  };
}
