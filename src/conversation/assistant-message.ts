import type { AssistantLocale } from './assistant-texts.js';

/**
 * One thing the assistant says, before it is fitted to a channel: the words, and optionally a card of
 * figures, a link, and suggested answers (quick replies on app and web, keys on voice).
 */
export interface CardRow {
  label: string;
  value: string;
}

export interface Card {
  title: string;
  rows: CardRow[];
}

export interface QuickReply {
  label: string;
  /** The text sent back when chosen. */
  reply: string;
}

export interface AssistantMessage {
  /** What kind of answer this is (balance, plans, verify, handoff …), for clients and tests. */
  kind: string;
  text: string;
  cards?: Card[];
  link?: { url: string; label: string };
  quickReplies?: QuickReply[];
  /** A repayment-plan document offered on channels that carry files. */
  document?: { kind: 'repayment_plan'; periods: number; url: string };
  /** Machine-readable figures (decimal strings) for app and web clients. */
  data?: Record<string, unknown>;
}

export function message(kind: string, text: string, extra: Omit<AssistantMessage, 'kind' | 'text'> = {}): AssistantMessage {
  return { kind, text, ...extra };
}

export interface TurnContext {
  locale: AssistantLocale;
  timezone: string;
}
