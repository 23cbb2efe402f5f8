import { sql, type Selectable } from 'kysely';
import { appendAudit } from '../compliance/audit-log.js';
import { conflict, fail, ok, type Result } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { PolicyVersionsTable } from '../db/schema.js';

export type PolicyVersionRow = Selectable<PolicyVersionsTable>;

/** A compiled candidate, ready to be stored and put in force. */
export interface Candidate {
  policyId: string;
  version: number;
  source: string;
  format: 'yaml' | 'json';
  sha256: string;
}

// Activations from every process are serialised, so the sequence and the audit chain agree on the order.
const ACTIVATION_LOCK_KEY = 7_261_002;

export async function newestActiveRow(db: Db): Promise<PolicyVersionRow | undefined> {
  return db.selectFrom('policy_versions').selectAll().where('activation_seq', 'is not', null).orderBy('activation_seq', 'desc').limit(1).executeTakeFirst();
}

/** By row id (uuid), by `policy-id@version`, or by a bare version number of `defaultPolicyId`. */
export async function findVersionRow(db: Db, ref: string, defaultPolicyId: string): Promise<PolicyVersionRow | undefined> {
  const query = db.selectFrom('policy_versions').selectAll();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) return query.where('id', '=', ref).executeTakeFirst();
  const match = /^(?:(.+)@)?(\d{1,9})$/.exec(ref);
  if (!match) return undefined;
  return query.where('policy_id', '=', match[1] ?? defaultPolicyId).where('version', '=', Number(match[2])).executeTakeFirst();
}

export async function listVersionRows(db: Db, limit = 500): Promise<Omit<PolicyVersionRow, 'source'>[]> {
  return db
    .selectFrom('policy_versions')
    .select(['id', 'policy_id', 'version', 'format', 'sha256', 'created_at', 'created_by', 'activated_at', 'activation_seq'])
    .orderBy('created_at', 'desc')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
}

async function storeOrFind(trx: Db, candidate: Candidate, now: Date, actor: string): Promise<Result<PolicyVersionRow>> {
  const same = await trx.selectFrom('policy_versions').selectAll().where('sha256', '=', candidate.sha256).executeTakeFirst();
  if (same) return ok(same);
  const clash = await trx.selectFrom('policy_versions').select('sha256').where('policy_id', '=', candidate.policyId).where('version', '=', candidate.version).executeTakeFirst();
  if (clash) {
    // Decisions name `id@version`; two texts under one name would make that record ambiguous.
    const top = await trx.selectFrom('policy_versions').select((eb) => eb.fn.max('version').as('max')).where('policy_id', '=', candidate.policyId).executeTakeFirstOrThrow();
    const ref = `${candidate.policyId}@${candidate.version}`;
    return fail(conflict(`${ref} is already stored with different content; give the changed policy a new version`, [
      { field: 'version', reason: `${ref} already exists with other content; use version ${Number(top.max) + 1}` },
    ]));
  }
  const row = await trx
    .insertInto('policy_versions')
    .values({ policy_id: candidate.policyId, version: candidate.version, source: candidate.source, format: candidate.format, sha256: candidate.sha256, created_at: now, created_by: actor })
    .returningAll()
    .executeTakeFirstOrThrow();
  return ok(row);
}

/**
 * Stores the candidate (or finds the same text stored before, which re-activates it: a rollback) and
 * makes it the newest activation, with an audit entry, in one transaction. Already in force: no write.
 */
export async function saveAndActivate(db: Db, candidate: Candidate, now: Date, actor: string): Promise<Result<{ row: PolicyVersionRow; changed: boolean }>> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${ACTIVATION_LOCK_KEY})`.execute(trx);
    const active = await newestActiveRow(trx);
    if (active?.sha256 === candidate.sha256) return ok({ row: active, changed: false });
    const stored = await storeOrFind(trx, candidate, now, actor);
    if (!stored.ok) return stored;
    const seq = BigInt(active?.activation_seq ?? 0n) + 1n;
    const row = await trx
      .updateTable('policy_versions')
      .set({ activated_at: now, activation_seq: seq })
      .where('id', '=', stored.value.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const ref = `${row.policy_id}@${row.version}`;
    await appendAudit(trx, now, {
      actor,
      action: 'policy.activated',
      subject: ref,
      details: { versionId: row.id, sha256: row.sha256, previous: active ? `${active.policy_id}@${active.version}` : null },
    });
    return ok({ row, changed: true });
  });
}
