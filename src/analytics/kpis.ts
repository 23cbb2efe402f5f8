import { sql } from 'kysely';
import type { Result } from '../core/errors.js';
import { ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { type ContactKpis, OUTCOME_DAYS, loadContactKpis, sumContactKpis } from './contact-kpis.js';
import { type GroupBy, type KpiQuery, resolveKpiWindow } from './kpi-window.js';
import { type RatioKpi, type RecoveryKpi, type RollRate, loadHandoffRate, loadPromiseKept, loadRecovery, loadRollRates } from './portfolio-kpis.js';

export { GROUP_BYS, type GroupBy, type KpiQuery } from './kpi-window.js';

export interface KpiReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  outcomeWindowDays: number;
  totals: ContactKpis;
  groups: ContactKpis[];
  /** Contact figures of whole past days come from the daily rollup counted at this time; null when all were counted now. */
  rolledUpAt: string | null;
  recovery: RecoveryKpi[];
  rollRates: RollRate[];
  promiseKept: RatioKpi;
  handoff: RatioKpi;
  /** Null: no channel costs are configured, so there is nothing honest to divide. */
  costPerUnitRecovered: null;
  /** KPIs the report cannot give yet, and why. */
  unavailable: Array<{ kpi: string; reason: string }>;
}

/** The dashboard's figures for [from, to): contact outcomes split by `groupBy`, portfolio figures over the whole window. */
export async function loadKpis(db: Db, now: Date, query: KpiQuery): Promise<Result<KpiReport>> {
  const resolved = resolveKpiWindow(query, now);
  if (!resolved.ok) return resolved;
  const window = resolved.value;
  // One read-only transaction, so that every figure comes from the same snapshot. JIT compilation off:
  // for these few-hundred-millisecond aggregates it cost PostgreSQL about a second of compiling on each call.
  const { contacts, recovery, rollRates, promiseKept, handoff } = await db.transaction().execute(async (trx) => {
    await sql`set transaction read only`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    // Sequential on purpose: a transaction is one connection.
    return {
      contacts: await loadContactKpis(trx, window),
      recovery: await loadRecovery(trx, window),
      rollRates: await loadRollRates(trx, window),
      promiseKept: await loadPromiseKept(trx, window),
      handoff: await loadHandoffRate(trx, window),
    };
  });
  return ok({
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    groupBy: window.groupBy,
    outcomeWindowDays: OUTCOME_DAYS,
    totals: sumContactKpis(contacts.groups),
    groups: contacts.groups,
    rolledUpAt: contacts.rolledUpAt?.toISOString() ?? null,
    recovery,
    rollRates,
    promiseKept,
    handoff,
    costPerUnitRecovered: null,
    unavailable: [{ kpi: 'costPerUnitRecovered', reason: 'no channel costs are configured' }],
  });
}
