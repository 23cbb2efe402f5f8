import { formatMinor } from '../core/money.js';
import type { CaseStage, Channel } from '../db/schema.js';
import type { MessageContent } from '../delivery/provider.js';
import { VOICE_IDENTITY_PATH, VOICE_MENU_PATH } from '../conversation/voice-menu-twiml.js';
import { formatDueDay } from './formats.js';
import { measureSms } from './sms-segments.js';
import type { LocaleParts } from './template-types.js';
import type { MessageFacts, RenderedFacts } from './template-values.js';
import { escapeMarkup } from '../core/markup.js';

/**
 * Builds each channel's message around a template's rendered fields: the parts every message of the
 * channel must carry (sender, opt-out, unsubscribe footer, DTMF menu) come from here, not from the
 * template, and so does escaping for the markup the channel speaks (HTML, TwiML).
 */

/** Push services cut longer text on the lock screen; keep the whole message visible. */
export const PUSH_LIMITS = { title: 50, body: 150 } as const;
/** WeChat template keyword values are shown on one card; very long values are cut by the client. */
export const WECHAT_FIELD_LIMIT = 200;

export interface LayoutInput {
  channel: Channel;
  stage: CaseStage;
  locale: string;
  values: RenderedFacts;
  facts: MessageFacts;
  parts: LocaleParts;
  unsubscribeUrl?: string | undefined;
  /** Voice: speak slower (customer flagged elderly, or asked for it). */
  slowSpeech?: boolean | undefined;
  /** Written by a language model: the channel's main text carries the AI mark. */
  aiGenerated?: boolean | undefined;
  platformTemplateId?: string | undefined;
  rendering: NonNullable<MessageContent['rendering']>;
}

/** A template's rendered fields (see CHANNEL_FIELDS). */
export type Fields = Readonly<Record<string, string>>;

/** Cuts at a character (not a UTF-16 unit) boundary, marking the cut. */
function limit(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function joiner(locale: string): string {
  // Chinese sentences run on without spaces.
  return locale === 'zh-CN' ? '' : ' ';
}

function marked(input: LayoutInput, text: string): string {
  return input.aiGenerated ? `${input.parts.aiMark}${joiner(input.locale)}${text}` : text;
}

function smsContent(input: LayoutInput, fields: Fields): MessageContent {
  const text = `${input.parts.smsPrefix}${marked(input, fields.text!)} ${input.parts.smsOptOut}`;
  const size = measureSms(text);
  const rendering = input.rendering;
  rendering.smsEncoding = size.encoding;
  rendering.smsSegments = size.segments;
  return { text, rendering };
}

function emailHtml(input: LayoutInput, body: string, footer: string): string {
  const link = input.values.payLink;
  const paragraphs = body.split(/\n\s*\n/).map((p) => {
    let html = escapeMarkup(p.trim()).replace(/\n/g, '<br>');
    if (link) {
      const escaped = escapeMarkup(link);
      html = html.split(escaped).join(`<a href="${escaped}">${escaped}</a>`);
    }
    return `<p>${html}</p>`;
  });
  const url = input.unsubscribeUrl;
  const unsubscribe = url ? ` <a href="${escapeMarkup(url)}">${escapeMarkup(input.parts.emailUnsubscribe)}</a>` : '';
  return `${paragraphs.join('')}<p><small>${escapeMarkup(footer)}${unsubscribe}</small></p>`;
}

function emailContent(input: LayoutInput, fields: Fields): MessageContent {
  const body = marked(input, fields.body!);
  const footer = input.parts.emailFooter;
  const url = input.unsubscribeUrl;
  return {
    text: `${body}\n\n${footer}${url ? ` ${url}` : ''}`,
    subject: fields.subject!,
    html: emailHtml(input, body, footer),
    ...(url ? { unsubscribeUrl: url } : {}),
    rendering: input.rendering,
  };
}

/**
 * A call opens with a question only (who answered?): whoever picks up, or an answering machine, hears
 * no word about a debt. The reminder and its menu are the disclosure, spoken by the voice menu once
 * the debtor presses 1 (src/conversation/voice-menu.ts).
 */
function voiceContent(input: LayoutInput, fields: Fields): MessageContent {
  const spoken = `${marked(input, fields.speech!)}${joiner(input.locale)}${input.parts.voiceMenu}`;
  const say = (text: string) => {
    const inner = input.slowSpeech ? `<prosody rate="slow">${escapeMarkup(text)}</prosody>` : escapeMarkup(text);
    return `<Say language="${escapeMarkup(input.parts.voiceLanguage)}">${inner}</Say>`;
  };
  const question = input.parts.voiceIdentity.replaceAll('{name}', input.values.name ?? input.parts.voiceAccountHolder);
  const document = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
  return {
    text: spoken,
    twiml: document(`<Gather numDigits="1" action="${VOICE_IDENTITY_PATH}" actionOnEmptyResult="true">${say(question)}</Gather>`),
    disclosureTwiml: document(`<Gather numDigits="1" action="${VOICE_MENU_PATH}">${say(spoken)}</Gather>`),
    rendering: input.rendering,
  };
}

function wechatContent(input: LayoutInput, fields: Fields): MessageContent {
  const first = limit(marked(input, fields.first!), WECHAT_FIELD_LIMIT);
  const remark = limit(fields.remark!, WECHAT_FIELD_LIMIT);
  const data = { first, keyword1: limit(input.values.amount, WECHAT_FIELD_LIMIT), keyword2: input.values.dueDate, remark };
  const link = input.values.payLink;
  return {
    text: [first, input.values.amount, input.values.dueDate, remark].join('\n'),
    wechatTemplate: { templateId: input.platformTemplateId!, data, ...(link ? { url: link } : {}) },
    rendering: input.rendering,
  };
}

function pushContent(input: LayoutInput, fields: Fields): MessageContent {
  return { text: limit(marked(input, fields.body!), PUSH_LIMITS.body), title: limit(fields.title!, PUSH_LIMITS.title), rendering: input.rendering };
}

function appContent(input: LayoutInput, fields: Fields): MessageContent {
  const { values, facts } = input;
  const body = marked(input, fields.body!);
  const actions: Array<Record<string, string>> = [];
  if (values.payLink) actions.push({ kind: 'pay', url: values.payLink });
  if (values.instalmentAmount && values.instalments) actions.push({ kind: 'instalments', parts: values.instalments, firstAmount: values.instalmentAmount });
  const card = {
    kind: 'reminder',
    stage: input.stage,
    title: fields.title!,
    body,
    total: values.amount,
    dueDate: values.dueDate,
    items: facts.items.map((i) => ({ amount: formatMinor(i.amountMinor, i.currency), currency: i.currency, dueAt: i.dueAt.toISOString(), dueDate: formatDueDay(input.locale, i.dueAt, facts.timezone) })),
    actions,
    aiGenerated: input.aiGenerated === true,
  };
  return { text: body, title: fields.title!, card, rendering: input.rendering };
}

export function layoutMessage(input: LayoutInput, fields: Fields): MessageContent {
  switch (input.channel) {
    case 'sms':
      return smsContent(input, fields);
    case 'email':
      return emailContent(input, fields);
    case 'voice':
      return voiceContent(input, fields);
    case 'wechat':
      return wechatContent(input, fields);
    case 'push':
      return pushContent(input, fields);
    case 'app':
      return appContent(input, fields);
  }
}
