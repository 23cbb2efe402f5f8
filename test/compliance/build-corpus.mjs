// Expands base-cases.json into corpus.json: each base sentence once as written and once per evasion
// trick. Run with `node test/compliance/build-corpus.mjs` after editing the base cases; the corpus is
// committed, so the test reads fixed data and a change to it shows in review.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

const here = dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(readFileSync(join(here, 'base-cases.json'), 'utf8'));
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const fullWidth = (text) => [...text].map((c) => (c === ' ' ? '\u3000' : c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
// Nothing is inserted next to an existing space: "r-u-i-n y-o-u-r", as an evader would write it.
const between = (span, separators) => {
  const chars = [...span];
  return chars.map((c, i) => (i === 0 || c === ' ' || chars[i - 1] === ' ' ? c : separators[i % separators.length] + c)).join('');
};
const mixedCase = (text) => [...text].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');

/** Applies `change` to the [bracketed] words and drops the brackets. */
const onSpan = (text, change) => text.replace(/\[([^\]]+)\]/g, (_, span) => change(span));
const plain = (text) => onSpan(text, (s) => s);

const TRICKS = {
  none: (c) => plain(c.text),
  full_width: (c) => fullWidth(plain(c.text)),
  traditional: (c) => (c.lang === 'zh' ? toTraditional(plain(c.text)) : undefined),
  inserted_spaces: (c) => onSpan(c.text, (s) => between(s, [' '])),
  inserted_punctuation: (c) => onSpan(c.text, (s) => between(s, ['.', '-', '*', '_', '·'])),
  zero_width: (c) => onSpan(c.text, (s) => between(s, ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'])),
  mixed_case: (c) => (/[a-z]/i.test(plain(c.text)) ? onSpan(c.text, mixedCase) : undefined),
  homophone_or_pinyin: (c) => {
    if (c.alt) return onSpan(c.text, () => c.alt);
    // Allowed Chinese words spelt out in pinyin must stay allowed.
    if (c.lang === 'zh' && c.label === 'allowed') return onSpan(c.text, (s) => pinyin(s, { toneType: 'none' }));
    return undefined;
  },
  // Stacked: full width, traditional characters, mixed case, and a zero-width space plus a space between letters.
  combined: (c) => fullWidth(onSpan(c.lang === 'zh' ? toTraditional(c.text) : c.text, (s) => between(c.lang === 'en' ? mixedCase(s) : s, ['\u200b ']))),
};

const corpus = [];
for (const base of cases) {
  for (const [trick, apply] of Object.entries(TRICKS)) {
    const text = apply(base);
    if (text === undefined) continue;
    corpus.push({
      text,
      locale: base.lang === 'zh' ? 'zh-CN' : 'en',
      channel: base.channel ?? 'app',
      ...(base.ai ? { aiGenerated: true } : {}),
      family: base.family,
      label: base.label,
      trick,
    });
  }
}
const count = (label) => corpus.filter((c) => c.label === label).length;
writeFileSync(join(here, 'corpus.json'), `${JSON.stringify({ description: 'Labelled compliance corpus, generated from base-cases.json by build-corpus.mjs: every base sentence once per evasion trick.', cases: corpus }, null, 1)}\n`);
console.log(`corpus: ${corpus.length} cases, ${count('allowed')} allowed, ${count('blocked')} blocked`);
