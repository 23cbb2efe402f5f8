import { type FieldError, type Result, fail, invalid, ok } from '../../core/errors.js';

/**
 * A column-major table of features. Numeric cells are doubles with NaN for missing; categorical cells
 * are codes into `levels` with -1 for missing, so that the trainers never touch strings in a hot loop.
 */
export type Column =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; codes: Int32Array; levels: string[] };

export interface Dataset {
  rows: number;
  columns: Column[];
}

export interface LabelledDataset extends Dataset {
  /** 1 for the positive outcome (paid, defaulted), 0 otherwise. */
  target: Uint8Array;
}

export type ColumnKind = 'numeric' | 'categorical' | 'auto';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

/** A cell as it comes from a CSV file or a JSON record. */
export type Cell = string | number | null | undefined;

export interface TableInput {
  header: string[];
  rows: Cell[][];
}

const MAX_BAD_CELLS_REPORTED = 3;

function isMissing(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '') || (typeof cell === 'number' && Number.isNaN(cell));
}

function toNumber(cell: Cell): number {
  if (typeof cell === 'number') return cell;
  return Number(String(cell).trim());
}

/** Every present cell parses as a finite number; a column of nothing but blanks stays categorical. */
function looksNumeric(rows: Cell[][], index: number): boolean {
  let seen = false;
  for (const row of rows) {
    const cell = row[index];
    if (isMissing(cell)) continue;
    if (!Number.isFinite(toNumber(cell))) return false;
    seen = true;
  }
  return seen;
}

function buildNumeric(name: string, rows: Cell[][], index: number): Result<Column> {
  const values = new Float64Array(rows.length);
  const bad: FieldError[] = [];
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r]![index];
    if (isMissing(cell)) {
      values[r] = Number.NaN;
      continue;
    }
    const value = toNumber(cell);
    if (Number.isFinite(value)) values[r] = value;
    else if (bad.length < MAX_BAD_CELLS_REPORTED) bad.push({ field: name, reason: `row ${r + 1}: ${JSON.stringify(cell)} is not a number` });
  }
  if (bad.length > 0) return fail(invalid(bad, `column ${JSON.stringify(name)} must be numeric: ${bad.map((b) => b.reason).join('; ')}`));
  return ok({ name, kind: 'numeric', values });
}

function buildCategorical(name: string, rows: Cell[][], index: number): Column {
  const codes = new Int32Array(rows.length);
  const levels: string[] = [];
  const codeOf = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r]![index];
    if (isMissing(cell)) {
      codes[r] = -1;
      continue;
    }
    const text = String(cell).trim();
    let code = codeOf.get(text);
    if (code === undefined) {
      code = levels.length;
      levels.push(text);
      codeOf.set(text, code);
    }
    codes[r] = code;
  }
  return { name, kind: 'categorical', codes, levels };
}

/** Names every required column that the header lacks, in one error. */
export function checkColumns(header: readonly string[], required: readonly string[]): Result<true> {
  const present = new Set(header.map((h) => h.trim()));
  const missing = required.filter((name) => !present.has(name));
  if (missing.length === 0) return ok(true);
  return fail(
    invalid(
      missing.map((field) => ({ field, reason: 'column is missing' })),
      `missing column${missing.length > 1 ? 's' : ''}: ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
    ),
  );
}

/** Builds the feature columns named in `specs`, inferring `auto` kinds from the cells. */
export function buildFeatures(table: TableInput, specs: readonly ColumnSpec[]): Result<Dataset> {
  const header = table.header.map((h) => h.trim());
  const present = checkColumns(header, specs.map((s) => s.name));
  if (!present.ok) return present;
  const columns: Column[] = [];
  for (const spec of specs) {
    const index = header.indexOf(spec.name);
    const numeric = spec.kind === 'numeric' || (spec.kind === 'auto' && looksNumeric(table.rows, index));
    if (!numeric) {
      columns.push(buildCategorical(spec.name, table.rows, index));
      continue;
    }
    const column = buildNumeric(spec.name, table.rows, index);
    if (!column.ok) return column;
    columns.push(column.value);
  }
  return ok({ rows: table.rows.length, columns });
}

export interface TargetSpec {
  name: string;
  /** The cell values that mean the positive outcome, e.g. ["yes"] or ["1"]. */
  positive: readonly string[];
  negative: readonly string[];
}

/** Reads a binary target; an unknown or blank label is an error, not a silent negative. */
export function buildTarget(table: TableInput, spec: TargetSpec): Result<Uint8Array> {
  const header = table.header.map((h) => h.trim());
  const present = checkColumns(header, [spec.name]);
  if (!present.ok) return present;
  const index = header.indexOf(spec.name);
  const target = new Uint8Array(table.rows.length);
  const bad: string[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const text = String(table.rows[r]![index] ?? '').trim();
    if (spec.positive.includes(text)) target[r] = 1;
    else if (!spec.negative.includes(text) && bad.length < MAX_BAD_CELLS_REPORTED) bad.push(`row ${r + 1}: ${JSON.stringify(text)}`);
  }
  if (bad.length === 0) return ok(target);
  const expected = [...spec.positive, ...spec.negative].map((v) => JSON.stringify(v)).join(' or ');
  return fail(invalid([{ field: spec.name, reason: `expected ${expected}` }], `target column ${JSON.stringify(spec.name)} must be ${expected}: ${bad.join('; ')}`));
}

/** The rows at `indices`, in that order: how splits and validation sets are cut. */
export function selectRows<T extends Dataset>(data: T, indices: ArrayLike<number>): T {
  const n = indices.length;
  const columns = data.columns.map((column): Column => {
    if (column.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[indices[i]!]!;
      return { ...column, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[indices[i]!]!;
    return { ...column, codes };
  });
  const picked: Dataset & { target?: Uint8Array } = { ...data, rows: n, columns };
  if ('target' in data && data.target instanceof Uint8Array) {
    const target = new Uint8Array(n);
    for (let i = 0; i < n; i++) target[i] = data.target[indices[i]!]!;
    picked.target = target;
  }
  return picked as T;
}

/** Lengths agree and the target is 0/1: checked once at the door of every trainer. */
export function checkShape(data: LabelledDataset): Result<true> {
  const details: FieldError[] = [];
  if (data.target.length !== data.rows) details.push({ field: 'target', reason: `has ${data.target.length} values for ${data.rows} rows` });
  for (const column of data.columns) {
    const length = column.kind === 'numeric' ? column.values.length : column.codes.length;
    if (length !== data.rows) details.push({ field: column.name, reason: `has ${length} values for ${data.rows} rows` });
  }
  if (data.columns.length === 0) details.push({ field: 'columns', reason: 'no feature columns' });
  return details.length === 0 ? ok(true) : fail(invalid(details));
}

/** Counts of each class: trainers refuse a single class or too few rows with this in the message. */
export function countClasses(target: Uint8Array): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < target.length; i++) positives += target[i]!;
  return { positives, negatives: target.length - positives };
}

/** The common refusal of every trainer: enough rows, and both outcomes present. */
export function checkTrainable(data: LabelledDataset, minRows: number): Result<true> {
  const shape = checkShape(data);
  if (!shape.ok) return shape;
  if (data.rows < minRows) {
    return fail(invalid([{ field: 'rows', reason: `need at least ${minRows}, got ${data.rows}` }], `too little data: need at least ${minRows} rows to train, got ${data.rows}`));
  }
  const { positives, negatives } = countClasses(data.target);
  if (positives === 0 || negatives === 0) {
    const only = positives === 0 ? 'negative (0)' : 'positive (1)';
    return fail(invalid([{ field: 'target', reason: `only ${only} outcomes` }], `a single class: every row is ${only}; training needs both outcomes`));
  }
  return ok(true);
}
