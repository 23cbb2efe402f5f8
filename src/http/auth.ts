import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type Principal } from '../auth/api-keys.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { sendDomainError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Routes without it under /v1 are refused: access is opt-in. */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const ALL_ROLES: readonly Role[] = ['admin', 'operator', 'agent', 'analyst', 'auditor'];
export const WRITERS: readonly Role[] = ['admin', 'operator'];
export const ADMIN: readonly Role[] = ['admin'];

/** Bearer-key authentication and a role check on every route that is not marked public. */
export function registerAuth(server: FastifyInstance, db: Db): void {
  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public || !request.url.startsWith('/v1')) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await authenticate(db, match[1]) : undefined;
    if (!principal) {
      return sendDomainError(reply, { type: 'unauthorized', message: 'missing or unknown API key', details: [{ field: 'header.authorization', reason: 'must be "Bearer <api key>"' }] });
    }
    const allowed = config.roles ?? [];
    if (!allowed.includes(principal.role)) {
      return sendDomainError(reply, { type: 'forbidden', message: `role ${principal.role} may not ${request.method} ${request.routeOptions.url}`, details: [] });
    }
    request.principal = principal;
  });
}

export function actorOf(request: FastifyRequest): string {
  return request.principal ? `api_key:${request.principal.keyId}` : 'anonymous';
}
