import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { type Result, fail, notFound, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { appendAudit } from '../compliance/audit-log.js';

export const ROLES: readonly Role[] = ['admin', 'operator', 'agent', 'analyst', 'auditor'];

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/** Keys are 256 random bits, so a plain SHA-256 is enough to store them: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `rk_${randomBytes(32).toString('base64url')}`;
}

export async function createApiKey(
  db: Db,
  clock: Clock,
  input: { name: string; role: Role; key?: string },
  actor: string,
): Promise<{ id: string; name: string; role: Role; key: string }> {
  const key = input.key ?? generateApiKey();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_keys')
      .values({ name: input.name, role: input.role, key_hash: hashApiKey(key), key_hint: key.slice(-4), created_at: clock.now() })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, clock.now(), { actor, action: 'api_key.created', subject: row.id, details: { name: input.name, role: input.role } });
    return { id: row.id, name: input.name, role: input.role, key };
  });
}

/** Makes sure a configured key (the demo's, or RECOUP_ADMIN_KEY) exists as an admin key. */
export async function ensureAdminKey(db: Db, clock: Clock, key: string): Promise<void> {
  const existing = await db.selectFrom('api_keys').select('id').where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
  if (!existing) await createApiKey(db, clock, { name: 'bootstrap admin', role: 'admin', key }, 'system');
}

export async function revokeApiKey(db: Db, clock: Clock, id: string, actor: string): Promise<Result<{ id: string }>> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_keys')
      .set({ revoked_at: clock.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) return fail(notFound('active API key', 'id', id));
    await appendAudit(trx, clock.now(), { actor, action: 'api_key.revoked', subject: id });
    return ok({ id });
  });
}

export async function authenticate(db: Db, key: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { keyId: row.id, name: row.name, role: row.role } : undefined;
}
