import type { Result } from '../../core/errors.js';
import { type Cell, type ColumnSpec, type Dataset, buildFeatures } from '../models/index.js';

/** One row of features by name, as the trainer builds it from history and the planner from a case. */
export type FeatureRecord = Record<string, Cell>;

/** The columns a model kind is trained on; kinds are fixed, so a string in a numeric feature is refused. */
export interface FeatureSet {
  /** Stored with each version, so a model is never scored with features computed another way. */
  id: string;
  columns: readonly (ColumnSpec & { kind: 'numeric' | 'categorical' })[];
}

/**
 * Records to the column-major dataset the trainers read, through the same cell parsing as a CSV: a
 * cell of the wrong type is named (feature, row and value) rather than silently read as missing.
 */
export function datasetFromRecords(records: readonly FeatureRecord[], set: FeatureSet): Result<Dataset> {
  const header = set.columns.map((c) => c.name);
  const rows = records.map((record) => header.map((name) => record[name]));
  return buildFeatures({ header, rows }, set.columns);
}
