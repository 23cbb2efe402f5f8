import { useState } from 'react';
import { api, query } from '../api.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface ActivePolicy {
  ref: string;
  format: 'yaml' | 'json';
  source: string;
  activatedAt: string | null;
}

interface VersionInfo {
  versionId: string;
  ref: string;
  createdAt: string;
  createdBy: string;
  active: boolean;
}

interface Tally {
  decisions: number;
  byOutcome: Record<string, number>;
  byChannel: Record<string, number>;
}

interface DryRunReport {
  sampledCases: number;
  current: Tally;
  candidate: Tally;
  changed: number;
  unchanged: number;
}

export function StrategyView() {
  const t = useT();
  const active = useLoad(() => api<ActivePolicy>('/v1/policy'), []);
  const versions = useLoad(() => api<{ items: VersionInfo[] }>('/v1/policy/versions'), []);
  const [diffFrom, setDiffFrom] = useState<string>();
  const diff = useLoad(() => (diffFrom ? api<{ unified: string }>(`/v1/policy/diff${query({ from: diffFrom })}`) : Promise.resolve(undefined)), [diffFrom]);

  return (
    <section id="strategy-view">
      {active.error && <p className="error">{active.error.message}</p>}
      {active.data && (
        <div className="card">
          <h3>{t('strategy.inForce')}: <code id="policy-ref">{active.data.ref}</code></h3>
          <pre className="source">{active.data.source}</pre>
        </div>
      )}
      <div className="card">
        <h3>{t('strategy.versions')}</h3>
        <table id="policy-versions">
          <tbody>
            {versions.data?.items.map((v) => (
              <tr key={v.versionId}>
                <td>{v.ref}{v.active ? ' ✓' : ''}</td>
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.createdBy}</td>
                <td>{!v.active && <button onClick={() => setDiffFrom(v.versionId)}>{t('strategy.diff')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {diff.data && <pre id="policy-diff" className="source">{diff.data.unified}</pre>}
      </div>
      {active.data && <DryRun policy={active.data} />}
    </section>
  );
}

function DryRun(props: { policy: ActivePolicy }) {
  const t = useT();
  const [source, setSource] = useState(props.policy.source);
  const [report, setReport] = useState<DryRunReport>();
  const [error, setError] = useState<string>();
  const run = async () => {
    setError(undefined);
    try {
      setReport(await api<DryRunReport>('/v1/policy/dry-run', { method: 'POST', body: { source, format: props.policy.format, sampleSize: 200 } }));
    } catch (e) {
      setReport(undefined);
      setError((e as Error).message);
    }
  };
  return (
    <div className="card">
      <h3>{t('strategy.dryRun')}</h3>
      <p>{t('strategy.dryRunHelp')}</p>
      <textarea id="dry-run-source" rows={12} value={source} onChange={(e) => setSource(e.target.value)} />
      <button id="dry-run" onClick={run}>{t('strategy.run')}</button>
      {error && <p className="error">{error}</p>}
      {report && (
        <dl id="dry-run-report">
          <dt>{t('strategy.sampled')}</dt><dd>{report.sampledCases}</dd>
          <dt>{t('strategy.changed')}</dt><dd>{report.changed}</dd>
          <dt>{t('strategy.unchanged')}</dt><dd>{report.unchanged}</dd>
          <dt>{t('strategy.current')}</dt><dd>{JSON.stringify(report.current.byOutcome)}</dd>
          <dt>{t('strategy.candidate')}</dt><dd>{JSON.stringify(report.candidate.byOutcome)}</dd>
        </dl>
      )}
    </div>
  );
}
