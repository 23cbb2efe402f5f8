import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';

/** The shipped policy with the control group off: a test debtor drawn into it would get no reminders. */
export function policyWithoutControlGroup(): string {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'data', 'policies', 'default.yaml'), 'utf8');
  const changed = text.replace(/controlGroup: \{ share: [\d.]+/, 'controlGroup: { share: 0');
  if (changed === text) throw new Error('the default policy no longer has the controlGroup line this helper edits');
  const file = join(tempDir(), 'policy.yaml');
  writeFileSync(file, changed);
  return file;
}
