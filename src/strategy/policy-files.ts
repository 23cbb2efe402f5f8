import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { DEFAULT_POLICY_FILE, DEFAULT_TEMPLATES_FILE } from './load-policy-file.js';
import type { TemplateEntry } from './policy-checks.js';

/** The configured policy file, or the shipped demo policy; absolute, so logs name it unambiguously. */
export function resolvePolicyFile(policyFile?: string): string {
  return policyFile ? resolve(policyFile) : resolve(packageRoot(), DEFAULT_POLICY_FILE);
}

/** The template catalogue every policy is checked against; read once at boot (a broken one stops boot). */
export function readTemplateCatalogue(templatesFile?: string): TemplateEntry[] {
  const file = templatesFile ? resolve(templatesFile) : resolve(packageRoot(), DEFAULT_TEMPLATES_FILE);
  return JSON.parse(readFileSync(file, 'utf8')) as TemplateEntry[];
}
