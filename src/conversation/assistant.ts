import { type AssistantMessage, message } from './assistant-message.js';
import { localeOf, textsFor } from './assistant-texts.js';
import { loadCustomer } from './account.js';
import type { AssistantDeps, FlowContext } from './flow-context.js';
import { explainCreditImpact, explainFees, menuReplies, quoteEarlyRepayment, sendPayLink, showBalance } from './flows-account.js';
import { askPaymentReference, dispute, promiseToPay, readReference, recordPaidClaim, requestGrace, unsubscribe } from './flows-holds.js';
import { chosenPeriods, offerPlans, planDocumentLink } from './flows-plans.js';
import { type HandoffReason, handOff } from './handoff.js';
import type { Intent, NluResult } from './nlu/types.js';
import type { ReplyChannel } from './render.js';
import { loadSession, rememberIntent, saveSession } from './session.js';
import type { Channel } from '../db/schema.js';
import { recordConversationEvents } from './conversation-events.js';

/** Intents a person must answer: the bot hands these over at once. */
const HANDOFF_INTENTS: ReadonlySet<Intent> = new Set(['human_agent', 'complaint', 'debt_restructuring']);
// Strong anger: the sentiment model's label, or its anger score past this.
const ANGER_THRESHOLD = 0.7;
// Two misunderstandings in a row and a person takes over: a third "sorry?" helps nobody.
const MAX_FAILED_UNDERSTANDINGS = 2;

export interface TurnInput {
  customerId: string;
  channel: ReplyChannel;
  deliveryChannel: Channel | null;
  text: string;
  actor: string;
}

export interface TurnOutcome {
  messages: AssistantMessage[];
  /** Null when the bot said nothing (an agent has the conversation, or it waits in the queue). */
  intent: Intent | null;
  silentBecause?: 'agent' | 'queued';
}

/** Letters or digits in any script; a message of only emoji, symbols or control characters has none. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

async function notUnderstood(ctx: FlowContext): Promise<AssistantMessage[]> {
  ctx.session.failedUnderstandings += 1;
  if (ctx.session.failedUnderstandings >= MAX_FAILED_UNDERSTANDINGS) return handOff(ctx, 'not_understood');
  const text = hasWords(ctx.text) ? ctx.texts.notUnderstood : ctx.texts.unreadable;
  return [message('not_understood', text, { quickReplies: menuReplies(ctx) })];
}

/** A pending question (a date, a reference, a plan) answered, perhaps on another channel than it was asked on. */
async function fillPendingSlot(ctx: FlowContext): Promise<AssistantMessage[] | undefined> {
  switch (ctx.session.slots.pending) {
    case 'promise_date':
      return ctx.nlu.entities.dates.length > 0 ? promiseToPay(ctx) : undefined;
    case 'grace_date':
      return ctx.nlu.entities.dates.length > 0 ? requestGrace(ctx) : undefined;
    case 'payment_reference': {
      const reference = readReference(ctx.text);
      return reference ? recordPaidClaim(ctx, reference) : undefined;
    }
    case 'plan_choice': {
      const periods = chosenPeriods(ctx);
      if (periods === undefined) return undefined;
      ctx.session.slots = { chosenPlan: periods };
      // The choice itself says an agent will confirm the plan; the generic handoff words would repeat it.
      await handOff(ctx, 'instalment_plan_chosen', { periods });
      return [message('plan_chosen', ctx.texts.planChosen(periods), { document: { kind: 'repayment_plan', periods, url: planDocumentLink(ctx, periods) } })];
    }
    default:
      return undefined;
  }
}

async function answerIntent(ctx: FlowContext, intent: Intent): Promise<AssistantMessage[]> {
  switch (intent) {
    case 'check_balance':
      return showBalance(ctx);
    case 'payment_link':
      return sendPayLink(ctx);
    case 'installment_options':
      return offerPlans(ctx);
    case 'early_repayment':
      return quoteEarlyRepayment(ctx);
    case 'promise_to_pay':
      return promiseToPay(ctx);
    case 'request_extension':
      return requestGrace(ctx);
    case 'already_paid': {
      const reference = readReference(ctx.text);
      return reference ? recordPaidClaim(ctx, reference) : askPaymentReference(ctx);
    }
    case 'dispute':
      return dispute(ctx);
    case 'unsubscribe':
      return unsubscribe(ctx);
    case 'fees_and_interest':
      return explainFees(ctx);
    case 'credit_impact':
      return explainCreditImpact(ctx);
    case 'greeting':
      return [message('greeting', ctx.texts.greeting, { quickReplies: menuReplies(ctx) })];
    case 'thanks':
      return [message('thanks', ctx.texts.thanks)];
    case 'goodbye':
      return [message('goodbye', ctx.texts.goodbye)];
    case 'human_agent':
    case 'complaint':
    case 'debt_restructuring':
      return handOff(ctx, intent);
    case 'out_of_scope':
      return notUnderstood(ctx);
  }
}

async function decide(ctx: FlowContext): Promise<AssistantMessage[]> {
  const { intent, sentiment } = ctx.nlu;
  if (HANDOFF_INTENTS.has(intent)) return handOff(ctx, intent as HandoffReason);
  if (sentiment.label === 'angry' || sentiment.anger >= ANGER_THRESHOLD) return handOff(ctx, 'anger', { anger: sentiment.anger });
  const filled = await fillPendingSlot(ctx);
  if (filled) return filled;
  return answerIntent(ctx, intent);
}

/** The words a reply shows: its text, its cards and its link label. */
function wordsOf(m: AssistantMessage): string {
  return [m.text, ...(m.cards ?? []).flatMap((c) => [c.title, ...c.rows.map((r) => `${r.label} ${r.value}`)]), m.link?.label ?? ''].join('\n');
}

/**
 * The compliance gate, for the bot's own words as for every other outbound message: a reply with a
 * blocking violation is never shown; the conversation goes to a person, with the rule on record.
 */
async function gateReplies(ctx: FlowContext, messages: AssistantMessage[]): Promise<AssistantMessage[]> {
  const channel = ctx.deliveryChannel ?? 'app';
  for (const m of messages) {
    const verdict = ctx.deps.scanner.check(wordsOf(m), { channel, locale: ctx.locale });
    const blocked = verdict.ok ? verdict.value.violations.find((v) => v.severity === 'block') : { rule: 'content.unscannable', match: '' };
    if (blocked) return handOff(ctx, 'reply_blocked', { rule: blocked.rule, answer: m.kind });
  }
  return messages;
}

async function recordReplies(ctx: FlowContext, messages: readonly AssistantMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await recordConversationEvents(
    ctx.deps.db, ctx.customer.id, ctx.now,
    messages.map((m) => ({ kind: 'assistant.reply', channel: ctx.deliveryChannel, payload: { text: m.text, answer: m.kind, surface: ctx.channel, intent: ctx.nlu.intent } })),
  );
}

/**
 * One turn of a verified customer's conversation: understand, then hand off, fill what was asked,
 * or answer the intent, all against the customer's real debts. The session is saved last; two
 * messages racing from one customer may each see the state before the other (the later write wins).
 */
export async function runAssistantTurn(deps: AssistantDeps, input: TurnInput, nluOverride?: NluResult): Promise<TurnOutcome> {
  const now = deps.clock.now();
  const customer = await loadCustomer(deps.db, input.customerId);
  const session = await loadSession(deps.db, customer.id, now, deps.config.assistant.idleMinutes);
  if (session.handoffState !== 'bot') {
    await saveSession(deps.db, session, now, input.channel);
    return { messages: [], intent: null, silentBecause: session.handoffState };
  }
  const nlu = nluOverride ?? (await deps.understand(input.text, { now, timezone: customer.timezone }));
  const locale = hasWords(input.text) ? localeOf(nlu.locale) : localeOf(customer.locale);
  const ctx: FlowContext = {
    deps, now, customer, session, channel: input.channel, deliveryChannel: input.deliveryChannel,
    locale, texts: textsFor(locale), text: input.text, nlu, actor: input.actor,
  };
  rememberIntent(session, nlu.intent);
  const before = session.failedUnderstandings;
  const messages = await gateReplies(ctx, await decide(ctx));
  // Anything understood breaks a run of misunderstandings.
  if (session.failedUnderstandings === before) session.failedUnderstandings = 0;
  await saveSession(deps.db, session, now, input.channel);
  await recordReplies(ctx, messages);
  return { messages, intent: nlu.intent };
}
