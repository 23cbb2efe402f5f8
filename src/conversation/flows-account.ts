import { type AssistantMessage, message } from './assistant-message.js';
import { dueDay, loadOwed, localDay, money, totalsByCurrency } from './account.js';
import type { FlowContext } from './flow-context.js';
import { parseRate } from './instalment-math.js';

// A pay link outlives the conversation, but not by long: a stale amount must not be paid from it.
const PAY_LINK_DAYS = 7;

export function menuReplies(ctx: FlowContext) {
  const m = ctx.texts.menu;
  return [
    { label: m.balance, reply: ctx.locale === 'zh-CN' ? '查询欠款' : 'What do I owe?' },
    { label: m.plans, reply: ctx.locale === 'zh-CN' ? '分期方案' : 'Instalment options' },
    { label: m.payLink, reply: ctx.locale === 'zh-CN' ? '还款链接' : 'Send me a payment link' },
    { label: m.agent, reply: ctx.locale === 'zh-CN' ? '转人工' : 'Talk to an agent' },
  ];
}


export async function showBalance(ctx: FlowContext): Promise<AssistantMessage[]> {
  const owed = await loadOwed(ctx.deps.db, ctx.customer.id);
  if (owed.length === 0) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const tz = ctx.customer.timezone;
  const rows = owed.map((item) => ({ label: item.externalId, value: ctx.texts.balanceLine(money(item.outstandingMinor, item.currency), dueDay(item.dueAt, tz), item.dueAt.getTime() <= ctx.now.getTime()) }));
  const totals = totalsByCurrency(owed).map((t) => money(t.minor, t.currency)).join(' + ');
  const lines = rows.map((r) => `${r.label}: ${r.value}`).join('\n');
  return [
    message('balance', `${lines}\n${ctx.texts.balanceTotal(totals)}`, {
      cards: [{ title: ctx.texts.balanceTitle, rows: [...rows, { label: ctx.locale === 'zh-CN' ? '合计' : 'Total', value: totals }] }],
      quickReplies: menuReplies(ctx).slice(1),
    }),
  ];
}

export async function sendPayLink(ctx: FlowContext): Promise<AssistantMessage[]> {
  const owed = await loadOwed(ctx.deps.db, ctx.customer.id);
  const total = totalsByCurrency(owed)[0];
  if (!total) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const token = ctx.deps.links.sign({ c: ctx.customer.id, p: 'pay', a: total.minor.toString(), cur: total.currency }, new Date(ctx.now.getTime() + PAY_LINK_DAYS * 86_400_000));
  const base = ctx.deps.config.assistant.payUrl ?? `${ctx.deps.config.publicUrl}/pay`;
  const url = `${base}?token=${token}`;
  return [message('pay_link', ctx.texts.payLinkText(money(total.minor, total.currency)), { link: { url, label: ctx.texts.payLinkLabel } })];
}

/** Everything still owed, due or not; plain receivables carry no interest, so early repayment costs nothing extra. */
export async function quoteEarlyRepayment(ctx: FlowContext): Promise<AssistantMessage[]> {
  const owed = await loadOwed(ctx.deps.db, ctx.customer.id);
  const total = totalsByCurrency(owed)[0];
  if (!total) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const inCurrency = owed.filter((o) => o.currency === total.currency);
  const notYetDue = inCurrency.filter((o) => o.dueAt.getTime() > ctx.now.getTime()).reduce((sum, o) => sum + o.outstandingMinor, 0n);
  const validUntil = localDay(ctx.now, ctx.customer.timezone);
  const parts = [ctx.texts.earlyQuote(money(total.minor, total.currency), validUntil), ...(notYetDue > 0n ? [ctx.texts.earlyNotYetDue(money(notYetDue, total.currency))] : [])];
  return [
    message('early_repayment', parts.join(' '), {
      cards: [{ title: ctx.texts.balanceTitle, rows: inCurrency.map((o) => ({ label: o.externalId, value: money(o.outstandingMinor, o.currency) })) }],
      quickReplies: [menuReplies(ctx)[2]!],
    }),
  ];
}

/** "0.12" → "12", "0.125" → "12.5": the rate as a percentage, by shifting decimal digits, never through a float. */
export function percent(rate: string): string {
  const { num, den } = parseRate(rate);
  const places = den.toString().length - 1;
  if (places <= 2) return (num * 10n ** BigInt(2 - places)).toString();
  const scale = 10n ** BigInt(places - 2);
  const fraction = (num % scale).toString().padStart(places - 2, '0').replace(/0+$/, '');
  return fraction ? `${num / scale}.${fraction}` : `${num / scale}`;
}


export function explainFees(ctx: FlowContext): AssistantMessage[] {
  const terms = ctx.deps.config.assistant.instalments;
  return [message('fees_and_interest', ctx.texts.fees(percent(terms.annualRate), percent(terms.feeRate)), { quickReplies: [menuReplies(ctx)[1]!, menuReplies(ctx)[3]!] })];
}

export function explainCreditImpact(ctx: FlowContext): AssistantMessage[] {
  return [message('credit_impact', ctx.texts.creditImpact, { quickReplies: [menuReplies(ctx)[1]!, menuReplies(ctx)[2]!] })];
}
