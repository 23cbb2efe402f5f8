import { api, query } from '../api.js';
import { type MessageKey, useT } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface Estimate {
  value: number;
  standardError: number;
  interval: [number, number];
}

interface OffPolicyReport {
  policy: { decisions: number; paidRate: number | null };
  control: { decisions: number; paidRate: number | null };
  candidates: Array<{ name: 'baseline' | 'wait'; n: number; ips: Estimate; snips: Estimate; doublyRobust: Estimate; effectiveSampleSize: number }>;
  note?: string;
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const withInterval = (e: Estimate) => `${percent(e.value)} (${percent(e.interval[0])}–${percent(e.interval[1])})`;

/**
 * What other policies would have done, estimated from the learning policy's own logged decisions
 * (GET /v1/analytics/off-policy), beside what the policy and its control group observed: the control
 * group's rate is the check on the "baseline" estimate.
 */
export function OffPolicyPanel({ from, to }: { from: string; to: string }) {
  const t = useT();
  const { data, error } = useLoad(() => api<OffPolicyReport>(`/v1/analytics/off-policy${query({ from, to })}`), [from, to]);
  return (
    <div className="card" id="off-policy">
      <h3>{t('ope.title')}</h3>
      <p className="muted">{t('ope.explain')}</p>
      {error && <p className="error">{error.message}</p>}
      {data && (
        <table>
          <thead>
            <tr><th>{t('ope.policy')}</th><th>{t('ope.paidRate')}</th><th>{t('ope.how')}</th><th>{t('ope.decisions')}</th></tr>
          </thead>
          <tbody>
            <tr data-row="policy"><td>{t('ab.ai')}</td><td>{percent(data.policy.paidRate)}</td><td>{t('ope.observed')}</td><td>{data.policy.decisions}</td></tr>
            <tr data-row="control"><td>{t('ab.control')}</td><td>{percent(data.control.paidRate)}</td><td>{t('ope.observed')}</td><td>{data.control.decisions}</td></tr>
            {data.candidates.map((c) => (
              <tr key={c.name} data-row={c.name}>
                <td>{t(`ope.candidate.${c.name}` as MessageKey)}</td>
                <td>{withInterval(c.doublyRobust)}</td>
                <td>{t('ope.estimated')}: IPS {percent(c.ips.value)}, SNIPS {percent(c.snips.value)}</td>
                <td>{c.n} ({t('ope.effective')} {c.effectiveSampleSize})</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.candidates.length === 0 && <p className="muted" id="off-policy-note">{data.policy.decisions === 0 ? t('ope.none') : data.note}</p>}
    </div>
  );
}
