import { describe, expect, it } from 'vitest';
import { buildAhoCorasick } from './aho-corasick.js';

function matches(patterns: string[], text: string): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  const codes = Array.from(text, (c) => c.charCodeAt(0));
  buildAhoCorasick(patterns).scan(codes, codes.length, (id, end) => found.push([patterns[id]!, end - patterns[id]!.length]));
  return found.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

describe('Aho-Corasick', () => {
  it('finds overlapping matches and matches that are suffixes of others', () => {
    expect(matches(['he', 'she', 'his', 'hers'], 'ushers')).toEqual([['she', 1], ['he', 2], ['hers', 2]]);
  });

  it('follows failure links across shared prefixes', () => {
    expect(matches(['abcd', 'bcx', 'abce', 'c'], 'abcx abce')).toEqual([['bcx', 1], ['c', 2], ['abce', 5], ['c', 7]]);
  });

  it('matches Chinese patterns with shared prefixes', () => {
    expect(matches(['上门', '上门催收', '门'], '我们上门催收')).toEqual([['上门', 2], ['上门催收', 2], ['门', 3]]);
  });

  it('handles empty patterns, an empty text, duplicates, and text the patterns never use', () => {
    expect(matches([], 'anything')).toEqual([]);
    expect(matches(['', 'a'], 'aa')).toEqual([['a', 0], ['a', 1]]);
    expect(matches(['abc'], '')).toEqual([]);
    expect(matches(['ab', 'ab'], 'xab')).toEqual([['ab', 1], ['ab', 1]]);
    expect(matches(['aaa'], 'aaaa')).toEqual([['aaa', 0], ['aaa', 1]]);
    expect(matches(['kill'], 'zzzz\u{ffff}\u0000')).toEqual([]);
  });

  it('agrees with a naive search on many random patterns and texts', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = Array.from({ length: 8 }, () => word(1 + Math.floor(random() * 4)));
      const text = word(40);
      const naive: Array<[string, number]> = [];
      patterns.forEach((p) => {
        for (let i = 0; i + p.length <= text.length; i++) if (text.startsWith(p, i)) naive.push([p, i]);
      });
      naive.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      expect(matches(patterns, text)).toEqual(naive);
    }
  });
});
