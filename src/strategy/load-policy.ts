import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { fail, invalid, ok, type DomainError, type FieldError, type Result } from '../core/errors.js';
import { schemaErrors } from '../core/validate.js';
import { compileTables, type PolicyTables } from './compile.js';
import { decideOne, evaluateWith, type Evaluation } from './evaluate.js';
import { checkPolicy, toCatalogue, type TemplateEntry } from './policy-checks.js';
import { PolicySchema, type PolicyDocument } from './policy-schema.js';
import { nextReminderAfter, reminderPoints } from './pre-due.js';
import type { Channel, Decision, EvaluationContext, ReceivableContext } from './types.js';
import { zoneClock } from './zone-clock.js';

export interface LoadOptions {
  /** Named in every error, so an operator knows which file to open. */
  file: string;
  format?: 'yaml' | 'json';
  /** The template catalogue: every template the policy names must be in it. */
  templates: Iterable<TemplateEntry>;
}

export interface CompiledPolicy {
  id: string;
  version: number;
  /** `id@version`, as recorded in each decision. */
  ref: string;
  document: PolicyDocument;
  /** What it was compiled from, as plain data: another thread compiles its own copy from it (planning-threads.ts). */
  source: PolicySource;
  evaluate(ctx: EvaluationContext): Evaluation;
  /** evaluate's decision for one channel and receivable group (the ids in its order), deciding nothing else. */
  decideOne(ctx: EvaluationContext, channel: Channel, receivableIds: readonly string[]): Decision | undefined;
  /**
   * When a pre-due receivable next needs a reminder (its reminder points in the debtor's zone, the
   * calendar's widened order timeouts, and the last contact about it), so a scheduler can sleep until then.
   */
  nextPreDueReminderAt(r: ReceivableContext, at: { now: Date; timezone: string; segment?: string; lastContactAt?: Date }): Date | null;
}

export interface PolicySource {
  text: string;
  options: { file: string; format?: 'yaml' | 'json'; templates: TemplateEntry[] };
}

type Parsed = { ok: true; value: unknown; locate: (field: string) => string } | { ok: false; error: FieldError };

/** "stages.m1.channels[2]" → ["stages", "m1", "channels", 2], to find the node and its line. */
function pathKeys(field: string): (string | number)[] {
  return field.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function locator(doc: Document, lines: LineCounter, file: string): (field: string) => string {
  return (field) => {
    const keys = pathKeys(field);
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return file;
  };
}

function parseText(text: string, options: LoadOptions): Parsed {
  const format = options.format ?? (/\.json$/i.test(options.file) ? 'json' : 'yaml');
  if (format === 'json') {
    try {
      return { ok: true, value: JSON.parse(text), locate: () => options.file };
    } catch (error) {
      return { ok: false, error: { field: '(document)', reason: `not valid JSON: ${(error as Error).message}` } };
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    return { ok: false, error: { field: '(document)', reason: `not valid YAML at line ${pos.line}, column ${pos.col}: ${first.message.split('\n')[0]}` } };
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents)) return { ok: true, value: doc.toJS(), locate: () => options.file };
  return { ok: true, value: doc.toJS(), locate: locator(doc, lines, options.file) };
}

function refuse(file: string, details: FieldError[], locate: (field: string) => string): DomainError {
  const lines = details.map((d) => `${locate(d.field)} ${d.field}: ${d.reason}`);
  return invalid(details, `policy ${file} refused (${details.length} error${details.length === 1 ? '' : 's'}); the running policy stays in force:\n  ${lines.join('\n  ')}`);
}

/**
 * Parses, validates and compiles a policy. On any error nothing is compiled and the caller keeps its
 * current policy; every error names the file (and line), the path inside it, and what is wrong.
 */
export function loadPolicy(text: string, options: LoadOptions): Result<CompiledPolicy> {
  const parsed = parseText(text, options);
  if (!parsed.ok) return fail(refuse(options.file, [parsed.error], () => options.file));
  const shapeErrors = schemaErrors(PolicySchema, parsed.value);
  if (shapeErrors.length > 0) return fail(refuse(options.file, shapeErrors, parsed.locate));
  const doc = parsed.value as PolicyDocument;
  const catalogue = toCatalogue(options.templates);
  const meaningErrors = checkPolicy(doc, catalogue);
  if (meaningErrors.length > 0) return fail(refuse(options.file, meaningErrors, parsed.locate));
  const source: PolicySource = { text, options: { file: options.file, format: options.format, templates: [...options.templates] } };
  return ok(wrap(doc, source, compileTables(doc, catalogue)));
}

function wrap(document: PolicyDocument, source: PolicySource, tables: PolicyTables): CompiledPolicy {
  return {
    id: tables.id,
    version: tables.version,
    ref: `${tables.id}@${tables.version}`,
    document,
    source,
    evaluate: (ctx) => evaluateWith(tables, ctx),
    decideOne: (ctx, channel, receivableIds) => decideOne(tables, ctx, channel, receivableIds),
    nextPreDueReminderAt(r, at) {
      const segment = at.segment && tables.stages.has(`${at.segment}|pre_due`) ? at.segment : '';
      const plan = tables.stages.get(`${segment}|pre_due`)!.plan;
      const points = reminderPoints(r, plan, zoneClock(at.timezone) ?? undefined, tables.calendar);
      const next = nextReminderAfter(points, at.now.getTime(), at.lastContactAt?.getTime());
      return next === null ? null : new Date(next);
    },
  };
}
