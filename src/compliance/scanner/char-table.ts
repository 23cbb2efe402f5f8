import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

/**
 * Per-character normalisation, precomputed for the whole Basic Multilingual Plane so that the scan
 * is one table lookup per character: compatibility forms (full-width, circled, ligatures) folded by
 * NFKC, case folded, accents stripped, traditional Chinese mapped to simplified, and each character
 * classified as kept, dropped (zero-width, combining marks) or a separator (spaces, punctuation).
 * Characters outside the BMP (mathematical alphanumerics, emoji) take the slow path in `classify`.
 */
export const enum CharKind {
  /** A letter or digit kept as one code unit (VALUE holds it). */
  Keep = 0,
  /** Invisible: zero-width spaces and joiners, soft hyphens, combining marks, variation selectors. */
  Drop = 1,
  /** Space, punctuation, symbol: ends a word, not a clause. */
  Gap = 2,
  /** Ends a sentence or clause: the scope of a hedge or of the speaker in context rules. */
  Clause = 3,
  /** Normalises to several letters or digits (EXPANSION holds them). */
  Expand = 4,
}

export const enum Script {
  Other = 0,
  Latin = 1,
  Digit = 2,
  Han = 3,
}

export interface CharTable {
  kind: Uint8Array;
  value: Uint16Array;
  script: Uint8Array;
  expansion: Map<number, string>;
  /** Toneless pinyin (ü written u) per simplified Han character. */
  pinyin: Map<number, string>;
  /** The same readings packed for the scan: letters of character c at pinyinCodes[pinyinStart[c]…+pinyinLength[c]]. */
  pinyinStart: Int32Array;
  pinyinLength: Uint8Array;
  pinyinCodes: Uint16Array;
  /** Traditional to simplified, for the characters outside the BMP table's reach (astral code points). */
  simplified: Map<number, number>;
}

const CLAUSE_ENDERS = new Set([...'。！？!?；;\n\r…']);
const HAN_FROM = 0x4e00;
const HAN_TO = 0x9fff;

// Extension A and the compatibility ideographs count as Han for word edges; only the unified block
// (every character in common use; NFKC folds the compatibility forms into it) is converted and spelt.
export function isHan(code: number): boolean {
  return (code >= 0x3400 && code <= 0x4dbf) || (code >= HAN_FROM && code <= HAN_TO) || (code >= 0xf900 && code <= 0xfaff);
}

function unifiedHan(): string[] {
  const chars: string[] = [];
  for (let c = HAN_FROM; c <= HAN_TO; c++) chars.push(String.fromCharCode(c));
  return chars;
}

/** Traditional (Taiwan, Hong Kong and OpenCC's standard forms) to simplified, one character at a time. */
function buildSimplifiedMap(): Map<number, number> {
  const chars = unifiedHan();
  const converters = (['hk', 'tw', 't'] as const).map((from) => OpenCC.Converter({ from, to: 'cn' }));
  const map = new Map<number, number>();
  // Converted one per line, so that phrase rules cannot join neighbours; a line that did not stay one
  // character (a few expand) keeps its original.
  let lines = chars;
  for (const convert of converters) {
    const converted: string[] = String(convert(lines.join("\n"))).split("\n");
    if (converted.length !== lines.length) continue;
    lines = converted.map((line, i) => (line.length === 1 ? line : lines[i]!));
  }
  lines.forEach((line, i) => {
    if (line !== chars[i]) map.set(chars[i]!.charCodeAt(0), line.charCodeAt(0));
  });
  return map;
}

function buildPinyinMap(): Map<number, string> {
  const chars = unifiedHan();
  // Separated by spaces so that each character gets its own most common reading, not one chosen by
  // the neighbouring characters of this artificial list.
  const readings = pinyin(chars.join(' '), { toneType: 'none', type: 'array' }).filter((r) => r !== ' ' && r !== '');
  const map = new Map<number, string>();
  if (readings.length !== chars.length) return map;
  chars.forEach((char, i) => {
    const reading = foldLatin(readings[i]!);
    if (/^[a-z]+$/.test(reading)) map.set(char.charCodeAt(0), reading);
  });
  return map;
}

/** NFKC, lower case, accents removed: the fold applied to every character and every pattern. */
export function foldLatin(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

function scriptOf(char: string): Script {
  const code = char.charCodeAt(0);
  if (isHan(code)) return Script.Han;
  if (/\p{N}/u.test(char)) return Script.Digit;
  if (/\p{Script=Latin}/u.test(char)) return Script.Latin;
  return Script.Other;
}

/** How one character (any code point) normalises: the slow path, used to build the table and for astral characters. */
export function classify(char: string, simplified: ReadonlyMap<number, number>): { kind: CharKind; text: string } {
  if (CLAUSE_ENDERS.has(char)) return { kind: CharKind.Clause, text: '' };
  // Format characters (zero-width space, joiners, BOM) and marks vanish; control characters too, but
  // a tab or a line break still separates words.
  if (/^[\p{Cf}\p{M}]$/u.test(char) || (/^\p{Cc}$/u.test(char) && !/^[\t\n\v\f\r\x1c-\x1f\x85]$/u.test(char))) return { kind: CharKind.Drop, text: '' };
  const folded = [...foldLatin(char)]
    .map((c) => String.fromCharCode(simplified.get(c.charCodeAt(0)) ?? c.charCodeAt(0)))
    .filter((c) => /[\p{L}\p{N}]/u.test(c))
    .join('');
  if (folded.length === 0) return { kind: CharKind.Gap, text: '' };
  return { kind: folded.length === 1 ? CharKind.Keep : CharKind.Expand, text: folded };
}

let cached: CharTable | undefined;

/** Built once per process (about half a second); every scanner shares it, since it is pure data. */
export function charTable(): CharTable {
  if (cached) return cached;
  const simplified = buildSimplifiedMap();
  const kind = new Uint8Array(0x10000);
  const value = new Uint16Array(0x10000);
  const script = new Uint8Array(0x10000);
  const expansion = new Map<number, string>();
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) {
      kind[code] = CharKind.Gap; // a lone surrogate; pairs are read before the table is consulted
      continue;
    }
    if (code >= HAN_FROM && code <= HAN_TO) {
      // The unified block needs no Unicode folding, only traditional to simplified (and it is most of the table).
      value[code] = simplified.get(code) ?? code;
      script[code] = Script.Han;
      continue;
    }
    const result = classify(String.fromCharCode(code), simplified);
    kind[code] = result.kind;
    if (result.kind === CharKind.Keep) value[code] = result.text.charCodeAt(0);
    if (result.kind === CharKind.Expand) expansion.set(code, result.text);
    if (result.text.length > 0) script[code] = scriptOf(result.text);
  }
  const readings = buildPinyinMap();
  const pinyinStart = new Int32Array(0x10000);
  const pinyinLength = new Uint8Array(0x10000);
  const pinyinCodes = new Uint16Array([...readings.values()].reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const [code, reading] of readings) {
    pinyinStart[code] = offset;
    pinyinLength[code] = reading.length;
    for (let i = 0; i < reading.length; i++) pinyinCodes[offset++] = reading.charCodeAt(i);
  }
  cached = { kind, value, script, expansion, pinyin: readings, pinyinStart, pinyinLength, pinyinCodes, simplified };
  return cached;
}

export { scriptOf };
