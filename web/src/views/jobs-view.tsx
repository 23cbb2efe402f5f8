import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { BacktestForm } from './backtest-form.js';
import { JobResult } from './job-result.js';

interface Job {
  id: string;
  kind: string;
  label: string;
  actor: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number | null;
  detail: Record<string, unknown>;
  startedAt: string;
}

// While something runs the list refreshes this often; when all is quiet, it does not poll.
const RUNNING_POLL_MS = 1000;

/** Imports, backtests and training runs with their progress, from whichever process does them; retraining and backtests start here. */
export function JobsView({ canRetrain, canBacktest }: { canRetrain: boolean; canBacktest: boolean }) {
  const t = useT();
  const jobs = useLoad(() => api<{ items: Job[] }>('/v1/jobs'), []);
  const [error, setError] = useState<string>();
  const running = jobs.data?.items.some((j) => j.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(jobs.reload, RUNNING_POLL_MS);
    return () => clearInterval(timer);
  }, [running, jobs.reload]);

  const retrain = async () => {
    setError(undefined);
    try {
      await api('/v1/models/retrain', { method: 'POST', body: {} });
      jobs.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section id="jobs-view" className="card">
      {canRetrain && <div className="toolbar"><button id="retrain" onClick={retrain} disabled={running}>{t('jobs.retrain')}</button></div>}
      {canBacktest && <BacktestForm busy={jobs.data?.items.some((j) => j.kind === 'backtest' && j.status === 'running') ?? false} onStarted={jobs.reload} />}
      {error && <p className="error">{error}</p>}
      {jobs.error && <p className="error">{jobs.error.message}</p>}
      {jobs.data?.items.length === 0 && <p className="muted">{t('jobs.empty')}</p>}
      {jobs.data && jobs.data.items.length > 0 && (
        <table id="jobs-table">
          <thead>
            <tr><th>{t('jobs.kind')}</th><th>{t('jobs.progress')}</th><th>{t('jobs.status')}</th><th>{t('jobs.started')}</th><th>{t('jobs.by')}</th><th>{t('jobs.result')}</th></tr>
          </thead>
          <tbody>
            {jobs.data.items.map((job) => (
              <tr key={job.id} data-job={job.id} data-status={job.status} data-kind={job.kind}>
                <td>{job.label}</td>
                <td>
                  {job.total ? <progress value={job.done} max={job.total} /> : <progress />}{' '}
                  {job.total ? `${Math.floor((job.done * 100) / job.total)}%` : ''}
                </td>
                <td className="job-status">{job.status}</td>
                <td>{job.startedAt.replace('T', ' ').slice(0, 19)}</td>
                <td>{job.actor}</td>
                <td className="job-detail"><JobResult kind={job.kind} detail={job.detail} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
