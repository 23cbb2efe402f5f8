import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';
import { answerVoiceMenu } from '../../conversation/voice-menu.js';
import { validateTwilioSignature } from '../../delivery/providers/twilio-provider.js';
import { sendDomainError } from '../errors.js';

type FormParams = Record<string, string | string[]>;

/** The auth token that signs the call's callbacks: the voice channel's Twilio entry, else any Twilio entry. */
function twilioAuthToken(app: App): string | undefined {
  const providers = app.config.providers as Record<string, { provider?: string; authToken?: unknown } | undefined>;
  const entry = providers.voice?.provider === 'twilio' ? providers.voice : Object.values(providers).find((e) => e?.provider === 'twilio');
  return typeof entry?.authToken === 'string' ? entry.authToken : undefined;
}

function field(params: FormParams, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : value?.[0];
}

/** Which Gather of the call this answers: ?check=1 the opening question, 1 the reminder's own, later ones carry ?step=N. */
function stepOf(query: unknown): { step: number; retry: boolean; check: boolean } {
  const q = (query ?? {}) as Record<string, unknown>;
  const step = typeof q.step === 'string' && /^\d{1,3}$/.test(q.step) ? Math.max(1, Number(q.step)) : 1;
  return { step, retry: q.retry === '1', check: q.check === '1' };
}

/**
 * The reminder call's DTMF menu. Twilio holds no API key: each request is authenticated by
 * X-Twilio-Signature over the full URL (with the step in its query) and the form parameters.
 */
export function voiceRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post('/v1/voice/menu', { schema: { tags: ['webhooks'], summary: 'The reminder call\'s DTMF menu (TwiML Gather action; X-Twilio-Signature)' }, config: { public: true } }, async (request, reply) => {
      const token = twilioAuthToken(app);
      const params = (request.body ?? {}) as FormParams;
      const signature = request.headers['x-twilio-signature'];
      if (!token || !validateTwilioSignature(token, `${app.config.publicUrl}${request.url}`, params, typeof signature === 'string' ? signature : undefined)) {
        return sendDomainError(reply, { type: 'unauthorized', message: 'bad or missing Twilio signature; nothing was changed', details: [{ field: 'header.x-twilio-signature', reason: 'does not match the URL and parameters' }] });
      }
      const callSid = field(params, 'CallSid');
      const digits = field(params, 'Digits') ?? '';
      if (!callSid || !/^[0-9*#]{0,20}$/.test(digits)) {
        return sendDomainError(reply, { type: 'validation', message: 'a Gather callback needs CallSid and at most 20 keys (0-9, *, #) in Digits', details: [{ field: callSid ? 'body.Digits' : 'body.CallSid', reason: 'missing or malformed' }] });
      }
      const result = await answerVoiceMenu({ db: app.db, clock: app.clock, agentNumber: app.config.voice?.agentNumber }, { callSid, digits, ...stepOf(request.query) });
      return reply.type('text/xml').send(result.twiml);
    });
  };
}
