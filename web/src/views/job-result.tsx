import { useT } from '../i18n.js';

interface RunFigures {
  policy: string;
  recoveryRate: number;
  contacts: number;
  complaints: number;
  optOuts: number;
  groups?: { control: { recoveryRate: number; contacts: number } };
}

interface Comparison {
  recoveryRatio: number | null;
  contactsRatio: number | null;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;

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
      {comparison && (
        <li className="backtest-comparison">
          {t('backtest.ratio')}: {t('backtest.recoveryRatio')} ×{comparison.recoveryRatio ?? '—'}, {t('backtest.contactsRatio')} ×{comparison.contactsRatio ?? '—'}
        </li>
      )}
    </ul>
  );
}
