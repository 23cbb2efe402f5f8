import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ContentScanner, createScanner, FAMILIES, type Family } from '../src/compliance/scanner/index.js';
import type { Channel } from '../src/db/schema.js';

interface LabelledCase {
  text: string;
  locale: 'zh-CN' | 'en';
  channel: Channel;
  aiGenerated?: boolean;
  family: Family;
  label: 'allowed' | 'blocked';
  trick: string;
}

const corpus = (JSON.parse(readFileSync(join(import.meta.dirname, 'compliance', 'corpus.json'), 'utf8')) as { cases: LabelledCase[] }).cases;

interface Score {
  tp: number;
  fp: number;
  fn: number;
}

describe('the labelled compliance corpus', () => {
  let scanner: ContentScanner;
  beforeAll(() => {
    scanner = createScanner();
  });

  it('is large and balanced enough to mean something', () => {
    const allowed = corpus.filter((c) => c.label === 'allowed').length;
    const blocked = corpus.length - allowed;
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(Math.abs(allowed - blocked) / corpus.length).toBeLessThan(0.1);
    for (const locale of ['zh-CN', 'en']) for (const family of FAMILIES) for (const label of ['allowed', 'blocked']) {
      expect(corpus.some((c) => c.locale === locale && c.family === family && c.label === label), `${locale} ${family} ${label}`).toBe(true);
    }
    // Every evasion trick is tried on every rule family, on the blocked side and on the allowed side.
    const tricks = ['full_width', 'traditional', 'inserted_spaces', 'inserted_punctuation', 'mixed_case', 'zero_width', 'homophone_or_pinyin'];
    for (const family of FAMILIES.filter((f) => f !== 'missing_required_part')) for (const trick of tricks) {
      expect(corpus.some((c) => c.family === family && c.trick === trick && c.label === 'blocked'), `${family} ${trick} blocked`).toBe(true);
    }
  });

  it('gets every case right, and reports precision and recall per rule family', () => {
    const scores = new Map<Family, Score>(FAMILIES.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]));
    const wrong: string[] = [];
    for (const c of corpus) {
      const result = scanner.check(c.text, { channel: c.channel, locale: c.locale, aiGenerated: c.aiGenerated });
      if (!result.ok) throw new Error(`scanner refused ${JSON.stringify(c.text)}: ${result.error.message}`);
      const blockedFamilies = new Set(result.value.violations.filter((v) => v.severity === 'block').map((v) => v.family));
      for (const family of FAMILIES) {
        const expected = c.label === 'blocked' && c.family === family;
        const got = blockedFamilies.has(family);
        const score = scores.get(family)!;
        if (expected && got) score.tp += 1;
        else if (expected) score.fn += 1;
        else if (got) score.fp += 1;
      }
      const right = c.label === 'blocked' ? blockedFamilies.has(c.family) : !result.value.allowed;
      if (c.label === 'blocked' ? !right : right) {
        wrong.push(`${c.label} ${c.family} [${c.trick}] ${JSON.stringify(c.text)} -> ${JSON.stringify(result.value.violations)}`);
      }
    }
    const report = FAMILIES.map((family) => {
      const { tp, fp, fn } = scores.get(family)!;
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      return `${family.padEnd(24)} precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`;
    });
    console.log(`compliance corpus: ${corpus.length} cases\n${report.join('\n')}`);
    expect(wrong).toEqual([]);
  });
});
