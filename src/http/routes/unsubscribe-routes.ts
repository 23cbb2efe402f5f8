import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { App } from '../../app.js';
import { CHANNELS } from '../../customers/customer-schema.js';
import { optOut } from '../../customers/consent.js';
import type { Channel } from '../../db/schema.js';
import { sendPlainPage } from '../plain-page.js';

function page(reply: FastifyReply, status: number, title: string, text: string): FastifyReply {
  return sendPlainPage(reply, status, { title, body: `<h1>${title}</h1><p>${text}</p>` });
}

/**
 * One-click unsubscribe from a signed link: GET from the email footer, POST from mail clients that
 * honour List-Unsubscribe-Post. A bad or expired link changes nothing and says so.
 */
export function unsubscribeRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    const handle = async (request: FastifyRequest<{ Querystring: { token: string } }>, reply: FastifyReply) => {
      const payload = app.links.verify(request.query.token, app.clock.now());
      const channel = payload?.ch as Channel | undefined;
      if (!payload?.c || !channel || !CHANNELS.includes(channel)) {
        return page(reply, 400, 'Link not valid · 链接无效', 'This link is invalid or has expired. Reply STOP to any message to unsubscribe. 此链接无效或已过期，回复 TD 即可退订。');
      }
      const exists = await app.db.selectFrom('customers').select('id').where('id', '=', payload.c).executeTakeFirst();
      if (!exists) return page(reply, 400, 'Link not valid · 链接无效', 'This link is no longer valid. 此链接已失效。');
      await optOut(app.db, app.clock.now(), { customerId: payload.c, channel, source: 'unsubscribe-link', actor: 'customer' });
      return page(reply, 200, 'Unsubscribed · 已退订', `You will receive no more ${channel} reminders. 您将不再收到此类提醒。`);
    };
    const options = { schema: { tags: ['conversation'], hide: true, querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) }) }, config: { public: true } };
    server.get('/v1/unsubscribe', options, handle);
    server.post('/v1/unsubscribe', options, handle);
  };
}
