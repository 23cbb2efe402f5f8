import { DateTime } from 'luxon';
import { formatMinor } from '../core/money.js';
import type { CaseStage, Channel } from '../db/schema.js';
import type { MessageContent } from '../delivery/provider.js';

/**
 * Plain reminder wording per stage, channel and locale. Deliberately small: the template engine with
 * versioned variants and the compliance gate replace it; until then every reminder is at least
 * truthful, neutral, names the amount and date, and carries the opt-out words.
 */
export interface ReminderFacts {
  locale: string;
  channel: Channel;
  stage: CaseStage;
  name: string | null;
  timezone: string;
  items: Array<{ amountMinor: bigint; currency: string; dueAt: Date }>;
  /** Email: the signed one-click unsubscribe link, shown in the footer and sent as List-Unsubscribe. */
  unsubscribeUrl?: string | undefined;
}

// Building an Intl.NumberFormat costs far more than using one; planning formats millions of amounts.
const formatters = new Map<string, Intl.NumberFormat>();

function money(locale: string, minor: bigint, currency: string): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  // A decimal string keeps Intl from rounding through a binary float.
  return formatter.format(formatMinor(minor, currency) as unknown as number);
}

/** The due date as the debtor knows it: the local day before the first late instant. */
function dueDay(locale: string, dueAt: Date, zone: string): string {
  const day = DateTime.fromJSDate(new Date(dueAt.getTime() - 1), { zone });
  return locale === 'zh-CN' ? day.toFormat('M月d日') : day.setLocale('en').toFormat('d LLLL yyyy');
}

/** Names come from customer data: escape them wherever the text lands in HTML or XML. */
function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sentence(facts: ReminderFacts): string {
  const zh = facts.locale === 'zh-CN';
  const amounts = facts.items.map((i) => money(facts.locale, i.amountMinor, i.currency)).join(zh ? '、' : ', ');
  const due = dueDay(facts.locale, facts.items.reduce((a, b) => (a.dueAt < b.dueAt ? a : b)).dueAt, facts.timezone);
  const many = facts.items.length > 1;
  if (zh) {
    const who = facts.name ? `${facts.name}您好，` : '您好，';
    return facts.stage === 'pre_due'
      ? `${who}您的${many ? `${facts.items.length}笔账单` : '账单'}${amounts}将于${due}到期，请按时还款。`
      : `${who}您的${many ? `${facts.items.length}笔账单` : '账单'}${amounts}已于${due}到期，请尽快还款。逾期可能影响您的信用记录。`;
  }
  const who = facts.name ? `Hi ${facts.name}, ` : 'Hello, ';
  return facts.stage === 'pre_due'
    ? `${who}a reminder that ${many ? `${facts.items.length} payments totalling ` : ''}${amounts} ${many ? 'are' : 'is'} due on ${due}.`
    : `${who}${many ? `${facts.items.length} payments` : `your payment of ${amounts}`} ${many ? `(${amounts}) were` : 'was'} due on ${due}. Please pay as soon as you can; late payment may be reported.`;
}

export function renderReminder(facts: ReminderFacts): MessageContent {
  const zh = facts.locale === 'zh-CN';
  const body = sentence(facts);
  const optOut = zh ? '回复TD退订' : 'Reply STOP to opt out.';
  switch (facts.channel) {
    case 'sms':
      return { text: `${body} ${optOut}` };
    case 'email': {
      const subject = zh ? '还款提醒' : 'Payment reminder';
      const footer = zh ? '如不希望再收到此类邮件，可随时退订。' : 'You can unsubscribe from these emails at any time.';
      const url = facts.unsubscribeUrl;
      const link = url ? ` <a href="${escapeMarkup(url)}">${zh ? '退订' : 'Unsubscribe'}</a>` : '';
      return {
        text: `${body}\n\n${footer}${url ? ` ${url}` : ''}`,
        subject,
        html: `<p>${escapeMarkup(body)}</p><p><small>${footer}${link}</small></p>`,
        ...(url ? { unsubscribeUrl: url } : {}),
      };
    }
    case 'voice': {
      const menu = zh ? '查询账单请按1，了解分期请按2，人工服务请按0。' : 'Press 1 for your bill, 2 for instalment options, or 0 for an agent.';
      const lang = zh ? 'zh-CN' : 'en-US';
      const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/v1/voice/menu"><Say language="${lang}">${escapeMarkup(body)} ${menu}</Say></Gather></Response>`;
      return { text: `${body} ${menu}`, twiml };
    }
    case 'wechat':
      return { text: body, wechatTemplate: { templateId: `reminder-${facts.stage}`, data: { first: body, remark: optOut } } };
    case 'push':
      return { text: body, title: zh ? '还款提醒' : 'Payment reminder' };
    case 'app':
      return { text: body, title: zh ? '还款提醒' : 'Payment reminder', card: { kind: 'reminder', stage: facts.stage, items: facts.items.map((i) => ({ amount: formatMinor(i.amountMinor, i.currency), currency: i.currency, dueAt: i.dueAt.toISOString() })) } };
  }
}
