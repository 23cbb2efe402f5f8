import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.js';
import { useDeskEvents } from '../desk-events.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface QueueItem {
  customerId: string;
  customerExternalId: string;
  name: string | null;
  state: string;
  handoffReason: string | null;
  handoffAt: string | null;
  agent: string | null;
  lastChannel: string | null;
}

interface Conversation extends QueueItem {
  lastIntents: string[];
  history: Array<{ at: string; author: string; channel: string | null; text: string | null; kind: string }>;
}

export function AgentInboxView() {
  const t = useT();
  const queue = useLoad(() => api<{ items: QueueItem[] }>('/v1/agent/queue'), []);
  const [selected, setSelected] = useState<string>();
  // One stream per page: a change reloads the queue and, through `deskVersion`, the open conversation.
  const [deskVersion, setDeskVersion] = useState(0);
  useDeskEvents(() => {
    queue.reload();
    setDeskVersion((v) => v + 1);
  });

  if (queue.error instanceof ApiError && queue.error.status === 404) return <p className="notice">{t('inbox.unavailable')}</p>;
  return (
    <section id="inbox-view" className="columns">
      <div className="card">
        <h3>{t('inbox.queue')}</h3>
        <p className="muted">{t('inbox.live')}</p>
        {queue.error && <p className="error">{queue.error.message}</p>}
        {queue.data?.items.length === 0 && <p>{t('inbox.empty')}</p>}
        <ul id="inbox-queue" className="queue">
          {queue.data?.items.map((item) => (
            <li key={item.customerId} className={item.customerId === selected ? 'active' : ''}>
              <button className="queue-item" onClick={() => setSelected(item.customerId)}>
                {item.name ?? '—'} ({item.customerExternalId}) · {item.state} · {item.handoffReason ?? ''}
              </button>
            </li>
          ))}
        </ul>
      </div>
      {selected && <ConversationPanel customerId={selected} deskVersion={deskVersion} onChanged={queue.reload} />}
    </section>
  );
}

function ConversationPanel(props: { customerId: string; deskVersion: number; onChanged: () => void }) {
  const t = useT();
  const conversation = useLoad(() => api<Conversation>(`/v1/conversations/${props.customerId}`), [props.customerId, props.deskVersion]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();

  const act = async (path: string, body?: unknown) => {
    setError(undefined);
    try {
      await api(`/v1/conversations/${props.customerId}/${path}`, { method: 'POST', body: body ?? {} });
      conversation.reload();
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const reply = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    await act('reply', { text: text.trim() });
    setText('');
  };

  const c = conversation.data;
  return (
    <div className="card" id="conversation">
      {conversation.error && <p className="error">{conversation.error.message}</p>}
      {c && (
        <>
          <h3>{c.name ?? '—'} <small>{c.customerExternalId}</small></h3>
          <p>{t('inbox.state')}: <b id="conversation-state">{c.state}</b> · {t('inbox.reason')}: {c.handoffReason ?? '—'} · {c.lastIntents.join(', ')}</p>
          <ol className="history">
            {c.history.map((h, i) => (
              <li key={i} className={`from-${h.author}`}><time>{new Date(h.at).toLocaleTimeString()}</time> <b>{h.author}</b>: {h.text ?? h.kind}</li>
            ))}
          </ol>
          <div className="toolbar">
            {c.state !== 'agent' && <button id="take-over" onClick={() => act('takeover')}>{t('inbox.takeOver')}</button>}
            {c.state === 'agent' && <button id="hand-back" onClick={() => act('handback')}>{t('inbox.handBack')}</button>}
          </div>
          {c.state === 'agent' && (
            <form onSubmit={reply}>
              <input id="reply-text" placeholder={t('inbox.reply')} value={text} onChange={(e) => setText(e.target.value)} />
              <button id="send-reply" type="submit">{t('inbox.send')}</button>
            </form>
          )}
          {error && <p className="error">{error}</p>}
        </>
      )}
    </div>
  );
}
