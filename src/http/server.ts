import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { registerAuth } from './auth.js';
import { handleError, typeboxValidatorCompiler } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { adminRoutes } from './routes/admin-routes.js';
import { inboundRoutes } from './routes/inbound-routes.js';
import { agentRoutes } from './routes/agent-routes.js';
import { ingestRoutes } from './routes/ingest-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { unsubscribeRoutes } from './routes/unsubscribe-routes.js';
import { readRoutes } from './routes/read-routes.js';
import { holdRoutes } from './routes/hold-routes.js';
import { policyRoutes } from './routes/policy-routes.js';
import { voiceRoutes } from './routes/voice-routes.js';
import { wechatRoutes } from './routes/wechat-routes.js';
import { nluRoutes } from './routes/nlu-routes.js';
import { complianceRoutes } from './routes/compliance-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { identityRoutes } from './routes/identity-routes.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import { consoleRoutes } from './static-console.js';
import { chatRoutes } from './routes/chat-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { sandboxPayRoutes } from './routes/sandbox-pay-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

// 10,000 batch items of a few hundred bytes each, with room to spare.
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export async function buildServer(app: App): Promise<FastifyInstance> {
  const server = Fastify({
    // The app's logger, so requests are logged with the same PII redaction as everything else.
    loggerInstance: app.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
  }).withTypeProvider<TypeBoxTypeProvider>();

  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Kept for webhook signatures, which are computed over the exact bytes received.
    request.rawBody = body as string;
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Form bodies: Twilio's callbacks and one-click unsubscribe POSTs. Repeated keys become arrays.
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const params: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(body as string)) {
      const existing = params[key];
      params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    done(null, params);
  });
  // XML bodies (WeChat's pushes) stay a string: the route parses them with its own small, DTD-free reader.
  server.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
    request.rawBody = body as string;
    done(null, body);
  });
  server.setValidatorCompiler(typeboxValidatorCompiler);
  server.setErrorHandler(handleError);

  await server.register(swagger, {
    openapi: {
      info: { title: 'Recoup API', version: '0.1.0', description: 'Automated payment reminders and collections' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  registerAuth(server, app.db);

  server.get('/health', { schema: { hide: true }, config: { public: true } }, async () => ({ status: 'ok', database: app.dbKind, now: app.clock.now().toISOString() }));
  server.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => server.swagger());

  await server.register(ingestRoutes(app));
  await server.register(readRoutes(app));
  await server.register(adminRoutes(app));
  await server.register(messageRoutes(app));
  await server.register(inboundRoutes(app));
  await server.register(chatRoutes(app));
  // Only where no payment page is configured: the pay link then points at /pay (see flows-account.ts).
  if (!app.config.assistant.payUrl) await server.register(sandboxPayRoutes(app));
  await server.register(agentRoutes(app));
  await server.register(webhookRoutes(app));
  await server.register(unsubscribeRoutes(app));
  await server.register(holdRoutes(app));
  await server.register(policyRoutes(app));
  await server.register(voiceRoutes(app));
  await server.register(wechatRoutes(app));
  await server.register(nluRoutes(app));
  await server.register(complianceRoutes(app));
  await server.register(modelRoutes(app));
  await server.register(jobRoutes(app));
  await server.register(auditRoutes(app));
  await server.register(identityRoutes(app));
  await server.register(analyticsRoutes(app));
  await server.register(consoleRoutes());
  return server;
}
