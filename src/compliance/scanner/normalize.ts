import { type CharTable, CharKind, classify, Script, scriptOf } from './char-table.js';
import { markSpacedRuns } from './spaced-runs.js';

/**
 * The text as the matcher sees it: letters and digits only, folded (see char-table.ts), with what
 * was removed remembered as flags. Each position keeps the span of original text it came from, so a
 * violation quotes the words actually written, evasions and all.
 */
export interface NormalizedText {
  codes: Uint16Array;
  length: number;
  /** Original UTF-16 offsets of the character that produced each position. */
  origStart: Int32Array;
  origEnd: Int32Array;
  /** 1 where a word starts: after a space or punctuation, at a change of script, at every Han character. */
  boundary: Uint8Array;
  /** Clause number of each position: hedges and speakers count only within their clause. */
  clause: Int32Array;
  /** Phrase number: like clauses, but commas also end one; the parts of a term stay within a phrase. */
  phrase: Int32Array;
  /** What separated a position from the one before: 2 per whitespace character, plus 1 for any punctuation. */
  gapWeight: Uint8Array;
  /**
   * 1 inside a letter-spaced run ("s k i l l s", "f.i.n.a.l") where no word starts. Such a run hides
   * its word edges (wider gaps, or spaces among dots, still show them), so a match there must begin
   * and end at an edge: "k i l l you" is a threat, "s k i l l s" and "f o o l p r o o f" are not.
   */
  midRun: Uint8Array;
  hasHan: boolean;
}

/** The same text with every Han character spelt in toneless pinyin: catches homophones and pinyin spellings. */
export interface PinyinText {
  codes: Uint16Array;
  length: number;
  boundary: Uint8Array;
  /** The position in NormalizedText each pinyin letter came from. */
  toNormalized: Int32Array;
}

function allocate(capacity: number): NormalizedText {
  return {
    codes: new Uint16Array(capacity),
    length: 0,
    origStart: new Int32Array(capacity),
    origEnd: new Int32Array(capacity),
    boundary: new Uint8Array(capacity),
    clause: new Int32Array(capacity),
    phrase: new Int32Array(capacity),
    gapWeight: new Uint8Array(capacity),
    midRun: new Uint8Array(capacity),
    hasHan: false,
  };
}

function grow(out: NormalizedText): NormalizedText {
  const bigger = allocate(out.codes.length * 2);
  bigger.codes.set(out.codes);
  bigger.origStart.set(out.origStart);
  bigger.origEnd.set(out.origEnd);
  bigger.boundary.set(out.boundary);
  bigger.clause.set(out.clause);
  bigger.phrase.set(out.phrase);
  bigger.gapWeight.set(out.gapWeight);
  bigger.length = out.length;
  bigger.hasHan = out.hasHan;
  return bigger;
}

// Perf: one set of buffers, reused by every call (the scan is synchronous, so calls never overlap):
// allocating nine typed arrays per message was the largest cost after the matching itself.
let shared = allocate(1024);

/** Buffers for a text of `length` code units; valid until the next call. */
function workspace(length: number): NormalizedText {
  if (shared.codes.length < length + 16) shared = allocate(Math.max(length + 16, shared.codes.length * 2));
  shared.length = 0;
  shared.hasHan = false;
  return shared;
}

const isWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d || code === 0x3000 || code === 0xa0;
// Commas and colons end a phrase (not a clause): "到账，您家" is not "到您家".
const PHRASE_ENDERS = new Set([0x2c, 0xff0c, 0x3001, 0x3a, 0xff1a, 0xff64]);

/** Appends one normalised character; returns the buffers (grown when full). */
function append(out: NormalizedText, code: number, script: number, start: number, end: number, boundary: number, clause: number, phrase: number, gapWeight: number): NormalizedText {
  const target = out.length === out.codes.length ? grow(out) : out;
  const i = target.length++;
  target.codes[i] = code;
  target.origStart[i] = start;
  target.origEnd[i] = end;
  target.boundary[i] = boundary;
  target.clause[i] = clause;
  target.phrase[i] = phrase;
  target.gapWeight[i] = gapWeight;
  if (script === Script.Han) target.hasHan = true;
  return target;
}

/**
 * The normalised text; it lives in shared buffers, valid until the next call.
 * Perf: one flat loop with its state in locals (no closure), since it runs for every character sent.
 */
export function normalizeText(text: string, table: CharTable): NormalizedText {
  let out = workspace(text.length);
  const { kind: kinds, value: values, script: scripts } = table;
  let clause = 0;
  let phrase = 0;
  let gap = true;
  let spaces = 0;
  let punctuation = 0;
  let lastScript: number = Script.Other;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let kind: number = kinds[code]!;
    if (kind === CharKind.Keep && out.length < out.codes.length) {
      // The common case, written out in place (append's work without the call).
      const script = scripts[code]!;
      const n = out.length++;
      out.codes[n] = values[code]!;
      out.origStart[n] = i;
      out.origEnd[n] = i + 1;
      out.boundary[n] = gap || script !== lastScript || script === Script.Han ? 1 : 0;
      out.clause[n] = clause;
      out.phrase[n] = phrase;
      out.gapWeight[n] = spaces * 2 + (punctuation > 0 ? 1 : 0);
      if (script === Script.Han) out.hasHan = true;
      gap = false;
      spaces = 0;
      punctuation = 0;
      lastScript = script;
      continue;
    }
    let expansion: string | undefined;
    let end = i + 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        // Astral: mathematical bold letters and the like fold to plain ones; emoji become gaps.
        const result = classify(text.slice(i, i + 2), table.simplified);
        kind = result.kind === CharKind.Keep ? CharKind.Expand : result.kind;
        expansion = result.text;
        end = i + 2;
      }
    }
    if (kind === CharKind.Keep || kind === CharKind.Expand) {
      // Keep lands here only when the buffers are full: append grows them.
      const letters = kind === CharKind.Keep ? String.fromCharCode(values[code]!) : (expansion ?? table.expansion.get(code) ?? '');
      for (let k = 0; k < letters.length; k++) {
        const script = scriptOf(letters[k]!);
        const boundary = gap || script !== lastScript || script === Script.Han ? 1 : 0;
        out = append(out, letters.charCodeAt(k), script, i, end, boundary, clause, phrase, Math.min(255, spaces * 2 + (punctuation > 0 ? 1 : 0)));
        gap = false;
        spaces = 0;
        punctuation = 0;
        lastScript = script;
      }
    } else if (kind === CharKind.Clause || (code === 0x2e && (i + 1 === text.length || isWhitespace(text.charCodeAt(i + 1))))) {
      // A full stop ends a sentence only before a space: "t.h.r.e.a.t" and "1,280.50" stay one clause.
      clause += 1;
      phrase += 1;
      gap = true;
      punctuation += 1;
    } else if (kind === CharKind.Gap) {
      gap = true;
      if (isWhitespace(code)) spaces = Math.min(spaces + 1, 100);
      else punctuation += 1;
      if (PHRASE_ENDERS.has(code)) phrase += 1;
    }
    i = end - 1;
  }
  // Expansions may have grown the buffers: keep the larger ones for the next call.
  shared = out;
  markSpacedRuns(out);
  return out;
}

/** Spells each Han character in pinyin; other characters stay as they are. */
let pinyinBuffers: PinyinText = { codes: new Uint16Array(4096), length: 0, boundary: new Uint8Array(4096), toNormalized: new Int32Array(4096) };

/** Spells each Han character in pinyin; other characters stay as they are. Shared buffers, like normalizeText's. */
export function toPinyin(text: NormalizedText, table: CharTable): PinyinText {
  // A pinyin syllable has at most six letters.
  const capacity = text.length * 6 + 16;
  if (pinyinBuffers.codes.length < capacity) pinyinBuffers = { codes: new Uint16Array(capacity), length: 0, boundary: new Uint8Array(capacity), toNormalized: new Int32Array(capacity) };
  const { codes, boundary, toNormalized } = pinyinBuffers;
  const { pinyinStart, pinyinLength, pinyinCodes } = table;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codes[i]!;
    const letters = pinyinLength[code]!;
    if (letters === 0) {
      codes[length] = code;
      boundary[length] = text.boundary[i]!;
      toNormalized[length++] = i;
      continue;
    }
    // Each syllable is a word of its own: "sha" (杀) must not match inside "shang" (上).
    const from = pinyinStart[code]!;
    for (let k = 0; k < letters; k++) {
      codes[length] = pinyinCodes[from + k]!;
      boundary[length] = k === 0 ? 1 : 0;
      toNormalized[length++] = i;
    }
  }
  pinyinBuffers.length = length;
  return pinyinBuffers;
}

/** Normalises a pattern the way text is normalised, as a plain string. */
export function normalizePattern(pattern: string, table: CharTable): string {
  const normalized = normalizeText(pattern, table);
  let out = '';
  for (let i = 0; i < normalized.length; i++) out += String.fromCharCode(normalized.codes[i]!);
  return out;
}

/** The pinyin spelling of a normalised pattern, or undefined when it has no Han character. */
export function pinyinOfPattern(normalized: string, table: CharTable): string | undefined {
  let han = 0;
  let out = '';
  for (const char of normalized) {
    const reading = table.pinyin.get(char.charCodeAt(0));
    if (reading !== undefined) han += 1;
    out += reading ?? char;
  }
  return han > 0 ? out : undefined;
}
