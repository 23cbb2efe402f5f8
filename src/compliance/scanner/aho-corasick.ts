/**
 * Aho-Corasick multi-pattern matching over UTF-16 code units: one pass over the text finds every
 * occurrence of every pattern, overlapping ones included, in time linear in the text plus the number
 * of matches, however many patterns there are. Built once when the word library is loaded.
 */
export interface AhoCorasick {
  /** Number of patterns, empty ones included (they never match). */
  readonly patternCount: number;
  /** Number of trie states: the automaton's size. */
  readonly stateCount: number;
  /** Calls `onMatch(patternId, end)` for each occurrence; `end` is one past its last code unit. */
  scan(codes: ArrayLike<number>, length: number, onMatch: (patternId: number, end: number) => void): void;
}

export function buildAhoCorasick(patterns: readonly string[]): AhoCorasick {
  // Perf: code units are renumbered into the patterns' own alphabet, so that a character no pattern
  // uses sends the scan back to the root at once, and so that an edge key (state × alphabet +
  // symbol) stays a small integer: a Map keyed by large doubles was most of the scan's time.
  const symbolOf = new Int32Array(0x10000).fill(-1);
  let alphabet = 0;
  for (const pattern of patterns) for (let i = 0; i < pattern.length; i++) if (symbolOf[pattern.charCodeAt(i)] === -1) symbolOf[pattern.charCodeAt(i)] = alphabet++;
  const size = Math.max(alphabet, 1);
  const edges = new Map<number, number>();
  const childrenOf: number[][] = [[]];
  const outputs: number[][] = [[]];
  let states = 1;

  patterns.forEach((pattern, id) => {
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const symbol = symbolOf[pattern.charCodeAt(i)]!;
      const key = state * size + symbol;
      let next = edges.get(key);
      if (next === undefined) {
        next = states++;
        edges.set(key, next);
        childrenOf[state]!.push(symbol, next);
        childrenOf.push([]);
        outputs.push([]);
      }
      state = next;
    }
    outputs[state]!.push(id);
  });

  // Failure links breadth first: a state's link is the longest proper suffix of its path that is
  // also a path in the trie. Outputs are merged along the links here, so the scan never walks them.
  const fail = new Int32Array(states);
  const queue: number[] = [];
  const rootChildren = childrenOf[0]!;
  for (let i = 1; i < rootChildren.length; i += 2) queue.push(rootChildren[i]!);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    const children = childrenOf[state]!;
    for (let i = 0; i < children.length; i += 2) {
      const symbol = children[i]!;
      const child = children[i + 1]!;
      let link = fail[state]!;
      let target = edges.get(link * size + symbol);
      while (target === undefined && link !== 0) {
        link = fail[link]!;
        target = edges.get(link * size + symbol);
      }
      fail[child] = target !== undefined && target !== child ? target : 0;
      const inherited = outputs[fail[child]!]!;
      if (inherited.length > 0) outputs[child] = [...outputs[child]!, ...inherited];
      queue.push(child);
    }
  }
  const finalOutputs: (readonly number[] | undefined)[] = outputs.map((o) => (o.length > 0 ? o : undefined));
  // The root's moves as a table: most characters of a text are read from the root.
  const fromRoot = new Int32Array(size);
  for (let i = 0; i < rootChildren.length; i += 2) fromRoot[rootChildren[i]!] = rootChildren[i + 1]!;
  // Perf: the other edges in an open-addressing hash over typed arrays, several times faster to
  // probe than a Map. Keys are edge keys + 1, so that 0 marks an empty slot.
  let bits = 4;
  while (1 << bits < edges.size * 2) bits += 1;
  const mask = (1 << bits) - 1;
  const keys = new Int32Array(1 << bits);
  const values = new Int32Array(1 << bits);
  const slotOf = (key: number) => Math.imul(key, 0x9e3779b1) >>> (32 - bits);
  for (const [key, target] of edges) {
    let slot = slotOf(key + 1);
    while (keys[slot] !== 0) slot = (slot + 1) & mask;
    keys[slot] = key + 1;
    values[slot] = target;
  }
  const edge = (state: number, symbol: number): number => {
    const key = state * size + symbol + 1;
    for (let slot = slotOf(key); ; slot = (slot + 1) & mask) {
      const found = keys[slot]!;
      if (found === key) return values[slot]!;
      if (found === 0) return -1;
    }
  };

  return {
    patternCount: patterns.length,
    stateCount: states,
    scan(codes, length, onMatch) {
      let state = 0;
      for (let i = 0; i < length; i++) {
        const symbol = symbolOf[codes[i]!]!;
        if (symbol === -1) {
          state = 0;
          continue;
        }
        let next = -1;
        while (state !== 0) {
          next = edge(state, symbol);
          if (next !== -1) break;
          state = fail[state]!;
        }
        state = next !== -1 ? next : fromRoot[symbol]!;
        const out = finalOutputs[state];
        if (out !== undefined) for (let k = 0; k < out.length; k++) onMatch(out[k]!, i + 1);
      }
    },
  };
}
