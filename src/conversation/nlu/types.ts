/** What the assistant understands of one message. The shape is the `POST /v1/nlu/parse` answer. */

export const NLU_LOCALES = ['zh-CN', 'en'] as const;
export type NluLocale = (typeof NLU_LOCALES)[number];

/** The intents of CONTRACT.md ("Assistant intents"); `out_of_scope` when nothing fits well enough. */
export const INTENTS = [
  'check_balance',
  'payment_link',
  'already_paid',
  'installment_options',
  'request_extension',
  'promise_to_pay',
  'early_repayment',
  'dispute',
  'complaint',
  'human_agent',
  'unsubscribe',
  'fees_and_interest',
  'credit_impact',
  'debt_restructuring',
  'greeting',
  'thanks',
  'goodbye',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

/** A calendar day in the customer's zone, as it was written and as resolved against `now`. */
export interface DateEntity {
  text: string;
  /** YYYY-MM-DD in the timezone the message was parsed in. */
  date: string;
  relative: boolean;
}

/** An amount of money, exact: `value` is a decimal string in major units ("1280.50"). */
export interface AmountEntity {
  text: string;
  value: string;
  /** ISO 4217 when the text says it (¥, 元, $, USD…); null when it is a bare number. */
  currency: string | null;
}

export interface InstalmentEntity {
  text: string;
  count: number;
}

export interface NluEntities {
  dates: DateEntity[];
  amounts: AmountEntity[];
  instalments: InstalmentEntity[];
}

export type SentimentLabel = 'angry' | 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** Polarity from -1 (very negative) to 1 (very positive). */
  score: number;
  /** From 0 to 1: how strongly the message reads as angry (insults, threats, shouting). */
  anger: number;
}

export interface NluResult {
  intent: Intent;
  /** The classifier's confidence in `intent`, from 0 to 1. */
  confidence: number;
  locale: NluLocale;
  entities: NluEntities;
  sentiment: Sentiment;
}

export interface ParseOptions {
  /** Detected from the text when absent (Han characters mean zh-CN). */
  locale?: NluLocale;
  /** The instant relative dates are resolved against: the injected clock's now, never the wall clock. */
  now: Date;
  /** IANA zone the customer lives in; relative dates are days in this zone. */
  timezone: string;
}
