import { type Selectable, sql } from 'kysely';
import { type Result, fail, invalid, ok } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { ModelKind, ModelVersionsTable } from '../../db/schema.js';
import { type GbmModel, type LogisticModel, gbmFromJson, gbmToJson, logisticToJson } from '../models/index.js';
import type { FeatureSet } from './feature-table.js';
import { RESPONSE_FEATURES } from './response-features.js';
import { RISK_FEATURES } from './risk-features.js';

export type ModelVersionRow = Selectable<ModelVersionsTable>;
export type ModelVersionSummary = Omit<ModelVersionRow, 'model'>;

export const MODEL_KINDS: readonly ModelKind[] = ['response', 'risk'];
export const FEATURE_SETS: Record<ModelKind, FeatureSet> = { response: RESPONSE_FEATURES, risk: RISK_FEATURES };

// Versions of one kind are numbered and promoted one process at a time.
const VERSION_LOCK_KEY = 7_261_007;

/** A stored version ready to score: the trees, and the feature set they were trained on. */
export interface LoadedModel {
  id: string;
  kind: ModelKind;
  version: number;
  gbm: GbmModel;
  features: FeatureSet;
}

/** The `model` column: both fitted models, named by the feature set that produced their inputs. */
export function modelDocument(features: FeatureSet, gbm: GbmModel, logistic: LogisticModel): Record<string, unknown> {
  return { featureSet: features.id, gbm: gbmToJson(gbm), logistic: logisticToJson(logistic) };
}

/** Checks a stored document as fully as the trainer's output: a corrupt or foreign model is an error value. */
export function loadModel(row: Pick<ModelVersionRow, 'id' | 'kind' | 'version' | 'model'>): Result<LoadedModel> {
  const features = FEATURE_SETS[row.kind];
  const document = row.model as { featureSet?: unknown; gbm?: unknown } | null;
  if (typeof document !== 'object' || document === null) return fail(invalid([{ field: 'model', reason: 'is not a JSON object' }]));
  if (document.featureSet !== features.id) {
    return fail(invalid([{ field: 'model.featureSet', reason: `expected ${JSON.stringify(features.id)}, got ${JSON.stringify(document.featureSet)}` }], `unknown feature set ${JSON.stringify(document.featureSet)} for a ${row.kind} model`));
  }
  const gbm = gbmFromJson(document.gbm);
  if (!gbm.ok) return gbm;
  return ok({ id: row.id, kind: row.kind, version: row.version, gbm: gbm.value, features });
}

export async function championRow(db: Db, kind: ModelKind): Promise<ModelVersionRow | undefined> {
  return db.selectFrom('model_versions').selectAll().where('kind', '=', kind).where('role', '=', 'champion').executeTakeFirst();
}

/** The champion of each kind, id only: cheap enough to poll, so a process notices another's promotion. */
export async function championIds(db: Db): Promise<Map<ModelKind, string>> {
  const rows = await db.selectFrom('model_versions').select(['kind', 'id']).where('role', '=', 'champion').execute();
  return new Map(rows.map((r) => [r.kind, r.id]));
}

export async function listModelVersions(db: Db, kind?: ModelKind, limit = 200): Promise<ModelVersionSummary[]> {
  let query = db
    .selectFrom('model_versions')
    .select(['id', 'kind', 'version', 'created_at', 'trained_from', 'trained_to', 'rows', 'metrics', 'role', 'promoted_at'])
    .orderBy('created_at', 'desc')
    .orderBy('kind')
    .orderBy('version', 'desc')
    .limit(limit);
  if (kind) query = query.where('kind', '=', kind);
  return query.execute();
}

/** When the newest version of any kind was stored: what scheduled retraining counts its interval from. */
export async function newestVersionAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('model_versions').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

export interface NewVersion {
  kind: ModelKind;
  now: Date;
  trainedFrom: Date | null;
  trainedTo: Date | null;
  rows: number;
  metrics: Record<string, unknown>;
  model: Record<string, unknown>;
  /** Promote only if the champion is still the one the challenger was compared with (undefined: none). */
  promoteOver: { championId: string | undefined } | undefined;
}

/**
 * Stores a version as the kind's challenger (earlier challengers retire), or as its champion (the old
 * champion retires). If another process changed the champion since the comparison, the new version
 * stays a challenger: it was never measured against the model now in force.
 */
export async function storeVersion(db: Db, input: NewVersion): Promise<{ row: ModelVersionSummary; promoted: boolean }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${VERSION_LOCK_KEY}, ${MODEL_KINDS.indexOf(input.kind)})`.execute(trx);
    const current = await trx.selectFrom('model_versions').select('id').where('kind', '=', input.kind).where('role', '=', 'champion').executeTakeFirst();
    const promoted = input.promoteOver !== undefined && input.promoteOver.championId === current?.id;
    const top = await trx.selectFrom('model_versions').select((eb) => eb.fn.max('version').as('max')).where('kind', '=', input.kind).executeTakeFirst();
    await trx.updateTable('model_versions').set({ role: 'retired' }).where('kind', '=', input.kind).where('role', '=', promoted ? 'champion' : 'challenger').execute();
    if (promoted) await trx.updateTable('model_versions').set({ role: 'retired' }).where('kind', '=', input.kind).where('role', '=', 'challenger').execute();
    const row = await trx
      .insertInto('model_versions')
      .values({
        kind: input.kind,
        version: Number(top?.max ?? 0) + 1,
        created_at: input.now,
        trained_from: input.trainedFrom,
        trained_to: input.trainedTo,
        rows: input.rows,
        metrics: JSON.stringify(input.metrics),
        model: JSON.stringify(input.model),
        role: promoted ? 'champion' : 'challenger',
        promoted_at: promoted ? input.now : null,
      })
      .returning(['id', 'kind', 'version', 'created_at', 'trained_from', 'trained_to', 'rows', 'metrics', 'role', 'promoted_at'])
      .executeTakeFirstOrThrow();
    return { row, promoted };
  });
}

/** A version as the API shows it: everything but the model itself, which is large and of no use to a reader. */
export interface ModelVersionView {
  id: string;
  kind: ModelKind;
  version: number;
  role: ModelVersionRow['role'];
  createdAt: string;
  promotedAt: string | null;
  trainedFrom: string | null;
  trainedTo: string | null;
  rows: number;
  metrics: Record<string, unknown>;
}

export async function modelVersionsView(db: Db, kind?: ModelKind): Promise<ModelVersionView[]> {
  const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);
  return (await listModelVersions(db, kind)).map((row) => ({
    id: row.id,
    kind: row.kind,
    version: row.version,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    promotedAt: iso(row.promoted_at),
    trainedFrom: iso(row.trained_from),
    trainedTo: iso(row.trained_to),
    rows: row.rows,
    metrics: row.metrics,
  }));
}
