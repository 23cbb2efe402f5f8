import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { readIdentities } from '../../customers/identity-view.js';
import { actorOf, ADMIN, ALL_ROLES } from '../auth.js';
import { sendDomainError } from '../errors.js';

/** Identities are masked for everyone; only an admin may ask for them in clear, and that read is audited. */
export function identityRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/customers/:id/identities',
      {
        schema: {
          tags: ['read'],
          summary: 'A customer\'s identities, masked; reveal=true (admin only, audited) shows them in clear',
          params: Type.Object({ id: Type.String({ format: 'uuid', description: 'Recoup id (uuid)' }) }),
          querystring: Type.Object({ reveal: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
        },
        config: { roles: ALL_ROLES },
      },
      async (request, reply) => {
        const reveal = request.query.reveal === true;
        const role = request.principal!.role;
        if (reveal && !ADMIN.includes(role)) {
          return sendDomainError(reply, { type: 'forbidden', message: `role ${role} may not reveal identities; only admin may`, details: [{ field: 'query.reveal', reason: 'requires the admin role' }] });
        }
        const view = await readIdentities(app.db, app.vault, { customerId: request.params.id, reveal, actor: actorOf(request), now: app.clock.now() });
        return view.ok ? view.value : sendDomainError(reply, view.error);
      },
    );
  };
}
