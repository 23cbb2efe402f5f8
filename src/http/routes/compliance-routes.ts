import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import type { Role } from '../../db/schema.js';
import { FAMILIES, MAX_SCAN_CHARACTERS, SCAN_CHANNELS, SCAN_LOCALES } from '../../compliance/scanner/index.js';
import { sendDomainError } from '../errors.js';

// Whoever writes words to a debtor may check them first; auditors read records, they do not write.
const CHECKERS: readonly Role[] = ['admin', 'operator', 'agent', 'analyst'];

const CheckInput = Type.Object(
  {
    // Length is the scanner's to judge (in characters, not UTF-16 units), with its own clear refusal.
    text: Type.String({ description: `The message as it would be sent; at most ${MAX_SCAN_CHARACTERS} characters` }),
    channel: Type.Enum([...SCAN_CHANNELS]),
    locale: Type.Enum([...SCAN_LOCALES]),
    aiGenerated: Type.Optional(Type.Boolean({ description: 'Written by a language model: the AI-generated mark is then required' })),
  },
  { additionalProperties: false },
);

const CheckResult = Type.Object({
  allowed: Type.Boolean({ description: 'False when any violation has severity block: such a message is never sent' }),
  violations: Type.Array(
    Type.Object({
      rule: Type.String(),
      family: Type.Enum([...FAMILIES]),
      severity: Type.Enum(['block', 'review', 'warn']),
      match: Type.String({ description: 'The words as written (empty when a required part is missing)' }),
    }),
  ),
});

/** POST /v1/compliance/check: the same scanner the delivery gate uses, for templates, agents and writers to try text. */
export function complianceRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post(
      '/v1/compliance/check',
      {
        schema: { tags: ['compliance'], summary: 'Check message text against the compliance rules (threats, insults, disclosure, required parts)', body: CheckInput, response: { 200: CheckResult } },
        config: { roles: CHECKERS },
      },
      async (request, reply) => {
        const { text, ...options } = request.body;
        const result = app.scanner.check(text, options);
        return result.ok ? result.value : sendDomainError(reply, result.error);
      },
    );
  };
}
