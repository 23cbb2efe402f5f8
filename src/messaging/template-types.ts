import type { Channel } from '../db/schema.js';
import type { CompiledText } from './template-syntax.js';

/** The locales every template must be written in (the customer schema's locales). */
export const TEMPLATE_LOCALES = ['zh-CN', 'en'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/** The text fields a template writes per channel; the channel layout builds the message around them. */
export const CHANNEL_FIELDS: Readonly<Record<Channel, readonly string[]>> = {
  sms: ['text'],
  email: ['subject', 'body'],
  push: ['title', 'body'],
  wechat: ['first', 'remark'],
  app: ['title', 'body'],
  voice: ['speech'],
};

/**
 * Fixed wording per locale that every message of a channel carries, whatever the template says: the
 * sender, the opt-out, the voice menu, the AI mark. Kept out of templates so that none can drop them.
 */
export const LOCALE_PARTS = ['smsPrefix', 'smsOptOut', 'emailFooter', 'emailUnsubscribe', 'voiceLanguage', 'voiceMenu', 'voiceIdentity', 'voiceAccountHolder', 'aiMark'] as const;
export type LocaleParts = Readonly<Record<(typeof LOCALE_PARTS)[number], string>>;

export type CompiledFields = Readonly<Record<string, CompiledText>>;

export interface CompiledTemplate {
  id: string;
  channel: Channel;
  /** Bumped whenever the wording changes; recorded with every message rendered from it. */
  version: number;
  defaultVariant: string;
  /** Variant id → locale → compiled fields. */
  variants: ReadonlyMap<string, ReadonlyMap<string, CompiledFields>>;
  /** WeChat only: the template id registered with the official account. */
  platformTemplateId?: string;
  /** Where it was defined, for error messages. */
  file: string;
}

/** A policy-facing id bound to one template in one locale (the shipped policy names templates so). */
export interface TemplateAlias {
  id: string;
  template: string;
  locale: TemplateLocale;
}

export interface TemplateSet {
  templates: ReadonlyMap<string, CompiledTemplate>;
  aliases: ReadonlyMap<string, TemplateAlias>;
  /** The template used for a channel when a message names none (e.g. a blocked contact's record). */
  fallbacks: ReadonlyMap<Channel, string>;
  parts: ReadonlyMap<string, LocaleParts>;
}
