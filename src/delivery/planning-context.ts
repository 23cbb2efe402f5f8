import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseStage, Channel, IdentityKind } from '../db/schema.js';
import type { EvaluationContext } from '../strategy/index.js';
import { inKeyScope, type KeyScope, keyScope } from '../db/key-scope.js';
import { applyHolds, loadHolds } from '../holds/index.js';

/** What the planner needs to know about one debtor, loaded for a page of cases in a few set-based queries. */
export interface PlanningSubject {
  name: string | null;
  context: EvaluationContext;
  /** True when a reminder is already waiting to go: the planner leaves such debtors alone. */
  pending: boolean;
  /** Channels whose last day's attempts failed for good: the planner fails over to the next one. */
  failedChannels: ReadonlySet<Channel>;
}

const REACHES: Record<IdentityKind, Channel[]> = {
  phone: ['sms', 'voice'],
  email: ['email'],
  wechat_open_id: ['wechat'],
  app_user_id: ['app', 'push'],
  id_number: [],
};

// Which law governs a debt is really a contract fact; until an attribute says so, the zone is the
// best hint. No hint leaves it unknown, and then every pack applies.
function jurisdictionOf(attributes: Record<string, unknown>, timezone: string | null): string | undefined {
  if (typeof attributes.jurisdiction === 'string') return attributes.jurisdiction;
  if (!timezone) return undefined;
  if (timezone.startsWith('America/') || timezone.startsWith('US/')) return 'US';
  if (['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Chongqing', 'Asia/Harbin', 'PRC'].includes(timezone)) return 'CN';
  if (timezone === 'Europe/London') return 'GB';
  return undefined;
}

const HISTORY_DAYS = 8;

type HistoryRow = { customer_id: string; channel: Channel; receivable_ids: string[]; status: string; at: Date };

/**
 * The page's recent contacts, always through the index on customer_id. Planning is what fills
 * contact_attempts, so its statistics are stale during a run unless something re-analyses the table
 * (autovacuum may be off, or behind a bulk run): analysed while empty and then holding a million
 * rows, the table looked to PostgreSQL as if any 2,000 customers matched all of it, and it scanned
 * the whole table for every page (1.1 s a page, most of planning's time at 1M cases in
 * bench/dispatch, against 10 ms through the index). The index is the right path for a page of
 * customers whatever the statistics say, so for a page read by its list the sequential scan is ruled
 * out for this one query. A page read by its span needs no such help: without statistics a range is
 * estimated at 0.5% of the table, and PostgreSQL takes the index (checked on a million rows added to
 * a table analysed empty); the transaction the setting needs would cost three more round trips a page.
 */
async function loadHistory(db: Db, scope: KeyScope, since: Date): Promise<{ rows: HistoryRow[] }> {
  const history = (executor: Db) => sql<HistoryRow>`
      select customer_id, channel, receivable_ids, status, coalesce(sent_at, greatest(due_at, updated_at)) as at from contact_attempts
      where ${inKeyScope('customer_id', scope)} and status not in ('cancelled', 'blocked')
        and coalesce(sent_at, greatest(due_at, updated_at)) > ${since}::timestamptz`.execute(executor);
  if (scope.kind === 'span') return history(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return history(trx);
  });
}

/** How many customers there are from `first` to `last`: the page's reads go by that span if most of them are on it (key-scope.ts). */
async function customersBetween(db: Db, first: string, last: string): Promise<number> {
  const row = await db.selectFrom('customers').select(({ fn }) => fn.countAll<number>().as('n')).where('id', '>=', first).where('id', '<=', last).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type PlanningPage = Array<{ customerId: string } & PlanningSubject>;

/** The page of up to `limit` open cases after `afterCustomerId`, and, with `upTo`, at most that customer id. */
export async function loadPlanningPage(db: Db, now: Date, afterCustomerId: string, limit: number, upTo?: string): Promise<PlanningPage> {
  const cases = await db
    .selectFrom('cases')
    .select(['customer_id', 'stage', 'max_days_past_due'])
    .where('status', '=', 'open')
    .where('customer_id', '>', afterCustomerId)
    .$if(upTo !== undefined, (q) => q.where('customer_id', '<=', upTo!))
    .orderBy('customer_id')
    .limit(limit)
    .execute();
  if (cases.length === 0) return [];
  const ids = cases.map((c) => c.customer_id);
  const scope = keyScope(ids, await customersBetween(db, ids[0]!, ids[ids.length - 1]!));
  // The customers are read by the page's scope like the rest. Perf: joined to the page of cases,
  // PostgreSQL hashed the whole customers table for every page whenever it held fewer than about
  // 440,000 rows, where that looked cheaper to it than 2,000 index lookups: 57 ms a page at 200,000
  // customers and growing with them, against a few ms by the span (EXPLAIN ANALYZE, bench/dispatch's data).
  const [customers, identities, receivables, history, holds] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['id', 'name', 'locale', 'timezone', 'consents', 'attributes', 'cease_communication'])
      .where(inKeyScope('id', scope))
      .execute(),
    db.selectFrom('customer_identities').select(['customer_id', 'kind']).where(inKeyScope('customer_id', scope)).execute(),
    db
      .selectFrom('receivables')
      .select(['id', 'external_id', 'customer_id', 'kind', 'currency', 'due_at', sql<bigint>`amount_minor - paid_minor`.as('outstanding')])
      .where(inKeyScope('customer_id', scope))
      .where('status', '=', 'open')
      .whereRef('amount_minor', '>', 'paid_minor')
      .execute(),
    loadHistory(db, scope, new Date(now.getTime() - HISTORY_DAYS * 86_400_000)),
    loadHolds(db, now, scope, HISTORY_DAYS),
  ]);
  const group = <T extends { customer_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.customer_id);
      if (list) list.push(row);
      else map.set(row.customer_id, [row]);
    }
    return map;
  };
  const identitiesOf = group(identities);
  const receivablesOf = group(receivables);
  const historyOf = group(history.rows);
  const customerById = new Map(customers.map((c) => [c.id, c]));

  return cases.map((k) => {
    // Every case has its customer (a foreign key), read in the same scope.
    const c = customerById.get(k.customer_id)!;
    const all = historyOf.get(k.customer_id) ?? [];
    const owed = (receivablesOf.get(k.customer_id) ?? []).map((r) => ({ id: r.id, externalId: r.external_id, kind: r.kind, amountMinor: r.outstanding, currency: r.currency, dueAt: r.due_at }));
    const held = applyHolds(holds, k.customer_id, owed);
    const past = all.filter((h) => h.status !== 'failed');
    const dayAgo = now.getTime() - 86_400_000;
    const consents = c.consents as Partial<Record<Channel, boolean>>;
    return {
      customerId: k.customer_id,
      name: c.name,
      pending: past.some((h) => h.status === 'scheduled' || h.status === 'sending'),
      failedChannels: new Set(all.filter((h) => h.status === 'failed' && h.at.getTime() > dayAgo).map((h) => h.channel)),
      context: {
        now,
        customer: {
          id: k.customer_id,
          timezone: c.timezone ?? undefined,
          locale: c.locale,
          jurisdiction: jurisdictionOf(c.attributes, c.timezone),
          segment: typeof c.attributes.segment === 'string' ? c.attributes.segment : undefined,
          consents,
          optedOut: (Object.keys(consents) as Channel[]).filter((channel) => consents[channel] === false),
          reachable: [...new Set((identitiesOf.get(k.customer_id) ?? []).flatMap((i) => REACHES[i.kind]))],
          ceaseCommunication: c.cease_communication,
        },
        case: { stage: k.stage as CaseStage, daysPastDue: k.max_days_past_due },
        receivables: held.receivables,
        history: {
          contacts: past.filter((h) => h.status !== 'scheduled').map((h) => ({ at: h.at, channel: h.channel, receivableIds: h.receivable_ids })),
          conversations: held.conversations,
          disputeOpen: held.disputeOpen,
          promiseToPayUntil: held.promiseToPayUntil,
        },
      },
    };
  });
}
