import type { Channel } from '../db/schema.js';
import type { MessageContent } from '../delivery/provider.js';
import type { ModelWriter } from './model-writer.js';
import { MAIN_FIELD, type MessageRenderer, type PreparedMessage, type RenderRequest } from './render-message.js';

/**
 * A reminder worded by the language model when one is configured, and by the template otherwise or
 * whenever the model's text cannot be trusted: an error, a non-2xx answer, garbage, no answer within
 * the budget, a changed fact, or a compliance block all give the template's message instead.
 */

/** The compliance gate as the writer needs it: may this content go out on this channel? */
export type GateVerdict = { allowed: boolean; reason?: string | undefined };
export type ContentGate = (content: MessageContent, target: { channel: Channel; locale: string }) => GateVerdict | Promise<GateVerdict>;

export interface WriteDeps {
  renderer: MessageRenderer;
  gate: ContentGate;
  /** Absent when no model is configured (the default): the template's message is used as is. */
  writer?: ModelWriter | undefined;
  /** The whole model round trip, answer included; the template is used past it. */
  budgetMs?: number;
}

export type WrittenMessage = { content: MessageContent; source: 'model' } | { content: MessageContent; source: 'template'; fallback?: string };

export const MODEL_BUDGET_MS = 2000;

const URL_PATTERN = /https?:\/\/[^\s<>"'）」】]+/g;
// A number as written, separators included: "1,280.50" is one number, so "50" alone is a new one.
const NUMBERS = /\d(?:[\d,.]*\d)?/g;

/** The facts of the message that a rewrite must carry verbatim: every one the template put in the text. */
export function factsOf(prepared: PreparedMessage, text: string): string[] {
  const v = prepared.layout.values;
  const candidates = [v.amount, ...v.amounts.split(prepared.layout.locale === 'zh-CN' ? '、' : ', '), v.dueDate, v.daysPastDue, v.payLink, v.instalmentAmount];
  return [...new Set(candidates.filter((f): f is string => f !== undefined && text.includes(f)))];
}

/** Why a rewrite may not replace the original, or undefined when it keeps every fact and adds none. */
export function rewriteProblem(original: string, rewrite: string, facts: readonly string[]): string | undefined {
  const lost = facts.find((f) => !rewrite.includes(f));
  if (lost !== undefined) return `the rewrite dropped or changed ${JSON.stringify(lost)}`;
  const allowedUrls = new Set(original.match(URL_PATTERN) ?? []);
  const foreignUrl = (rewrite.match(URL_PATTERN) ?? []).find((u) => !allowedUrls.has(u));
  if (foreignUrl) return `the rewrite added a link ${JSON.stringify(foreignUrl)}`;
  const numbersIn = (text: string) => text.replace(URL_PATTERN, ' ').match(NUMBERS) ?? [];
  const numbers = new Set(numbersIn(original));
  const newNumber = numbersIn(rewrite).find((n) => !numbers.has(n));
  if (newNumber) return `the rewrite added the number ${newNumber}`;
  if (rewrite.includes('{{') || rewrite.length > Math.max(2 * original.length, original.length + 200)) return 'the rewrite is not a message of the same size';
  return undefined;
}

function toneOf(variant: string): string {
  return variant.split('-')[0] ?? 'neutral';
}

async function askModel(writer: ModelWriter, prepared: PreparedMessage, original: string, facts: string[], budgetMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  try {
    return await writer.rewrite({ text: original, locale: prepared.layout.locale, tone: toneOf(prepared.layout.rendering.variant), facts }, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

export async function writeMessage(deps: WriteDeps, request: RenderRequest): Promise<WrittenMessage> {
  const prepared = deps.renderer.prepare(request);
  const channel = prepared.layout.channel;
  const original = prepared.fields[MAIN_FIELD[channel]]!;
  const template = deps.renderer.relayout(prepared, original, false);
  if (!deps.writer) return { content: template, source: 'template' };
  const fallback = (reason: string): WrittenMessage => ({ content: template, source: 'template', fallback: reason });
  const facts = factsOf(prepared, original);
  const answer = await askModel(deps.writer, prepared, original, facts, deps.budgetMs ?? MODEL_BUDGET_MS);
  if (!answer.ok) return fallback(answer.reason);
  const problem = rewriteProblem(original, answer.text, facts);
  if (problem) return fallback(problem);
  const content = deps.renderer.relayout(prepared, answer.text, true);
  try {
    const verdict = await deps.gate(content, { channel, locale: prepared.layout.locale });
    if (!verdict.allowed) return fallback(`compliance gate: ${verdict.reason ?? 'blocked'}`);
  } catch (error) {
    return fallback(`compliance gate failed: ${(error as Error).message}`);
  }
  return { content, source: 'model' };
}
