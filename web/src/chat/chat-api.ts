/** What the assistant says on the web surface (src/conversation/render.ts, channel `web`). */
export interface Reply {
  kind: string;
  text: string;
  cards?: Array<{ title: string; rows: Array<{ label: string; value: string }> }>;
  quickReplies?: Array<{ label: string; reply: string }>;
  link?: { url: string; label: string };
  document?: { url: string };
}

export class LinkExpired extends Error {}

const SESSION_STORAGE = 'recoup.chatSession';

/** A random id per tab: it names this browser's conversation session, never the customer. */
export function sessionId(): string {
  let id = sessionStorage.getItem(SESSION_STORAGE);
  if (!id) {
    id = crypto.randomUUID().replaceAll('-', '');
    sessionStorage.setItem(SESSION_STORAGE, id);
  }
  return id;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (response.status === 401) throw new LinkExpired(json.error?.message ?? 'link expired');
  if (!response.ok) throw new Error(json.error?.message ?? `${response.status}`);
  return json;
}

export const openChat = (token: string) => post<{ locale: 'zh-CN' | 'en'; replies: Reply[] }>('/v1/chat/open', { token });

export const sendChat = (token: string, text: string) => post<{ handledAs: string; replies: Reply[] }>('/v1/chat/messages', { token, sessionId: sessionId(), text });
