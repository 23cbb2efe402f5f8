import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';
import { handleInbound, InboundInput } from '../../conversation/inbound.js';
import { actorOf } from '../auth.js';
import { sendDomainError } from '../errors.js';

export function inboundRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post(
      '/v1/inbound',
      { schema: { tags: ['conversation'], summary: 'A message from a customer; returns the replies for that channel', body: InboundInput }, config: { roles: ['admin', 'operator', 'agent'] } },
      async (request, reply) => {
        const result = await handleInbound(app, request.body, actorOf(request));
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );
  };
}
