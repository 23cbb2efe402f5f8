import { describe, expect, it, vi } from 'vitest';
import { RealClock, VirtualClock } from './clock.js';
import { type DueWork, WorkLoop } from './work-loop.js';

const silent = { error: () => undefined };

/** Work due at fixed instants; records the clock at each run. */
function scheduledWork(name: string, dueTimes: number[], log: string[]): DueWork {
  const pending = [...dueTimes].sort((a, b) => a - b);
  return {
    name,
    intervalMs: 1000,
    nextDueAt: async (now) => {
      const next = pending.find((t) => t > now.getTime());
      return next === undefined ? null : new Date(next);
    },
    runDue: async (now) => {
      while (pending.length > 0 && pending[0]! <= now.getTime()) log.push(`${name}@${pending.shift()}:${now.getTime()}`);
    },
  };
}

describe('WorkLoop.advanceTo', () => {
  it('runs every due instant in time order, across pieces of work, at that instant', async () => {
    const clock = new VirtualClock(new Date(0));
    const loop = new WorkLoop(clock, silent);
    const log: string[] = [];
    loop.register(scheduledWork('a', [30, 10], log));
    loop.register(scheduledWork('b', [20, 500], log));
    await loop.advanceTo(clock, new Date(100));
    expect(log).toEqual(['a@10:10', 'b@20:20', 'a@30:30']);
    expect(clock.now().getTime()).toBe(100);
    await loop.advanceTo(clock, new Date(600));
    expect(log.at(-1)).toBe('b@500:500');
  });

  it('serialises concurrent advances instead of interleaving them', async () => {
    const clock = new VirtualClock(new Date(0));
    const loop = new WorkLoop(clock, silent);
    const log: string[] = [];
    loop.register(scheduledWork('a', [5, 15], log));
    await Promise.all([loop.advanceTo(clock, new Date(10)), loop.advanceTo(clock, new Date(20))]);
    expect(log).toEqual(['a@5:5', 'a@15:15']);
    expect(clock.now().getTime()).toBe(20);
  });

  it('refuses to go backwards and stops work that never settles', async () => {
    const clock = new VirtualClock(new Date(1000));
    const loop = new WorkLoop(clock, silent);
    await expect(loop.advanceTo(clock, new Date(0))).rejects.toThrow(/backwards/);
    loop.register({ name: 'stuck', intervalMs: 1000, nextDueAt: async (now) => now, runDue: async () => undefined });
    await expect(loop.advanceTo(clock, new Date(2000))).rejects.toThrow(/did not settle/);
  });

  it('runs work at start and on its interval on a real clock, and never on its own on a virtual one', async () => {
    vi.useFakeTimers();
    try {
      const runs = { real: 0, virtual: 0 };
      const workCounting = (key: keyof typeof runs): DueWork => ({ name: key, intervalMs: 60_000, nextDueAt: async () => null, runDue: async () => void (runs[key] += 1) });
      const virtual = new WorkLoop(new VirtualClock(new Date()), silent);
      virtual.register(workCounting('virtual'));
      virtual.start();
      const real = new WorkLoop(new RealClock(), silent);
      real.register(workCounting('real'));
      real.start();
      await vi.advanceTimersByTimeAsync(180_000);
      expect(runs).toEqual({ real: 4, virtual: 0 });
      real.stop();
      await vi.advanceTimersByTimeAsync(180_000);
      expect(runs.real).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
