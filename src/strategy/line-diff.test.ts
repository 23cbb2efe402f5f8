import { describe, expect, it } from 'vitest';
import { diffLines, formatUnified } from './line-diff.js';

const ops = (a: string, b: string) => diffLines(a, b).map((c) => `${c.op === 'same' ? ' ' : c.op === 'added' ? '+' : '-'}${c.text}`);

describe('diffLines', () => {
  it('keeps common lines and marks only what changed', () => {
    expect(ops('a\nb\nc\n', 'a\nB\nc\n')).toEqual([' a', '-b', '+B', ' c']);
  });

  it('finds the longest common subsequence, not just a common head and tail', () => {
    // A naive prefix/suffix diff would replace the whole middle; the LCS keeps x and y.
    expect(ops('h\nx\n1\ny\nt', 'h\n0\nx\ny\n2\nt')).toEqual([' h', '+0', ' x', '-1', ' y', '+2', ' t']);
  });

  it('numbers lines on each side and handles empty texts', () => {
    expect(diffLines('', 'a\nb')).toEqual([
      { op: 'added', text: 'a', newLine: 1 },
      { op: 'added', text: 'b', newLine: 2 },
    ]);
    expect(diffLines('a\nb', 'a\nb')).toEqual([
      { op: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'same', text: 'b', oldLine: 2, newLine: 2 },
    ]);
  });

  it('stays a correct (if not minimal) diff past the size guard', () => {
    const a = Array.from({ length: 2100 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 2100 }, (_, i) => `b${i}`).join('\n');
    const changes = diffLines(a, b);
    expect(changes.filter((c) => c.op === 'removed').map((c) => c.text).join('\n')).toBe(a);
    expect(changes.filter((c) => c.op === 'added').map((c) => c.text).join('\n')).toBe(b);
  });
});

describe('formatUnified', () => {
  it('prints hunks with context and line ranges', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[9] = 'line ten';
    const text = formatUnified(diffLines(before.join('\n'), after.join('\n')), { from: 'p@1', to: 'p@2' }, 2);
    expect(text).toBe(['--- p@1', '+++ p@2', '@@ -8,5 +8,5 @@', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', ''].join('\n'));
  });

  it('prints no hunk when nothing changed', () => {
    expect(formatUnified(diffLines('a\nb', 'a\nb'), { from: 'x', to: 'y' })).toBe('--- x\n+++ y\n');
  });
});
