import type { NormalizedText } from './normalize.js';

/**
 * Letter-spaced text ("k i l l y o u", "f.o.o.l.p.r.o.o.f") hides where its words end. A term found
 * in such a run counts only when it begins and ends at a visible edge, or next to other terms
 * that together reach the edges: "k i l l y o u" and "w o r t h l e s s l o s e r" are read as
 * words, while "fool" in "f o o l p r o o f" or "kill" in "s k i l l s" are not.
 */

// Three single letters in a row, each standing alone, make a letter-spaced run.
const MIN_RUN = 3;
// A run that starts with "a" or "i" most likely starts with that word: "a l a w s u i t".
const ONE_LETTER_WORDS = new Set(['a'.charCodeAt(0), 'i'.charCodeAt(0)]);

/** Sets `text.midRun`: 1 at each position inside a spaced run where no word can be seen to start. */
export function markSpacedRuns(text: NormalizedText): void {
  const { codes, boundary, clause, gapWeight, midRun, length } = text;
  midRun.fill(0, 0, length);
  let runStart = -1;
  for (let i = 0; i <= length; i++) {
    // A letter or digit standing alone (Han characters, from U+3400 on, are words by nature).
    const single = i < length && boundary[i] === 1 && (i + 1 === length || boundary[i + 1] === 1) && codes[i]! < 0x3400;
    if (single && runStart >= 0 && clause[i] === clause[runStart]) continue;
    if (runStart >= 0 && i - runStart >= MIN_RUN) markRun(codes, gapWeight, midRun, runStart, i);
    runStart = single ? i : -1;
  }
}

function markRun(codes: Uint16Array, gapWeight: Uint8Array, midRun: Uint8Array, from: number, to: number): void {
  // The narrowest gap in the run is the one between letters; wider ones are between words.
  let narrowest = 255;
  for (let k = from + 1; k < to; k++) narrowest = Math.min(narrowest, gapWeight[k]!);
  for (let k = from + 1; k < to; k++) if (gapWeight[k] === narrowest) midRun[k] = 1;
  if (ONE_LETTER_WORDS.has(codes[from]!)) midRun[from + 1] = 0;
}

/** Which spans [start, end) stand on visible edges, directly or through a chain of neighbouring spans. */
export function spansOnEdges(text: NormalizedText, spans: ReadonlyArray<readonly [number, number]>): boolean[] {
  const isEdge = (p: number) => p >= text.length || text.midRun[p] !== 1;
  if (spans.every(([s, e]) => isEdge(s) && isEdge(e))) return spans.map(() => true);
  const fromLeft = new Set<number>();
  const fromRight = new Set<number>();
  const byStart = spans.map((_, i) => i).sort((a, b) => spans[a]![0] - spans[b]![0]);
  for (const i of byStart) {
    const [s, e] = spans[i]!;
    if (isEdge(s) || fromLeft.has(s)) fromLeft.add(e);
  }
  for (const i of [...byStart].sort((a, b) => spans[b]![1] - spans[a]![1])) {
    const [s, e] = spans[i]!;
    if (isEdge(e) || fromRight.has(e)) fromRight.add(s);
  }
  return spans.map(([s, e]) => (isEdge(s) || fromLeft.has(s)) && (isEdge(e) || fromRight.has(e)));
}
