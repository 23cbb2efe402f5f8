import {
  ANGRY_EMOJI, EN_ANGER, EN_INTENSIFIERS, EN_NEGATIVE, EN_NEGATORS, EN_POSITIVE, HAPPY_EMOJI, SAD_EMOJI,
  ZH_ANGER, ZH_INTENSIFIERS, ZH_NEGATIVE, ZH_NEGATORS, ZH_POSITIVE,
} from './sentiment-lexicon.js';
import type { Sentiment, SentimentLabel } from './types.js';

/**
 * Lexicon sentiment with negation ("不满意", "not happy") and intensifiers ("非常", "really"), plus an
 * anger score from insults, threats to escalate, shouting and angry emoji: enough to route a complaint
 * or an abusive message to a person, which is all the assistant asks of it.
 */

const SENTIMENT_TEXT_LIMIT = 2_000;
/** Anger at or above this makes the label `angry` (the handoff trigger). */
export const ANGER_THRESHOLD = 0.5;

interface Tally {
  positive: number;
  negative: number;
  anger: number;
}

const ZH_TERMS = [...new Set([...Object.keys(ZH_POSITIVE), ...Object.keys(ZH_NEGATIVE), ...Object.keys(ZH_ANGER)])].sort((a, b) => b.length - a.length);

/** Longest lexicon term at each position, left to right; a negator just before flips it. */
function tallyChinese(text: string, tally: Tally): void {
  for (let i = 0; i < text.length; ) {
    const term = ZH_TERMS.find((t) => text.startsWith(t, i));
    if (!term) {
      i++;
      continue;
    }
    const before = text.slice(Math.max(0, i - 3), i);
    const negated = ZH_NEGATORS.some((n) => before.endsWith(n) || before.slice(0, -1).endsWith(n));
    let weight = 1;
    for (const [word, factor] of Object.entries(ZH_INTENSIFIERS)) if (before.includes(word)) weight = Math.max(weight, factor);
    apply(tally, ZH_POSITIVE[term], ZH_NEGATIVE[term], ZH_ANGER[term], negated, weight);
    i += term.length;
  }
}

const EN_PHRASES = Object.keys(EN_ANGER).filter((k) => k.includes(' '));

function tallyEnglish(text: string, tally: Tally): void {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'");
  for (const phrase of EN_PHRASES) if (lower.includes(phrase)) tally.anger += EN_ANGER[phrase]!;
  const words = lower.match(/[a-z']+/g) ?? [];
  for (const [i, word] of words.entries()) {
    const window = words.slice(Math.max(0, i - 3), i);
    const negated = window.some((w) => EN_NEGATORS.includes(w));
    let weight = 1;
    for (const w of window) weight = Math.max(weight, EN_INTENSIFIERS[w] ?? 1);
    const anger = word.includes(' ') ? undefined : EN_ANGER[word];
    apply(tally, EN_POSITIVE[word], EN_NEGATIVE[word], anger, negated, weight);
  }
}

function apply(tally: Tally, positive: number | undefined, negative: number | undefined, anger: number | undefined, negated: boolean, weight: number): void {
  if (anger !== undefined) {
    // "not angry" is not anger, but still not a happy message.
    if (negated) tally.negative += 0.5;
    else {
      tally.anger += anger * weight;
      tally.negative += anger * weight;
    }
  }
  if (positive !== undefined) {
    if (negated) tally.negative += positive * weight;
    else tally.positive += positive * weight;
  }
  if (negative !== undefined) {
    // "不差" / "not bad" is mildly good.
    if (negated) tally.positive += negative * 0.5;
    else tally.negative += negative * weight;
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function analyseSentiment(text: string): Sentiment {
  const bounded = text.slice(0, SENTIMENT_TEXT_LIMIT).normalize('NFKC');
  const tally: Tally = { positive: 0, negative: 0, anger: 0 };
  tallyChinese(bounded.toLowerCase(), tally);
  tallyEnglish(bounded, tally);
  const angryEmoji = count(bounded, ANGRY_EMOJI);
  tally.anger += 2 * angryEmoji;
  tally.negative += 2 * angryEmoji + 1.5 * count(bounded, SAD_EMOJI);
  tally.positive += 1.5 * count(bounded, HAPPY_EMOJI);
  // Shouting: repeated exclamation marks or a long run of capitals make a negative message angrier.
  const letters = bounded.match(/[a-z]/gi) ?? [];
  const capitals = letters.filter((c) => c >= 'A' && c <= 'Z').length;
  const shouting = (letters.length >= 8 && capitals / letters.length > 0.7 ? 1 : 0) + (/[!！]{2,}|[?？][!！]|[!！][?？]/.test(bounded) ? 1 : 0);
  if (tally.negative > 0) tally.anger += 1.2 * shouting;
  const score = Math.tanh((tally.positive - tally.negative) / 2);
  const anger = 1 - Math.exp(-tally.anger / 2.5);
  return { label: labelFor(score, anger), score: Math.round(score * 1000) / 1000, anger: Math.round(anger * 1000) / 1000 };
}

function labelFor(score: number, anger: number): SentimentLabel {
  if (anger >= ANGER_THRESHOLD) return 'angry';
  if (score <= -0.2) return 'negative';
  if (score >= 0.2) return 'positive';
  return 'neutral';
}
