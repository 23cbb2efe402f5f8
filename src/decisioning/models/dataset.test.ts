import { describe, expect, it } from 'vitest';
import { parseCsvTable } from './csv-table.js';
import { buildFeatures, buildTarget, checkColumns } from './dataset.js';
import { RESPONSE_SPEC, RISK_SPEC } from './eval-specs.js';
import { datasetFromTable } from './evaluate.js';

function table(text: string) {
  const parsed = parseCsvTable(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('CSV loading', () => {
  it('reads ;-separated quoted files and infers column kinds', () => {
    const t = table('"age";"job";"score"\n56;"housemaid";1.5\n;"unknown";\n41;"";2\n');
    expect(t.header).toEqual(['age', 'job', 'score']);
    const built = buildFeatures(t, [{ name: 'age', kind: 'auto' }, { name: 'job', kind: 'auto' }, { name: 'score', kind: 'auto' }]);
    if (!built.ok) throw new Error(built.error.message);
    const [age, job, score] = built.value.columns;
    expect(age?.kind === 'numeric' && Array.from(age.values)).toEqual([56, Number.NaN, 41]);
    // "unknown" is an answer of its own; only an empty cell is missing.
    expect(job?.kind === 'categorical' && [job.levels, Array.from(job.codes)]).toEqual([['housemaid', 'unknown'], [0, 1, -1]]);
    expect(score?.kind).toBe('numeric');
  });

  it('skips the extra X1..X23 header line of the original UCI workbook', () => {
    const t = table(',X1,X2,Y\nID,LIMIT_BAL,SEX,default payment next month\n1,20000,2,1\n');
    expect(t.header).toEqual(['ID', 'LIMIT_BAL', 'SEX', 'default payment next month']);
    expect(t.rows).toEqual([['1', '20000', '2', '1']]);
  });

  it('names every missing column at once', () => {
    const check = checkColumns(['age', 'job'], ['age', 'euribor3m', 'y']);
    expect(!check.ok && check.error.message).toBe('missing columns: "euribor3m", "y"');
    const data = datasetFromTable(table('age;job;duration\n1;a;3\n'), RESPONSE_SPEC);
    expect(!data.ok && data.error.message).toMatch(/^missing columns: "marital", "education",.*"nr\.employed", "y"$/);
    expect(!data.ok && data.error.message).not.toMatch(/duration/);
  });

  it('refuses a numeric column holding text, naming the column and the row', () => {
    const built = buildFeatures(table('LIMIT_BAL\n20000\nlots\n'), [{ name: 'LIMIT_BAL', kind: 'numeric' }]);
    expect(!built.ok && built.error.message).toBe('column "LIMIT_BAL" must be numeric: row 2: "lots" is not a number');
  });

  it('refuses a target label it does not know', () => {
    const target = buildTarget(table('y\nyes\nno\nmaybe\n'), RESPONSE_SPEC.target);
    expect(!target.ok && target.error.message).toBe('target column "y" must be "yes" or "no": row 3: "maybe"');
  });

  it('builds the risk dataset without the ID column', () => {
    const header = ['ID', ...RISK_SPEC.features.map((f) => f.name), RISK_SPEC.target.name];
    const row = header.map((_, i) => String(i % 3));
    const data = datasetFromTable(table(`${header.join(',')}\n${row.join(',')}\n`), RISK_SPEC);
    if (!data.ok) throw new Error(data.error.message);
    expect(data.value.columns.map((c) => c.name)).not.toContain('ID');
    expect(data.value.columns).toHaveLength(23);
  });
});
