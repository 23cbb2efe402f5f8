import { type DomainError, type Result, fail, ok } from '../core/errors.js';
import type { PayLinks } from '../messaging/pay-link.js';
import { localeOf } from './assistant-texts.js';
import { runAssistantTurn } from './assistant.js';
import type { AssistantDeps } from './flow-context.js';
import { handleInbound, type InboundOutcome } from './inbound.js';
import type { NluResult } from './nlu/types.js';
import { renderFor } from './render.js';
import { signChatLink } from './verification.js';

/**
 * The debtor's chat page behind the short link in a reminder (/p/<token>). The token is the only
 * authority: it names one customer and expires. Opening shows what is owed; every message then goes
 * through the same inbound path as SMS or WeChat (opt-out words, verification, the assistant, an
 * agent who took over), on the `web` surface, so the page continues the one conversation per person.
 */
export interface ChatDeps extends AssistantDeps {
  payLinks: PayLinks;
}

export interface ChatOpening {
  locale: 'zh-CN' | 'en';
  replies: InboundOutcome['replies'];
}

// The session a chat message verifies: long enough for a conversation, short enough that a page left
// open on a shared phone stops speaking for the debtor.
const CHAT_LINK_MINUTES = 60;

export const EXPIRED_LINK: DomainError = {
  type: 'unauthorized',
  message: 'this link has expired or is not valid: open the link in your latest message',
  details: [{ field: 'token', reason: 'is expired, altered or not a link we issued' }],
};

/** The customer a link was issued for, while it is valid and the customer is still on file. */
export async function customerOfLink(deps: ChatDeps, token: string): Promise<{ id: string; locale: string } | undefined> {
  const customerId = deps.payLinks.verify(token, deps.clock.now());
  if (!customerId) return undefined;
  return deps.db.selectFrom('customers').select(['id', 'locale']).where('id', '=', customerId).executeTakeFirst();
}

/** What the page shows first: the balance and the menu, as the assistant would answer "what do I owe?". */
export async function openChat(deps: ChatDeps, token: string): Promise<Result<ChatOpening>> {
  const customer = await customerOfLink(deps, token);
  if (!customer) return fail(EXPIRED_LINK);
  const locale = localeOf(customer.locale);
  const asked: NluResult = {
    intent: 'check_balance',
    confidence: 1,
    locale,
    entities: { dates: [], amounts: [], instalments: [] },
    sentiment: { label: 'neutral', score: 0, anger: 0 },
  };
  const turn = await runAssistantTurn(deps, { customerId: customer.id, channel: 'web', deliveryChannel: null, text: '', actor: 'customer:chat-page' }, asked);
  return ok({ locale, replies: turn.messages.map((m) => renderFor('web', m)) });
}

/** A message typed on the page: the link verifies the browser's session as its customer. */
export async function chatMessage(deps: ChatDeps, input: { token: string; sessionId: string; text: string }): Promise<Result<InboundOutcome>> {
  const customer = await customerOfLink(deps, input.token);
  if (!customer) return fail(EXPIRED_LINK);
  const now = deps.clock.now();
  const link = signChatLink(deps.links, customer.id, new Date(now.getTime() + CHAT_LINK_MINUTES * 60_000));
  return handleInbound(deps, { channel: 'web', from: { webSessionId: input.sessionId }, text: input.text, link }, 'customer:chat-page');
}
