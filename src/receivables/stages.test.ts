import { describe, expect, it } from 'vitest';
import { daysPastDue, stageFor } from './stages.js';

const stages = { preDueDays: 7, m2FromDay: 31, m3FromDay: 61, writeOffFromDay: 180 };
const due = new Date('2026-03-21T00:00:00Z');
const at = (iso: string) => new Date(iso);

describe('daysPastDue', () => {
  it('is 1 from the due instant, and negative whole days before it', () => {
    expect(daysPastDue(due, at('2026-03-21T00:00:00Z'))).toBe(1);
    expect(daysPastDue(due, at('2026-03-21T23:59:59Z'))).toBe(1);
    expect(daysPastDue(due, at('2026-03-22T00:00:00Z'))).toBe(2);
    expect(daysPastDue(due, at('2026-03-20T23:00:00Z'))).toBe(-1);
    expect(daysPastDue(due, at('2026-03-18T00:00:00Z'))).toBe(-3);
  });
});

describe('stageFor', () => {
  it('maps days past due to stages at the configured boundaries', () => {
    expect([-3, 0, 1, 30, 31, 60, 61, 179, 180].map((d) => stageFor(d, false, stages))).toEqual([
      'pre_due', 'pre_due', 'm1', 'm1', 'm2', 'm2', 'm3_plus', 'm3_plus', 'written_off',
    ]);
  });

  it('puts a written-off receivable in written_off whatever its age', () => {
    expect(stageFor(5, true, stages)).toBe('written_off');
  });
});
