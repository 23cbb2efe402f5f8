import type { FieldError } from '../core/errors.js';
import { schemaErrors } from '../core/validate.js';
import { parseInstant } from '../core/time.js';
import { WEEKDAYS } from './hours.js';
import { PACKS, recoupDefaults } from './packs/index.js';
import type { CapsDoc, ContactHoursDoc, PolicyDocument, StageRulesDoc } from './policy-schema.js';
import { parseHhmm } from './rule-kit.js';
import { CHANNEL_IDS, STAGES, type Channel } from './types.js';

/** A template the catalogue knows: just an id, or an id with the channel and locales it is written for. */
export type TemplateEntry = string | { id: string; channel?: Channel; locales?: readonly string[] };
export type TemplateCatalogue = ReadonlyMap<string, { channel?: Channel; locales?: readonly string[] }>;

export function toCatalogue(entries: Iterable<TemplateEntry>): TemplateCatalogue {
  const map = new Map<string, { channel?: Channel; locales?: readonly string[] }>();
  for (const e of entries) {
    if (typeof e === 'string') map.set(e, {});
    else map.set(e.id, { ...(e.channel ? { channel: e.channel } : {}), ...(e.locales ? { locales: e.locales } : {}) });
  }
  return map;
}

const KNOWN_CHANNELS = new Set<string>(CHANNEL_IDS);
const channelList = CHANNEL_IDS.join(', ');

function checkWindow(w: { start: string; end: string; wrap?: boolean | undefined }, path: string, out: FieldError[]): void {
  const start = parseHhmm(w.start, false);
  const end = parseHhmm(w.end, true);
  if (start === null) out.push({ field: `${path}.start`, reason: `${JSON.stringify(w.start)} is not a time of day (HH:MM, 00:00–23:59)` });
  if (end === null) out.push({ field: `${path}.end`, reason: `${JSON.stringify(w.end)} is not a time of day (HH:MM, 00:00–24:00)` });
  if (start === null || end === null) return;
  if (start === end) out.push({ field: path, reason: `start and end are both ${w.start}: the window is empty` });
  else if (start > end && !w.wrap) {
    out.push({ field: path, reason: `start ${w.start} is after end ${w.end}; set wrap: true if the window deliberately crosses midnight` });
  }
}

function checkHours(h: ContactHoursDoc, path: string, out: FieldError[]): void {
  checkWindow(h, path, out);
  for (const [day, w] of Object.entries(h.weekdays ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      out.push({ field: `${path}.weekdays.${day}`, reason: `unknown weekday (use ${WEEKDAYS.join(', ')})` });
    } else if (w !== 'closed') checkWindow(w, `${path}.weekdays.${day}`, out);
  }
}

function checkCap(value: number | undefined, path: string, out: FieldError[]): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0) out.push({ field: path, reason: `a cap must be a whole number, 0 or more (0 forbids contact); got ${value}` });
}

function checkCaps(caps: CapsDoc, path: string, out: FieldError[]): void {
  for (const key of ['person', 'receivable'] as const) {
    checkCap(caps[key]?.day, `${path}.${key}.day`, out);
    checkCap(caps[key]?.week, `${path}.${key}.week`, out);
  }
  for (const [channel, pair] of Object.entries(caps.channel ?? {})) {
    if (!KNOWN_CHANNELS.has(channel)) out.push({ field: `${path}.channel.${channel}`, reason: `unknown channel (known: ${channelList})` });
    checkCap(pair.day, `${path}.channel.${channel}.day`, out);
    checkCap(pair.week, `${path}.channel.${channel}.week`, out);
  }
}

function checkTemplates(map: Record<string, string[]>, path: string, catalogue: TemplateCatalogue, out: FieldError[]): void {
  for (const [channel, ids] of Object.entries(map)) {
    if (!KNOWN_CHANNELS.has(channel)) out.push({ field: `${path}.${channel}`, reason: `unknown channel (known: ${channelList})` });
    ids.forEach((id, i) => {
      const entry = catalogue.get(id);
      if (!entry) out.push({ field: `${path}.${channel}[${i}]`, reason: `template ${JSON.stringify(id)} does not exist in the template catalogue` });
      else if (entry.channel && entry.channel !== channel) {
        out.push({ field: `${path}.${channel}[${i}]`, reason: `template ${JSON.stringify(id)} is written for ${entry.channel}, not ${channel}` });
      }
    });
  }
}

function checkPositiveList(values: number[] | undefined, path: string, unit: string, out: FieldError[]): void {
  values?.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) out.push({ field: `${path}[${i}]`, reason: `must be a positive number of ${unit}; got ${v}` });
  });
}

export function checkStageRules(rules: StageRulesDoc, path: string, catalogue: TemplateCatalogue, out: FieldError[]): void {
  const seen = new Set<string>();
  rules.channels?.forEach((channel, i) => {
    if (!KNOWN_CHANNELS.has(channel)) out.push({ field: `${path}.channels[${i}]`, reason: `unknown channel ${JSON.stringify(channel)} (known: ${channelList})` });
    else if (seen.has(channel)) out.push({ field: `${path}.channels[${i}]`, reason: `channel ${channel} is listed twice` });
    seen.add(channel);
  });
  if (rules.templates) checkTemplates(rules.templates, `${path}.templates`, catalogue, out);
  if (rules.combinedTemplates) checkTemplates(rules.combinedTemplates, `${path}.combinedTemplates`, catalogue, out);
  if (rules.minGapHours !== undefined && !(rules.minGapHours >= 0)) {
    out.push({ field: `${path}.minGapHours`, reason: `must be 0 or more hours; got ${rules.minGapHours}` });
  }
  if (rules.caps) checkCaps(rules.caps, `${path}.caps`, out);
  if (rules.contactHours) checkHours(rules.contactHours, `${path}.contactHours`, out);
  checkPositiveList(rules.reminders?.daysBefore, `${path}.reminders.daysBefore`, 'days', out);
  checkPositiveList(rules.reminders?.orderMinutesBefore, `${path}.reminders.orderMinutesBefore`, 'minutes', out);
}

function checkStageMap(stages: Record<string, StageRulesDoc>, path: string, catalogue: TemplateCatalogue, out: FieldError[]): void {
  for (const [stage, rules] of Object.entries(stages)) {
    if (!(STAGES as readonly string[]).includes(stage)) {
      out.push({ field: `${path}.${stage}`, reason: `unknown stage (known: ${STAGES.join(', ')})` });
    }
    checkStageRules(rules, `${path}.${stage}`, catalogue, out);
  }
}

function checkPacks(doc: PolicyDocument, out: FieldError[]): void {
  const seen = new Set<string>();
  doc.packs?.forEach((entry, i) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    const path = typeof entry === 'string' ? `packs[${i}]` : `packs[${i}].id`;
    const pack = PACKS.get(id);
    if (!pack) return void out.push({ field: path, reason: `unknown policy pack ${JSON.stringify(id)} (known: ${[...PACKS.keys()].join(', ')})` });
    if (seen.has(id)) out.push({ field: path, reason: `pack ${id} is switched on twice` });
    seen.add(id);
    if (typeof entry === 'string') return;
    entry.jurisdictions?.forEach((j, k) => {
      if (!/^[A-Z]{2}$/.test(j)) out.push({ field: `packs[${i}].jurisdictions[${k}]`, reason: `${JSON.stringify(j)} is not an ISO 3166 country code like US or CN` });
    });
    const options = entry.options ?? {};
    const errors = schemaErrors(pack.options, options).map((e) => ({ field: `packs[${i}].options.${e.field}`, reason: e.reason }));
    out.push(...errors);
    if (errors.length === 0 && pack.check) out.push(...pack.check({ ...pack.defaults, ...options }, `packs[${i}].options`));
  });
  if (doc.voluntary) {
    out.push(...schemaErrors(recoupDefaults.options, doc.voluntary).map((e) => ({ field: `voluntary.${e.field}`, reason: e.reason })));
  }
}

function checkCalendar(doc: PolicyDocument, out: FieldError[]): void {
  doc.calendar?.forEach((entry, i) => {
    const from = parseInstant(entry.from, `calendar[${i}].from`);
    const to = parseInstant(entry.to, `calendar[${i}].to`);
    if (!from.ok) out.push(from.error);
    if (!to.ok) out.push(to.error);
    if (from.ok && to.ok && from.instant >= to.instant) out.push({ field: `calendar[${i}]`, reason: `from ${entry.from} is not before to ${entry.to}` });
    const ext = entry.orderTimeoutExtensionMinutes;
    if (ext !== undefined && !(ext >= 0)) out.push({ field: `calendar[${i}].orderTimeoutExtensionMinutes`, reason: `must be 0 or more minutes; got ${ext}` });
  });
}

/** Every meaning error in a document that already has the right shape, each with its path. */
export function checkPolicy(doc: PolicyDocument, catalogue: TemplateCatalogue): FieldError[] {
  const out: FieldError[] = [];
  checkPacks(doc, out);
  if (doc.defaults) checkStageRules(doc.defaults, 'defaults', catalogue, out);
  checkStageMap(doc.stages, 'stages', catalogue, out);
  for (const [segment, body] of Object.entries(doc.segments ?? {})) checkStageMap(body.stages, `segments.${segment}.stages`, catalogue, out);
  const share = doc.controlGroup?.share;
  if (share !== undefined && !(share >= 0 && share < 1)) out.push({ field: 'controlGroup.share', reason: `must be at least 0 and below 1; got ${share}` });
  checkCalendar(doc, out);
  return out;
}
