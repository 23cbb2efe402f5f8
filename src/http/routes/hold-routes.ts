import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';

/** Placeholder: disputes, promises to pay and conversations. */
export function holdRoutes(_app: App): FastifyPluginAsyncTypebox {
  return async () => {};
}
