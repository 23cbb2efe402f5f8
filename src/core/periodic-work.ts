import type { DueWork } from './work-loop.js';

/**
 * Work that runs every `intervalMs` of clock time: on the real clock when the loop looks, and on the
 * virtual clock at each interval an advance passes, so a backtest sees the same rhythm.
 */
export function periodicWork(name: string, intervalMs: number, run: (now: Date) => Promise<unknown>): DueWork {
  let lastRun: number | undefined;
  return {
    name,
    intervalMs,
    nextDueAt: async (now) => new Date(lastRun === undefined ? now.getTime() : Math.max(now.getTime(), lastRun + intervalMs)),
    runDue: async (now) => {
      if (lastRun !== undefined && now.getTime() < lastRun + intervalMs) return;
      lastRun = now.getTime();
      await run(now);
    },
  };
}
