import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { chatMessage, customerOfLink, openChat } from '../../conversation/chat-page.js';
import { PAY_LINK_PATH } from '../../messaging/index.js';
import { sendDomainError } from '../errors.js';
import { sendPlainPage } from '../plain-page.js';
import { consoleDirectory, findFile, sendFile } from '../static-console.js';

const Token = Type.String({ minLength: 10, maxLength: 200, description: 'The token of the short link in a reminder (the part after /p/)' });
const SessionId = Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$', description: 'A random id the page keeps for its tab: names the browser session, never the customer' });

// Said on a bad link, in both languages because we cannot know whose it was; nothing else is shown.
const EXPIRED = {
  title: 'Link expired · 链接已失效',
  body: `<h1 id="link-expired">This link has expired or is not valid</h1><p>Please open the link in your latest message from us, or reply to that message.</p>
<h1>此链接已过期或无效</h1><p>请打开我们最近一条消息中的链接，或直接回复该消息。</p>`,
};

/**
 * The debtor's chat page: GET /p/<token> serves it (built by Vite with the console, web/chat.html),
 * and two public endpoints talk for it. The token is the authority, so none needs an API key.
 */
export function chatRoutes(app: App, root = consoleDirectory()): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(`${PAY_LINK_PATH}:token`, { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 200 }) }) }, config: { public: true } }, async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      if (!(await customerOfLink(app, request.params.token))) return sendPlainPage(reply, 410, EXPIRED);
      const page = await findFile(root, 'chat.html');
      if (!page) return reply.status(503).type('text/plain; charset=utf-8').send('The chat page is not built: run `npm run build` (or `npm install`).');
      return sendFile(reply, page, false);
    });

    server.post(
      '/v1/chat/open',
      { schema: { tags: ['conversation'], summary: 'The chat page opens: what is owed, as the assistant shows it', body: Type.Object({ token: Token }, { additionalProperties: false }) }, config: { public: true } },
      async (request, reply) => {
        const result = await openChat(app, request.body.token);
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );

    server.post(
      '/v1/chat/messages',
      {
        schema: {
          tags: ['conversation'],
          summary: 'A message typed on the chat page; returns the replies',
          body: Type.Object({ token: Token, sessionId: SessionId, text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        },
        config: { public: true },
      },
      async (request, reply) => {
        const result = await chatMessage(app, request.body);
        return result.ok ? { handledAs: result.value.handledAs, replies: result.value.replies } : sendDomainError(reply, result.error);
      },
    );
  };
}
