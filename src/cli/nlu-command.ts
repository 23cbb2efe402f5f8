import { UsageError } from './usage-error.js';

/** Slot: `recoup nlu` is being built in this session. */
export async function runNlu(_args: string[]): Promise<number> {
  throw new UsageError('nlu is not available yet');
}
