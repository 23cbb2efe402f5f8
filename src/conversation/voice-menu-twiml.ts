import { DateTime } from 'luxon';
import { formatMinor } from '../core/money.js';
import { escapeMarkup } from '../core/markup.js';

/**
 * The spoken side of the reminder call's DTMF menu, as TwiML. Pure: the feature module decides which
 * answer to give and this only words it, per locale (en, zh-CN), escaping everything it says.
 */
export const VOICE_MENU_PATH = '/v1/voice/menu';
/** Where the call's opening question (is this the debtor?) posts its key. */
export const VOICE_IDENTITY_PATH = `${VOICE_MENU_PATH}?check=1`;

export interface OwedItem {
  outstandingMinor: bigint;
  currency: string;
  /** The first instant at which the receivable is late. */
  dueAt: Date;
}

export type VoiceAnswer =
  | { kind: 'balance'; items: OwedItem[] }
  | { kind: 'instalments'; items: OwedItem[] }
  | { kind: 'agent'; dial?: string | undefined }
  | { kind: 'repeat' }
  | { kind: 'goodbye' }
  | { kind: 'unknown_call' }
  /** The debtor confirmed who they are: the reminder as rendered for this call (a whole TwiML document). */
  | { kind: 'disclosure'; twiml: string }
  /** Someone else, or nobody, answered: a goodbye that says nothing about the debt. */
  | { kind: 'wrong_party' };

export interface VoiceContext {
  locale: string;
  timezone: string;
  /** The step the next Gather posts back with: it keys each key press, so a replayed request is known. */
  nextStep: number;
}

export const INSTALMENT_PLANS = [3, 6] as const;

/** Splits an amount into `parts` whole minor-unit payments; the remainder goes on the first, so they sum exactly. */
export function splitInstalments(totalMinor: bigint, parts: number): bigint[] {
  const n = BigInt(parts);
  const base = totalMinor / n;
  const remainder = totalMinor % n;
  return Array.from({ length: parts }, (_, i) => (i === 0 ? base + remainder : base));
}


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
function dueDay(zh: boolean, dueAt: Date, zone: string): string {
  const day = DateTime.fromJSDate(new Date(dueAt.getTime() - 1), { zone });
  return zh ? day.toFormat('M月d日') : day.setLocale('en').toFormat('d LLLL yyyy');
}

const MENU = { en: 'Press 1 for your bill, 2 for instalment options, or 0 for an agent.', zh: '查询账单请按1，了解分期请按2，人工服务请按0。' };

function balanceText(zh: boolean, ctx: VoiceContext, items: OwedItem[]): string {
  if (items.length === 0) return zh ? '您目前没有待还款项，感谢您的支持。' : 'You have no outstanding balance. Thank you.';
  const parts = items.map((i) => {
    const amount = money(ctx.locale, i.outstandingMinor, i.currency);
    const due = dueDay(zh, i.dueAt, ctx.timezone);
    return zh ? `${amount}，到期日${due}` : `${amount}, due on ${due}`;
  });
  if (zh) return `您的待还金额为${parts.join('；')}。`;
  return items.length === 1 ? `Your outstanding balance is ${parts[0]}.` : `Your outstanding balances are: ${parts.join('; ')}.`;
}

/** Sums per currency: amounts in different currencies are never added together. */
function totalsByCurrency(items: OwedItem[]): Array<[string, bigint]> {
  const totals = new Map<string, bigint>();
  for (const item of items) totals.set(item.currency, (totals.get(item.currency) ?? 0n) + item.outstandingMinor);
  return [...totals];
}

function planText(zh: boolean, locale: string, currency: string, total: bigint, parts: number): string {
  const split = splitInstalments(total, parts);
  const first = money(locale, split[0]!, currency);
  const rest = money(locale, split[1]!, currency);
  if (split[0] === split[1]) return zh ? `分${parts}期，每期${rest}` : `${parts} monthly payments of ${rest}`;
  return zh ? `分${parts}期，首期${first}，其余${parts - 1}期每期${rest}` : `${parts} monthly payments: ${first} first, then ${parts - 1} of ${rest}`;
}

function instalmentText(zh: boolean, ctx: VoiceContext, items: OwedItem[]): string {
  const offers = totalsByCurrency(items).flatMap(([currency, total]) => {
    // A plan whose parts would be zero is no plan.
    const plans = INSTALMENT_PLANS.filter((n) => total >= BigInt(n)).map((n) => planText(zh, ctx.locale, currency, total, n));
    if (plans.length === 0) return [];
    const amount = money(ctx.locale, total, currency);
    return [zh ? `您可将${amount}${plans.join('，或')}。` : `You can split ${amount} into ${plans.join(', or ')}.`];
  });
  if (offers.length === 0) return balanceText(zh, ctx, []);
  const setUp = zh ? '如需办理，请按0转人工客服，或通过消息中的聊天链接办理。' : 'An agent can set this up for you: press 0, or use the chat link in your messages.';
  // Chinese sentences run on without spaces.
  return [...offers, setUp].join(zh ? '' : ' ');
}

function say(zh: boolean, text: string): string {
  return `<Say language="${zh ? 'zh-CN' : 'en-US'}">${escapeMarkup(text)}</Say>`;
}

/** The menu again, in a Gather that posts the next step back; no key also posts back (actionOnEmptyResult). */
function gather(zh: boolean, ctx: VoiceContext, before: string, retry: boolean): string {
  const action = `${VOICE_MENU_PATH}?step=${ctx.nextStep}${retry ? '&retry=1' : ''}`;
  return `<Gather numDigits="1" action="${escapeMarkup(action)}" method="POST" actionOnEmptyResult="true">${say(zh, [before, zh ? MENU.zh : MENU.en].filter(Boolean).join(zh ? '' : ' '))}</Gather>`;
}

function body(answer: VoiceAnswer, zh: boolean, ctx: VoiceContext): string {
  switch (answer.kind) {
    case 'balance':
      return gather(zh, ctx, balanceText(zh, ctx, answer.items), false);
    case 'instalments':
      return gather(zh, ctx, instalmentText(zh, ctx, answer.items), false);
    case 'agent':
      if (answer.dial) return `${say(zh, zh ? '正在为您转接人工客服，请稍候。' : 'Connecting you to an agent, please hold.')}<Dial>${escapeMarkup(answer.dial)}</Dial>`;
      return `${say(zh, zh ? '稍后将有客服人员给您回电，再见。' : 'An agent will call you back shortly. Goodbye.')}<Hangup/>`;
    case 'repeat':
      return gather(zh, ctx, zh ? '抱歉，您的输入无效。' : 'Sorry, that is not one of the options.', true);
    case 'goodbye':
      return `${say(zh, zh ? '感谢您的接听，再见。' : 'Thank you for your time. Goodbye.')}<Hangup/>`;
    case 'unknown_call':
      return `${say(zh, zh ? '抱歉，无法识别本次通话，再见。' : 'Sorry, we could not find this call. Goodbye.')}<Hangup/>`;
    case 'wrong_party':
      return `${say(zh, zh ? '抱歉打扰了，再见。' : 'Sorry to have troubled you. Goodbye.')}<Hangup/>`;
    case 'disclosure':
      return ''; // a whole document, returned as it is by renderVoiceAnswer
  }
}

export function renderVoiceAnswer(answer: VoiceAnswer, ctx: VoiceContext): string {
  if (answer.kind === 'disclosure') return answer.twiml;
  const zh = ctx.locale === 'zh-CN';
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body(answer, zh, ctx)}</Response>`;
}
