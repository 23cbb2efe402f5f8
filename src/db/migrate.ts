import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as foundation from './migrations/0001-foundation.js';
import * as delivery from './migrations/0002-delivery.js';
import * as owedIndex from './migrations/0003-owed-receivables-index.js';
import * as attemptsByCustomer from './migrations/0004-attempts-by-customer.js';
import * as holds from './migrations/0005-holds.js';
import * as policyVersions from './migrations/0006-policy-versions.js';
import * as modelVersions from './migrations/0007-model-versions.js';
import * as messageTemplates from './migrations/0008-message-templates.js';
import * as retention from './migrations/0009-retention.js';
import * as conversations from './migrations/0010-conversations.js';
import * as analytics from './migrations/0011-analytics.js';
import * as decisionOutcomes from './migrations/0012-decision-outcomes.js';
import * as outcomeVariants from './migrations/0013-outcome-variants.js';
import * as kpiRollup from './migrations/0014-kpi-rollup.js';
import * as jobs from './migrations/0015-jobs.js';
import * as outcomeSendHours from './migrations/0016-outcome-send-hours.js';
import * as timeOrderedIds from './migrations/0017-time-ordered-ids.js';
import * as decisionReasons from './migrations/0018-decision-reasons.js';
import * as attemptsWithoutCustomerFk from './migrations/0019-attempts-without-customer-fk.js';

/** Migrations are imported, not read from disk, so they work the same from sources, dist and tests. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-delivery': delivery,
  '0003-owed-receivables-index': owedIndex,
  '0004-attempts-by-customer': attemptsByCustomer,
  '0005-holds': holds,
  '0006-policy-versions': policyVersions,
  '0007-model-versions': modelVersions,
  '0008-message-templates': messageTemplates,
  '0009-retention': retention,
  '0010-conversations': conversations,
  '0011-analytics': analytics,
  '0012-decision-outcomes': decisionOutcomes,
  '0013-outcome-variants': outcomeVariants,
  '0014-kpi-rollup': kpiRollup,
  '0015-jobs': jobs,
  '0016-outcome-send-hours': outcomeSendHours,
  '0017-time-ordered-ids': timeOrderedIds,
  '0018-decision-reasons': decisionReasons,
  '0019-attempts-without-customer-fk': attemptsWithoutCustomerFk,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationOutcome {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'recoup_migrations', migrationLockTableName: 'recoup_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
