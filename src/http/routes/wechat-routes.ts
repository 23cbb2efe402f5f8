import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { App } from '../../app.js';
import { handleWeChatPush } from '../../conversation/wechat-inbound.js';
import { interpretWeChatPush, isFreshTimestamp, verifyWeChatSignature } from '../../delivery/providers/wechat-push.js';
import { parseFlatXml } from '../../delivery/providers/wechat-xml.js';
import { sendDomainError } from '../errors.js';

const SignedQuery = Type.Object({
  signature: Type.Optional(Type.String({ maxLength: 100 })),
  timestamp: Type.Optional(Type.String({ maxLength: 20 })),
  nonce: Type.Optional(Type.String({ maxLength: 100 })),
  echostr: Type.Optional(Type.String({ maxLength: 1000 })),
  openid: Type.Optional(Type.String({ maxLength: 128 })),
});

/** The server-URL token of the configured WeChat provider; without one nothing WeChat sends can be verified. */
function wechatToken(app: App): string | undefined {
  const entry = Object.values(app.config.providers).find((e) => (e as { provider?: string } | null)?.provider === 'wechat') as { token?: unknown } | undefined;
  return typeof entry?.token === 'string' && entry.token ? entry.token : undefined;
}

function refuse(reply: FastifyReply, reason: string): FastifyReply {
  return sendDomainError(reply, { type: 'unauthorized', message: `bad or missing WeChat signature; nothing was changed`, details: [{ field: 'query.signature', reason }] });
}

/**
 * The official account's server URL. WeChat holds no API key: GET proves we know the token (echo),
 * POST carries messages and events signed with it, and both are refused with 401 otherwise.
 */
export function wechatRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/webhooks/wechat',
      { schema: { tags: ['webhooks'], summary: 'WeChat server URL verification (echostr)', querystring: SignedQuery }, config: { public: true } },
      async (request, reply) => {
        const token = wechatToken(app);
        if (!token) return refuse(reply, 'no WeChat token is configured (providers.wechat.token)');
        if (!verifyWeChatSignature(token, request.query)) return refuse(reply, 'does not match token, timestamp and nonce');
        return reply.type('text/plain; charset=utf-8').send(request.query.echostr ?? '');
      },
    );

    server.post(
      '/v1/webhooks/wechat',
      {
        schema: { tags: ['webhooks'], summary: 'WeChat pushes: text messages, unfollow and template-send events (plain mode XML)', querystring: SignedQuery },
        config: { public: true },
        // WeChat puts the sender's openid in this URL's query: the per-request access log would record it.
        logLevel: 'warn',
      },
      async (request, reply) => {
        const token = wechatToken(app);
        if (!token) return refuse(reply, 'no WeChat token is configured (providers.wechat.token)');
        if (!verifyWeChatSignature(token, request.query)) return refuse(reply, 'does not match token, timestamp and nonce');
        if (!isFreshTimestamp(request.query.timestamp, app.clock.now())) return refuse(reply, 'timestamp is more than 5 minutes away from now');
        const parsed = typeof request.body === 'string' ? parseFlatXml(request.body) : { ok: false as const, reason: 'expected an XML body (text/xml)' };
        if (!parsed.ok) return sendDomainError(reply, { type: 'validation', message: `not a WeChat push: ${parsed.reason}`, details: [{ field: '(body)', reason: parsed.reason }] });
        const answer = await handleWeChatPush(app, interpretWeChatPush(parsed.fields, app.clock.now()));
        return answer.kind === 'reply' ? reply.type('application/xml; charset=utf-8').send(answer.xml) : reply.type('text/plain; charset=utf-8').send('success');
      },
    );
  };
}
