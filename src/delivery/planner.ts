import { hash } from 'node:crypto';
import { periodicWork } from '../core/periodic-work.js';
import { isoInstant } from '../core/time.js';
import type { DueWork } from '../core/work-loop.js';
import type { Db } from '../db/database.js';
import { type RenderRequest, shippedRenderer, toDraft } from '../messaging/index.js';
import { settlePromises } from '../holds/index.js';
import type { LiveDecisioning, PlanningRun } from '../decisioning/live/live-decisioning.js';
import { hourOptions } from '../decisioning/live/send-hour-choice.js';
import type { CompiledPolicy, Decision, EvaluationContext } from '../strategy/index.js';
import { attemptBatch, type NewAttempt } from './attempt-queue.js';
import { internReasons, type ReasonLists } from './decision-reasons.js';
import { loadPlanningPage, type PlanningPage, type PlanningSubject } from './planning-context.js';
import { copyPoolOf } from '../db/copy-rows.js';
import { type CaseRange, MIN_CASES_PER_THREAD, planInThread, splitOpenCases, WHOLE_RANGE } from './planning-threads.js';

export interface PlanResult {
  cases: number;
  scheduled: number;
  blocked: number;
}

// Perf: a luxon DateTime per attempt only to name the local day was a visible share of planning time
// in bench/dispatch; one cached Intl formatter per zone gives the same YYYY-MM-DD (en-CA's format).
// Most contacts of a run fall on a few instants per zone (now, or the start of its contact hours),
// so the days of recent instants are kept per zone too.
const DAY_FORMATS = new Map<string, { format: Intl.DateTimeFormat; days: Map<number, string> }>();
const DAYS_KEPT_PER_ZONE = 1024;
function localDay(at: Date, zone: string): string {
  let zoneDays = DAY_FORMATS.get(zone);
  if (!zoneDays) {
    try {
      zoneDays = { format: new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }), days: new Map() };
    } catch {
      // A zone this runtime does not know: the UTC day, as luxon's invalid-zone fallback gave before.
      return at.toISOString().slice(0, 10);
    }
    DAY_FORMATS.set(zone, zoneDays);
  }
  const ms = at.getTime();
  let day = zoneDays.days.get(ms);
  if (day === undefined) {
    if (zoneDays.days.size >= DAYS_KEPT_PER_ZONE) zoneDays.days.clear();
    zoneDays.days.set(ms, (day = zoneDays.format.format(at)));
  }
  return day;
}

// Two writes beside one read: PostgreSQL then has work for both cores while this process plans.
const WRITES_IN_FLIGHT = 2;

/**
 * What the timeline and GET /v1/messages show for the decision. The reason already spells out every
 * rule that delayed the contact, so the rules are listed with their times only when there were
 * several: the full notes repeated the reason text and were the largest part of each attempt row.
 */
function decisionRecord(decision: Decision): Record<string, unknown> {
  const record: Record<string, unknown> = { policy: decision.policy, rule: decision.rule, reason: decision.reason, outcome: decision.outcome, stage: decision.stage, escalationRank: decision.escalationRank };
  if (decision.notes.length > 1) record.delays = decision.notes.map((n) => ({ rule: n.rule, outcome: n.outcome, ...(n.until ? { until: isoInstant(n.until) } : {}) }));
  return record;
}

/**
 * The key makes "one reminder per receivable group, per channel, per local day" a database fact:
 * however often the planner runs, or how many planners race, a second one cannot be inserted.
 * Perf: it starts with the customer id because the planner walks customers in id order, so new keys
 * land next to each other in the unique index instead of on random pages of it (bench/dispatch).
 */
function attemptKey(prefix: string, customerId: string, decision: Decision, day: string): string {
  const ids = decision.receivableIds;
  // Most debtors owe one receivable: its id needs no copy, sort or join.
  const group = hash('sha1', ids.length === 1 ? ids[0]! : [...ids].sort().join(','), 'hex').slice(0, 16);
  return `${customerId}:${prefix}:${group}:${decision.channel}:${day}`;
}

/**
 * For one debtor: per receivable group, the first channel in escalation order that the policy lets
 * through (now or later) becomes a scheduled attempt; when none may, the refusal of the first is
 * recorded as a blocked contact, so every skipped contact has its rule on the timeline.
 */
export interface PlannerDeps {
  db: Db;
  /** The policy in force, read for each debtor so that a newly activated version applies from the next one on. */
  policy: () => CompiledPolicy;
  /** Chooses among the allowed channels and their template's wordings, or to wait; without it, the first allowed in escalation order. */
  decisioning?: LiveDecisioning;
  /**
   * On PostgreSQL, plans a run of at least `minCasesPerThread` open cases per thread in `count`
   * threads, each with its own connections to `databaseUrl`, the policy in force when the run began,
   * and its own decisioning run from the same settings (planning-threads.ts).
   */
  threads?: { count: number; databaseUrl: string; minCasesPerThread?: number };
}

// Perf: asked once per planned contact; the shipped templates are loaded once per process, so each
// template's variant list is looked up once and kept.
const VARIANTS = new Map<string, readonly string[]>();
function variantsOf(decision: Decision): readonly string[] {
  const templateId = decision.templates[0];
  if (!templateId) return [];
  let variants = VARIANTS.get(templateId);
  if (!variants) VARIANTS.set(templateId, (variants = shippedRenderer().variantsOf(templateId)));
  return variants;
}

/** The learning policy's "not now": the contact the strategy allowed, recorded as skipped with its reasons. */
export const WAIT_RULE = 'decisioning.wait';

/**
 * What the reminder is to say, not yet worded: its template, wording and facts. Delivery words it at
 * send time (src/delivery/send-content.ts), with the signed links made then and the template or the
 * language model in force then; reads of a planned message render it for a preview. Perf: rendering
 * and link signing were a fifth of planning's time and the rendered text most of each attempt row,
 * paid for every debtor although payments cancel many reminders before they go (bench/dispatch).
 */
function draftContent(request: RenderRequest): Record<string, unknown> {
  return { locale: request.locale, draft: toDraft(request) };
}

/**
 * When the chosen reminder goes out: the strategy's earliest allowed instant, or the later part of the
 * same local day the learning policy chose, if the strategy allows that channel then too (its contact
 * hours may end before the chosen part of the day begins). Otherwise as soon as allowed, and the
 * decision record says why the chosen hour was not kept.
 */
function sendTime(policy: CompiledPolicy, ctx: EvaluationContext, chosen: Decision, later: Date | undefined, record: Record<string, unknown>): Date {
  const earliest = chosen.sendAt!;
  if (!later || later.getTime() <= earliest.getTime()) return earliest;
  const then = policy.decideOne({ ...ctx, now: later }, chosen.channel, chosen.receivableIds);
  if (then?.outcome === 'allowed') return later;
  // The outcome is learnt for the part of the day it really went out in.
  const decisioning = record.decisioning as Record<string, unknown>;
  // The list may be shared with other debtors (live-decisioning.ts): a new one, not a push.
  decisioning.reasons = [...(decisioning.reasons as readonly string[]), `the ${String(decisioning.sendHour)} was not allowed (${then?.rule ?? 'no decision'}): sent as soon as allowed`];
  decisioning.sendHour = hourOptions(earliest, ctx.customer.timezone)[0]?.bucket ?? null;
  return earliest;
}

function inRankOrder(decisions: readonly Decision[]): boolean {
  for (let i = 1; i < decisions.length; i++) if (decisions[i - 1]!.escalationRank > decisions[i]!.escalationRank) return false;
  return true;
}

/** `reasons` collects the reason lists the debtor's decisions refer to (decision-reasons.ts). */
function planSubject(deps: PlannerDeps, run: PlanningRun | undefined, customerId: string, subject: PlanningSubject, reasons: ReasonLists): NewAttempt[] {
  const policy = deps.policy();
  const ctx = subject.context;
  const zone = ctx.customer.timezone ?? 'UTC';
  const groups = new Map<string, Decision[]>();
  for (const decision of policy.evaluate(ctx).decisions) {
    const key = decision.receivableIds.join(',');
    const group = groups.get(key);
    if (group) group.push(decision);
    else groups.set(key, [decision]);
  }
  const attempts: NewAttempt[] = [];
  for (const decisions of groups.values()) {
    // evaluate lists each group's channels in rank order already; sorting anyway copied every list.
    if (!inRankOrder(decisions)) decisions.sort((a, b) => a.escalationRank - b.escalationRank);
    // Failover: a channel that failed for good in the last day is passed over for the next in order.
    const allowed = decisions.filter((d) => d.outcome !== 'blocked' && d.sendAt && !subject.failedChannels.has(d.channel));
    const first = allowed[0];
    const choice = first && run ? run.choose(customerId, allowed, ctx, localDay(first.sendAt!, zone), variantsOf) : undefined;
    const chosen = choice ? (choice.kind === 'contact' ? choice.decision : undefined) : first;
    const decision = chosen ?? first ?? decisions[0];
    if (!decision) continue;
    const record = decisionRecord(decision);
    if (choice) record.decisioning = choice.record;
    const at = chosen ? sendTime(policy, ctx, chosen, choice?.kind === 'contact' ? choice.sendAt : undefined, record) : ctx.now;
    const day = localDay(at, zone);
    const items = ctx.receivables.filter((r) => decision.receivableIds.includes(r.id)).map((r) => ({ amountMinor: r.amountMinor, currency: r.currency, dueAt: r.dueAt }));
    if (choice?.kind === 'wait') {
      Object.assign(record, { rule: WAIT_RULE, outcome: 'blocked', reason: `waiting is worth more than a contact now: ${(choice.record.reasons as string[]).join('; ')}` });
    }
    internReasons(record, reasons);
    const prefix = chosen ? 'plan' : choice?.kind === 'wait' ? 'plan-wait' : 'plan-blocked';
    attempts.push({
      idempotencyKey: attemptKey(prefix, customerId, decision, day),
      customerId,
      receivableIds: decision.receivableIds,
      channel: decision.channel,
      templateId: decision.templates[0] ?? null,
      content: draftContent({
        templateId: decision.templates[0], locale: ctx.customer.locale, channel: decision.channel, stage: decision.stage, name: subject.name, timezone: zone, items,
        now: at,
        variant: choice?.kind === 'contact' ? choice.variant : undefined,
      }),
      dueAt: at,
      decision: record,
      status: chosen ? 'scheduled' : 'blocked',
    });
  }
  return attempts;
}

/**
 * The insert of a page's attempts with the reason lists they refer to that this run has not stored
 * yet (`written`). A list goes with every page that refers to it until a write holding it has
 * succeeded, so a page never depends on another page's write, which may still fail.
 */
function planPage(deps: PlannerDeps, run: PlanningRun | undefined, now: Date, page: PlanningPage, written: ReadonlySet<string>) {
  const referenced: ReasonLists = new Map();
  const batch = attemptBatch(deps.db);
  for (const subject of page) {
    if (subject.pending) continue;
    for (const attempt of planSubject(deps, run, subject.customerId, subject, referenced)) batch.add(attempt);
  }
  const unwritten: ReasonLists = new Map();
  for (const [id, list] of referenced) if (!written.has(id)) unwritten.set(id, list);
  return { insert: batch.insert(now, unwritten), listIds: [...unwritten.keys()] };
}

/**
 * Plans the open cases of one range a page at a time; debtors with a reminder already waiting are
 * skipped. Perf: the database reads the next page and writes earlier ones while this process
 * evaluates the current one. Pages are disjoint sets of debtors, so one page's inserts cannot change
 * another page's history, nor collide with another page's keys; without the overlap the process sat
 * idle on every query, and with one write at a time the writes were the longest path (bench/dispatch).
 */
export async function planRange(deps: PlannerDeps, run: PlanningRun | undefined, now: Date, range: CaseRange, pageSize: number): Promise<PlanResult> {
  const db = deps.db;
  const result: PlanResult = { cases: 0, scheduled: 0, blocked: 0 };
  const count = (inserted: { scheduled: number; blocked: number }) => {
    result.scheduled += inserted.scheduled;
    result.blocked += inserted.blocked;
  };
  let next = loadPlanningPage(db, now, range.after, pageSize, range.upTo);
  const writing = new Set<Promise<void>>();
  // Reason lists this run has stored (decision-reasons.ts): a run meets tens of thousands, each on many pages.
  const written = new Set<string>();
  let failed: { error: unknown } | undefined;
  try {
    for (;;) {
      let page: PlanningPage | undefined = await next;
      if (page.length === pageSize) {
        next = loadPlanningPage(db, now, page[page.length - 1]!.customerId, pageSize, range.upTo);
        // Awaited on the next turn; if a write fails first, this read's failure must not go unhandled.
        next.catch(() => undefined);
      }
      const last = page.length < pageSize;
      result.cases += page.length;
      const { insert, listIds } = planPage(deps, run, now, page, written);
      // Nothing of the page is needed while this waits for a write slot or for the next page: let go
      // of it, so that young-generation collections meanwhile need not copy it.
      page = undefined;
      // At most WRITES_IN_FLIGHT: each holds a page's attempts in memory until it is done. A failed
      // write stays in the set, so the race raises it before another page is written.
      while (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
      if (failed) throw failed.error;
      const write: Promise<void> = insert().then((inserted) => {
        count(inserted);
        for (const id of listIds) written.add(id);
      });
      writing.add(write);
      write.then(() => writing.delete(write), (error: unknown) => { failed ??= { error }; });
      if (last) break;
    }
  } finally {
    // A failed read must not leave writes running unobserved; their own failure surfaces here.
    await Promise.all(writing);
  }
  return result;
}

/**
 * Plans contacts for every open case. On PostgreSQL a large run is split into ranges of customers,
 * the first planned here and each other one in a thread of its own (planning-threads.ts): the
 * planning itself, not the database, was the longest path at a million cases (bench/dispatch).
 */
export async function planContacts(deps: PlannerDeps, now: Date, pageSize = 2000): Promise<PlanResult> {
  const db = deps.db;
  // Promises whose date passed unpaid stop holding contact back before any page is read.
  await settlePromises(db, now);
  const threads = deps.threads;
  const ranges = threads && threads.count > 1 && copyPoolOf(db) ? await splitOpenCases(db, threads.count, threads.minCasesPerThread ?? MIN_CASES_PER_THREAD) : [WHOLE_RANGE];
  const others = ranges.slice(1).map((range) =>
    planInThread({ databaseUrl: threads!.databaseUrl, now: now.getTime(), range, pageSize, policy: deps.policy().source, decisioning: deps.decisioning?.settings }));
  // Awaited below, after this thread's own part, whose failure must not leave theirs unobserved.
  for (const other of others) other.catch(() => undefined);
  let own: PlanResult;
  try {
    const run = await deps.decisioning?.begin(db, now);
    own = await planRange(deps, run, now, ranges[0]!, pageSize);
  } finally {
    await Promise.allSettled(others);
  }
  const results = [own];
  for (const other of others) results.push(await other);
  return results.reduce((sum, r) => ({ cases: sum.cases + r.cases, scheduled: sum.scheduled + r.scheduled, blocked: sum.blocked + r.blocked }));
}

/** Planning as due work: hourly on the real clock, and at each hour the virtual clock passes. */
export function createPlannerWork(deps: PlannerDeps, intervalMs = 3_600_000): DueWork {
  return periodicWork('planner', intervalMs, (now) => planContacts(deps, now));
}
