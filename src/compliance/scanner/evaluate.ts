import type { CharTable } from './char-table.js';
import { type NormalizedText, type PinyinText, toPinyin } from './normalize.js';
import { spansOnEdges } from './spaced-runs.js';
import type { CompiledLibrary, CompiledRule, Family, Severity } from './rule-library.js';

export interface Violation {
  rule: string;
  family: Family;
  severity: Severity;
  /** The original words that matched, as written (empty for a missing part). */
  match: string;
}

/**
 * Matches per slot, as flat [start, end, start, end, ...] positions in the normalised text.
 * Perf: one table per scanner, cleared between messages, so a scan allocates no maps or lists.
 */
export class HitTable {
  private readonly lists: number[][];
  private readonly touched: number[] = [];

  constructor(slotCount: number) {
    this.lists = Array.from({ length: slotCount }, () => []);
  }

  add(slot: number, start: number, end: number): void {
    const list = this.lists[slot]!;
    if (list.length === 0) this.touched.push(slot);
    list.push(start, end);
  }

  /** The matches of a slot, or undefined when it has none. */
  get(slot: number): readonly number[] | undefined {
    const list = this.lists[slot]!;
    return list.length > 0 ? list : undefined;
  }

  /** The slots with matches, in the order first matched. */
  keys(): readonly number[] {
    return this.touched;
  }

  clear(): void {
    for (const slot of this.touched) this.lists[slot]!.length = 0;
    this.touched.length = 0;
  }
}

type Hits = HitTable;

// How far a negation may stand before what it negates, over filler characters only ("不会去上门").
const NEGATION_WINDOW = 4;

// Up to this many characters, a word written entirely in other characters of the same sound is
// more likely another word (贷不 daibu is not 逮捕) than an evasion (尚门 keeps 门, 做牢 keeps 牢).
const SHORT_WORD = 3;

/** A short word matched by sound only, written in Han characters none of which is the word's own. */
function isChanceHomophone(word: string | undefined, text: NormalizedText, from: number, to: number): boolean {
  if (word === undefined || word.length > SHORT_WORD || to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    const code = text.codes[from + i]!;
    // Spelt in latin letters: pinyin written out on purpose.
    if (code < 0x80 || code === word.charCodeAt(i)) return false;
  }
  return true;
}

// Perf: the automaton reports matches through these two functions and the state below, set per
// scan, rather than through closures made per message.
let current: { library: CompiledLibrary; text: NormalizedText; hits: HitTable; spoken: PinyinText | undefined } | undefined;

function onTextMatch(id: number, end: number): void {
  const { library, text, hits } = current!;
  const start = end - library.patternLength[id]!;
  if (text.boundary[start] !== 1 || (end < text.length && text.boundary[end] !== 1)) return;
  hits.add(library.patternSlot[id]!, start, end);
}

function onPinyinMatch(id: number, end: number): void {
  const { library, text, hits, spoken } = current!;
  const start = end - library.patternLength[id]!;
  if (spoken!.boundary[start] !== 1 || (end < spoken!.length && spoken!.boundary[end] !== 1)) return;
  const from = spoken!.toNormalized[start]!;
  const to = spoken!.toNormalized[end - 1]! + 1;
  if (isChanceHomophone(library.spelledWord[id], text, from, to)) return;
  hits.add(library.patternSlot[id]!, from, to);
}

/** Every word of the library found in the text and in its pinyin spelling, kept only at word edges. */
export function collectHits(library: CompiledLibrary, text: NormalizedText, table: CharTable, hits: HitTable): HitTable {
  hits.clear();
  current = { library, text, hits, spoken: undefined };
  library.automaton.scan(text.codes, text.length, onTextMatch);
  if (text.hasHan) {
    current.spoken = toPinyin(text, table);
    library.automaton.scan(current.spoken.codes, current.spoken.length, onPinyinMatch);
  }
  current = undefined;
  return hits;
}

const NONE: readonly number[] = [];

/** Spans [start, end) where a term's segments follow one another in one phrase: every way they do. */
function findSequences(sequence: number[], window: number, hits: Hits, text: NormalizedText): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const extend = (start: number, end: number, k: number) => {
    if (k === sequence.length) {
      found.push([start, end]);
      return;
    }
    const next = hits.get(sequence[k]!) ?? NONE;
    for (let j = 0; j < next.length; j += 2) {
      const s = next[j]!;
      if (s >= end && s - end <= window && text.phrase[s] === text.phrase[start]) extend(start, next[j + 1]!, k + 1);
    }
  };
  const first = hits.get(sequence[0]!) ?? NONE;
  for (let h = 0; h < first.length; h += 2) extend(first[h]!, first[h + 1]!, 1);
  return found;
}

function anyInClause(hits: Hits, slot: number, text: NormalizedText, clause: number, before?: number): boolean {
  const list = hits.get(slot);
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i += 2) {
    if (text.clause[list[i]!] !== clause) continue;
    if (before === undefined || list[i + 1]! <= before) return true;
  }
  return false;
}

function isNegated(library: CompiledLibrary, hits: Hits, text: NormalizedText, start: number): boolean {
  const list = hits.get(library.cueSlots.negation);
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i += 2) {
    const end = list[i + 1]!;
    if (end > start || start - end > NEGATION_WINDOW || text.clause[list[i]!] !== text.clause[start]) continue;
    let fillersOnly = true;
    for (let p = end; p < start; p++) if (!library.negationFillers.has(text.codes[p]!)) fillersOnly = false;
    if (fillersOnly) return true;
  }
  return false;
}

/**
 * What a match means in its clause. A plain rule's words are a violation unless negated ("我们不会
 * 上门"). A statement of consequences is judged: exaggerated ("永久", "ruin") it is a threat;
 * hedged by a modal or by the law ("可能", "may", "as permitted by law") it is information; said by
 * "we" of what we will do to "you" it is a threat; otherwise it goes to review.
 */
function judge(rule: CompiledRule, library: CompiledLibrary, hits: Hits, text: NormalizedText, start: number): Severity | 'none' {
  if (rule.negatable && isNegated(library, hits, text, start)) return 'none';
  if (rule.context === 'plain') return rule.severity;
  const clause = text.clause[start]!;
  if (anyInClause(hits, library.cueSlots.intensifier, text, clause)) return 'block';
  if (anyInClause(hits, library.cueSlots.hedge, text, clause)) return rule.hedged;
  if (anyInClause(hits, library.cueSlots.agent, text, clause, start)) return 'block';
  return rule.bare;
}

function insideSafePhrase(hits: Hits, safeSlot: number, start: number, end: number): boolean {
  const list = hits.get(safeSlot);
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i += 2) if (list[i]! <= start && end <= list[i + 1]!) return true;
  return false;
}

export function evaluateRules(library: CompiledLibrary, hits: Hits, text: NormalizedText, original: string): Violation[] {
  const found: Array<{ rule: CompiledRule; span: [number, number] }> = [];
  for (const slot of hits.keys()) {
    for (const { rule, sequence } of library.termsByFirstSlot.get(slot) ?? []) for (const span of findSequences(sequence, rule.window, hits, text)) found.push({ rule, span });
  }
  if (found.length === 0) return [];
  const onEdges = spansOnEdges(text, found.map((f) => f.span));
  // One violation per rule and starting point, the longest: "影响您的信用记录", not also "影响您的信用".
  const longest = new Map<string, number>();
  found.forEach(({ rule, span: [start, end] }, i) => {
    if (!onEdges[i] || insideSafePhrase(hits, library.safeSlot, start, end)) return;
    const key = `${rule.id}\u0000${start}`;
    const kept = longest.get(key);
    if (kept === undefined || found[kept]!.span[1] < end) longest.set(key, i);
  });
  const violations: Violation[] = [];
  for (const i of longest.values()) {
    const { rule, span: [start, end] } = found[i]!;
    const severity = judge(rule, library, hits, text, start);
    if (severity === 'none') continue;
    violations.push({ rule: rule.id, family: rule.family, severity, match: original.slice(text.origStart[start]!, text.origEnd[end - 1]!) });
  }
  return violations;
}

export function hasAny(hits: Hits, slot: number): boolean {
  return (hits.get(slot)?.length ?? 0) > 0;
}
