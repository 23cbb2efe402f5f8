import type { Column, LabelledDataset } from '../../src/decisioning/models/dataset.js';

/** Small hand-made datasets for the unit tests: numbers (NaN = missing) or strings (null = missing). */
export function makeData(columns: Record<string, (number | string | null)[]>, target: number[]): LabelledDataset {
  const built = Object.entries(columns).map(([name, cells]): Column => {
    if (cells.every((c) => typeof c === 'number')) return { name, kind: 'numeric', values: Float64Array.from(cells as number[]) };
    const levels = [...new Set(cells.filter((c): c is string => typeof c === 'string'))];
    return { name, kind: 'categorical', levels, codes: Int32Array.from(cells, (c) => (typeof c === 'string' ? levels.indexOf(c) : -1)) };
  });
  return { rows: target.length, columns: built, target: Uint8Array.from(target) };
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
