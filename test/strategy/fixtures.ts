import { readFileSync } from 'node:fs';
import { loadPolicy, type CompiledPolicy } from '../../src/strategy/index.js';
import type { TemplateEntry } from '../../src/strategy/index.js';
import type { EvaluationContext, ReceivableContext } from '../../src/strategy/types.js';

export const DEFAULT_FILE = 'data/policies/default.yaml';
export const defaultTemplates = JSON.parse(readFileSync('data/policies/default-templates.json', 'utf8')) as TemplateEntry[];

export function loadDefault(): CompiledPolicy {
  const result = loadPolicy(readFileSync(DEFAULT_FILE, 'utf8'), { file: DEFAULT_FILE, templates: defaultTemplates });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A tiny policy as JSON text, so each test states exactly the rules it exercises. */
export function policyFrom(doc: Record<string, unknown>, templates: TemplateEntry[] = ['t-sms', 't-voice', 't-email', 't-app']): CompiledPolicy {
  const result = loadPolicy(JSON.stringify({ id: 'test', version: 1, ...doc }), { file: 'test.json', templates });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

export const at = (iso: string): Date => new Date(iso);

export function bill(id: string, dueAt: string, extra: Partial<ReceivableContext> = {}): ReceivableContext {
  return { id, kind: 'bill', amountMinor: 10_000n, currency: 'USD', dueAt: at(dueAt), ...extra };
}

export type ContextOverrides = Partial<Omit<EvaluationContext, 'customer'>> & { customer?: Partial<EvaluationContext['customer']> };

export function context(now: string, overrides: ContextOverrides = {}): EvaluationContext {
  const { customer, ...rest } = overrides;
  return {
    now: at(now),
    customer: { id: 'c-1', timezone: 'America/New_York', locale: 'en', consents: {}, optedOut: [], ...customer },
    case: { stage: 'm1', daysPastDue: 10 },
    receivables: [bill('r-1', '2026-03-01T05:00:00Z')],
    history: { contacts: [] },
    ...rest,
  };
}
