import { useState } from 'react';
import { api } from '../api.js';
import { useT } from '../i18n.js';

/**
 * Starts a backtest (as `recoup simulate` runs it) on a synthetic population; the job list below shows
 * its progress day by day and its figures when it ends. The API checks the bounds; these inputs only
 * keep the obvious mistakes off the wire.
 */
export function BacktestForm({ busy, onStarted }: { busy: boolean; onStarted: () => void }) {
  const t = useT();
  const [customers, setCustomers] = useState('5000');
  const [days, setDays] = useState('90');
  const [seed, setSeed] = useState('1');
  const [compare, setCompare] = useState(true);
  const [error, setError] = useState<string>();

  const start = async () => {
    setError(undefined);
    try {
      await api('/v1/backtests', { method: 'POST', body: { customers: Number(customers), days: Number(days), seed: Number(seed), policy: 'ai', compare } });
      onStarted();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="toolbar" id="backtest-form">
      <label>{t('backtest.customers')} <input id="backtest-customers" type="number" min={1} max={100000} value={customers} onChange={(e) => setCustomers(e.target.value)} /></label>
      <label>{t('backtest.days')} <input id="backtest-days" type="number" min={2} max={730} value={days} onChange={(e) => setDays(e.target.value)} /></label>
      <label>{t('backtest.seed')} <input id="backtest-seed" type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} /></label>
      <label><input id="backtest-compare" type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> {t('backtest.compare')}</label>
      <button id="start-backtest" onClick={start} disabled={busy}>{t('backtest.start')}</button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}
