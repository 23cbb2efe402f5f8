import { formatMinor } from '../core/money.js';
import { type AssistantMessage, type Card, message } from './assistant-message.js';
import { loadOwed, localDay, money, totalsByCurrency } from './account.js';
import type { FlowContext } from './flow-context.js';
import { computePlan, type InstalmentPlan } from './instalment-math.js';

export const PLAN_PERIODS = [3, 6, 12] as const;

/** The three plans for one balance, first instalment a month from today in the debtor's zone. */
export function plansFor(principalMinor: bigint, now: Date, timezone: string, terms: { annualRate: string; feeRate: string }): InstalmentPlan[] {
  return PLAN_PERIODS.map((n) => computePlan(principalMinor, n, terms, Array.from({ length: n }, (_, k) => localDay(now, timezone, 0, k + 1))));
}

function planData(plan: InstalmentPlan, currency: string) {
  const m = (minor: bigint) => formatMinor(minor, currency);
  return {
    periods: plan.periods, currency, principal: m(plan.principalMinor), instalment: m(plan.instalmentMinor), fee: m(plan.feeMinor),
    totalInterest: m(plan.totalInterestMinor), totalPaid: m(plan.totalPaidMinor), totalCost: m(plan.totalCostMinor), apr: plan.apr,
    schedule: plan.schedule.map((l) => ({ period: l.period, dueDate: l.dueDate, payment: m(l.paymentMinor), principal: m(l.principalMinor), interest: m(l.interestMinor), fee: m(l.feeMinor), balanceAfter: m(l.balanceAfterMinor) })),
  };
}

function planCard(ctx: FlowContext, plan: InstalmentPlan, currency: string): Card {
  const zh = ctx.locale === 'zh-CN';
  const label = (en: string, cn: string) => (zh ? cn : en);
  return {
    title: zh ? `${plan.periods}期` : `${plan.periods} months`,
    rows: [
      { label: label('Monthly', '每期'), value: money(plan.instalmentMinor, currency) },
      { label: label('Fee', '手续费'), value: money(plan.feeMinor, currency) },
      { label: label('Interest', '利息'), value: money(plan.totalInterestMinor, currency) },
      { label: label('Total to pay', '总还款'), value: money(plan.totalPaidMinor, currency) },
      { label: 'APR', value: `${plan.apr}%` },
      ...plan.schedule.map((l) => ({ label: `${l.period}. ${l.dueDate}`, value: money(l.paymentMinor, currency) })),
    ],
  };
}

export async function offerPlans(ctx: FlowContext): Promise<AssistantMessage[]> {
  const total = totalsByCurrency(await loadOwed(ctx.deps.db, ctx.customer.id))[0];
  if (!total) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const plans = plansFor(total.minor, ctx.now, ctx.customer.timezone, ctx.deps.config.assistant.instalments);
  const lines = plans.map((p) => ctx.texts.planLine(p.periods, money(p.instalmentMinor, total.currency), money(p.feeMinor, total.currency), money(p.totalCostMinor, total.currency), p.apr));
  ctx.session.flow = 'installment_options';
  ctx.session.slots = { ...ctx.session.slots, pending: 'plan_choice' };
  return [
    message('instalment_options', [ctx.texts.plansIntro(money(total.minor, total.currency)), ...lines, ctx.texts.planChoose].join('\n'), {
      cards: plans.map((p) => planCard(ctx, p, total.currency)),
      quickReplies: PLAN_PERIODS.map((n) => ({ label: ctx.locale === 'zh-CN' ? `${n}期` : `${n} months`, reply: String(n) })),
      data: { plans: plans.map((p) => planData(p, total.currency)) },
    }),
  ];
}

/** "6", "6期", "six months"…: the plan the debtor picked, if the message names one of those offered. */
export function chosenPeriods(ctx: FlowContext): number | undefined {
  const fromEntity = ctx.nlu.entities.instalments[0]?.count;
  const bare = /^\D*?(3|6|12)\D*$/u.exec(ctx.text.normalize('NFKC').trim())?.[1];
  const n = fromEntity ?? (bare ? Number(bare) : undefined);
  return n !== undefined && (PLAN_PERIODS as readonly number[]).includes(n) ? n : undefined;
}

// Long enough to keep the plan while it is being set up; the PDF is recomputed from the balance when opened.
const PLAN_LINK_DAYS = 30;

/** A signed link to the plan's PDF, offered on app and WeChat; `t` fixes the instant the due dates count from. */
export function planDocumentLink(ctx: FlowContext, periods: number): string {
  const token = ctx.deps.links.sign({ c: ctx.customer.id, p: 'plan', n: String(periods), t: String(Math.floor(ctx.now.getTime() / 1000)) }, new Date(ctx.now.getTime() + PLAN_LINK_DAYS * 86_400_000));
  return `${ctx.deps.config.publicUrl}/v1/repayment-plan.pdf?token=${token}`;
}
