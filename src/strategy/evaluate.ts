import type { PolicyTables, StageTable } from './compile.js';
import { RECOUP_RULES } from './packs/index.js';
import { POLICY_RULES } from './policy-rules.js';
import { byTime, toMs, type Candidate, type Prepared, type Rule, type Verdict } from './rule-kit.js';
import type { Channel, Decision, EvaluationContext, ReceivableContext, RuleNote } from './types.js';
import { zoneClock, type ZoneClock } from './zone-clock.js';

/** A receivable group that got no candidate at all, and why (paid, or a stage with no channels). */
export interface Skipped {
  receivableIds: string[];
  rule: string;
  reason: string;
}

export interface Evaluation {
  policy: string;
  decisions: Decision[];
  skipped: Skipped[];
}

const MAX_ROUNDS = 64;

// Shared stand-ins for "none", so the common customer with no opt-outs or conversations costs no
// allocation. Rules only read them.
const NO_CHANNELS: ReadonlySet<Channel> = new Set();
const NO_CONVERSATIONS: Prepared['conversations'] = [];

function optedOutSet(optedOut: ReadonlySet<Channel> | readonly Channel[]): ReadonlySet<Channel> {
  if (optedOut instanceof Set) return optedOut;
  const list = optedOut as readonly Channel[];
  return list.length === 0 ? NO_CHANNELS : new Set(list);
}

// A known zone's one-clock list, shared by every evaluation in that zone (rules only read it).
const singleZone = new Map<string, readonly ZoneClock[]>();

/** The clocks the hours rules must hold in; empty when any zone is unknown, so they refuse to guess. */
function clocksOf(c: EvaluationContext['customer']): readonly ZoneClock[] {
  if (c.timezone) {
    let list = singleZone.get(c.timezone);
    if (!list) {
      const clock = zoneClock(c.timezone);
      singleZone.set(c.timezone, (list = clock ? [clock] : []));
    }
    return list;
  }
  const names = c.candidateZones ?? [];
  const clocks: ZoneClock[] = [];
  for (const name of names) {
    const clock = zoneClock(name);
    // An unknown zone name is as good as no zone: the hours rules then refuse to guess.
    if (clock) clocks.push(clock);
  }
  return clocks.length === names.length ? clocks : [];
}

function prepare(ctx: EvaluationContext): Prepared {
  const c = ctx.customer;
  const contacts = toMs(ctx.history.contacts);
  return {
    ctx,
    now: ctx.now.getTime(),
    clocks: clocksOf(c),
    contacts,
    contactsByTime: byTime(contacts),
    conversations: ctx.history.conversations?.length
      ? ctx.history.conversations.map((x) => ({ at: x.at.getTime(), receivableIds: x.receivableIds, initiatedBy: x.initiatedBy }))
      : NO_CONVERSATIONS,
    optedOut: optedOutSet(c.optedOut),
  };
}

interface Group {
  stage: StageTable;
  receivables: ReceivableContext[];
  /** Set once the group is complete; each decision gets its own copy. */
  ids: string[];
}

/**
 * Overdue receivables in one currency become one group, so the person gets one combined message
 * instead of one per debt; pre-due receivables keep their own group, since each has its own dates.
 */
function groupReceivables(t: PolicyTables, ctx: EvaluationContext, skipped: Skipped[]): Group[] {
  const segment = ctx.customer.segment && t.stages.has(`${ctx.customer.segment}|pre_due`) ? ctx.customer.segment : '';
  const preDue = t.stages.get(`${segment}|pre_due`)!;
  const overdueStage = t.stages.get(`${segment}|${ctx.case?.stage ?? 'm1'}`)!;
  const groups: Group[] = [];
  // One group per currency in first-seen order; a debtor has few currencies, so a list beats a Map.
  const overdue: Group[] = [];
  const currencies: string[] = [];
  const now = ctx.now.getTime();
  for (const r of ctx.receivables) {
    if (r.amountMinor <= 0n) {
      skipped.push({ receivableIds: [r.id], rule: RECOUP_RULES.paid, reason: 'the balance is paid' });
    } else if (r.dueAt.getTime() > now) {
      groups.push({ stage: preDue, receivables: [r], ids: [] });
    } else {
      const i = currencies.indexOf(r.currency);
      if (i >= 0) overdue[i]!.receivables.push(r);
      else {
        currencies.push(r.currency);
        overdue.push({ stage: overdueStage, receivables: [r], ids: [] });
      }
    }
  }
  for (const g of overdue) groups.push(g);
  for (const g of groups) g.ids = g.receivables.map((r) => r.id);
  return groups;
}

// The rule list depends only on (jurisdiction, stage table): built once per pair, then shared.
const ruleLists = new WeakMap<StageTable, Map<string, readonly Rule[]>>();

function rulesFor(t: PolicyTables, ctx: EvaluationContext, stage: StageTable): readonly Rule[] {
  const jurisdiction = ctx.customer.jurisdiction ?? '';
  let byJurisdiction = ruleLists.get(stage);
  if (!byJurisdiction) ruleLists.set(stage, (byJurisdiction = new Map()));
  const cached = byJurisdiction.get(jurisdiction);
  if (cached) return cached;
  const rules: Rule[] = [...t.controlGroup];
  for (const pack of t.packs) if (!pack.jurisdictions || !jurisdiction || pack.jurisdictions.has(jurisdiction)) rules.push(...pack.rules);
  rules.push(...t.voluntary, ...stage.rules);
  byJurisdiction.set(jurisdiction, rules);
  return rules;
}

type Run = { blocked: RuleNote | null; at: number; notes: RuleNote[] };

// The note of a delay, once per answer: rules that share their answers (rule-kit.ts hoursRule) then
// share the note too, with its Date, instead of making both again for every debtor. Notes are read-only.
const DELAY_NOTES = new WeakMap<Verdict, RuleNote>();
function delayNote(rule: Rule, v: Verdict & { kind: 'delay' }): RuleNote {
  let note = DELAY_NOTES.get(v);
  if (!note || note.rule !== rule.name) {
    note = Object.freeze({ rule: rule.name, outcome: 'delayed', reason: v.reason, until: new Date(v.until) });
    DELAY_NOTES.set(v, note);
  }
  return note;
}

// "a; then b" for the two-delay reasons most contacts get, once per pair of (shared) reason texts.
const JOINED_REASONS = new Map<string, Map<string, string>>();
const JOINED_REASONS_KEPT = 4096;
function reasonOf(notes: readonly RuleNote[]): string {
  if (notes.length === 1) return notes[0]!.reason;
  if (notes.length > 2) return notes.map((n) => n.reason).join('; then ');
  const [a, b] = [notes[0]!.reason, notes[1]!.reason];
  let byB = JOINED_REASONS.get(a);
  if (!byB) {
    if (JOINED_REASONS.size >= JOINED_REASONS_KEPT) JOINED_REASONS.clear();
    JOINED_REASONS.set(a, (byB = new Map()));
  }
  let joined = byB.get(b);
  if (joined === undefined) {
    if (byB.size >= JOINED_REASONS_KEPT) byB.clear();
    byB.set(b, (joined = `${a}; then ${b}`));
  }
  return joined;
}

/**
 * Asks the rules in turn at instant t, moving t to the latest "not before", until every rule agrees
 * at the same t or one blocks. Rules are pure functions of (p, c, t), so this asks exactly the
 * questions of "repeat whole rounds until a round moves nothing" in the same order, but stops as soon
 * as all rules in a row have agreed at one t (the rest of that round would repeat their answers), and
 * asks a timeless rule only once (its answer cannot change when t does).
 */
function runRules(rules: readonly Rule[], p: Prepared, c: Candidate): Run {
  const n = rules.length;
  let t = p.now;
  const notes: RuleNote[] = [];
  if (n === 0) return { blocked: null, at: t, notes };
  let agreed = 0;
  for (let q = 0; q < MAX_ROUNDS * n; q++) {
    const rule = rules[q % n]!;
    const v = q >= n && rule.timeless ? null : rule.check(p, c, t);
    if (v !== null) {
      if (v.kind === 'block' || !Number.isFinite(v.until)) return { blocked: { rule: rule.name, outcome: 'blocked', reason: v.reason }, at: t, notes };
      if (v.until > t) {
        notes.push(delayNote(rule, v));
        t = v.until;
        agreed = 0;
        continue;
      }
    }
    if (++agreed === n) return { blocked: null, at: t, notes };
  }
  return { blocked: { rule: 'policy.unsettled', outcome: 'blocked', reason: `rules kept moving the time after ${MAX_ROUNDS} rounds` }, at: t, notes };
}

function templatesFor(stage: StageTable, channel: Channel, locale: string, combined: boolean): readonly string[] {
  const table = (combined && stage.combinedTemplates.get(channel)) || stage.templates.get(channel);
  if (!table) return [];
  return table.get(locale) ?? table.get('*') ?? [];
}

/**
 * One decision. Built as one object literal per outcome (no base object spread into each) with the
 * same keys in the same order as before, since decisions are stored and compared as JSON.
 */
function decide(ref: string, p: Prepared, g: Group, channel: Channel, rank: number, rules: readonly Rule[]): Decision {
  const run = runRules(rules, p, { channel, receivables: g.receivables });
  const receivableIds = g.ids.slice();
  const stage = g.stage.stage;
  if (run.blocked) {
    run.notes.push(run.blocked);
    return { channel, receivableIds, stage, escalationRank: rank, policy: ref, outcome: 'blocked', templates: [], rule: run.blocked.rule, reason: run.blocked.reason, notes: run.notes };
  }
  const combined = g.receivables.length > 1;
  const locale = p.ctx.customer.locale;
  const templates = templatesFor(g.stage, channel, locale, combined).slice();
  if (templates.length === 0) {
    const note: RuleNote = { rule: POLICY_RULES.noTemplate, outcome: 'blocked', reason: `no ${channel} template for locale ${locale} in stage ${stage}` };
    run.notes.push(note);
    return { channel, receivableIds, stage, escalationRank: rank, policy: ref, outcome: 'blocked', templates, rule: note.rule, reason: note.reason, notes: run.notes };
  }
  // The first rule that moved the time is the cause; later ones only shifted it further (e.g. into hours).
  const first = run.notes[0];
  const why = combined ? `; ${RECOUP_RULES.combined}: one message for ${g.receivables.length} overdue receivables` : '';
  if (!first) {
    const rule = combined ? RECOUP_RULES.combined : POLICY_RULES.allowed;
    return { channel, receivableIds, stage, escalationRank: rank, policy: ref, outcome: 'allowed', sendAt: p.ctx.now, templates, rule, reason: `every rule allows it now${why}`, notes: [] };
  }
  const reason = reasonOf(run.notes);
  return { channel, receivableIds, stage, escalationRank: rank, policy: ref, outcome: 'delayed', sendAt: new Date(run.at), templates, rule: first.rule, reason: `${reason}${why}`, notes: run.notes };
}

/** One decision per channel of the stage, per receivable group; plus what was skipped before any channel. */
export function evaluateWith(t: PolicyTables, ctx: EvaluationContext): Evaluation {
  const skipped: Skipped[] = [];
  const decisions: Decision[] = [];
  const p = prepare(ctx);
  const ref = `${t.id}@${t.version}`;
  for (const g of groupReceivables(t, ctx, skipped)) {
    if (g.stage.channels.length === 0) {
      skipped.push({ receivableIds: g.ids.slice(), rule: POLICY_RULES.noChannels, reason: `stage ${g.stage.stage} allows no channel` });
      continue;
    }
    const rules = rulesFor(t, ctx, g.stage);
    const channels = g.stage.channels;
    for (let rank = 0; rank < channels.length; rank++) decisions.push(decide(ref, p, g, channels[rank]!, rank, rules));
  }
  return { policy: ref, decisions, skipped };
}

/**
 * The decision evaluateWith would make for one channel and receivable group, without deciding the
 * others: the planner asks this when it checks a later send time for the contact it already chose,
 * and re-deciding every channel of every group for that was a tenth of planning's allocations
 * (bench/dispatch). Undefined where evaluateWith has no such decision.
 */
export function decideOne(t: PolicyTables, ctx: EvaluationContext, channel: Channel, receivableIds: readonly string[]): Decision | undefined {
  const p = prepare(ctx);
  for (const g of groupReceivables(t, ctx, [])) {
    if (g.ids.length !== receivableIds.length || g.ids.some((id, i) => id !== receivableIds[i])) continue;
    const rank = g.stage.channels.indexOf(channel);
    return rank < 0 ? undefined : decide(`${t.id}@${t.version}`, p, g, channel, rank, rulesFor(t, ctx, g.stage));
  }
  return undefined;
}
