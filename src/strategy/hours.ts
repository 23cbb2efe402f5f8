import { DAY_MS, MINUTE_MS, wallDay, type ZoneClock } from './zone-clock.js';

/** Minutes of the local day, [start, end), end at most 1440. */
export type Interval = readonly [number, number];
/** Seven days, Sunday first, each a sorted list of disjoint open intervals. Precomputed at load. */
export type WeeklyWindow = readonly (readonly Interval[])[];

export const ALWAYS_OPEN: WeeklyWindow = Array.from({ length: 7 }, () => [[0, 1440] as const]);

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A daily window. A start after its end is a window across midnight (22:00–06:00) only when the
 * policy says `wrap: true`; otherwise it is refused at load, since "21:00–08:00" is far more often a
 * typo for "08:00–21:00" than a wish to call people at night.
 */
export function dailyIntervals(start: number, end: number, wrap: boolean): Interval[] {
  if (start < end) return [[start, end]];
  if (!wrap || start === end) return [];
  const parts: Interval[] = [[0, end], [start, 1440]];
  return parts.filter(([s, e]) => s < e);
}

export function weekly(byDay: (weekday: number) => readonly Interval[]): WeeklyWindow {
  return Array.from({ length: 7 }, (_, d) => byDay(d));
}

function intersectDay(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [as, ae] of a) {
    for (const [bs, be] of b) {
      const s = Math.max(as, bs);
      const e = Math.min(ae, be);
      if (s < e) out.push([s, e]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

export function intersectWeekly(a: WeeklyWindow, b: WeeklyWindow): WeeklyWindow {
  return weekly((d) => intersectDay(a[d]!, b[d]!));
}

export function isOpenAt(window: WeeklyWindow, clock: ZoneClock, ms: number): boolean {
  const { weekday, minute } = wallDay(clock.toWall(ms));
  for (const [s, e] of window[weekday]!) if (minute >= s && minute < e) return true;
  return false;
}

/** The first wall time at or after `wall` inside the window, looking at most 8 days ahead. */
function nextOpenWall(window: WeeklyWindow, wall: number): number | null {
  const { day, weekday, minute } = wallDay(wall);
  for (let i = 0; i < 8; i++) {
    for (const [s, e] of window[(weekday + i) % 7]!) {
      if (i === 0 && e <= minute) continue;
      if (i === 0 && s <= minute) return wall;
      return (day + i) * DAY_MS + s * MINUTE_MS;
    }
  }
  return null;
}

/** The first instant at or after `ms` inside the window in one zone, DST included. */
function nextOpenIn(window: WeeklyWindow, clock: ZoneClock, ms: number): number | null {
  let from = ms;
  // Two passes cover an opening that falls into a DST gap and lands a little later.
  for (let pass = 0; pass < 3; pass++) {
    const wall = nextOpenWall(window, clock.toWall(from));
    if (wall === null) return null;
    const instant = Math.max(from, clock.fromWall(wall));
    if (isOpenAt(window, clock, instant)) return instant;
    from = instant + MINUTE_MS;
  }
  return null;
}

/**
 * The first instant at or after `ms` that is inside the window in every zone at once, or null when
 * the zones share no open minute in the coming week (then nobody may be contacted: it is never
 * "within hours" for all the places the debtor might be).
 */
export function nextOpenInstant(window: WeeklyWindow, clocks: readonly ZoneClock[], ms: number): number | null {
  let t = ms;
  for (let round = 0; round < 32; round++) {
    let latest = t;
    for (const clock of clocks) {
      const next = nextOpenIn(window, clock, t);
      if (next === null) return null;
      if (next > latest) latest = next;
    }
    if (latest === t) return t;
    if (latest - ms > 8 * DAY_MS) return null;
    t = latest;
  }
  return null;
}
