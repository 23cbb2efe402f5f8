import { join } from 'node:path';
import { type Result, fail, invalid, ok } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';
import type { Channel } from '../../db/schema.js';
import { charTable } from './char-table.js';
import { collectHits, evaluateRules, hasAny, HitTable, type Violation } from './evaluate.js';
import { normalizeText } from './normalize.js';
import { type CompiledLibrary, compileLibrary, type LibrarySpec, readLibraryFile, type Severity } from './rule-library.js';
import { blankLinkTokens } from './link-tokens.js';

/**
 * The content scanner: the one check every outbound word passes, whoever wrote it (template, flow,
 * agent or language model). `createScanner` compiles the word library once; `check` is pure and
 * synchronous, safe to call per message on the hot path.
 */
export type { Violation } from './evaluate.js';
export { FAMILIES, type Family, type Severity, RuleLibraryError, type LibrarySpec } from './rule-library.js';

export const MAX_SCAN_CHARACTERS = 10_000;
export const SCAN_CHANNELS: readonly Channel[] = ['sms', 'email', 'voice', 'push', 'wechat', 'app'];
export const SCAN_LOCALES = ['zh-CN', 'en'] as const;

export interface ScanOptions {
  channel: Channel;
  locale: string;
  /** Written by a language model: must carry the "AI生成" / "AI-generated" mark. */
  aiGenerated?: boolean;
}

export interface ScanResult {
  /** False when any violation is of severity `block`: such a message is never sent. */
  allowed: boolean;
  violations: Violation[];
}

export interface ContentScanner {
  check(text: string, options: ScanOptions): Result<ScanResult>;
}

export interface ScannerOptions {
  /** Extra rule files (same JSON shape as data/compliance/*.json), added to the shipped library. */
  extraRuleFiles?: readonly string[];
  /** Libraries given directly, for tests and embedders; added after the files. */
  extraLibraries?: readonly LibrarySpec[];
  /** Leave out the shipped library (tests of the machinery only). */
  withoutShippedLibrary?: boolean;
}

const SHIPPED_FILES = ['rules-en.json', 'rules-zh.json', 'context.json'];
// Email and SMS must offer a way out (Reg F 1006.6(e), 退订); sender identity is asked of the same.
const OPT_OUT_CHANNELS = new Set<Channel>(['sms', 'email']);
// A bracketed signature, 【Recoup】 or [Recoup], is how a Chinese SMS names its sender.
const SIGNATURE = /【[^】]{1,24}】|\[[^\]\n]{1,24}\]/;

function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is one character.
    if (code < 0xd800 || code > 0xdbff || i + 1 === text.length) count += 1;
  }
  return count;
}

function validateOptions(text: unknown, options: ScanOptions): Result<string> {
  if (typeof text !== 'string') return fail(invalid([{ field: 'text', reason: 'must be a string' }]));
  // A text of at most 10,000 UTF-16 units has at most 10,000 characters: count only longer ones, and
  // refuse a megabyte without walking it.
  if (text.length > MAX_SCAN_CHARACTERS && (text.length > 2 * MAX_SCAN_CHARACTERS || countCharacters(text) > MAX_SCAN_CHARACTERS)) {
    return fail(invalid([{ field: 'text', reason: `is ${countCharacters(text)} characters long; the scanner accepts at most ${MAX_SCAN_CHARACTERS}` }], `text too long to scan (at most ${MAX_SCAN_CHARACTERS} characters)`));
  }
  if (!SCAN_CHANNELS.includes(options.channel)) return fail(invalid([{ field: 'channel', reason: `must be one of ${SCAN_CHANNELS.join(', ')}` }]));
  if (!(SCAN_LOCALES as readonly string[]).includes(options.locale)) return fail(invalid([{ field: 'locale', reason: `must be one of ${SCAN_LOCALES.join(', ')}` }]));
  return ok(text);
}

function missingParts(library: CompiledLibrary, hits: HitTable, text: string, options: ScanOptions): Violation[] {
  const missing: Violation[] = [];
  const report = (rule: string, severity: Severity | 'none') => {
    if (severity !== 'none') missing.push({ rule, family: 'missing_required_part', severity, match: '' });
  };
  const { requirements, cueSlots } = library;
  if (OPT_OUT_CHANNELS.has(options.channel) && !hasAny(hits, cueSlots.opt_out)) report('missing.opt_out', requirements.opt_out);
  if (options.aiGenerated && !hasAny(hits, cueSlots.ai_mark)) report('missing.ai_mark', requirements.ai_mark);
  if (OPT_OUT_CHANNELS.has(options.channel) && !hasAny(hits, cueSlots.sender) && !SIGNATURE.test(text)) report('missing.sender_identity', requirements.sender_identity);
  return missing;
}

export function createScanner(options: ScannerOptions = {}): ContentScanner {
  const table = charTable();
  const shipped = options.withoutShippedLibrary ? [] : SHIPPED_FILES.map((file) => readLibraryFile(join(packageRoot(), 'data', 'compliance', file)));
  const extra = (options.extraRuleFiles ?? []).map(readLibraryFile);
  const library = compileLibrary([...shipped, ...extra, ...(options.extraLibraries ?? [])], table);
  const hitTable = new HitTable(library.slotCount);
  return {
    check(text, scanOptions) {
      const valid = validateOptions(text, scanOptions);
      if (!valid.ok) return valid;
      const normalized = normalizeText(blankLinkTokens(text), table);
      const hits = collectHits(library, normalized, table, hitTable);
      const violations = [...evaluateRules(library, hits, normalized, text), ...missingParts(library, hits, text, scanOptions)];
      return ok({ allowed: !violations.some((v) => v.severity === 'block'), violations });
    },
  };
}

let shipped: ContentScanner | undefined;

/** The scanner over the shipped library alone, compiled on first use and shared (it is immutable). */
export function shippedScanner(): ContentScanner {
  shipped ??= createScanner();
  return shipped;
}

/**
 * Checks text against the shipped library. For callers without the app's scanner at hand; the app
 * builds its own (`app.scanner`) with the configured extra rule files.
 */
export function scanText(text: string, options: ScanOptions): Result<ScanResult> {
  return shippedScanner().check(text, options);
}

export { checkMessageContent, type GateVerdict } from './content-gate.js';
