import type { StageConfig } from '../config.js';
import type { CaseStage } from '../db/schema.js';

/**
 * Days past due: 1 from the due instant itself (the first instant at which payment is late), 31 one
 * month later. Before the due instant it is minus the whole days left, so -3 means "due in 3 days".
 * The SQL in cases.ts computes the same; the test holds them together.
 */
export function daysPastDue(dueAt: Date, now: Date): number {
  const diff = now.getTime() - dueAt.getTime();
  return diff >= 0 ? Math.floor(diff / 86_400_000) + 1 : -Math.ceil(-diff / 86_400_000);
}

export function stageFor(dpd: number, writtenOff: boolean, stages: StageConfig): CaseStage {
  if (writtenOff || dpd >= stages.writeOffFromDay) return 'written_off';
  if (dpd >= stages.m3FromDay) return 'm3_plus';
  if (dpd >= stages.m2FromDay) return 'm2';
  if (dpd >= 1) return 'm1';
  return 'pre_due';
}
