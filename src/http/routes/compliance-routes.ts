import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';

/** Slot: filled in this session. */
export function complianceRoutes(_app: App): FastifyPluginAsyncTypebox {
  return async () => {};
}
