import { UsageError } from './usage-error.js';

/** Slot: `recoup train` is being built in this session. */
export async function runTrain(_args: string[]): Promise<number> {
  throw new UsageError('train is not available yet');
}
