import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { appendAudit } from '../compliance/audit-log.js';
import type { Channel, ContactAttemptsTable } from '../db/schema.js';
import { insertReasonLists, type ReasonLists } from './decision-reasons.js';
import { jsonRowsParameter } from '../db/json-rows.js';
import { copyField, copyJsonField, copyPoolOf, CopyTextBuilder, copyThenRun, type StagingTable } from '../db/copy-rows.js';
import { isoInstant } from '../core/time.js';
import { timeOrderedId } from '../db/time-ordered-id.js';

export type AttemptRow = Selectable<ContactAttemptsTable>;

export interface NewAttempt {
  idempotencyKey: string;
  customerId: string;
  receivableIds: string[];
  channel: Channel;
  templateId: string | null;
  content: Record<string, unknown>;
  dueAt: Date;
  decision: Record<string, unknown>;
  maxAttempts?: number;
  /** 'blocked' records a contact the policy refused, so the decision is visible; it is never sent. */
  status?: 'scheduled' | 'blocked';
}

const ATTEMPT_COLUMNS = 'idempotency_key, customer_id, receivable_ids, channel, template_id, content, status, due_at, max_attempts, decision, created_at, updated_at';
const ROW_COLUMNS = 'key text, customer_id uuid, receivable_ids uuid[], channel text, template_id text, content jsonb, status text, due_at timestamptz, max_attempts int, decision jsonb';

/**
 * The insert of new attempts from `source`, a relation `x` with ROW_COLUMNS, preceded by `id uuid`
 * when the rows bring their ids (`withIds`; otherwise the column's default names them). One whose
 * idempotency key exists already is skipped by the database itself (ON CONFLICT DO NOTHING), so two
 * planners racing cannot schedule the same message twice.
 */
function insertAttemptsFrom(source: RawBuilder<unknown>, now: Date, withIds = false): RawBuilder<unknown> {
  return sql`
    insert into contact_attempts (${sql.raw(withIds ? `id, ${ATTEMPT_COLUMNS}` : ATTEMPT_COLUMNS)})
    select ${sql.raw(withIds ? 'x.id, ' : '')}x.key, x.customer_id, x.receivable_ids, x.channel, x.template_id, x.content, x.status, x.due_at, x.max_attempts, x.decision,
           ${now}::timestamptz, ${now}::timestamptz
    from ${source}
    on conflict (idempotency_key) do nothing`;
}

/**
 * The attempts as one jsonb parameter unpacked by jsonb_to_recordset. Perf: as ten parallel arrays,
 * the driver escaped every quote of every content and decision document into array-literal syntax,
 * one of the larger costs of planning a million cases (bench/dispatch).
 */
function attemptsAsJson(db: Db, attempts: NewAttempt[]): RawBuilder<unknown> {
  const rows = attempts.map((a) => ({
    key: a.idempotencyKey,
    customer_id: a.customerId,
    receivable_ids: a.receivableIds,
    channel: a.channel,
    template_id: a.templateId,
    content: a.content,
    status: a.status ?? 'scheduled',
    due_at: a.dueAt,
    max_attempts: a.maxAttempts ?? 5,
    decision: a.decision,
  }));
  return sql`jsonb_to_recordset(${jsonRowsParameter(db, rows)}::jsonb) as x(${sql.raw(ROW_COLUMNS)})`;
}

// The planner's pages go through COPY on PostgreSQL (copy-rows.ts): this table, per connection.
// The rows bring their own time-ordered ids (time-ordered-id.ts).
const ATTEMPT_STAGE: StagingTable = { name: 'recoup_attempt_stage', columns: `id uuid, ${ROW_COLUMNS}` };

/** An attempt as a line of COPY text in ATTEMPT_STAGE's column order, with a new id. */
function attemptCopyLine(a: NewAttempt): string {
  const ids = a.receivableIds.length === 0 ? '{}' : `{${a.receivableIds.join(',')}}`;
  return `${timeOrderedId()}\t${copyField(a.idempotencyKey)}\t${copyField(a.customerId)}\t${copyField(ids)}\t${copyField(a.channel)}\t${copyField(a.templateId)}\t${copyJsonField(JSON.stringify(a.content))}\t${a.status ?? 'scheduled'}\t${isoInstant(a.dueAt)}\t${a.maxAttempts ?? 5}\t${copyJsonField(JSON.stringify(a.decision))}\n`;
}

/** Inserts attempts (see insertAttemptsFrom); returns the keys that were new. */
export async function scheduleAttempts(trx: Db, now: Date, attempts: NewAttempt[]): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  const result = await sql<{ idempotency_key: string }>`${insertAttemptsFrom(attemptsAsJson(trx, attempts), now)} returning idempotency_key`.execute(trx);
  return new Set(result.rows.map((r) => r.idempotency_key));
}

type Counts = { scheduled: number; blocked: number };

/**
 * New attempts gathered for one counted insert (see insertAttemptsFrom), which counts the new ones by
 * status and is built now and run later, with the reason lists their decisions refer to in the same
 * transaction (decision-reasons.ts), so an attempt is never stored without them. On PostgreSQL each
 * attempt becomes a line of COPY text (copy-rows.ts) as it is added; on PGlite the rows go as one
 * jsonb parameter. Perf: the planner needs only the counts, since a million keys sent back and looked
 * up were a visible share of its time; and as text, a page's attempts need not stay alive as objects
 * until the page is done and through the wait for a write slot and the write, where each
 * young-generation collection would copy them (bench/dispatch).
 */
export interface AttemptBatch {
  add(attempt: NewAttempt): void;
  /** The insert, to be run once; `reasons` are the lists the attempts refer to that are not stored yet. */
  insert(now: Date, reasons?: ReasonLists): () => Promise<Counts>;
}

export function attemptBatch(db: Db): AttemptBatch {
  const pool = copyPoolOf(db);
  const counted = (now: Date, reasons: ReasonLists, source: RawBuilder<unknown>, withIds = false) => sql<Counts>`
    with ${reasons.size > 0 ? sql`reasons as (${insertReasonLists(reasons)}),` : sql``}
    inserted as (${insertAttemptsFrom(source, now, withIds)} returning status)
    select count(*) filter (where status <> 'blocked')::int as scheduled, count(*) filter (where status = 'blocked')::int as blocked from inserted`;
  const none = async () => ({ scheduled: 0, blocked: 0 });
  if (pool) {
    const text = new CopyTextBuilder();
    return {
      add(attempt) {
        text.append(attemptCopyLine(attempt));
      },
      insert(now, reasons = new Map()) {
        // Every line holds at least its newline: no bytes, no attempts.
        if (text.byteLength === 0) return none;
        const statement = counted(now, reasons, sql`${sql.table(ATTEMPT_STAGE.name)} as x`, true).compile(db);
        const rows = text.finish();
        return async () => (await copyThenRun<Counts>(pool, ATTEMPT_STAGE, rows, statement))[0]!;
      },
    };
  }
  const attempts: NewAttempt[] = [];
  return {
    add: (attempt) => {
      attempts.push(attempt);
    },
    insert(now, reasons = new Map()) {
      if (attempts.length === 0) return none;
      const statement = counted(now, reasons, attemptsAsJson(db, attempts));
      return async () => (await statement.execute(db)).rows[0]!;
    },
  };
}

/**
 * Claims up to `limit` attempts that are due, or whose lease ran out because their worker died.
 * SKIP LOCKED lets any number of workers claim side by side without waiting on or taking each
 * other's rows; the lease marks the row as taken once the claiming transaction commits.
 */
export async function claimDueAttempts(db: Db, now: Date, owner: string, limit: number, leaseMs: number): Promise<AttemptRow[]> {
  const result = await sql<AttemptRow>`
    update contact_attempts a set
      status = 'sending', lease_owner = ${owner}, lease_expires_at = ${new Date(now.getTime() + leaseMs)}::timestamptz,
      attempt_count = a.attempt_count + 1, updated_at = ${now}::timestamptz
    where a.id in (
      select id from contact_attempts
      where (status = 'scheduled' and due_at <= ${now}::timestamptz)
         or (status = 'sending' and lease_expires_at < ${now}::timestamptz)
      order by due_at
      limit ${limit}
      for update skip locked
    )
    returning a.*`.execute(db);
  return result.rows;
}

/**
 * The words rendered at send time (send-content.ts), stored with the outcome in the same update, in
 * place of the draft: the record then shows what was sent, or what the gate refused.
 */
const wordsSet = (words: Record<string, unknown> | undefined) => (words ? { content: JSON.stringify(words) as never } : {});

/** Only the current lease holder may finish an attempt: a worker that lost its lease changes nothing. */
export async function markSent(db: Db, attempt: AttemptRow, owner: string, now: Date, providerId: string, providerMessageId: string, words?: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .updateTable('contact_attempts')
    .set({ status: 'sent', sent_at: now, provider: providerId, provider_message_id: providerMessageId, lease_owner: null, lease_expires_at: null, last_error: null, updated_at: now, ...wordsSet(words) })
    .where('id', '=', attempt.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The words a language model (or the template, as its fallback) gave a drafted attempt, stored before
 * the first send: a retry then sends the same words instead of asking the model again.
 */
export async function saveWrittenContent(db: Db, attempt: AttemptRow, owner: string, now: Date, content: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .updateTable('contact_attempts')
    .set({ content: JSON.stringify(content) as never, updated_at: now })
    .where('id', '=', attempt.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Not sent after all (everything it was about was paid while it was being claimed): ends `cancelled` with the reason. */
export async function markCancelled(db: Db, attempt: AttemptRow, owner: string, now: Date, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('contact_attempts')
    .set({ status: 'cancelled', lease_owner: null, lease_expires_at: null, last_error: reason, updated_at: now })
    .where('id', '=', attempt.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markRetry(db: Db, attempt: AttemptRow, owner: string, now: Date, retryAt: Date, error: string): Promise<boolean> {
  const result = await db
    .updateTable('contact_attempts')
    .set({ status: 'scheduled', due_at: retryAt, lease_owner: null, lease_expires_at: null, last_error: error, updated_at: now })
    .where('id', '=', attempt.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markFailed(db: Db, attempt: AttemptRow, owner: string, now: Date, error: string, words?: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .updateTable('contact_attempts')
    .set({ status: 'failed', lease_owner: null, lease_expires_at: null, last_error: error, updated_at: now, ...wordsSet(words) })
    .where('id', '=', attempt.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The compliance gate refused the content: the attempt ends `blocked`, never to be sent, with the
 * rule in its decision (shown by GET /v1/messages) and an audit entry committed in the same
 * transaction. The planner's own rule and reason are kept under `planned`.
 */
export async function markBlocked(db: Db, attempt: AttemptRow, owner: string, now: Date, compliance: { rule: string; family: string; severity: string; match: string; violations: unknown[] }, words?: Record<string, unknown>): Promise<boolean> {
  const planned = { rule: attempt.decision.rule, reason: attempt.decision.reason, outcome: attempt.decision.outcome };
  const decision = { ...attempt.decision, outcome: 'blocked', rule: compliance.rule, reason: `compliance gate: ${compliance.family} (${compliance.rule})`, planned, compliance };
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('contact_attempts')
      .set({ status: 'blocked', decision: JSON.stringify(decision) as never, lease_owner: null, lease_expires_at: null, last_error: `blocked by compliance rule ${compliance.rule}`, updated_at: now, ...wordsSet(words) })
      .where('id', '=', attempt.id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await appendAudit(trx, now, {
      actor: 'system:compliance-gate',
      action: 'message.blocked',
      subject: attempt.id,
      details: { customerId: attempt.customer_id, channel: attempt.channel, rule: compliance.rule, family: compliance.family, match: compliance.match },
    });
    return true;
  });
}

/**
 * Cancels every attempt not yet handed to a gateway that concerns these receivables. Runs in the
 * transaction that settled them, so no reminder for a paid bill can be claimed after the payment.
 */
export async function cancelAttemptsForReceivables(trx: Db, now: Date, receivableIds: string[], reason: string): Promise<number> {
  if (receivableIds.length === 0) return 0;
  const result = await sql`
    update contact_attempts set status = 'cancelled', last_error = ${reason}, updated_at = ${now}::timestamptz
    where status = 'scheduled'
      and customer_id in (select customer_id from receivables where id = any(${receivableIds}::uuid[]))
      and receivable_ids && ${receivableIds}::uuid[]`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** The next instant a worker has something to do: a due attempt or an expiring lease. */
export async function nextAttemptDueAt(db: Db, now: Date): Promise<Date | null> {
  const row = await sql<{ at: Date | null }>`
    select least(
      (select min(due_at) from contact_attempts where status = 'scheduled'),
      -- A lease is abandoned only once its expiry has passed, so look just after it.
      (select min(lease_expires_at) + interval '1 millisecond' from contact_attempts where status = 'sending')
    ) as at`.execute(db);
  const at = row.rows[0]?.at ?? null;
  // Work already due is due now; the loop runs it at the current instant.
  return at && at.getTime() < now.getTime() ? now : at;
}
