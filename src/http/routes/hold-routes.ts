import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import type { Role } from '../../db/schema.js';
import {
  CeaseInput,
  ConversationInput,
  DisputeInput,
  openDispute,
  PromiseInput,
  recordConversation,
  recordPromise,
  requestCeaseCommunication,
  resolveDispute,
  ResolveDisputeInput,
} from '../../holds/index.js';
import { actorOf } from '../auth.js';
import { sendDomainError, typeboxValidatorCompiler } from '../errors.js';

const Uuid = Type.String({ format: 'uuid', description: 'Recoup id (uuid)' });
// Agents take disputes, promises and stop requests on the phone; they record what they hear.
const HOLD_WRITERS: readonly Role[] = ['admin', 'operator', 'agent'];
const config = { roles: HOLD_WRITERS };

/** Disputes, promises to pay, telephone conversations and requests to cease communication. */
export function holdRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post('/v1/disputes', { schema: { tags: ['holds'], summary: 'Open a dispute on one debt or all of them; reminders stop while it is open', body: DisputeInput }, config }, async (request, reply) => {
      const result = await openDispute(app.db, app.clock.now(), request.body, actorOf(request));
      if (!result.ok) return sendDomainError(reply, result.error);
      return reply.status(result.value.created ? 201 : 200).send({ ...result.value.dispute, cancelledAttempts: result.value.cancelledAttempts });
    });

    server.post(
      '/v1/disputes/:id/resolve',
      { schema: { tags: ['holds'], summary: 'Resolve an open dispute; reminders resume at the next planning pass', params: Type.Object({ id: Uuid }), body: ResolveDisputeInput }, config },
      async (request, reply) => {
        const result = await resolveDispute(app.db, app.clock.now(), request.params.id, request.body, actorOf(request));
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );

    server.post('/v1/promises', { schema: { tags: ['holds'], summary: 'Record a promise to pay; no reminder goes before its date', body: PromiseInput }, config }, async (request, reply) => {
      const result = await recordPromise(app.db, app.clock.now(), request.body, actorOf(request));
      if (!result.ok) return sendDomainError(reply, result.error);
      return reply.status(result.value.created ? 201 : 200).send({ ...result.value.promise, cancelledAttempts: result.value.cancelledAttempts });
    });

    server.post(
      '/v1/conversations',
      { schema: { tags: ['holds'], summary: 'Record a telephone conversation with the debtor (Regulation F pauses calls after one)', body: ConversationInput }, config },
      async (request, reply) => {
        const result = await recordConversation(app.db, app.clock.now(), request.body, actorOf(request));
        if (!result.ok) return sendDomainError(reply, result.error);
        return reply.status(result.value.created ? 201 : 200).send(result.value);
      },
    );

    server.post(
      '/v1/customers/:id/cease-communication',
      {
        schema: { tags: ['holds'], summary: 'The debtor asked to stop all collection contact (FDCPA 1692c(c))', params: Type.Object({ id: Uuid }), body: CeaseInput },
        // The body is optional: a bare POST is a request from an unnamed source.
        validatorCompiler: ({ schema, httpPart }) => {
          const validate = typeboxValidatorCompiler({ schema, httpPart });
          return (data: unknown) => (httpPart === 'body' && (data === undefined || data === null) ? { value: {} } : validate(data));
        },
        config,
      },
      async (request, reply) => {
        const input = { customerId: request.params.id, source: request.body.source ?? 'api', actor: actorOf(request) };
        const result = await requestCeaseCommunication(app.db, app.clock.now(), input);
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );
  };
}
