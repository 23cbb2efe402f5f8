import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { createApiKey, revokeApiKey, ROLES } from '../../auth/api-keys.js';
import { VirtualClock } from '../../core/clock.js';
import type { Role } from '../../db/schema.js';
import { actorOf, ADMIN, ALL_ROLES } from '../auth.js';
import { sendDomainError } from '../errors.js';

// A year of virtual time in one call is plenty; more is almost certainly a unit mistake.
const MAX_ADVANCE_MINUTES = 366 * 24 * 60;

export function adminRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post(
      '/v1/api-keys',
      { schema: { tags: ['admin'], summary: 'Create an API key; the key is shown once', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.Enum([...ROLES]) }, { additionalProperties: false }) }, config: { roles: ADMIN } },
      async (request, reply) => {
        const created = await createApiKey(app.db, app.clock, { name: request.body.name, role: request.body.role as Role }, actorOf(request));
        return reply.status(201).send(created);
      },
    );

    server.delete(
      '/v1/api-keys/:id',
      { schema: { tags: ['admin'], params: Type.Object({ id: Type.String({ format: 'uuid' }) }) }, config: { roles: ADMIN } },
      async (request, reply) => {
        const result = await revokeApiKey(app.db, app.clock, request.params.id, actorOf(request));
        return result.ok ? reply.status(204).send() : sendDomainError(reply, result.error);
      },
    );

    const refuseRealClock = { type: 'conflict' as const, message: 'the clock is real; start with --clock virtual (or RECOUP_CLOCK=virtual) to move time', details: [] };

    server.get('/v1/clock', { schema: { tags: ['clock'], summary: 'The virtual clock' }, config: { roles: ALL_ROLES } }, async (_request, reply) =>
      app.clock instanceof VirtualClock ? { now: app.clock.now().toISOString() } : sendDomainError(reply, refuseRealClock),
    );

    server.post(
      '/v1/clock/advance',
      {
        schema: {
          tags: ['clock'],
          summary: 'Advance the virtual clock, running all work that falls due on the way, in time order',
          body: Type.Object({ minutes: Type.Integer({ minimum: 0, maximum: MAX_ADVANCE_MINUTES }) }, { additionalProperties: false }),
        },
        config: { roles: ADMIN },
      },
      async (request, reply) => {
        const clock = app.clock;
        if (!(clock instanceof VirtualClock)) return sendDomainError(reply, refuseRealClock);
        const target = new Date(clock.now().getTime() + request.body.minutes * 60_000);
        await app.work.advanceTo(clock, target);
        return { now: clock.now().toISOString() };
      },
    );
  };
}
