import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';
import Type from 'typebox';
import { handleInbound, InboundInput } from '../../conversation/inbound.js';
import { repaymentPlanDocument } from '../../conversation/repayment-plan-document.js';
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

    // Opened by the debtor from the app or WeChat: the signed token is the authority, no API key.
    server.get(
      '/v1/repayment-plan.pdf',
      { schema: { tags: ['conversation'], summary: 'The repayment-plan PDF behind a plan link the assistant sent', querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) }) }, config: { public: true } },
      async (request, reply) => {
        const result = await repaymentPlanDocument(app, request.query.token, app.clock.now());
        if (!result.ok) return sendDomainError(reply, result.error);
        return reply.type('application/pdf').header('content-disposition', 'inline; filename="repayment-plan.pdf"').send(result.value);
      },
    );
  };
}
