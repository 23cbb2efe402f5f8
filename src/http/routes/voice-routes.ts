import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';

/** Placeholder: the voice DTMF menu (TwiML Gather action). */
export function voiceRoutes(_app: App): FastifyPluginAsyncTypebox {
  return async () => {};
}
