import { type FormEvent, useEffect, useRef, useState } from 'react';
import { LinkExpired, openChat, type Reply, sendChat } from './chat-api.js';

type Locale = 'zh-CN' | 'en';
type Entry = { from: 'assistant'; reply: Reply } | { from: 'me'; text: string };

const WORDS = {
  en: { title: 'Your account', placeholder: 'Type a message', send: 'Send', expired: 'This link has expired or is not valid. Please open the link in your latest message.', failed: 'That did not go through. Please try again.', waiting: 'An agent has your conversation and will answer here or in your messages.' },
  'zh-CN': { title: '我的账户', placeholder: '输入消息', send: '发送', expired: '此链接已过期或无效，请打开最近一条消息中的链接。', failed: '发送失败，请重试。', waiting: '人工客服正在处理，会在此处或通过消息回复您。' },
} as const;

function AssistantBubble({ reply, onQuick }: { reply: Reply; onQuick: (text: string) => void }) {
  // Cards repeat lines of the text as a table, and the link is a button: the words show what is left.
  const inCards = new Set(reply.cards?.flatMap((card) => card.rows.map((row) => `${row.label}: ${row.value}`)) ?? []);
  const text = reply.text.split('\n').filter((line) => !inCards.has(line.trim()) && line.trim() !== reply.link?.url).join('\n').trim();
  return (
    <li className="bubble assistant" data-kind={reply.kind}>
      <p>{text}</p>
      {reply.cards?.map((card, i) => (
        <section className="chat-card" key={i}>
          <h2>{card.title}</h2>
          <dl>{card.rows.map((row, j) => [<dt key={`t${j}`}>{row.label}</dt>, <dd key={`d${j}`}>{row.value}</dd>])}</dl>
        </section>
      ))}
      {reply.link && <a className="pay-button" href={reply.link.url} rel="noreferrer">{reply.link.label}</a>}
      {reply.quickReplies && (
        <div className="quick">
          {reply.quickReplies.map((q) => <button type="button" key={q.label} onClick={() => onQuick(q.reply)}>{q.label}</button>)}
        </div>
      )}
    </li>
  );
}

/** The debtor's side of the conversation, sized for a phone: the assistant's cards, quick replies and a box to type in. */
export function ChatPage({ token }: { token: string }) {
  const [locale, setLocale] = useState<Locale>(navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [draft, setDraft] = useState('');
  const [state, setState] = useState<'loading' | 'ready' | 'busy' | 'expired' | 'failed'>('loading');
  const end = useRef<HTMLLIElement>(null);
  const words = WORDS[locale];

  const show = (replies: Reply[]) => setEntries((list) => [...list, ...replies.map((reply) => ({ from: 'assistant' as const, reply }))]);
  const failed = (error: unknown) => setState(error instanceof LinkExpired ? 'expired' : 'failed');

  useEffect(() => {
    openChat(token).then((opening) => {
      setLocale(opening.locale);
      document.documentElement.lang = opening.locale;
      show(opening.replies);
      setState('ready');
    }, failed);
  }, [token]);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [entries]);

  const say = (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || state === 'busy') return;
    setEntries((list) => [...list, { from: 'me', text: trimmed }]);
    setDraft('');
    setState('busy');
    sendChat(token, trimmed).then((answer) => {
      show(answer.replies.length > 0 ? answer.replies : answer.handledAs === 'agent' ? [{ kind: 'agent_waiting', text: words.waiting }] : []);
      setState('ready');
    }, failed);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    say(draft);
  };

  if (state === 'expired') return <main className="chat"><p id="chat-expired" className="notice">{words.expired}</p></main>;
  return (
    <main className="chat">
      <header><h1>{words.title}</h1></header>
      <ol className="conversation" aria-live="polite">
        {entries.map((entry, i) => entry.from === 'me'
          ? <li className="bubble me" key={i}><p>{entry.text}</p></li>
          : <AssistantBubble key={i} reply={entry.reply} onQuick={say} />)}
        <li ref={end} className="end" />
      </ol>
      {state === 'failed' && <p className="error">{words.failed}</p>}
      <form onSubmit={submit}>
        <input id="chat-input" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={words.placeholder} maxLength={4000} autoComplete="off" />
        <button id="chat-send" type="submit" disabled={state === 'busy' || state === 'loading'}>{words.send}</button>
      </form>
    </main>
  );
}
