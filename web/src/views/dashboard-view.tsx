import { useEffect, useMemo, useState } from 'react';
import { api, query } from '../api.js';
import { Chart } from '../components/chart.js';
import { type MessageKey, useT } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { OffPolicyPanel } from './off-policy-panel.js';

const GROUP_BYS = ['day', 'channel', 'stage', 'segment', 'template', 'decisioning'] as const;

interface ContactKpis {
  key: string;
  attempted: number;
  reached: number;
  reachRate: string | null;
  responseRate: string | null;
  conversionRate: string | null;
  complaintRate: string | null;
  optOutRate: string | null;
}

interface RatioKpi {
  numerator: number;
  denominator: number;
  rate: string | null;
}

interface KpiReport {
  totals: ContactKpis;
  groups: ContactKpis[];
  recovery: Array<{ currency: string; amountOverdue: string; amountRecovered: string; recoveryRate: string | null; amountWrittenOff: string; badDebtRate: string | null }>;
  rolledUpAt: string | null;
  rollRates: Array<{ from: string; to: string; cases: number; rolled: number; rate: string | null }>;
  promiseKept: RatioKpi;
  handoff: RatioKpi;
  costPerUnitRecovered: string | null;
}

const dayString = (date: Date) => date.toISOString().slice(0, 10);
// Rates and amounts come as exact decimal strings; a chart needs numbers only to draw them.
const plot = (value: string | null) => (value === null ? null : Number(value));
const percent = (value: string | null) => (value === null ? '—' : `${(Number(value) * 100).toFixed(2)}%`);

export function DashboardView() {
  const t = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [groupBy, setGroupBy] = useState<(typeof GROUP_BYS)[number]>('day');
  // The last 30 days by the server's clock, which is virtual in a demo or a backtest.
  useEffect(() => {
    void api<{ now: string }>('/health').then(({ now }) => {
      setTo(dayString(new Date(now)));
      setFrom(dayString(new Date(new Date(now).getTime() - 30 * 86_400_000)));
    });
  }, []);
  const { data, error } = useLoad(() => (from && to ? api<KpiReport>(`/v1/analytics/kpis${query({ from, to, groupBy })}`) : Promise.resolve(undefined)), [from, to, groupBy]);
  const { data: byDecisioning } = useLoad(
    () => (from && to ? api<KpiReport>(`/v1/analytics/kpis${query({ from, to, groupBy: 'decisioning' })}`) : Promise.resolve(undefined)),
    [from, to],
  );

  return (
    <section>
      <div className="toolbar">
        <label>{t('dash.from')} <input id="kpi-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('dash.to')} <input id="kpi-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label>
          {t('dash.groupBy')}{' '}
          <select id="kpi-group-by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
            {GROUP_BYS.map((g) => <option key={g} value={g}>{t(`dash.group.${g}` as MessageKey)}</option>)}
          </select>
        </label>
      </div>
      {error && <p className="error">{error.message}</p>}
      {!data && !error && <p>{t('common.loading')}</p>}
      {data && <Tiles report={data} />}
      {data?.rolledUpAt && <p className="muted" id="kpi-as-of">{t('dash.asOf')} {data.rolledUpAt.replace('T', ' ').slice(0, 16)} UTC</p>}
      {data && <Charts report={data} />}
      {byDecisioning && <PolicyComparison report={byDecisioning} />}
      {from && to && <OffPolicyPanel from={from} to={to} />}
    </section>
  );
}

function Tiles({ report }: { report: KpiReport }) {
  const t = useT();
  const recovery = report.recovery.map((r) => `${percent(r.recoveryRate)} ${r.currency}`).join(' · ') || '—';
  const tiles: Array<[MessageKey, string]> = [
    ['kpi.reachRate', percent(report.totals.reachRate)],
    ['kpi.responseRate', percent(report.totals.responseRate)],
    ['kpi.conversionRate', percent(report.totals.conversionRate)],
    ['kpi.recoveryRate', recovery],
    ['kpi.badDebtRate', report.recovery.map((r) => `${percent(r.badDebtRate)} ${r.currency}`).join(' · ') || '—'],
    ['kpi.promiseKept', percent(report.promiseKept.rate)],
    ['kpi.handoff', percent(report.handoff.rate)],
    ['kpi.complaintRate', percent(report.totals.complaintRate)],
    ['kpi.optOutRate', percent(report.totals.optOutRate)],
    ['kpi.costPerUnit', report.costPerUnitRecovered ?? t('common.notAvailable')],
  ];
  return (
    <div className="tiles">
      {tiles.map(([label, value]) => (
        <div className="tile" key={label} data-kpi={label}>
          <span>{t(label)}</span>
          <strong>{value}</strong>
        </div>
      ))}
    </div>
  );
}

function Charts({ report }: { report: KpiReport }) {
  const t = useT();
  const charts = useMemo(() => {
    const keys = report.groups.map((g) => g.key);
    const rate = (pick: (g: ContactKpis) => string | null) => report.groups.map((g) => plot(pick(g)));
    const line = keys.length > 1 && report.groups.every((g) => /^\d{4}-\d{2}-\d{2}$/.test(g.key)) ? 'line' : 'bar';
    return {
      keys,
      outcomes: [
        { name: t('kpi.reachRate'), kind: line, values: rate((g) => g.reachRate) },
        { name: t('kpi.responseRate'), kind: line, values: rate((g) => g.responseRate) },
        { name: t('kpi.conversionRate'), kind: line, values: rate((g) => g.conversionRate) },
      ] as const,
      volume: [
        { name: t('kpi.attempted'), kind: 'bar', values: report.groups.map((g) => g.attempted) },
        { name: t('kpi.reached'), kind: 'bar', values: report.groups.map((g) => g.reached) },
      ] as const,
      harm: [
        { name: t('kpi.complaintRate'), kind: line, values: rate((g) => g.complaintRate) },
        { name: t('kpi.optOutRate'), kind: line, values: rate((g) => g.optOutRate) },
      ] as const,
    };
  }, [report, t]);
  return (
    <div className="charts">
      <Chart id="chart-outcomes" title={t('chart.outcomes')} categories={charts.keys} series={[...charts.outcomes]} percent />
      <Chart id="chart-volume" title={t('chart.volume')} categories={charts.keys} series={[...charts.volume]} />
      <Chart id="chart-harm" title={t('chart.harm')} categories={charts.keys} series={[...charts.harm]} percent />
      <Chart
        id="chart-recovery"
        title={t('chart.recovery')}
        categories={report.recovery.map((r) => r.currency)}
        series={[
          { name: t('kpi.overdue'), kind: 'bar', values: report.recovery.map((r) => Number(r.amountOverdue)) },
          { name: t('kpi.recovered'), kind: 'bar', values: report.recovery.map((r) => Number(r.amountRecovered)) },
        ]}
      />
      <Chart
        id="chart-rolls"
        title={t('chart.rolls')}
        categories={report.rollRates.map((r) => `${r.from} → ${r.to}`)}
        series={[{ name: t('kpi.rolled'), kind: 'bar', values: report.rollRates.map((r) => plot(r.rate)) }]}
        percent
      />
    </div>
  );
}

/**
 * The learning policy's contacts next to the baseline's (its control group, or a baseline-mode run)
 * over the same range: per contact, how many reached, converted, complained and opted out.
 */
function PolicyComparison({ report }: { report: KpiReport }) {
  const t = useT();
  const compared = report.groups.filter((g) => g.key !== '(none)');
  return (
    <div className="card" id="policy-comparison">
      <h3>{t('ab.title')}</h3>
      {compared.length < 2 && <p className="muted">{t('ab.none')}</p>}
      {compared.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('ab.group')}</th><th>{t('kpi.attempted')}</th><th>{t('kpi.reachRate')}</th><th>{t('kpi.conversionRate')}</th>
              <th>{t('kpi.complaintRate')}</th><th>{t('kpi.optOutRate')}</th>
            </tr>
          </thead>
          <tbody>
            {compared.map((g) => (
              <tr key={g.key} data-group={g.key}>
                <td>{t(`ab.${g.key}` as MessageKey)}</td><td>{g.attempted}</td><td>{percent(g.reachRate)}</td><td>{percent(g.conversionRate)}</td>
                <td>{percent(g.complaintRate)}</td><td>{percent(g.optOutRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
