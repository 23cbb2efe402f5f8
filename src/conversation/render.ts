import type { AssistantMessage, Card, QuickReply } from './assistant-message.js';

/** The surfaces the assistant answers on: the contact channels, plus the web chat page. */
export type ReplyChannel = 'sms' | 'email' | 'voice' | 'push' | 'wechat' | 'app' | 'web';

export interface RenderedReply {
  channel: ReplyChannel;
  kind: string;
  /** Always present: the plain text, with any link written out, for clients that show only text. */
  text: string;
  /** app and web: structured content. */
  cards?: Card[];
  quickReplies?: QuickReply[];
  link?: { url: string; label: string };
  document?: AssistantMessage['document'];
  data?: Record<string, unknown>;
  /** wechat: the fields of a template message (first, keyword1…n, remark, url). */
  template?: { first: string; keywords: string[]; remark: string; url?: string };
  /** voice: a short prompt and the keys that answer it. */
  menu?: Array<{ digit: string; label: string; reply: string }>;
}

// Spoken prompts must be short: a caller remembers one sentence, not a paragraph.
const VOICE_PROMPT_CHARS = 140;

function withLink(message: AssistantMessage): string {
  return message.link ? `${message.text}\n${message.link.url}` : message.text;
}

function shortPrompt(text: string): string {
  const first = /^.*?[.!?。！？](\s|$)/su.exec(text)?.[0]?.trim() ?? text;
  return first.length <= VOICE_PROMPT_CHARS ? first : `${first.slice(0, VOICE_PROMPT_CHARS - 1)}…`;
}

/** Fits one message to a channel: plain text and a link on SMS, cards on app and web, template fields on WeChat, a key menu on voice. */
export function renderFor(channel: ReplyChannel, message: AssistantMessage): RenderedReply {
  const base = { channel, kind: message.kind };
  switch (channel) {
    case 'sms':
    case 'push':
    case 'email':
      // The words are written to stand alone; cards repeat them for screens that show tables.
      return { ...base, text: withLink(message) };
    case 'app':
    case 'web':
      return {
        ...base,
        text: withLink(message),
        ...(message.cards ? { cards: message.cards } : {}),
        ...(message.quickReplies ? { quickReplies: message.quickReplies } : {}),
        ...(message.link ? { link: message.link } : {}),
        ...(message.data ? { data: message.data } : {}),
        ...(message.document ? { document: message.document } : {}),
      };
    case 'wechat': {
      const keywords = (message.cards ?? []).flatMap((c) => c.rows.map((r) => `${r.label}: ${r.value}`));
      return {
        ...base,
        text: withLink(message),
        template: { first: message.text, keywords, remark: message.quickReplies?.map((q) => q.label).join(' / ') ?? '', ...(message.link ? { url: message.link.url } : {}) },
        ...(message.document ? { document: message.document } : {}),
      };
    }
    case 'voice': {
      const menu = (message.quickReplies ?? []).slice(0, 9).map((q, i) => ({ digit: String(i + 1), label: q.label, reply: q.reply }));
      const keys = menu.map((m) => `${m.digit}: ${m.label}`).join(', ');
      return { ...base, text: keys ? `${shortPrompt(message.text)} ${keys}` : shortPrompt(message.text), menu };
    }
  }
}
