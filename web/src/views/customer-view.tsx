import { api } from '../api.js';
import { useT } from '../i18n.js';
import { navigate } from '../router.js';
import { useLoad } from '../use-load.js';

interface CustomerSingleView {
  id: string;
  externalId: string;
  name: string | null;
  locale: string;
  timezone: string | null;
  identities: Record<string, string>;
  consents: Record<string, boolean>;
  attributes: Record<string, unknown>;
  receivables: Array<{ id: string; externalId: string; amount: string; amountOutstanding: string; currency: string; status: string; dueAt: string }>;
  timeline: Array<{ at: string; kind: string; channel: string | null; summary: Record<string, unknown> }>;
  bestTimeToReach: { label: string; responses: number; shrinkage: number; portfolioResponses: number; segment: { name: string; responses: number } | null } | null;
  segment: { name: string; members: number; fittedOn: number; behaviour: Record<string, number | null> } | null;
}

/** The behaviour features as people read them: shares as percentages, hours as hours, unknowns as a dash. */
function behaviourValue(name: string, value: number | null): string {
  if (value === null) return '–';
  if (name === 'medianHoursToPay') return `${Math.round(value)} h`;
  if (name === 'contacts' || name === 'overdueEpisodes') return String(value);
  return `${Math.round(value * 100)}%`;
}

/** What the API already masked is all this page shows: it never asks for unmasked PII. */
export function CustomerView(props: { id: string }) {
  const t = useT();
  const { data, error } = useLoad(() => api<CustomerSingleView>(`/v1/customers/${encodeURIComponent(props.id)}`), [props.id]);
  return (
    <section id="customer-view" data-id={props.id}>
      <a href="/console/cases" onClick={(e) => { e.preventDefault(); navigate('cases'); }}>← {t('customer.back')}</a>
      {error && <p className="error">{error.message}</p>}
      {!data && !error && <p>{t('common.loading')}</p>}
      {data && (
        <>
          <h2>{data.name ?? data.externalId} <small>{data.externalId} · {data.locale} · {data.timezone}</small></h2>
          <div className="columns">
            <div className="card">
              <h3>{t('customer.identities')}</h3>
              <dl>{Object.entries(data.identities).map(([kind, masked]) => <Pair key={kind} name={kind} value={masked} />)}</dl>
              <h3>{t('customer.consents')}</h3>
              <dl>{Object.entries(data.consents).map(([channel, granted]) => <Pair key={channel} name={channel} value={granted ? '✓' : '✗'} />)}</dl>
              <h3>{t('customer.bestTime')}</h3>
              {data.bestTimeToReach ? (
                <p id="best-time">
                  <strong>{data.bestTimeToReach.label}</strong> {t('customer.bestTimeLocal')}{' '}
                  <small className="muted">
                    ({data.bestTimeToReach.responses} {t('customer.bestTimeOwn')}, {Math.round(data.bestTimeToReach.shrinkage * 100)}%{' '}
                    {data.bestTimeToReach.segment
                      ? `${t('customer.bestTimeSegment')} ${data.bestTimeToReach.segment.responses}`
                      : `${t('customer.bestTimePortfolio')} ${data.bestTimeToReach.portfolioResponses}`})
                  </small>
                </p>
              ) : (
                <p id="best-time" className="muted">{t('customer.bestTimeNone')}</p>
              )}
              <h3>{t('customer.segment')}</h3>
              {data.segment ? (
                <div id="segment">
                  <p><strong>{data.segment.name}</strong> <small className="muted">({data.segment.members} {t('customer.segmentOf')} {data.segment.fittedOn} {t('customer.segmentSample')})</small></p>
                  <details>
                    <summary>{t('customer.behaviour')}</summary>
                    <dl>{Object.entries(data.segment.behaviour).map(([name, value]) => <Pair key={name} name={name} value={behaviourValue(name, value)} />)}</dl>
                  </details>
                </div>
              ) : (
                <p id="segment" className="muted">{t('customer.segmentNone')}</p>
              )}
              <h3>{t('customer.tags')}</h3>
              <dl>{Object.entries(data.attributes).map(([name, value]) => <Pair key={name} name={name} value={typeof value === 'string' ? value : JSON.stringify(value)} />)}</dl>
            </div>
            <div className="card">
              <h3>{t('customer.receivables')}</h3>
              <table>
                <tbody>
                  {data.receivables.map((r) => (
                    <tr key={r.id}><td>{r.externalId}</td><td>{r.amount} {r.currency}</td><td>{t('customer.outstanding')}: {r.amountOutstanding}</td><td>{r.status}</td><td>{r.dueAt.slice(0, 10)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <h3>{t('customer.timeline')}</h3>
          {data.timeline.length === 0 && <p>{t('common.none')}</p>}
          <ol id="timeline" className="timeline">
            {data.timeline.map((entry, i) => (
              <li key={i}>
                <time>{new Date(entry.at).toLocaleString()}</time> <b>{entry.kind}</b> {entry.channel && <span className="tag">{entry.channel}</span>}
                <div className="summary">{describe(entry.summary)}</div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Pair(props: { name: string; value: string }) {
  return <><dt>{props.name}</dt><dd>{props.value}</dd></>;
}

// Every decision carries its reason; show the fields a person reads first, then the rest.
function describe(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}
