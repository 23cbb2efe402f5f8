import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import { schemaErrors } from '../../core/validate.js';
import { pinyin } from 'pinyin-pro';
import { type AhoCorasick, buildAhoCorasick } from './aho-corasick.js';
import type { CharTable } from './char-table.js';
import { normalizePattern, pinyinOfPattern } from './normalize.js';

/**
 * The word library: named word sets and rules over them, in JSON (data/compliance/*.json, plus any
 * files named in config). A rule's term is a sequence of segments joined by "…": each segment a
 * literal or a "{set}", each following the previous within a few characters of the same clause, so
 * "{notify}…{relatives}" catches "通知你的家人" and "tell your whole family" alike.
 */
export const FAMILIES = ['threat', 'insult', 'intimidation', 'doorstep_visit', 'false_legal_claim', 'false_credit_claim', 'third_party_disclosure', 'missing_required_part'] as const;
export type Family = (typeof FAMILIES)[number];
export type Severity = 'block' | 'review' | 'warn';

const SeveritySchema = Type.Enum(['block', 'review', 'warn']);
const OutcomeSchema = Type.Enum(['block', 'review', 'warn', 'none']);

const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$' }),
    family: Type.Enum([...FAMILIES]),
    /**
     * plain: the words are the violation (unless negated, when negatable).
     * consequence: a statement of consequences, judged by its context: negated, or hedged by a modal
     * or a reference to the law, it is `hedged`; exaggerated, or said by "we" to "you", it is a block;
     * otherwise `bare`.
     */
    context: Type.Optional(Type.Enum(['plain', 'consequence'])),
    severity: Type.Optional(SeveritySchema),
    negatable: Type.Optional(Type.Boolean()),
    bare: Type.Optional(OutcomeSchema),
    hedged: Type.Optional(OutcomeSchema),
    terms: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** How many normalised characters may separate a term's segments (default 12). */
    window: Type.Optional(Type.Integer({ minimum: 0, maximum: 40 })),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const LibrarySchema = Type.Object(
  {
    description: Type.Optional(Type.String()),
    sets: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_]+$' }), Type.Array(Type.String({ minLength: 1 })))),
    rules: Type.Optional(Type.Array(RuleSchema)),
    /**
     * The severity of a missing required part: `opt_out` (SMS and email), `ai_mark` (model-written
     * text), `sender_identity` (SMS and email). A later library overrides an earlier one.
     */
    requirements: Type.Optional(
      Type.Object({ opt_out: Type.Optional(OutcomeSchema), ai_mark: Type.Optional(OutcomeSchema), sender_identity: Type.Optional(OutcomeSchema) }, { additionalProperties: false }),
    ),
    /** Phrases that contain a listed word innocently ("滚动", "skill"): a match inside one is dropped. */
    safe: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);
export type LibrarySpec = Static<typeof LibrarySchema>;

/**
 * Sets the evaluator reads by name; a library may extend them but not remove them. The set
 * `negation_filler` (characters allowed between a negation and what it negates) is read apart.
 */
export const CUE_SETS = ['negation', 'hedge', 'intensifier', 'agent', 'opt_out', 'ai_mark', 'sender'] as const;
export type CueSet = (typeof CUE_SETS)[number];

export interface CompiledRule {
  id: string;
  family: Family;
  context: 'plain' | 'consequence';
  severity: Severity;
  negatable: boolean;
  bare: Severity | 'none';
  hedged: Severity | 'none';
  /** Each term as its sequence of slot numbers. */
  sequences: number[][];
  window: number;
}

export interface Requirements {
  opt_out: Severity | 'none';
  ai_mark: Severity | 'none';
  sender_identity: Severity | 'none';
}

export interface CompiledLibrary {
  requirements: Requirements;
  automaton: AhoCorasick;
  /** Per pattern: its slot and its length. */
  patternSlot: Int32Array;
  patternLength: Int32Array;
  /** Per pattern: for a pinyin spelling, the Han word it spells (homophones are checked against it). */
  spelledWord: Array<string | undefined>;
  slotCount: number;
  cueSlots: Record<CueSet, number>;
  safeSlot: number;
  /** Characters allowed between a negation and what it negates ("不会去上门"). */
  negationFillers: Set<number>;
  rules: CompiledRule[];
  /** Perf: each term under the slot it starts with, so a message is checked only against terms whose first word it contains. */
  termsByFirstSlot: Map<number, Array<{ rule: CompiledRule; sequence: number[] }>>;
}

export class RuleLibraryError extends Error {}

export function readLibraryFile(path: string): LibrarySpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RuleLibraryError(`compliance rule file ${path}: ${(error as Error).message}`);
  }
  const errors = schemaErrors(LibrarySchema, raw);
  if (errors.length > 0) throw new RuleLibraryError(`compliance rule file ${path}: ${errors.map((e) => `${e.field || '(file)'} ${e.reason}`).join('; ')}`);
  return raw as LibrarySpec;
}

/** Later libraries add words to earlier sets and add rules; a rule id defined twice is an error. */
export function mergeLibraries(libraries: LibrarySpec[]): Required<Pick<LibrarySpec, 'sets' | 'rules' | 'safe'>> & { requirements: Requirements } {
  const sets: Record<string, string[]> = {};
  const requirements: Requirements = { opt_out: 'block', ai_mark: 'block', sender_identity: 'warn' };
  const rules: NonNullable<LibrarySpec['rules']> = [];
  const safe: string[] = [];
  const ids = new Set<string>();
  for (const library of libraries) {
    for (const [name, words] of Object.entries(library.sets ?? {})) sets[name] = [...(sets[name] ?? []), ...words];
    for (const rule of library.rules ?? []) {
      if (ids.has(rule.id)) throw new RuleLibraryError(`compliance rule ${rule.id} is defined twice; give the extra rule its own id`);
      ids.add(rule.id);
      rules.push(rule);
    }
    safe.push(...(library.safe ?? []));
    Object.assign(requirements, library.requirements ?? {});
  }
  return { sets, rules, safe, requirements };
}

export function compileLibrary(libraries: LibrarySpec[], table: CharTable): CompiledLibrary {
  const merged = mergeLibraries(libraries);
  const patterns: string[] = [];
  const slots: number[] = [];
  const lengths: number[] = [];
  const spelled: Array<string | undefined> = [];
  let slotCount = 0;
  const addWords = (slot: number, words: string[], where: string, bySound = true) => {
    for (const word of words) {
      const form = normalizePattern(word, table);
      if (form.length === 0) throw new RuleLibraryError(`compliance ${where}: ${JSON.stringify(word)} has no letters or digits to match`);
      // Two-character Han words and longer are also matched by sound: 尚门 and "shang men" read as 上门.
      // Both the characters' usual readings (what text is spelt with) and the word's own reading
      // (曝光 is baoguang, though 曝 alone reads pu) are kept, so 暴光 matches too.
      const variants = new Set([form]);
      if (bySound && [...form].length >= 2) {
        const usual = pinyinOfPattern(form, table);
        if (usual) variants.add(usual);
        const own = usual && normalizePattern(pinyin(form, { toneType: 'none', type: 'array' }).join(''), table);
        if (own) variants.add(own);
      }
      for (const variant of variants) {
        patterns.push(variant);
        slots.push(slot);
        lengths.push(variant.length);
        spelled.push(variant === form ? undefined : form);
      }
    }
  };
  const setSlots = new Map<string, number>();
  for (const name of new Set([...CUE_SETS, ...Object.keys(merged.sets)])) {
    if (name === 'negation_filler') continue;
    const slot = slotCount++;
    setSlots.set(name, slot);
    addWords(slot, merged.sets[name] ?? [], `set ${name}`);
  }
  const safeSlot = slotCount++;
  addWords(safeSlot, merged.safe, 'safe list');
  const literalSlots = new Map<string, number>();
  const rules = merged.rules.map((rule): CompiledRule => {
    const sequences = rule.terms.map((term) =>
      term.split('…').map((segment) => {
        const reference = /^\{([a-z_]+)\}$/.exec(segment.trim());
        if (reference) {
          const slot = setSlots.get(reference[1]!);
          if (slot === undefined) throw new RuleLibraryError(`compliance rule ${rule.id}: term ${JSON.stringify(term)} names the set ${reference[1]}, which no rule file defines`);
          return slot;
        }
        let slot = literalSlots.get(segment);
        if (slot === undefined) {
          slot = slotCount++;
          literalSlots.set(segment, slot);
          addWords(slot, [segment], `rule ${rule.id}`);
        }
        return slot;
      }),
    );
    return {
      id: rule.id,
      family: rule.family,
      context: rule.context ?? 'plain',
      severity: rule.severity ?? 'block',
      negatable: rule.negatable ?? true,
      bare: rule.bare ?? 'review',
      hedged: rule.hedged ?? 'none',
      sequences,
      window: rule.window ?? 12,
    };
  });
  const cueSlots = Object.fromEntries(CUE_SETS.map((name) => [name, setSlots.get(name)!])) as Record<CueSet, number>;
  const negationFillers = new Set<number>();
  for (const word of merged.sets.negation_filler ?? []) for (const char of normalizePattern(word, table)) negationFillers.add(char.charCodeAt(0));
  const termsByFirstSlot = new Map<number, Array<{ rule: CompiledRule; sequence: number[] }>>();
  for (const rule of rules) {
    for (const sequence of rule.sequences) {
      const list = termsByFirstSlot.get(sequence[0]!) ?? [];
      list.push({ rule, sequence });
      termsByFirstSlot.set(sequence[0]!, list);
    }
  }
  return {
    requirements: merged.requirements,
    termsByFirstSlot,
    automaton: buildAhoCorasick(patterns),
    patternSlot: Int32Array.from(slots),
    patternLength: Int32Array.from(lengths),
    spelledWord: spelled,
    slotCount,
    cueSlots,
    safeSlot,
    negationFillers,
    rules,
  };
}
