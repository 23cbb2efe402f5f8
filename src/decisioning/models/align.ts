import { type FieldError, type Result, fail, invalid, ok } from '../../core/errors.js';
import type { Column, Dataset } from './dataset.js';

/**
 * The data's columns in the order a model expects them, matched by name: a model is stored and
 * loaded later, and the data it scores need not list its columns in the training order. A missing
 * column or one of the wrong kind is named in the error.
 */
export function alignColumns(data: Dataset, expected: readonly { name: string; kind: Column['kind'] }[]): Result<Dataset> {
  const byName = new Map(data.columns.map((column) => [column.name, column]));
  const columns: Column[] = [];
  const missing: string[] = [];
  const wrongKind: FieldError[] = [];
  for (const feature of expected) {
    const column = byName.get(feature.name);
    if (!column) missing.push(feature.name);
    else if (column.kind !== feature.kind) wrongKind.push({ field: feature.name, reason: `must be ${feature.kind}, got ${column.kind}` });
    else columns.push(column);
  }
  if (missing.length > 0) {
    return fail(invalid(missing.map((field) => ({ field, reason: 'column is missing' })), `missing column${missing.length > 1 ? 's' : ''}: ${missing.map((m) => JSON.stringify(m)).join(', ')}`));
  }
  if (wrongKind.length > 0) return fail(invalid(wrongKind, `wrong column types: ${wrongKind.map((w) => `${w.field} ${w.reason}`).join('; ')}`));
  return ok({ rows: data.rows, columns });
}
