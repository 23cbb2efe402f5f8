import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { App } from '../../app.js';
import { loadOwed } from '../../conversation/account.js';
import { formatMinor } from '../../core/money.js';
import { escapeMarkup } from '../../core/markup.js';
import { ingestBatch } from '../../ingest/ingest-batch.js';
import { sendPlainPage } from '../plain-page.js';

/**
 * Where the assistant's pay link lands when no payment page is configured (`assistant.payUrl`).
 * Recoup takes no money itself: in the demo this page pays on the spot, as a stand-in for the
 * lender's checkout, so the whole path (reminder, chat, pay, reminders stop) can be walked; anywhere
 * else it says that online payment is not set up, instead of a bare 404.
 */
function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return sendPlainPage(reply, status, { title, body: `<h1>${title}</h1>${body}` });
}

export function sandboxPayRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    const Query = Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) });
    /** What a pay link still stands for: its customer's open debts in its currency; undefined when expired or forged. */
    const owedOnLink = async (token: string) => {
      const link = app.links.verify(token, app.clock.now());
      if (link?.p !== 'pay' || !link.c || !link.cur) return undefined;
      const currency = link.cur;
      return { currency, owed: (await loadOwed(app.db, link.c)).filter((o) => o.currency === currency) };
    };

    server.get('/pay', { schema: { hide: true, querystring: Query }, config: { public: true } }, async (request, reply) => {
      if (!app.config.demo) {
        return page(reply, 404, 'Online payment is not set up · 未开通在线支付', '<p>Please pay as your agreement describes, or reply to our message for help. 请按合同约定方式还款，或回复消息获取帮助。</p>');
      }
      const link = await owedOnLink(request.query.token);
      if (!link) return page(reply, 410, 'This link has expired · 链接已失效', '<p>Ask the assistant for a new pay link. 请向助手索取新的还款链接。</p>');
      const total = link.owed.reduce((sum, o) => sum + o.outstandingMinor, 0n);
      if (total === 0n) return page(reply, 200, 'Nothing to pay · 无需还款', '<p>This balance is already settled. 该笔欠款已结清。</p>');
      return page(reply, 200, 'Sandbox payment · 模拟支付', `<p>Demo only: no money moves. 演示环境，不产生真实扣款。</p>
<p id="pay-amount">${escapeMarkup(formatMinor(total, link.currency))} ${escapeMarkup(link.currency)}</p>
<form method="post" action="/pay?token=${encodeURIComponent(request.query.token)}"><button id="pay-now" type="submit">Pay now · 立即还款</button></form>`);
    });

    server.post('/pay', { schema: { hide: true, querystring: Query }, config: { public: true } }, async (request, reply) => {
      if (!app.config.demo) return page(reply, 404, 'Online payment is not set up · 未开通在线支付', '');
      const link = await owedOnLink(request.query.token);
      if (!link) return page(reply, 410, 'This link has expired · 链接已失效', '');
      const now = app.clock.now();
      // One payment per open debt in the link's currency, keyed by the link: paying twice pays once.
      const key = createHash('sha256').update(request.query.token).digest('hex').slice(0, 24);
      const items = link.owed.map((o) => ({
        type: 'payment' as const,
        data: { externalId: `sandbox-${key}-${o.externalId}`, receivableExternalId: o.externalId, amount: formatMinor(o.outstandingMinor, o.currency), paidAt: now.toISOString() },
      }));
      if (items.length > 0) await ingestBatch({ db: app.db, vault: app.vault, stages: app.config.stages, now, actor: 'customer:sandbox-pay', source: 'sandbox-pay' }, items);
      return page(reply, 200, 'Paid · 还款成功', '<p id="paid">Thank you: your payment is recorded and reminders stop. 感谢您的还款，提醒将停止。</p>');
    });
  };
}
