import { type Result, fail, invalid, ok } from '../core/errors.js';
import type { Page } from '../core/pagination.js';
import { parseInstant } from '../core/time.js';
import type { Db } from '../db/database.js';

/** One audit entry as the API shows it; seq is a string because it is an int8. */
export interface AuditEntryView {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  subject?: string;
  from?: string;
  to?: string;
  limit?: number;
  after?: string;
}

// The chain's own order (seq) is the page order: stable under appends, and what `verify` walks.
const CURSOR_PREFIX = 'audit:';

function encodeAuditCursor(seq: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
}

function decodeAuditCursor(text: string): bigint | undefined {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const digits = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  return /^\d{1,19}$/.test(digits) ? BigInt(digits) : undefined;
}

/** Oldest first, filtered by action, actor, subject and a half-open time range [from, to). */
export async function listAuditEntries(db: Db, filter: AuditFilter): Promise<Result<Page<AuditEntryView>>> {
  const errors = [];
  const after = filter.after === undefined ? undefined : decodeAuditCursor(filter.after);
  if (filter.after !== undefined && after === undefined) errors.push({ field: 'after', reason: 'is not a cursor returned by this API' });
  const from = filter.from === undefined ? undefined : parseInstant(filter.from, 'from');
  const to = filter.to === undefined ? undefined : parseInstant(filter.to, 'to');
  if (from && !from.ok) errors.push(from.error);
  if (to && !to.ok) errors.push(to.error);
  if (errors.length > 0) return fail(invalid(errors));

  const limit = filter.limit ?? 100;
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq').limit(limit + 1);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.subject) query = query.where('subject', '=', filter.subject);
  if (from?.ok) query = query.where('at', '>=', from.instant);
  if (to?.ok) query = query.where('at', '<', to.instant);
  if (after !== undefined) query = query.where('seq', '>', after);
  const rows = await query.execute();
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return ok({
    items: items.map((row) => ({
      seq: String(row.seq),
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      details: row.details,
      prevHash: row.prev_hash,
      hash: row.hash,
    })),
    nextCursor: more && last ? encodeAuditCursor(BigInt(last.seq)) : null,
  });
}
