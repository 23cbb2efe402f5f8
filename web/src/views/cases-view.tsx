import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { useT } from '../i18n.js';
import { navigate } from '../router.js';
import { useLoad } from '../use-load.js';

const STAGES = ['pre_due', 'm1', 'm2', 'm3_plus', 'written_off'];

interface CaseRow {
  id: string;
  customerId: string;
  stage: string;
  status: string;
  daysPastDue: number;
  openedAt: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function CasesView() {
  const t = useT();
  const [stage, setStage] = useState('');
  const [status, setStatus] = useState('open');
  const [pages, setPages] = useState<string[]>([]);
  const [customerId, setCustomerId] = useState('');
  const cursor = pages[pages.length - 1];
  const { data, error } = useLoad(() => api<Page<CaseRow>>(`/v1/cases${query({ stage, status, after: cursor, limit: '50' })}`), [stage, status, cursor]);

  const openCustomer = (event: FormEvent) => {
    event.preventDefault();
    if (customerId.trim()) navigate(`customers/${customerId.trim()}`);
  };

  return (
    <section>
      <div className="toolbar">
        <label>
          {t('cases.stage')}{' '}
          <select id="case-stage" value={stage} onChange={(e) => (setStage(e.target.value), setPages([]))}>
            <option value="">{t('cases.any')}</option>
            {STAGES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          {t('cases.status')}{' '}
          <select id="case-status" value={status} onChange={(e) => (setStatus(e.target.value), setPages([]))}>
            <option value="">{t('cases.any')}</option>
            <option value="open">open</option>
            <option value="closed">closed</option>
          </select>
        </label>
        <form onSubmit={openCustomer}>
          <input id="customer-id" placeholder={t('cases.openById')} value={customerId} onChange={(e) => setCustomerId(e.target.value)} />
          <button type="submit">{t('common.open')}</button>
        </form>
      </div>
      {error && <p className="error">{error.message}</p>}
      {data && data.items.length === 0 && <p>{t('common.none')}</p>}
      {data && data.items.length > 0 && (
        <table id="cases-table">
          <thead>
            <tr><th>{t('cases.customer')}</th><th>{t('cases.stage')}</th><th>{t('cases.status')}</th><th>{t('cases.dpd')}</th><th>{t('cases.opened')}</th></tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.id}>
                <td><a href={`/console/customers/${c.customerId}`} className="customer-link" onClick={(e) => { e.preventDefault(); navigate(`customers/${c.customerId}`); }}>{c.customerId.slice(0, 8)}</a></td>
                <td>{c.stage}</td>
                <td>{c.status}</td>
                <td>{c.daysPastDue}</td>
                <td>{new Date(c.openedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data?.nextCursor && <button onClick={() => setPages([...pages, data.nextCursor!])}>{t('cases.more')}</button>}
    </section>
  );
}
