import { sql } from 'kysely';
import { redactContactDetails } from '../compliance/masking.js';
import { formatMinor } from '../core/money.js';
import type { Db } from '../db/database.js';
import { listCases, listReceivables, type CaseView, type ReceivableView } from '../receivables/queries.js';
import { type DisputeView, loadHoldsView, type PromiseView } from '../holds/index.js';
import { KIND_TO_API } from './identities.js';
import { previewText } from '../messaging/index.js';
import { decisionWithReasons } from '../delivery/decision-reasons.js';

export interface TimelineEntry {
  at: string;
  kind: string;
  channel: string | null;
  receivableId: string | null;
  summary: Record<string, unknown>;
}

export interface CustomerView {
  id: string;
  externalId: string;
  name: string | null;
  locale: string;
  timezone: string | null;
  identities: Record<string, string>;
  consents: Record<string, boolean>;
  attributes: Record<string, unknown>;
  openCases: CaseView[];
  receivables: ReceivableView[];
  /** The debtor asked to stop all collection contact (FDCPA 1692c(c)). */
  ceaseCommunication: boolean;
  openDisputes: DisputeView[];
  /** Most recent first, whatever their status. */
  promises: PromiseView[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
}

const TIMELINE_LIMIT = 200;

/**
 * Everything known about one customer on one page. Identities are masked: this view is for staff;
 * the owner's own view (the assistant, after verification) decrypts what it must.
 */
export async function getCustomerView(db: Db, id: string): Promise<CustomerView | undefined> {
  const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!customer) return undefined;
  const identities = await db.selectFrom('customer_identities').select(['kind', 'masked']).where('customer_id', '=', id).execute();
  const cases = await listCases(db, { customerId: id, status: 'open' });
  const receivables = await listReceivables(db, { customerId: id, limit: 1000 });
  const holds = await loadHoldsView(db, id);
  return {
    id: customer.id,
    externalId: customer.external_id,
    name: customer.name,
    locale: customer.locale,
    timezone: customer.timezone,
    identities: Object.fromEntries(identities.map((i) => [KIND_TO_API[i.kind], i.masked])),
    consents: customer.consents as Record<string, boolean>,
    attributes: customer.attributes,
    openCases: cases.ok ? cases.value.items : [],
    receivables: receivables.ok ? receivables.value.items : [],
    ceaseCommunication: customer.cease_communication,
    openDisputes: holds.openDisputes,
    promises: holds.promises,
    timeline: await loadTimeline(db, id),
    createdAt: customer.created_at.toISOString(),
    updatedAt: customer.updated_at.toISOString(),
  };
}

const PROMISE_DETAIL = sql`jsonb_build_object('promiseId', pr.id, 'amountMinor', pr.amount_minor::text, 'currency', pr.currency, 'promisedFor', pr.promised_for, 'receivableIds', pr.receivable_ids, 'source', pr.source)`;

interface TimelineRow {
  at: Date;
  kind: string;
  channel: string | null;
  receivable_id: string | null;
  detail: Record<string, unknown>;
}

/** Messages with their decisions, payments, interactions, stage and consent changes, newest first, in one UNION query. */
async function loadTimeline(db: Db, customerId: string): Promise<TimelineEntry[]> {
  const result = await sql<TimelineRow>`
    select * from (
      select p.paid_at as at, 'payment' as kind, null as channel, p.receivable_id,
             jsonb_build_object('amountMinor', p.amount_minor::text, 'currency', p.currency, 'externalId', p.external_id) as detail
      from payments p join receivables r on r.id = p.receivable_id where r.customer_id = ${customerId}
      union all
      select e.occurred_at, e.kind, e.channel, e.receivable_id, e.payload
      from interaction_events e where e.customer_id = ${customerId}
      union all
      select t.at, 'case.stage_changed', null, null, jsonb_build_object('from', t.from_stage, 'to', t.to_stage)
      from case_transitions t join cases c on c.id = t.case_id where c.customer_id = ${customerId}
      union all
      select coalesce(a.sent_at, a.updated_at), 'message.' || a.status, a.channel, a.receivable_ids[1],
             jsonb_build_object('messageId', a.id, 'templateId', a.template_id, 'text', a.content->>'text', 'draft', a.content->'draft', 'decision', ${decisionWithReasons(sql.ref('a.decision'))})
      from contact_attempts a where a.customer_id = ${customerId}
      union all
      select l.recorded_at, case when l.granted then 'consent.granted' else 'consent.withdrawn' end, l.channel, null,
             jsonb_build_object('source', l.source)
      from consent_ledger l where l.customer_id = ${customerId} and l.channel <> 'all'
      union all
      select l.recorded_at, 'communication.ceased', null, null, jsonb_build_object('source', l.source)
      from consent_ledger l where l.customer_id = ${customerId} and l.channel = 'all'
      union all
      select d.opened_at, 'dispute.opened', null, d.receivable_id, jsonb_build_object('disputeId', d.id, 'reason', d.reason)
      from disputes d where d.customer_id = ${customerId}
      union all
      select d.resolved_at, 'dispute.resolved', null, d.receivable_id, jsonb_build_object('disputeId', d.id, 'resolution', d.resolution)
      from disputes d where d.customer_id = ${customerId} and d.resolved_at is not null
      union all
      select pr.created_at, 'promise.made', null, pr.receivable_ids[1], ${PROMISE_DETAIL}
      from promises_to_pay pr where pr.customer_id = ${customerId}
      union all
      select pr.resolved_at, 'promise.' || pr.status, null, pr.receivable_ids[1], ${PROMISE_DETAIL}
      from promises_to_pay pr where pr.customer_id = ${customerId} and pr.resolved_at is not null
    ) timeline
    order by at desc
    limit ${TIMELINE_LIMIT}`.execute(db);
  return result.rows.map((row) => ({
    at: row.at.toISOString(),
    kind: row.kind,
    channel: row.channel,
    receivableId: row.receivable_id,
    summary: redactFreeText(row.kind, row.kind === 'payment' || row.kind.startsWith('promise.') ? withAmount(row.detail) : row.kind.startsWith('message.') ? worded(row.detail) : row.detail),
  }));
}

const FREE_TEXT_FIELDS = ['text', 'reason', 'resolution'];

/**
 * Debtors write their phone or email into replies and disputes; staff see those masked, like the
 * identities. Outbound messages (`message.<status>`) are Recoup's own words and are shown as sent.
 */
function redactFreeText(kind: string, detail: Record<string, unknown>): Record<string, unknown> {
  const outbound = kind.startsWith('message.') && kind !== 'message.inbound';
  if (outbound || !FREE_TEXT_FIELDS.some((field) => typeof detail[field] === 'string')) return detail;
  const out = { ...detail };
  for (const field of FREE_TEXT_FIELDS) if (typeof out[field] === 'string') out[field] = redactContactDetails(out[field]);
  return out;
}

/** A planned message is worded at send time: until then the timeline shows its draft rendered as a preview. */
function worded(detail: Record<string, unknown>): Record<string, unknown> {
  if (!('draft' in detail)) return detail;
  const { draft: _draft, ...rest } = detail;
  return { ...rest, text: previewText(detail) };
}

function withAmount(detail: Record<string, unknown>): Record<string, unknown> {
  const { amountMinor, currency, ...rest } = detail as { amountMinor: string; currency: string };
  return { ...rest, amount: formatMinor(BigInt(amountMinor), currency), currency };
}
