import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './cli.js';
import type { Harness } from './harness.js';

/** The shipped policy without its control group, plus the assistant's grace limits when asked for. */
export function assistantPolicy(grace?: { maxDays: number; maxGrants: number; windowDays: number; stages?: string[] }): string {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'data', 'policies', 'default.yaml'), 'utf8');
  let changed = text.replace(/controlGroup: \{ share: [\d.]+/, 'controlGroup: { share: 0');
  if (changed === text) throw new Error('the default policy no longer has the controlGroup line this helper edits');
  if (grace) changed += `\nassistant:\n  grace: ${JSON.stringify(grace)}\n`;
  const file = join(tempDir(), 'policy.yaml');
  writeFileSync(file, changed);
  return file;
}

export interface Debtor {
  id: string;
  externalId: string;
}

export async function createDebtor(
  h: Harness,
  externalId: string,
  options: { locale?: 'en' | 'zh-CN'; timezone?: string; identities?: Record<string, string>; attributes?: Record<string, unknown>; name?: string; consents?: Record<string, boolean> } = {},
): Promise<Debtor> {
  const response = await h.call('POST', '/v1/customers', {
    externalId, name: options.name ?? `Debtor ${externalId}`, locale: options.locale ?? 'en', timezone: options.timezone ?? 'America/New_York',
    identities: options.identities ?? {}, consents: options.consents ?? { sms: true, email: true, app: true, wechat: true, voice: true }, attributes: options.attributes ?? {},
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id as string, externalId };
}

export async function createBill(h: Harness, customerExternalId: string, externalId: string, amount: string, currency: string, dueAt: string): Promise<string> {
  const response = await h.call('POST', '/v1/receivables', { externalId, customerExternalId, kind: 'bill', amount, currency, dueAt });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

export interface InboundResult {
  status: number;
  customerId: string | null;
  handledAs: string;
  replies: Array<Record<string, any> & { kind: string; text: string; channel: string }>;
  body: any;
}

export async function say(h: Harness, channel: string, from: Record<string, string>, text: string, link?: string): Promise<InboundResult> {
  const response = await h.call('POST', '/v1/inbound', { channel, from, text, ...(link ? { link } : {}) });
  return { status: response.status, customerId: response.body?.customerId ?? null, handledAs: response.body?.handledAs, replies: response.body?.replies ?? [], body: response.body };
}

export function kinds(result: InboundResult): string[] {
  return result.replies.map((r) => r.kind);
}

export function allText(result: InboundResult): string {
  return JSON.stringify(result.replies);
}
