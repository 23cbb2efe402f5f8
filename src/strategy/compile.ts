import { ALWAYS_OPEN, dailyIntervals, weekly, WEEKDAYS, type Interval, type WeeklyWindow } from './hours.js';
import { PACKS, recoupDefaults } from './packs/index.js';
import type { CapsDoc, ContactHoursDoc, PolicyDocument, StageRulesDoc } from './policy-schema.js';
import type { TemplateCatalogue } from './policy-checks.js';
import { capRules, controlGroupRule, minGapRule, policyHoursRule, preDueRules, type CompiledCaps } from './policy-rules.js';
import { compileCalendar, type CalendarPeriod, type ReminderPlan } from './pre-due.js';
import { parseHhmm, type Rule } from './rule-kit.js';
import { STAGES, type CaseStage, type Channel } from './types.js';

/** One stage for one segment, merged and turned into closures once, at load. */
export interface StageTable {
  stage: CaseStage;
  channels: readonly Channel[];
  /** Template ids per channel, per locale; `*` holds those for any locale. */
  templates: ReadonlyMap<Channel, ReadonlyMap<string, readonly string[]>>;
  combinedTemplates: ReadonlyMap<Channel, ReadonlyMap<string, readonly string[]>>;
  rules: readonly Rule[];
  plan: ReminderPlan;
}

export interface CompiledPack {
  id: string;
  jurisdictions: ReadonlySet<string> | null;
  rules: readonly Rule[];
}

export interface PolicyTables {
  id: string;
  version: number;
  /** Key `segment|stage`, segment empty for the default. */
  stages: ReadonlyMap<string, StageTable>;
  packs: readonly CompiledPack[];
  voluntary: readonly Rule[];
  controlGroup: readonly Rule[];
  calendar: readonly CalendarPeriod[];
}

function windowOf(w: { start: string; end: string; wrap?: boolean | undefined }): Interval[] {
  return dailyIntervals(parseHhmm(w.start, false) ?? 0, parseHhmm(w.end, true) ?? 0, w.wrap ?? false);
}

export function compileHours(h: ContactHoursDoc | undefined): WeeklyWindow {
  if (!h) return ALWAYS_OPEN;
  const base = windowOf(h);
  return weekly((d) => {
    const special = h.weekdays?.[WEEKDAYS[d]!];
    if (special === undefined) return base;
    return special === 'closed' ? [] : windowOf(special);
  });
}

function compileCaps(caps: CapsDoc | undefined): CompiledCaps {
  const channel: CompiledCaps['channel'] = {};
  for (const [k, v] of Object.entries(caps?.channel ?? {})) channel[k as Channel] = stripUndefined(v);
  return { person: stripUndefined(caps?.person ?? {}), receivable: stripUndefined(caps?.receivable ?? {}), channel };
}

function stripUndefined(v: { day?: number | undefined; week?: number | undefined }): { day?: number; week?: number } {
  return { ...(v.day !== undefined ? { day: v.day } : {}), ...(v.week !== undefined ? { week: v.week } : {}) };
}

/** Later layers win field by field; caps merge one level deeper, so a segment can change just one cap. */
function mergeRules(layers: readonly (StageRulesDoc | undefined)[]): StageRulesDoc {
  const out: StageRulesDoc = {};
  for (const layer of layers) {
    if (!layer) continue;
    const caps = layer.caps ? { ...out.caps, ...layer.caps } : out.caps;
    Object.assign(out, layer);
    if (caps) out.caps = caps;
  }
  return out;
}

function byLocale(ids: readonly string[], catalogue: TemplateCatalogue): ReadonlyMap<string, readonly string[]> {
  const map = new Map<string, string[]>([['*', []]]);
  for (const id of ids) {
    const locales = catalogue.get(id)?.locales;
    if (!locales) for (const list of map.values()) list.push(id);
    else for (const locale of locales) {
      if (!map.has(locale)) map.set(locale, [...map.get('*')!]);
      map.get(locale)!.push(id);
    }
  }
  return map;
}

function templateTable(doc: Record<string, string[]> | undefined, catalogue: TemplateCatalogue): Map<Channel, ReadonlyMap<string, readonly string[]>> {
  const out = new Map<Channel, ReadonlyMap<string, readonly string[]>>();
  for (const [channel, ids] of Object.entries(doc ?? {})) out.set(channel as Channel, byLocale(ids, catalogue));
  return out;
}

function compileStage(stage: CaseStage, rules: StageRulesDoc, catalogue: TemplateCatalogue, calendar: readonly CalendarPeriod[]): StageTable {
  const plan: ReminderPlan = {
    daysBefore: [...(rules.reminders?.daysBefore ?? [])].sort((a, b) => b - a),
    orderMinutesBefore: [...(rules.reminders?.orderMinutesBefore ?? [])].sort((a, b) => b - a),
  };
  const compiled: Rule[] = [];
  if (stage === 'pre_due') compiled.push(...preDueRules(plan, calendar));
  if (rules.minGapHours) compiled.push(minGapRule(rules.minGapHours));
  compiled.push(...capRules(compileCaps(rules.caps)));
  // Hours last: every other rule may push the time, and the window then finds the next open minute.
  if (rules.contactHours) compiled.push(policyHoursRule(compileHours(rules.contactHours)));
  return {
    stage,
    channels: (rules.channels ?? []) as Channel[],
    templates: templateTable(rules.templates, catalogue),
    combinedTemplates: templateTable(rules.combinedTemplates, catalogue),
    rules: compiled,
    plan,
  };
}

function compilePacks(doc: PolicyDocument): CompiledPack[] {
  return (doc.packs ?? []).map((entry) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    const pack = PACKS.get(id)!;
    const options = typeof entry === 'string' ? {} : (entry.options ?? {});
    const jurisdictions = typeof entry === 'string' || !entry.jurisdictions ? null : new Set(entry.jurisdictions);
    return { id, jurisdictions, rules: pack.build({ ...pack.defaults, ...options }) };
  });
}

/** Turns a checked document into tables and closures; nothing here runs again per evaluation. */
export function compileTables(doc: PolicyDocument, catalogue: TemplateCatalogue): PolicyTables {
  const calendar = compileCalendar(doc);
  const stages = new Map<string, StageTable>();
  const segments: [string, Record<string, StageRulesDoc>][] = [['', {}], ...Object.entries(doc.segments ?? {}).map(([k, v]) => [k, v.stages] as [string, Record<string, StageRulesDoc>])];
  for (const [segment, overrides] of segments) {
    for (const stage of STAGES) {
      const merged = mergeRules([doc.defaults, doc.stages[stage], overrides[stage]]);
      stages.set(`${segment}|${stage}`, compileStage(stage, merged, catalogue, calendar));
    }
  }
  const share = doc.controlGroup?.share ?? 0;
  return {
    id: doc.id,
    version: doc.version,
    stages,
    packs: compilePacks(doc),
    voluntary: recoupDefaults.build({ ...recoupDefaults.defaults, ...(doc.voluntary ?? {}) }),
    controlGroup: share > 0 ? [controlGroupRule(share, doc.controlGroup!.salt)] : [],
    calendar,
  };
}
