import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { type FieldError, invalid } from '../../core/errors.js';
import { isValidTimeZone } from '../../core/time.js';
import type { Role } from '../../db/schema.js';
import { INTENTS, MAX_TEXT_LENGTH, NLU_LOCALES, parse } from '../../conversation/nlu/index.js';
import { sendDomainError } from '../errors.js';

// Anyone who reads or answers conversations may ask what a message means; it reads no stored data.
const PARSERS: readonly Role[] = ['admin', 'operator', 'agent', 'analyst'];

const ParseInput = Type.Object(
  {
    // Emptiness and length are checked in characters (not UTF-16 units) by the handler, with a clear reason.
    text: Type.String({ description: `The customer's message; 1 to ${MAX_TEXT_LENGTH} characters` }),
    locale: Type.Optional(Type.Enum([...NLU_LOCALES], { description: 'Detected from the text when absent (Han characters mean zh-CN)' })),
    timezone: Type.Optional(Type.String({ description: 'IANA zone relative dates are resolved in ("明天", "next Friday"); UTC when absent' })),
  },
  { additionalProperties: false },
);

const Spanned = { text: Type.String({ description: 'The words as written' }) };
const ParseResult = Type.Object({
  intent: Type.Enum([...INTENTS]),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  locale: Type.Enum([...NLU_LOCALES]),
  entities: Type.Object({
    dates: Type.Array(Type.Object({ ...Spanned, date: Type.String({ description: 'YYYY-MM-DD in the timezone' }), relative: Type.Boolean() })),
    amounts: Type.Array(Type.Object({ ...Spanned, value: Type.String({ description: 'Exact decimal in major units' }), currency: Type.Union([Type.String(), Type.Null()]) })),
    instalments: Type.Array(Type.Object({ ...Spanned, count: Type.Integer() })),
  }),
  sentiment: Type.Object({
    label: Type.Enum(['angry', 'negative', 'neutral', 'positive']),
    score: Type.Number({ minimum: -1, maximum: 1, description: 'Polarity, -1 very negative to 1 very positive' }),
    anger: Type.Number({ minimum: 0, maximum: 1 }),
  }),
});

function checkInput(text: string, timezone: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!/\S/u.test(text)) errors.push({ field: 'text', reason: 'must not be empty' });
  // Counting code points stops at the limit instead of spreading a huge string into an array.
  let characters = 0;
  for (const _ of text) if (++characters > MAX_TEXT_LENGTH) break;
  if (characters > MAX_TEXT_LENGTH) errors.push({ field: 'text', reason: `must be at most ${MAX_TEXT_LENGTH} characters` });
  if (timezone !== undefined && !isValidTimeZone(timezone)) errors.push({ field: 'timezone', reason: `${JSON.stringify(timezone)} is not an IANA time zone` });
  return errors;
}

/** POST /v1/nlu/parse: what the assistant understands of a message, without acting on it. */
export function nluRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post(
      '/v1/nlu/parse',
      {
        schema: { tags: ['conversation'], summary: 'Intent, entities (dates, amounts, instalments) and sentiment of a message', body: ParseInput, response: { 200: ParseResult } },
        config: { roles: PARSERS },
      },
      async (request, reply) => {
        const { text, locale, timezone } = request.body;
        const errors = checkInput(text, timezone);
        if (errors.length > 0) return sendDomainError(reply, invalid(errors));
        return parse(text, { locale, now: app.clock.now(), timezone: timezone ?? 'UTC' });
      },
    );
  };
}
