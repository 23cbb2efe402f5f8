import { hash } from 'node:crypto';

/**
 * The random control group: customers who follow the baseline schedule whatever the learning policy
 * thinks, so incremental recovery is measured against them rather than assumed.
 *
 * Assignment is a hash, not a draw: sha256(salt, id) mapped to [0, 1). The same customer lands in
 * the same group in every process, on every replay and after a restart, with nothing stored; a new
 * experiment gets a new salt and so an independent reshuffle.
 */

export interface ControlGroupConfig {
  /** Names the experiment; change it to draw a fresh, independent control group. */
  salt: string;
  /** Share of customers held out, 0.05 by default. */
  rate?: number;
}

export type Group = 'control' | 'policy';

export interface Assignment {
  group: Group;
  /** The customer's uniform number: kept so an analyst can re-derive the group at any rate. */
  uniform: number;
}

export const DEFAULT_CONTROL_RATE = 0.05;

/**
 * Uniform in [0, 1) from the first 53 bits of the digest: exactly the precision of a double, so every
 * representable value is equally likely and none rounds up to 1. The salt and id are length-prefixed
 * so ("ab", "c") and ("a", "bc") cannot collide.
 */
export function hashToUniform(salt: string, customerId: string): number {
  return hashToUniforms(salt, customerId, 1)[0]!;
}

/**
 * Up to four independent uniforms from one digest, one per 64-bit word (each its first 53 bits, as
 * above): a debtor's several draws of a day cost one hash instead of one each.
 */
export function hashToUniforms(salt: string, customerId: string, count: 1 | 2 | 3 | 4): number[] {
  // The one-shot hash: a Hash object per call was a visible share of planning a million debtors.
  const digest = hash('sha256', `${salt.length}:${salt}|${customerId}`, 'buffer');
  const uniforms: number[] = [];
  // The top 53 bits of each word without a BigInt: the high 32 bits, then the next 21.
  for (let i = 0; i < count; i++) uniforms.push((digest.readUInt32BE(8 * i) * 2 ** 21 + (digest.readUInt32BE(8 * i + 4) >>> 11)) / 2 ** 53);
  return uniforms;
}

export function assignGroup(customerId: string, config: ControlGroupConfig): Assignment {
  const rate = config.rate ?? DEFAULT_CONTROL_RATE;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`control rate must be in [0, 1], got ${rate}`);
  if (config.salt.length === 0) throw new RangeError('control group salt must not be empty: name the experiment');
  const uniform = hashToUniform(config.salt, customerId);
  return { group: uniform < rate ? 'control' : 'policy', uniform };
}

export function isInControlGroup(customerId: string, config: ControlGroupConfig): boolean {
  return assignGroup(customerId, config).group === 'control';
}
