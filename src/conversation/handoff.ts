import { type AssistantMessage, message } from './assistant-message.js';
import type { FlowContext } from './flow-context.js';
import { recordConversationEvents } from './conversation-events.js';

/** Why a conversation went to a person; shown in the agents' queue. */
export type HandoffReason =
  | 'human_agent' | 'complaint' | 'debt_restructuring' | 'anger' | 'not_understood' | 'dispute'
  | 'instalment_plan_chosen' | 'grace_needs_agent'
  // The compliance gate refused what the bot was about to say: a person answers instead.
  | 'reply_blocked';

/**
 * Puts the conversation in the agents' queue at once. From here the bot says nothing more in it
 * until an agent hands it back; the debtor's messages are still recorded for the agent to read.
 */
export async function handOff(ctx: FlowContext, reason: HandoffReason, extra: Record<string, unknown> = {}): Promise<AssistantMessage[]> {
  const s = ctx.session;
  s.handoffState = 'queued';
  s.handoffReason = reason;
  s.handoffAt = ctx.now;
  s.agent = null;
  await recordConversationEvents(ctx.deps.db, ctx.customer.id, ctx.now, [
    { kind: 'handoff.requested', channel: ctx.deliveryChannel, payload: { reason, surface: ctx.channel, lastIntents: s.lastIntents, flow: s.flow, ...extra } },
  ]);
  return [message('handoff', ctx.texts.handoff)];
}
