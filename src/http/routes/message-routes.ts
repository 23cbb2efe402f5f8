import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { prefixFields } from '../../core/errors.js';
import { PageQuery } from '../../core/pagination.js';
import { CHANNELS } from '../../customers/customer-schema.js';
import { listMessages } from '../../delivery/message-queries.js';
import { ALL_ROLES } from '../auth.js';
import { sendDomainError } from '../errors.js';

const STATUSES = ['scheduled', 'sending', 'sent', 'delivered', 'read', 'clicked', 'replied', 'failed', 'cancelled', 'blocked'] as const;

export function messageRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/messages',
      {
        schema: {
          tags: ['read'],
          summary: 'Outbound and inbound messages, each outbound one with the decision that scheduled it',
          querystring: Type.Object(
            {
              customerId: Type.Optional(Type.String({ format: 'uuid' })),
              receivableId: Type.Optional(Type.String({ format: 'uuid' })),
              channel: Type.Optional(Type.Enum([...CHANNELS])),
              status: Type.Optional(Type.Enum([...STATUSES])),
              direction: Type.Optional(Type.Enum(['outbound', 'inbound'])),
              since: Type.Optional(Type.String({ maxLength: 40 })),
              ...PageQuery,
            },
            { additionalProperties: false },
          ),
        },
        config: { roles: ALL_ROLES },
      },
      async (request, reply) => {
        const page = await listMessages(app.db, request.query);
        return page.ok ? page.value : sendDomainError(reply, prefixFields(page.error, 'query'));
      },
    );
  };
}
