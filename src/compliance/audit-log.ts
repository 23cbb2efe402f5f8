import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Append-only, hash-chained: each entry's hash covers its content and the previous entry's hash, so an
 * edited or deleted row breaks the chain from that point on. The database trigger refuses UPDATE and
 * DELETE; the chain catches what is done around it.
 */
export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
// Any constant key serialises appenders; the chain needs a total order.
const AUDIT_LOCK_KEY = 7_261_001;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function hashEntry(prevHash: string, at: Date, entry: Required<AuditEntry>): string {
  const content = canonicalJson({ at: at.toISOString(), actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/** Must run inside the caller's transaction, so that the audit entry commits or rolls back with the change. */
export async function appendAudit(trx: Db, at: Date, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const full = { actor: entry.actor, action: entry.action, subject: entry.subject ?? null, details: entry.details ?? {} };
  const prevHash = last?.hash ?? GENESIS;
  await trx
    .insertInto('audit_log')
    .values({ at, ...full, details: JSON.stringify(full.details), prev_hash: prevHash, hash: hashEntry(prevHash, at, full) })
    .execute();
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first sequence number at which the chain no longer holds. */
  brokenAt?: string;
  reason?: string;
}

/** Walks the chain in pages; reports the first entry that was edited, inserted or follows a deletion. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<AuditVerification> {
  let prevHash = GENESIS;
  let afterSeq = 0n;
  let entries = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of page) {
      entries += 1;
      const entry = { actor: row.actor, action: row.action, subject: row.subject, details: row.details };
      if (row.prev_hash !== prevHash) return { ok: false, entries, brokenAt: String(row.seq), reason: 'previous hash does not match: an entry before it was removed or changed' };
      if (hashEntry(prevHash, row.at, entry) !== row.hash) return { ok: false, entries, brokenAt: String(row.seq), reason: 'content does not match its hash: the entry was edited' };
      prevHash = row.hash;
      afterSeq = row.seq;
    }
    if (page.length < pageSize) return { ok: true, entries };
  }
}
