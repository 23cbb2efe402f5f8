import type { Db } from '../db/database.js';
import type { OutcomeCounts } from './contact-outcomes.js';
import { loadOutcomeGroups } from './kpi-rollup.js';
import type { KpiWindow } from './kpi-window.js';
import { ratio } from './ratio.js';

export { OUTCOME_DAYS } from './contact-outcomes.js';

export interface ContactKpis {
  key: string;
  attempted: number;
  reached: number;
  responded: number;
  converted: number;
  complained: number;
  optedOut: number;
  reachRate: string | null;
  responseRate: string | null;
  conversionRate: string | null;
  complaintRate: string | null;
  optOutRate: string | null;
}

function toKpis(key: string, c: OutcomeCounts): ContactKpis {
  return {
    key,
    attempted: Number(c.attempted),
    reached: Number(c.reached),
    responded: Number(c.responded),
    converted: Number(c.converted),
    complained: Number(c.complained),
    optedOut: Number(c.optedOut),
    reachRate: ratio(c.reached, c.attempted),
    responseRate: ratio(c.responded, c.reached),
    conversionRate: ratio(c.converted, c.reached),
    complaintRate: ratio(c.complained, c.reached),
    optOutRate: ratio(c.optedOut, c.reached),
  };
}

/**
 * Contact outcomes, one row per group. An attempt belongs to the window by its due time (the time of
 * its last try); its outcomes are the events in the OUTCOME_DAYS after it was sent. `rolledUpAt` is
 * when the oldest of the daily counts used was taken (null when everything was counted now).
 */
export async function loadContactKpis(db: Db, window: KpiWindow): Promise<{ groups: ContactKpis[]; rolledUpAt: Date | null }> {
  const { groups, rolledUpAt } = await loadOutcomeGroups(db, window);
  return { groups: groups.map((g) => toKpis(g.key, g.counts)), rolledUpAt };
}

/** The same figures over the whole window, summed from the groups (every attempt is in exactly one). */
export function sumContactKpis(groups: readonly ContactKpis[]): ContactKpis {
  const total = (pick: (g: ContactKpis) => number) => BigInt(groups.reduce((sum, g) => sum + pick(g), 0));
  return toKpis('all', {
    attempted: total((g) => g.attempted),
    reached: total((g) => g.reached),
    responded: total((g) => g.responded),
    converted: total((g) => g.converted),
    complained: total((g) => g.complained),
    optedOut: total((g) => g.optedOut),
  });
}
