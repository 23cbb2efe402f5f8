import { describe, expect, it } from 'vitest';
import { buildValues } from './template-values.js';

const due = new Date('2026-03-20T16:00:00Z'); // the first late instant: 21 March 00:00 in Shanghai

describe('buildValues', () => {
  it('formats money exactly per locale and currency, and the due day in the debtor zone', () => {
    const zh = buildValues({ locale: 'zh-CN', timezone: 'Asia/Shanghai', name: '王伟', now: new Date('2026-03-10T00:00:00Z'), items: [{ amountMinor: 128050n, currency: 'CNY', dueAt: due }] });
    expect(zh).toMatchObject({ amount: '¥1,280.50', dueDate: '3月20日', name: '王伟', count: '1' });
    expect(zh.overdue).toBeUndefined();
    const en = buildValues({ locale: 'en', timezone: 'America/New_York', name: null, now: due, items: [{ amountMinor: 9_223_372_036_854_775_807n, currency: 'USD', dueAt: due }] });
    expect(en.amount).toBe('$92,233,720,368,547,758.07');
    expect(en.dueDate).toBe('20 March 2026');
    expect(en.name).toBeUndefined();
  });

  it('writes zero-decimal currencies without decimals', () => {
    const jpy = buildValues({ locale: 'en', timezone: 'Asia/Tokyo', name: null, now: due, items: [{ amountMinor: 1234567n, currency: 'JPY', dueAt: due }] });
    expect(jpy.amount).toBe('¥1,234,567');
  });

  it('counts days past due from the earliest due date as the case stages do (first late day is 1)', () => {
    const at = (iso: string) => buildValues({ locale: 'en', timezone: 'UTC', name: null, now: new Date(iso), items: [{ amountMinor: 100n, currency: 'USD', dueAt: due }] });
    expect(at('2026-03-20T15:59:59Z').daysPastDue).toBeUndefined();
    expect(at('2026-03-20T16:00:00Z')).toMatchObject({ overdue: 'yes', daysPastDue: '1' });
    expect(at('2026-03-25T16:00:00Z').daysPastDue).toBe('6');
  });

  it('sums per currency, lists each amount, and offers instalments only in one currency', () => {
    const items = [
      { amountMinor: 100n, currency: 'USD', dueAt: due },
      { amountMinor: 250n, currency: 'USD', dueAt: new Date('2026-03-10T00:00:00Z') },
    ];
    const one = buildValues({ locale: 'en', timezone: 'UTC', name: null, now: due, items });
    expect(one).toMatchObject({ amount: '$3.50', amounts: '$1.00, $2.50', count: '2', several: 'yes', instalments: '3', instalmentAmount: '$1.18', dueDate: '9 March 2026' });
    const mixed = buildValues({ locale: 'zh-CN', timezone: 'UTC', name: null, now: due, items: [...items, { amountMinor: 500n, currency: 'JPY', dueAt: due }] });
    expect(mixed.amount).toBe('US$3.50 + JP¥500');
    expect(mixed.amounts).toBe('US$1.00、US$2.50、JP¥500');
    expect(mixed.instalmentAmount).toBeUndefined();
  });

  it('keeps a name to one short printable line, and treats a blank one as no name', () => {
    const v = (name: string) => buildValues({ locale: 'en', timezone: 'UTC', name, now: due, items: [{ amountMinor: 1n, currency: 'USD', dueAt: due }] }).name;
    expect(v('Ann\u200b\nLee\u202e')).toBe('Ann Lee');
    expect(v(' \t ')).toBeUndefined();
    expect([...v('名'.repeat(100))!]).toHaveLength(40);
  });

  it('writes the UTC day for a zone the runtime does not know, rather than failing', () => {
    expect(buildValues({ locale: 'en', timezone: 'Mars/Olympus', name: null, now: due, items: [{ amountMinor: 1n, currency: 'USD', dueAt: due }] }).dueDate).toBe('20 March 2026');
  });
});
