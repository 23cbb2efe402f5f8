import { sql } from 'kysely';
import { type Result, fail, invalid, ok } from '../core/errors.js';
import { type Page, pageOf, parseCursor } from '../core/pagination.js';
import { afterCursor } from '../db/keyset.js';
import { parseInstant } from '../core/time.js';
import type { Db } from '../db/database.js';
import type { AttemptStatus, Channel } from '../db/schema.js';
import { previewText } from '../messaging/index.js';
import { decisionWithReasons } from './decision-reasons.js';

export interface MessageView {
  id: string;
  customerId: string;
  receivableId: string | null;
  receivableIds: string[];
  direction: 'outbound' | 'inbound';
  channel: Channel;
  status: AttemptStatus;
  scheduledFor: string;
  sentAt: string | null;
  templateId: string | null;
  text: string | null;
  attempts: number;
  lastError: string | null;
  decision: Record<string, unknown>;
}

export interface MessageFilter {
  customerId?: string;
  receivableId?: string;
  channel?: Channel;
  status?: AttemptStatus;
  direction?: 'outbound' | 'inbound';
  since?: string;
  limit?: number;
  after?: string;
}

/** Outbound messages are contact attempts; inbound ones arrive with the assistant. */
export async function listMessages(db: Db, filter: MessageFilter): Promise<Result<Page<MessageView>>> {
  const cursor = parseCursor(filter.after);
  if (!cursor.ok) return cursor;
  const since = filter.since === undefined ? undefined : parseInstant(filter.since, 'since');
  if (since && !since.ok) return fail(invalid([since.error]));
  if (filter.direction === 'inbound') return ok({ items: [], nextCursor: null });

  const limit = filter.limit ?? 100;
  // The columns the view shows, with the decision as reads show it (its reasons put back) in place of the stored one.
  let query = db
    .selectFrom('contact_attempts')
    .select(['id', 'customer_id', 'receivable_ids', 'channel', 'status', 'due_at', 'sent_at', 'template_id', 'content', 'attempt_count', 'last_error', 'created_at'])
    .select(decisionWithReasons(sql.ref('contact_attempts.decision')).as('decision'))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  // Through the receivable's owner: attempts are indexed by customer, not by receivable.
  if (filter.receivableId) {
    query = query
      .where(sql<boolean>`customer_id in (select customer_id from receivables where id = ${filter.receivableId}::uuid)`)
      .where(sql<boolean>`receivable_ids @> array[${filter.receivableId}]::uuid[]`);
  }
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (since?.ok) query = query.where('created_at', '>=', since.instant);
  if (cursor.value) query = query.where(afterCursor('created_at', cursor.value));
  const rows = await query.execute();
  return ok(
    pageOf(rows, limit, (row) => row.created_at, (row) => ({
      id: row.id,
      customerId: row.customer_id,
      receivableId: row.receivable_ids[0] ?? null,
      receivableIds: row.receivable_ids,
      direction: 'outbound',
      channel: row.channel,
      status: row.status,
      scheduledFor: row.due_at.toISOString(),
      sentAt: row.sent_at?.toISOString() ?? null,
      templateId: row.template_id,
      text: previewText(row.content),
      attempts: row.attempt_count,
      lastError: row.last_error,
      decision: row.decision,
    })),
  );
}
