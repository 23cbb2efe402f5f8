import { createRequire } from 'node:module';

/**
 * Turns a message into the strings the classifier counts: word 1-3-grams (jieba words for Chinese)
 * and character n-grams (inside each Latin word, padded with spaces, like scikit-learn's char_wb; over
 * whole Han runs for Chinese, where word boundaries are themselves a guess).
 */

// Features are computed on at most this many characters: a 10,000-character complaint says what it is
// about long before the end, and the bound keeps latency flat on enormous input.
export const FEATURE_TEXT_LIMIT = 1_000;

interface JiebaLike {
  cut(text: string, hmm?: boolean): string[];
}

const require = createRequire(import.meta.url);
let jieba: JiebaLike | undefined;

/** jieba's dictionary takes a few hundred milliseconds to load: only when Chinese first appears. */
function segmenter(): JiebaLike {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): JiebaLike } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
// Typographic apostrophes, full-width forms and compatibility characters become their plain forms.
const APOSTROPHES = /[’‘`´]/g;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** NFKC (full-width → half-width), lower case, one kind of apostrophe, bounded length. */
export function normaliseText(text: string): string {
  return text.slice(0, FEATURE_TEXT_LIMIT).normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
}

/** Digits carry amounts and dates, which are entities, not intent: every digit counts as one. */
function shapeDigits(token: string): string {
  return token.replace(/\d/g, '0');
}

/** Words in reading order: jieba's words for Han runs, letter-and-digit runs for everything else. */
export function tokenize(text: string): string[] {
  const normalised = normaliseText(text);
  const tokens: string[] = [];
  let last = 0;
  for (const match of normalised.matchAll(HAN_RUN)) {
    pushLatin(normalised.slice(last, match.index), tokens);
    for (const word of segmenter().cut(match[0], true)) tokens.push(word);
    last = match.index + match[0].length;
  }
  pushLatin(normalised.slice(last), tokens);
  return tokens;
}

function pushLatin(text: string, into: string[]): void {
  if (!text) return;
  for (const match of text.matchAll(LATIN_WORD)) into.push(shapeDigits(match[0]));
}

export interface FeatureOptions {
  wordNgrams: number;
  charMin: number;
  charMax: number;
  /** Longest character n-gram taken over Han runs (single characters are words in Chinese). */
  hanCharMax: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { wordNgrams: 3, charMin: 2, charMax: 5, hanCharMax: 3 };

export interface TextFeatures {
  words: string[];
  chars: string[];
}

export function extractFeatures(text: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): TextFeatures {
  const tokens = tokenize(text);
  const words: string[] = [];
  for (let n = 1; n <= options.wordNgrams; n++) {
    for (let i = 0; i + n <= tokens.length; i++) words.push(n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' '));
  }
  const chars: string[] = [];
  const normalised = normaliseText(text);
  for (const token of tokens) {
    if (hasHan(token)) continue;
    const padded = ` ${token} `;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) chars.push(padded.slice(i, i + n));
    }
  }
  for (const match of normalised.matchAll(HAN_RUN)) {
    const run = match[0];
    for (let n = 1; n <= options.hanCharMax; n++) {
      for (let i = 0; i + n <= run.length; i++) chars.push(run.slice(i, i + n));
    }
  }
  return { words, chars };
}
