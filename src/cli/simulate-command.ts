import { UsageError } from './usage-error.js';

/** Slot: `recoup simulate` is being built in this session. */
export async function runSimulate(_args: string[]): Promise<number> {
  throw new UsageError('simulate is not available yet');
}
