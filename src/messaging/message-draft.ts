import type { CaseStage, Channel } from '../db/schema.js';
import type { RenderRequest } from './render-message.js';

/**
 * What a reminder was to say, kept with a planned attempt when a language model words messages at
 * send time (src/messaging/write-message.ts): the template, its wording and the facts, in JSON.
 * Amounts travel as integer strings and instants as ISO strings, so nothing is lost on the way.
 */
export interface MessageDraft {
  channel: Channel;
  stage: CaseStage;
  templateId: string | null;
  variant: string | null;
  locale: string;
  timezone: string;
  name: string | null;
  now: string;
  items: Array<{ amountMinor: string; currency: string; dueAt: string }>;
  /** Absent from the planner's drafts: delivery signs the links when it sends (src/delivery/send-content.ts). */
  payLink?: string | null;
  unsubscribeUrl?: string | null;
  slowSpeech?: boolean;
}

export function toDraft(request: RenderRequest): MessageDraft {
  return {
    channel: request.channel,
    stage: request.stage,
    templateId: request.templateId ?? null,
    variant: request.variant ?? null,
    locale: request.locale,
    timezone: request.timezone,
    name: request.name ?? null,
    now: request.now.toISOString(),
    items: request.items.map((i) => ({ amountMinor: i.amountMinor.toString(), currency: i.currency, dueAt: i.dueAt.toISOString() })),
    // Only when present: a planned draft has none of them, and each key is stored with every attempt.
    ...(request.payLink ? { payLink: request.payLink } : {}),
    ...(request.unsubscribeUrl ? { unsubscribeUrl: request.unsubscribeUrl } : {}),
    ...(request.slowSpeech ? { slowSpeech: true } : {}),
  };
}

export function fromDraft(draft: MessageDraft): RenderRequest {
  return {
    channel: draft.channel,
    stage: draft.stage,
    templateId: draft.templateId,
    variant: draft.variant ?? undefined,
    locale: draft.locale,
    timezone: draft.timezone,
    name: draft.name,
    now: new Date(draft.now),
    items: draft.items.map((i) => ({ amountMinor: BigInt(i.amountMinor), currency: i.currency, dueAt: new Date(i.dueAt) })),
    payLink: draft.payLink ?? undefined,
    unsubscribeUrl: draft.unsubscribeUrl ?? undefined,
    slowSpeech: draft.slowSpeech ?? false,
  };
}
