import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';

/** Placeholder: the policy in force, its versions, diff, dry run and reload. */
export function policyRoutes(_app: App): FastifyPluginAsyncTypebox {
  return async () => {};
}
