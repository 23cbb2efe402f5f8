import { useState } from 'react';
import { ApiError, api, query } from '../api.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface AuditEntry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
}

export function AuditView() {
  const t = useT();
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState('');
  const entries = useLoad(() => api<{ items: AuditEntry[] }>(`/v1/audit${query({ action: applied, limit: '200' })}`), [applied]);
  const [verdict, setVerdict] = useState<string>();

  if (entries.error instanceof ApiError && entries.error.status === 404) return <p className="notice">{t('audit.unavailable')}</p>;
  const verify = async () => setVerdict(JSON.stringify(await api('/v1/audit/verify')));

  return (
    <section id="audit-view">
      <div className="toolbar">
        <input id="audit-action" placeholder={t('audit.action')} value={action} onChange={(e) => setAction(e.target.value)} />
        <button onClick={() => setApplied(action.trim())}>{t('audit.filter')}</button>
        <button id="audit-verify" onClick={verify}>{t('audit.verify')}</button>
        {verdict && <code id="audit-verdict">{verdict}</code>}
      </div>
      {entries.error && <p className="error">{entries.error.message}</p>}
      <table id="audit-table">
        <thead><tr><th>#</th><th>{t('audit.at')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th><th>{t('audit.subject')}</th></tr></thead>
        <tbody>
          {entries.data?.items.map((e) => (
            <tr key={e.seq}><td>{e.seq}</td><td>{new Date(e.at).toLocaleString()}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.subject}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
