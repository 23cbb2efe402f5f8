import type { PackDefinition } from '../rule-kit.js';
import { cnCollection } from './cn-collection.js';
import { gdpr } from './gdpr.js';
import { usRegF } from './us-reg-f.js';

export { CN_COLLECTION_RULES } from './cn-collection.js';
export { GDPR_RULES } from './gdpr.js';
export { RECOUP_RULES, recoupDefaults } from './recoup-defaults.js';
export { US_REG_F_RULES } from './us-reg-f.js';

/** The packs a policy may switch on, by id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PACKS: ReadonlyMap<string, PackDefinition<any>> = new Map<string, PackDefinition<any>>([
  [usRegF.id, usRegF],
  [cnCollection.id, cnCollection],
  [gdpr.id, gdpr],
]);
