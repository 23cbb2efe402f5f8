import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { appendAudit } from '../../compliance/audit-log.js';
import { notFound } from '../../core/errors.js';
import type { Role } from '../../db/schema.js';
import { AgentReplyInput, handBack, replyAsAgent, takeOver } from '../../conversation/agent-desk.js';
import { loadHistory, loadQueue, loadSummary } from '../../conversation/conversation-view.js';
import { actorOf } from '../auth.js';
import { sendDomainError } from '../errors.js';
import { createDeskWatcher } from '../../conversation/desk-watch.js';

const Uuid = Type.String({ format: 'uuid', description: 'Recoup customer id (uuid)' });
const AGENT_DESK: readonly Role[] = ['admin', 'operator', 'agent'];
const config = { roles: AGENT_DESK };
const params = Type.Object({ customerId: Uuid });

/** The human side of the assistant: the queue of handed-off conversations, and taking one over. */
export function agentRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    const watcher = createDeskWatcher(app.db);
    const streams = new Set<ServerResponse>();
    // Open streams would hold the server's close forever: end them before it waits for requests.
    server.addHook('preClose', async () => {
      for (const stream of streams) stream.end();
      watcher.close();
    });

    // Server-sent events: `desk` with a version whenever the queue or a conversation changes. Read with
    // fetch and the Authorization header (EventSource cannot send one, and a key in the URL gets logged).
    server.get('/v1/agent/events', { schema: { tags: ['conversation'], summary: 'A text/event-stream of `desk` events: the queue or a conversation changed, reload it' }, config }, async (request, reply) => {
      const version = await watcher.current();
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (v: string) => stream.write(`event: desk\ndata: ${JSON.stringify({ version: v })}\n\n`);
      send(version);
      streams.add(stream);
      const unsubscribe = watcher.subscribe(send);
      // A comment now and then keeps proxies from closing a quiet stream.
      const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), 25_000);
      keepAlive.unref();
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(stream);
      });
    });

    server.get('/v1/agent/queue', { schema: { tags: ['conversation'], summary: 'Conversations waiting for or held by an agent, oldest first, with a summary (PII masked)' }, config }, async () => ({
      items: await loadQueue(app.db),
    }));

    server.get(
      '/v1/conversations/:customerId',
      { schema: { tags: ['conversation'], summary: 'A customer\'s conversation across channels: summary and history (PII masked)', params }, config },
      async (request, reply) => {
        const history = await loadHistory(app.db, request.params.customerId);
        const summary = await loadSummary(app.db, request.params.customerId, history);
        if (!summary) return sendDomainError(reply, notFound('customer', 'customerId', request.params.customerId));
        // Who read a person's conversation is part of the audit trail (GDPR, PIPL).
        await app.db.transaction().execute((trx) => appendAudit(trx, app.clock.now(), { actor: actorOf(request), action: 'conversation.viewed', subject: summary.customerId }));
        return { ...summary, history };
      },
    );

    server.post(
      '/v1/conversations/:customerId/takeover',
      { schema: { tags: ['conversation'], summary: 'Take the conversation over: the bot stops answering it', params }, config },
      async (request, reply) => {
        const result = await takeOver(app.db, app.clock.now(), request.params.customerId, actorOf(request));
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );

    server.post(
      '/v1/conversations/:customerId/reply',
      { schema: { tags: ['conversation'], summary: 'Answer the customer on their last channel, as a queued outbound message', params, body: AgentReplyInput }, config },
      async (request, reply) => {
        const result = await replyAsAgent(app.db, app.clock.now(), request.params.customerId, request.body, actorOf(request));
        if (!result.ok) return sendDomainError(reply, result.error);
        return reply.status(result.value.queued ? 202 : 200).send(result.value);
      },
    );

    server.post(
      '/v1/conversations/:customerId/handback',
      { schema: { tags: ['conversation'], summary: 'Give the conversation back to the bot', params }, config },
      async (request, reply) => {
        const result = await handBack(app.db, app.clock.now(), request.params.customerId, actorOf(request));
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );
  };
}
