import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { App } from '../../app.js';
import { CHANNELS } from '../../customers/customer-schema.js';
import type { Channel } from '../../db/schema.js';
import type { ProviderEvent } from '../../delivery/provider.js';
import { parseTwilioWebhook, validateTwilioSignature } from '../../delivery/providers/twilio-provider.js';
import { parseWebhookReceipt, verifyWebhookSignature } from '../../delivery/providers/webhook-provider.js';
import { applyProviderEvents } from '../../delivery/receipts.js';
import { sendDomainError } from '../errors.js';
import { escapeMarkup } from '../../core/markup.js';

type FormParams = Record<string, string | string[]>;

/** The first configured entry for a provider id: its secrets check the signatures of what it posts back. */
function providerSettings(app: App, id: string): Record<string, unknown> | undefined {
  return Object.values(app.config.providers).find((entry) => (entry as { provider?: string } | null)?.provider === id) as Record<string, unknown> | undefined;
}

function refuseSignature(reply: FastifyReply): FastifyReply {
  return sendDomainError(reply, { type: 'unauthorized', message: 'bad or missing webhook signature; nothing was changed', details: [{ field: 'header.signature', reason: 'does not match the body' }] });
}

/**
 * Receipts and inbound messages from providers. These callers hold no API key: each request is
 * authenticated by the provider's own signature over the body, and refused with 401 otherwise.
 */
export function webhookRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post('/v1/webhooks/twilio', { schema: { tags: ['webhooks'], summary: 'Twilio status callbacks and incoming SMS (X-Twilio-Signature)' }, config: { public: true } }, async (request, reply) => {
      const settings = providerSettings(app, 'twilio');
      const params = (request.body ?? {}) as FormParams;
      const url = `${app.config.publicUrl}${request.url}`;
      const signature = request.headers['x-twilio-signature'];
      if (!settings || !validateTwilioSignature(String(settings.authToken), url, params, typeof signature === 'string' ? signature : undefined)) return refuseSignature(reply);
      const applied = await applyProviderEvents(app, 'twilio', parseTwilioWebhook(params, app.clock.now()));
      // Twilio reads TwiML back: each <Message> is sent to the sender as the answer to their SMS. The
      // replies already passed the compliance gate in the assistant's turn and are on the timeline.
      const messages = applied.inbound.flatMap((o) => o.replies).map((r) => `<Message>${escapeMarkup(r.text)}</Message>`).join('');
      return reply.type('text/xml').send(`<?xml version="1.0" encoding="UTF-8"?><Response>${messages}</Response>`);
    });

    server.post(
      '/v1/webhooks/webhook',
      {
        schema: { tags: ['webhooks'], summary: 'Receipts and inbound messages from the generic webhook gateway (X-Recoup-Signature)', body: Type.Unknown() },
        config: { public: true },
      },
      async (request, reply) => {
        const settings = providerSettings(app, 'webhook');
        const timestamp = request.headers['x-recoup-timestamp'];
        const signature = request.headers['x-recoup-signature'];
        const valid =
          settings !== undefined &&
          verifyWebhookSignature(request.rawBody ?? '', typeof signature === 'string' ? signature : undefined, typeof timestamp === 'string' ? timestamp : undefined, String(settings.secret), app.clock.now());
        if (!valid) return refuseSignature(reply);
        const receipt = parseWebhookReceipt(request.body);
        const inbound = request.body as { type?: string; channel?: string; from?: Record<string, string>; text?: string };
        const events: ProviderEvent[] = receipt
          ? [{ kind: 'receipt', ...receipt }]
          : inbound.type === 'inbound' && CHANNELS.includes(inbound.channel as Channel) && inbound.from && typeof inbound.text === 'string'
            ? [{ kind: 'inbound', channel: inbound.channel as Channel, from: inbound.from, text: inbound.text, at: app.clock.now() }]
            : [];
        if (events.length === 0) {
          return sendDomainError(reply, { type: 'validation', message: 'not a receipt ({id, status}) nor an inbound message ({type: "inbound", channel, from, text})', details: [{ field: '(body)', reason: 'unrecognised event' }] });
        }
        const applied = await applyProviderEvents(app, 'webhook', events);
        return { receipts: applied.receipts, unmatched: applied.unmatched, replies: applied.inbound.flatMap((o) => o.replies) };
      },
    );
  };
}
