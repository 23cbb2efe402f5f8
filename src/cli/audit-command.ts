import { UsageError } from './usage-error.js';

/** Slot: `recoup audit` is being built in this session. */
export async function runAudit(_args: string[]): Promise<number> {
  throw new UsageError('audit is not available yet');
}
