import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';

/** Placeholder: the WeChat server URL: verification and inbound XML messages. */
export function wechatRoutes(_app: App): FastifyPluginAsyncTypebox {
  return async () => {};
}
