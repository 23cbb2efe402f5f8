import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { verifyAuditChain } from '../../compliance/audit-log.js';
import { listAuditEntries } from '../../compliance/audit-queries.js';
import { prefixFields } from '../../core/errors.js';
import { PageQuery } from '../../core/pagination.js';
import type { Role } from '../../db/schema.js';
import { sendDomainError } from '../errors.js';

const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];

/** The audit trail and its integrity check, for those who answer for it. */
export function auditRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, oldest first: who changed or read what, and when',
          querystring: Type.Object(
            {
              action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'e.g. policy.activated, pii.revealed' })),
              actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'e.g. api_key:<id>, system' })),
              subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Usually a customer id' })),
              from: Type.Optional(Type.String({ maxLength: 40, description: 'Entries at or after this instant' })),
              to: Type.Optional(Type.String({ maxLength: 40, description: 'Entries before this instant' })),
              ...PageQuery,
            },
            { additionalProperties: false },
          ),
        },
        config: { roles: AUDIT_READERS },
      },
      async (request, reply) => {
        const page = await listAuditEntries(app.db, request.query);
        return page.ok ? page.value : sendDomainError(reply, prefixFields(page.error, 'query'));
      },
    );

    server.get(
      '/v1/audit/verify',
      { schema: { tags: ['audit'], summary: 'Walk the hash chain: entries checked, or the first broken sequence number and why' }, config: { roles: AUDIT_READERS } },
      async () => verifyAuditChain(app.db),
    );
  };
}
