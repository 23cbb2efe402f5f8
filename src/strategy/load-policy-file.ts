import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { loadPolicy, type CompiledPolicy } from './load-policy.js';
import type { TemplateEntry } from './policy-checks.js';

export const DEFAULT_POLICY_FILE = 'data/policies/default.yaml';
export const DEFAULT_TEMPLATES_FILE = 'data/policies/default-templates.json';

/** Reads and compiles a policy file; throws with the file, path and reason so that boot stops. */
export function loadPolicyFile(policyFile?: string, templatesFile?: string): CompiledPolicy {
  const file = policyFile ? resolve(policyFile) : resolve(packageRoot(), DEFAULT_POLICY_FILE);
  const templates = JSON.parse(readFileSync(templatesFile ? resolve(templatesFile) : resolve(packageRoot(), DEFAULT_TEMPLATES_FILE), 'utf8')) as TemplateEntry[];
  const compiled = loadPolicy(readFileSync(file, 'utf8'), { file, templates });
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value;
}
