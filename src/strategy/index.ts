/** The strategy layer: what is allowed, when, on which channel, with which templates. Pure and clock-free. */
export { loadPolicy, type CompiledPolicy, type LoadOptions } from './load-policy.js';
export type { Evaluation, Skipped } from './evaluate.js';
export type { TemplateEntry } from './policy-checks.js';
export type { PolicyDocument } from './policy-schema.js';
export { POLICY_RULES, inControlGroup } from './policy-rules.js';
export { CN_COLLECTION_RULES, GDPR_RULES, RECOUP_RULES, US_REG_F_RULES } from './packs/index.js';
export * from './types.js';
