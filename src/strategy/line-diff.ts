/** A line diff of two policy sources: longest common subsequence, no dependency for ~200-line files. */
export interface LineChange {
  op: 'same' | 'added' | 'removed';
  text: string;
  /** 1-based line in the old text (same, removed) and in the new one (same, added). */
  oldLine?: number;
  newLine?: number;
}

// Above this many table cells the middle is reported as replaced wholesale: still a correct diff,
// only not the shortest, and the memory stays bounded whatever is posted.
const MAX_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** LCS lengths of every suffix pair, row-major: cell (i, j) is for a[i..] and b[j..]. */
function suffixTable(a: readonly string[], b: readonly string[]): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  return table;
}

function diffMiddle(a: readonly string[], b: readonly string[]): Array<{ op: LineChange['op']; text: string }> {
  const out: Array<{ op: LineChange['op']; text: string }> = [];
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [...a.map((text) => ({ op: 'removed' as const, text })), ...b.map((text) => ({ op: 'added' as const, text }))];
  }
  const table = suffixTable(a, b);
  const width = b.length + 1;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ op: 'added', text: b[j++]! });
  return out;
}

export function diffLines(oldText: string, newText: string): LineChange[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // The common head and tail never need the table: most edits touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const ops = [
    ...a.slice(0, head).map((text) => ({ op: 'same' as const, text })),
    ...diffMiddle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((text) => ({ op: 'same' as const, text })),
  ];
  let oldLine = 0;
  let newLine = 0;
  return ops.map(({ op, text }) => {
    if (op === 'same') return { op, text, oldLine: ++oldLine, newLine: ++newLine };
    return op === 'removed' ? { op, text, oldLine: ++oldLine } : { op, text, newLine: ++newLine };
  });
}

/** The changes as unified-diff text (`@@ -l,n +l,n @@` hunks with `context` lines around each change). */
export function formatUnified(changes: readonly LineChange[], labels: { from: string; to: string }, context = 3): string {
  const keep = changes.map((c, k) => c.op !== 'same' || changes.slice(Math.max(0, k - context), k + context + 1).some((n) => n.op !== 'same'));
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (let k = 0; k < changes.length; ) {
    if (!keep[k]) {
      k += 1;
      continue;
    }
    let end = k;
    while (end < changes.length && keep[end]) end += 1;
    const hunk = changes.slice(k, end);
    const olds = hunk.filter((c) => c.op !== 'added');
    const news = hunk.filter((c) => c.op !== 'removed');
    const oldStart = olds[0]?.oldLine ?? (changes.slice(0, k).filter((c) => c.op !== 'added').length);
    const newStart = news[0]?.newLine ?? (changes.slice(0, k).filter((c) => c.op !== 'removed').length);
    out.push(`@@ -${oldStart},${olds.length} +${newStart},${news.length} @@`);
    for (const c of hunk) out.push(`${c.op === 'same' ? ' ' : c.op === 'added' ? '+' : '-'}${c.text}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
