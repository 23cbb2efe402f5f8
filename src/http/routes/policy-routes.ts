import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { prefixFields, type DomainError } from '../../core/errors.js';
import type { Role } from '../../db/schema.js';
import { DEFAULT_DRY_RUN_SAMPLE } from '../../strategy/policy-store.js';
import { actorOf, ADMIN } from '../auth.js';
import { sendDomainError } from '../errors.js';

const READERS: readonly Role[] = ['admin', 'operator', 'analyst', 'auditor'];
const TRIERS: readonly Role[] = ['admin', 'operator', 'analyst'];

// A policy is a few kilobytes; the cap keeps a line diff and a compile of a posted text cheap.
const Source = Type.String({ minLength: 1, maxLength: 256 * 1024, description: 'The policy as YAML or JSON text' });
const Format = Type.Optional(Type.Enum(['yaml', 'json'], { description: 'Guessed from the text when absent' }));

/** Paths inside the policy are reported under `source`, the body field that holds it. */
function inSource(error: DomainError): DomainError {
  return { ...error, details: error.details.map((d) => ({ ...d, field: d.field === '(document)' ? 'source' : `source.${d.field}` })) };
}

export function policyRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get('/v1/policy', { schema: { tags: ['policy'], summary: 'The collection policy in force' }, config: { roles: READERS } }, async () => app.policies.active());

    server.get('/v1/policy/versions', { schema: { tags: ['policy'], summary: 'Every stored policy version, newest first' }, config: { roles: READERS } }, async () => ({
      items: await app.policies.versions(),
    }));

    server.get(
      '/v1/policy/diff',
      {
        schema: {
          tags: ['policy'],
          summary: 'A line diff between two versions (row id, policy-id@version, or a version of the policy in force)',
          querystring: Type.Object({ from: Type.String({ minLength: 1 }), to: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false }),
        },
        config: { roles: READERS },
      },
      async (request, reply) => {
        const diff = await app.policies.diff(request.query.from, request.query.to);
        return diff.ok ? diff.value : sendDomainError(reply, prefixFields(diff.error, 'query'));
      },
    );

    server.post(
      '/v1/policy/dry-run',
      {
        schema: {
          tags: ['policy'],
          summary: 'How a candidate policy would decide on a sample of open cases, against the policy in force; writes nothing',
          body: Type.Object({ source: Source, format: Format, sampleSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: DEFAULT_DRY_RUN_SAMPLE })) }, { additionalProperties: false }),
        },
        config: { roles: TRIERS },
      },
      async (request, reply) => {
        const { source, format, sampleSize } = request.body;
        const report = await app.policies.dryRun(source, { ...(format ? { format } : {}), ...(sampleSize ? { sampleSize } : {}) });
        return report.ok ? report.value : sendDomainError(reply, inSource(report.error));
      },
    );

    server.post(
      '/v1/policy',
      {
        schema: {
          tags: ['policy'],
          summary: 'Validate, store and activate a policy version; when refused, the policy in force stays',
          body: Type.Object({ source: Source, format: Format }, { additionalProperties: false }),
        },
        config: { roles: ADMIN },
      },
      async (request, reply) => {
        const { source, format } = request.body;
        const result = await app.policies.activate(source, { ...(format ? { format } : {}), actor: actorOf(request) });
        if (!result.ok) return sendDomainError(reply, inSource(result.error));
        return reply.status(result.value.changed ? 201 : 200).send(result.value);
      },
    );
  };
}
