import { useT } from '../i18n.js';

interface RunFigures {
  policy: string;
  recoveryRate: number;
  contacts: number;
  complaints: number;
  optOuts: number;
  groups?: { control: { recoveryRate: number; contacts: number } };
  offPolicy?: OffPolicy;
}

interface OffPolicy {
  policy: { decisions: number; paidRate: number | null };
  control: { decisions: number; paidRate: number | null };
  candidates: Array<{ name: string; doublyRobust: { value: number; interval: [number, number] } }>;
}

interface Comparison {
  recoveryRatio: number | null;
  contactsRatio: number | null;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const shortPercent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** A finished backtest's figures in words; any other job's result as the JSON it recorded. */
export function JobResult({ kind, detail }: { kind: string; detail: Record<string, unknown> }) {
  const t = useT();
  const runs = detail.runs as RunFigures[] | undefined;
  if (kind !== 'backtest' || !runs) return <code>{Object.keys(detail).length > 0 ? JSON.stringify(detail) : ''}</code>;
  const comparison = detail.comparison as Comparison | undefined;
  return (
    <ul className="backtest-result">
      {runs.map((run) => (
        <li key={run.policy} data-policy={run.policy}>
          <strong>{run.policy}</strong>: {t('backtest.recovered')} {percent(run.recoveryRate)}, {run.contacts} {t('backtest.contacts')}, {run.complaints}{' '}
          {t('backtest.complaints')}, {run.optOuts} {t('backtest.optOuts')}
          {run.groups && ` (${t('backtest.control')} ${percent(run.groups.control.recoveryRate)}, ${run.groups.control.contacts} ${t('backtest.contacts')})`}
        </li>
      ))}
      {runs.filter((run) => run.offPolicy && run.offPolicy.candidates.length > 0).map((run) => (
        <li key={`${run.policy}-ope`} className="backtest-off-policy">
          {t('backtest.offPolicy')} ({run.offPolicy!.policy.decisions} {t('backtest.logged')}, {t('backtest.observed')} {shortPercent(run.offPolicy!.policy.paidRate)}):{' '}
          {run.offPolicy!.candidates.map((c) => `${c.name} ${shortPercent(c.doublyRobust.value)} (95% ${shortPercent(c.doublyRobust.interval[0])}–${shortPercent(c.doublyRobust.interval[1])})`).join(', ')};{' '}
          {t('backtest.control')} {t('backtest.observed')} {shortPercent(run.offPolicy!.control.paidRate)}
        </li>
      ))}
      {comparison && (
        <li className="backtest-comparison">
          {t('backtest.ratio')}: {t('backtest.recoveryRatio')} ×{comparison.recoveryRatio ?? '—'}, {t('backtest.contactsRatio')} ×{comparison.contactsRatio ?? '—'}
        </li>
      )}
    </ul>
  );
}
