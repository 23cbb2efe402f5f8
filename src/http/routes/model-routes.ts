import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import type { Role } from '../../db/schema.js';
import { MODEL_KINDS, modelVersionsView } from '../../decisioning/training/index.js';

const READERS: readonly Role[] = ['admin', 'operator', 'analyst'];

export function modelRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/models',
      {
        schema: {
          tags: ['models'],
          summary: 'Decisioning model versions, newest first, with their held-out metrics and roles (champion, challenger, retired)',
          querystring: Type.Object({ kind: Type.Optional(Type.Enum([...MODEL_KINDS])) }, { additionalProperties: false }),
        },
        config: { roles: READERS },
      },
      async (request) => ({
        items: await modelVersionsView(app.db, request.query.kind),
        // What this process scores with: it differs from the stored champion only when that one failed to load.
        serving: Object.fromEntries(MODEL_KINDS.map((kind) => [kind, app.models.serving(kind) ?? null])),
      }),
    );
  };
}
