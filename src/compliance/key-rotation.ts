import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { appendAudit } from './audit-log.js';
import type { PiiVault } from './pii-vault.js';

/**
 * After a key rotation (a new secretKey, the old one in previousSecretKeys), identities written
 * before still name the old key. This rewrites them under the current key, a page at a time, so that
 * the old key can then be retired. Lookup hashes are left alone: they are keyed separately
 * (lookupSecretKey) and lookups keep working throughout.
 */
export interface RotationReport {
  keyId: string;
  rewritten: number;
}

interface IdentityRow {
  customer_id: string;
  kind: string;
  ciphertext: string;
}

/** Ciphertexts read `v1:<key id>:iv:tag:body`; the id of a fresh one is the current key's. */
function currentKeyId(vault: PiiVault): string {
  return vault.encrypt('').split(':')[1]!;
}

export async function reencryptIdentities(db: Db, vault: PiiVault, options: { batchSize?: number; actor?: string; now: Date }): Promise<RotationReport> {
  const keyId = currentKeyId(vault);
  const batchSize = options.batchSize ?? 1000;
  let after: { customerId: string; kind: string } | null = null;
  let rewritten = 0;
  for (;;) {
    const position: RawBuilder<unknown> = after ? sql`and (customer_id, kind) > (${after.customerId}::uuid, ${after.kind})` : sql``;
    const page: { rows: IdentityRow[] } = await sql<IdentityRow>`
      select customer_id, kind, ciphertext from customer_identities
      where split_part(ciphertext, ':', 2) <> ${keyId} ${position}
      order by customer_id, kind limit ${batchSize}`.execute(db);
    const rows: IdentityRow[] = page.rows;
    if (rows.length === 0) break;
    // Decrypting first: a row no configured key can read stops the rotation before anything is written.
    const fresh = rows.map((row) => vault.encrypt(vault.decrypt(row.ciphertext)));
    // Only where the ciphertext is still the one read: a concurrent upsert already wrote under the current key.
    const updated = await sql`
      update customer_identities ci set ciphertext = x.fresh
      from unnest(${rows.map((r) => r.customer_id)}::uuid[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.ciphertext)}::text[], ${fresh}::text[])
        as x(customer_id, kind, old, fresh)
      where ci.customer_id = x.customer_id and ci.kind = x.kind and ci.ciphertext = x.old`.execute(db);
    rewritten += Number(updated.numAffectedRows ?? 0n);
    const last: IdentityRow = rows[rows.length - 1]!;
    after = { customerId: last.customer_id, kind: last.kind };
    if (rows.length < batchSize) break;
  }
  await db.transaction().execute((trx) =>
    appendAudit(trx, options.now, { actor: options.actor ?? 'system:key-rotation', action: 'pii.reencrypted', details: { keyId, rewritten } }),
  );
  return { keyId, rewritten };
}
