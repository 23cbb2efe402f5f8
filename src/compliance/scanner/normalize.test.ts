import { beforeAll, describe, expect, it } from 'vitest';
import { charTable } from './char-table.js';
import { normalizePattern, normalizeText, toPinyin } from './normalize.js';
import { createScanner, type ContentScanner } from './index.js';

const table = () => charTable();
const compact = (text: string) => normalizePattern(text, table());

describe('normalisation', () => {
  it('folds full-width letters and digits, case and accents', () => {
    expect(compact('ＫＩＬＬ　Ｙｏｕ １２３')).toBe('killyou123');
    expect(compact('KiLl')).toBe('kill');
    expect(compact('ķíll')).toBe('kill');
    expect(compact('𝐤𝐢𝐥𝐥')).toBe('kill');
  });

  it('maps traditional characters (Taiwan and Hong Kong forms) to simplified ones', () => {
    expect(compact('我們會上門')).toBe('我们会上门');
    expect(compact('徵信黑名單')).toBe('征信黑名单');
  });

  it('drops spaces, punctuation and zero-width characters between letters', () => {
    expect(compact('上 - 门')).toBe('上门');
    expect(compact('k.i*l_l')).toBe('kill');
    expect(compact('上\u200b门\u200d催\u2060收\ufeff')).toBe('上门催收');
  });

  it('keeps, for every position, the span of original text it came from', () => {
    const text = 'ＯＫ 上\u200b門';
    const normalized = normalizeText(text, table());
    const spans = Array.from({ length: normalized.length }, (_, i) => text.slice(normalized.origStart[i], normalized.origEnd[i]));
    expect(spans).toEqual(['Ｏ', 'Ｋ', '上', '門']);
  });

  it('spells Han characters in pinyin, one syllable per word edge', () => {
    const normalized = normalizeText('尚门', table());
    const spoken = toPinyin(normalized, table());
    expect(String.fromCharCode(...spoken.codes.subarray(0, spoken.length))).toBe('shangmen');
    expect(Array.from(spoken.boundary.subarray(0, spoken.length))).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
  });
});

describe('evasions caught by the scanner', () => {
  let scanner: ContentScanner;
  beforeAll(() => {
    scanner = createScanner();
  });
  const blocked = (text: string, locale: 'zh-CN' | 'en' = 'zh-CN') => {
    const result = scanner.check(text, { channel: 'app', locale });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.violations.filter((v) => v.severity === 'block').map((v) => [v.rule, v.match]);
  };

  it('reports the original words, whatever the disguise', () => {
    expect(blocked('我們會上門')).toEqual([['doorstep.visit_zh', '上門']]);
    expect(blocked('我们会上\u200b门')).toEqual([['doorstep.visit_zh', '上\u200b门']]);
    expect(blocked('我们会上 * 门')).toEqual([['doorstep.visit_zh', '上 * 门']]);
    expect(blocked('ＷＥ ＷＩＬＬ ＲＵＩＮ ＹＯＵＲ ＣＲＥＤＩＴ', 'en')).toEqual([['credit.false_claim_en', 'ＲＵＩＮ ＹＯＵＲ ＣＲＥＤＩＴ']]);
  });

  it('catches homophones, pinyin spellings and pinyin abbreviations', () => {
    expect(blocked('我们会尚门')).toEqual([['doorstep.visit_zh', '尚门']]);
    expect(blocked('我们会shang men')).toEqual([['doorstep.visit_zh', 'shang men']]);
    expect(blocked('我们会把你上报zx')).toEqual([['credit.report_zh', '上报zx']]);
    expect(blocked('你这个lao lai')).toEqual([['insult.abuse_zh', 'lao lai']]);
  });

  it('does not take a chance homophone for a word: 贷不 is not 逮捕, shang is not sha', () => {
    expect(blocked('你会一直贷不了款吗')).toEqual([]);
    expect(blocked('您好，上个月的账单已结清')).toEqual([]);
  });

  it('matches English words whole, also when spelt out letter by letter', () => {
    expect(blocked('Our team has the skills to help you', 'en')).toEqual([]);
    expect(blocked('Our team has the s k i l l s to help you', 'en')).toEqual([]);
    expect(blocked('we will k i l l y o u', 'en')).toEqual([['threat.violence_en', 'k i l l y o u']]);
    expect(blocked('a f o o l p r o o f plan', 'en')).toEqual([]);
  });
});
