import { appendAudit } from '../compliance/audit-log.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { type Result, fail, notFound, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { KIND_TO_API } from './identities.js';

export interface IdentitiesView {
  customerId: string;
  /** True only when the values are shown in clear; every such read is in the audit log. */
  revealed: boolean;
  identities: Record<string, string>;
}

/**
 * A customer's identities, masked; or, for a caller allowed to see them (`reveal`), decrypted. The
 * reveal is audited in the same transaction that reads the ciphertexts, naming who read whose
 * identities and which kinds, never the values: no audit entry, no clear text.
 */
export async function readIdentities(
  db: Db,
  vault: PiiVault,
  input: { customerId: string; reveal: boolean; actor: string; now: Date },
): Promise<Result<IdentitiesView>> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.selectFrom('customers').select('id').where('id', '=', input.customerId).executeTakeFirst();
    if (!customer) return fail(notFound('customer', 'id', input.customerId));
    const rows = await trx.selectFrom('customer_identities').select(['kind', 'masked', 'ciphertext']).where('customer_id', '=', customer.id).orderBy('kind').execute();
    if (!input.reveal) {
      return ok({ customerId: customer.id, revealed: false, identities: Object.fromEntries(rows.map((r) => [KIND_TO_API[r.kind], r.masked])) });
    }
    await appendAudit(trx, input.now, { actor: input.actor, action: 'pii.revealed', subject: customer.id, details: { kinds: rows.map((r) => KIND_TO_API[r.kind]) } });
    return ok({ customerId: customer.id, revealed: true, identities: Object.fromEntries(rows.map((r) => [KIND_TO_API[r.kind], vault.decrypt(r.ciphertext)])) });
  });
}
