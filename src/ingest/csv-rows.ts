import { type FieldError, type Result, fail, invalid, ok } from '../core/errors.js';
import { CHANNELS } from '../customers/customer-schema.js';
import type { ItemType } from './ingest-batch.js';

/** What a CSV file holds: one kind per file, so that its header can be checked before anything is written. */
export type ImportKind = 'customers' | 'receivables' | 'payments';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'receivables', 'payments'];

export const ITEM_TYPE_OF: Record<ImportKind, ItemType> = { customers: 'customer', receivables: 'receivable', payments: 'payment' };

const IDENTITY_COLUMNS = new Set(['phone', 'email', 'wechatOpenId', 'appUserId', 'idNumber']);
const CONSENT_PREFIX = 'consent_';
const ATTRIBUTE_PREFIX = 'attr_';

interface ColumnSpec {
  required: readonly string[];
  optional: readonly string[];
}

// The same names the JSON API takes, so that a CSV column and an API field never need translating.
const COLUMNS: Record<ImportKind, ColumnSpec> = {
  customers: {
    required: ['externalId'],
    optional: ['name', 'locale', 'timezone', ...IDENTITY_COLUMNS, ...CHANNELS.map((c) => `${CONSENT_PREFIX}${c}`)],
  },
  receivables: { required: ['externalId', 'customerExternalId', 'kind', 'amount', 'currency', 'dueAt'], optional: ['status'] },
  payments: { required: ['externalId', 'receivableExternalId', 'amount', 'paidAt'], optional: ['currency'] },
};

function isAttributeColumn(kind: ImportKind, name: string): boolean {
  return kind === 'customers' && name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length;
}

function knownColumns(kind: ImportKind): string {
  const spec = COLUMNS[kind];
  return [...spec.required, ...spec.optional, ...(kind === 'customers' ? [`${ATTRIBUTE_PREFIX}<name>`] : [])].join(', ');
}

/**
 * Checks a header row: every column known, none twice, every required one present. The message names
 * each offending column, because the whole file is refused over it.
 */
export function checkHeader(kind: ImportKind, header: string[], file: string): Result<string[]> {
  const spec = COLUMNS[kind];
  const known = new Set([...spec.required, ...spec.optional]);
  const details: FieldError[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') details.push({ field: `column ${i + 1}`, reason: 'has no name' });
    else if (seen.has(name)) {
      if (!details.some((d) => d.field === name)) details.push({ field: name, reason: 'appears more than once' });
    } else if (!known.has(name) && !isAttributeColumn(kind, name)) {
      details.push({ field: name, reason: `is not a known ${kind} column (known: ${knownColumns(kind)})` });
    }
    seen.add(name);
  });
  for (const name of spec.required) if (!seen.has(name)) details.push({ field: name, reason: 'is a required column and is missing' });
  if (details.length === 0) return ok(header);
  const summary = details.map((d) => `column ${JSON.stringify(d.field)} ${d.reason}`).join('; ');
  return fail(invalid(details, `${file}: the header is not valid for --kind ${kind}: ${summary}; nothing was imported`));
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

function parseConsent(value: string): boolean | undefined {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** A customer row becomes the nested shape POST /v1/customers takes. */
function customerData(columns: string[], cells: string[]): Result<Record<string, unknown>> {
  const data: Record<string, unknown> = {};
  const identities: Record<string, string> = {};
  const consents: Record<string, boolean> = {};
  const attributes: Record<string, string> = {};
  const errors: FieldError[] = [];
  columns.forEach((column, i) => {
    const value = cells[i];
    if (value === undefined || value === '') return;
    if (IDENTITY_COLUMNS.has(column)) identities[column] = value;
    else if (column.startsWith(CONSENT_PREFIX)) {
      const granted = parseConsent(value);
      if (granted === undefined) errors.push({ field: column, reason: `${JSON.stringify(value)} is not one of true, false, 1, 0, yes, no` });
      else consents[column.slice(CONSENT_PREFIX.length)] = granted;
    } else if (column.startsWith(ATTRIBUTE_PREFIX)) attributes[column.slice(ATTRIBUTE_PREFIX.length)] = value;
    else data[column] = value;
  });
  if (errors.length > 0) return fail(invalid(errors));
  if (Object.keys(identities).length > 0) data.identities = identities;
  if (Object.keys(consents).length > 0) data.consents = consents;
  if (Object.keys(attributes).length > 0) data.attributes = attributes;
  return ok(data);
}

/**
 * Maps one data row to the item data the API takes. An empty cell means "absent", so that a blank
 * column leaves the stored value alone instead of overwriting it. Amounts stay text: never a float.
 */
export function rowToData(kind: ImportKind, columns: string[], cells: string[]): Result<Record<string, unknown>> {
  if (cells.length !== columns.length) {
    return fail(invalid([{ field: '(row)', reason: `has ${cells.length} cell(s); the header has ${columns.length}` }]));
  }
  if (kind === 'customers') return customerData(columns, cells);
  const data: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = cells[i];
    if (value !== undefined && value !== '') data[column] = value;
  });
  return ok(data);
}

/** Turns an API field path back into the CSV column it came from: identities.phone is the phone column. */
export function fieldToColumn(field: string): string {
  const [head, ...rest] = field.split('.');
  const tail = rest.join('.');
  if (!tail) return field === '(body)' ? '(row)' : field;
  if (head === 'identities') return tail;
  if (head === 'consents') return `${CONSENT_PREFIX}${tail}`;
  if (head === 'attributes') return `${ATTRIBUTE_PREFIX}${tail}`;
  return field;
}
