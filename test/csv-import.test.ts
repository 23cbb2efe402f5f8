import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportKind, type ImportProgress, type ImportSummary, importCsv } from '../src/ingest/csv-import.js';
import { openDatabase } from '../src/db/database.js';
import { listJobs } from '../src/jobs/jobs.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recoup-import-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function csvFile(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** The summary without its timing, which is the only part that may differ between two equal imports. */
function counts(summary: ImportSummary) {
  const { seconds: _, ...rest } = summary;
  return rest;
}

describe.each(DATABASE_KINDS)('csv import on %s', (dbKind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dbKind);
  });
  afterAll(async () => h?.close());

  async function run(kind: ImportKind, file: string, extra: { chunkRows?: number; maxErrors?: number; onProgress?: (p: ImportProgress) => void } = {}) {
    const { db, vault, config, clock } = h.app;
    return importCsv({ db, vault, stages: config.stages, clock, actor: 'test' }, { file, kind, ...extra });
  }

  async function imported(kind: ImportKind, file: string, extra: Parameters<typeof run>[2] = {}): Promise<ImportSummary> {
    const result = await run(kind, file, extra);
    if (!result.ok) throw new Error(`import failed: ${result.error.message}`);
    return result.value;
  }

  async function customerIds(...externalIds: string[]): Promise<string[]> {
    const rows = await h.app.db.selectFrom('customers').select(['id', 'external_id']).where('external_id', 'in', externalIds).orderBy('external_id').execute();
    return rows.map((r) => r.external_id);
  }

  async function receivable(externalId: string) {
    const response = await h.call('GET', `/v1/receivables?externalId=${encodeURIComponent(externalId)}`);
    expect(response.status).toBe(200);
    return response.body.items[0];
  }

  async function seedPortfolio(prefix: string, phone: string) {
    const customers = await csvFile(`${prefix}-customers.csv`, [
      'externalId,name,locale,timezone,phone,email,consent_sms,consent_email,attr_segment',
      `${prefix}c1,Li Lei,zh-CN,Asia/Shanghai,${phone},,yes,0,vip`,
      `${prefix}c2,Ann Lee,en,,,ann.${prefix}@example.com,,true,`,
    ]);
    const receivables = await csvFile(`${prefix}-receivables.csv`, [
      'externalId,customerExternalId,kind,amount,currency,dueAt,status',
      `${prefix}r1,${prefix}c1,bill,1280.10,CNY,2026-03-10,`,
      `${prefix}r2,${prefix}c2,instalment,0.30,USD,2026-03-20T09:00:00Z,open`,
    ]);
    const payments = await csvFile(`${prefix}-payments.csv`, [
      'externalId,receivableExternalId,amount,currency,paidAt',
      `${prefix}p1,${prefix}r1,280.10,CNY,2026-02-20`,
      `${prefix}p2,${prefix}r2,0.10,,2026-02-21T10:00:00+08:00`,
    ]);
    return { customers, receivables, payments };
  }

  it('imports customers, then receivables, then payments, visible through the API with exact amounts', async () => {
    const files = await seedPortfolio('a-', '+8613800138000');
    expect(counts(await imported('customers', files.customers))).toEqual({ kind: 'customers', rows: 2, created: 2, updated: 0, duplicate: 0, rejected: 0, errors: [] });
    expect(counts(await imported('receivables', files.receivables))).toMatchObject({ rows: 2, created: 2, rejected: 0 });
    expect(counts(await imported('payments', files.payments))).toMatchObject({ rows: 2, created: 2, rejected: 0 });

    const r1 = await receivable('a-r1');
    expect(r1).toMatchObject({ amount: '1280.10', amountPaid: '280.10', amountOutstanding: '1000.00', currency: 'CNY', kind: 'bill', status: 'open' });
    expect(await receivable('a-r2')).toMatchObject({ amount: '0.30', amountPaid: '0.10', amountOutstanding: '0.20', kind: 'instalment' });

    const view = await h.call('GET', `/v1/customers/${r1.customerId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ externalId: 'a-c1', name: 'Li Lei', locale: 'zh-CN', timezone: 'Asia/Shanghai' });
    expect(view.body.identities).toEqual({ phone: '****8000' });
    expect(view.body.consents).toEqual({ sms: true, email: false });
    expect(view.body.attributes).toEqual({ segment: 'vip' });
    expect(view.body.timeline.some((t: { kind: string }) => t.kind === 'payment')).toBe(true);
  });

  it('reports bad customer rows by row number and CSV column while the good rows land', async () => {
    const file = await csvFile('mixed-customers.csv', [
      'externalId,name,locale,phone,consent_sms,attr_tier',
      'm-c1,Good One,en,+8613800138001,yes,gold',
      'm-c2,Bad Locale,fr,,,',
      'm-c3,Bad Phone,en,12345,,',
      'm-c4,Bad Consent,en,,maybe,',
      'm-c5,Too Few',
      ',No Id,en,,,',
      'm-c7,Good Two,zh-CN,,0,',
    ]);
    const summary = await imported('customers', file);
    expect(summary).toMatchObject({ rows: 7, created: 2, updated: 0, duplicate: 0, rejected: 5 });
    expect(summary.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'locale'],
      [3, 'phone'],
      [4, 'consent_sms'],
      [5, '(row)'],
      [6, 'externalId'],
    ]);
    expect(summary.errors[2]!.reason).toContain('"maybe"');
    expect(summary.errors[3]!.reason).toBe('has 2 cell(s); the header has 6');
    expect(await customerIds('m-c1', 'm-c2', 'm-c3', 'm-c4', 'm-c5', 'm-c7')).toEqual(['m-c1', 'm-c7']);

    // Past maxErrors the report stops growing, but every rejected row is still counted.
    const capped = await imported('customers', file, { maxErrors: 2 });
    expect(capped).toMatchObject({ rows: 7, updated: 2, rejected: 5 });
    expect(capped.errors.map((e) => e.row)).toEqual([2, 3]);
  });

  it('reports receivables and payments that refer to nothing, or carry bad amounts, and keeps the rest', async () => {
    await imported('customers', await csvFile('mixed-owner.csv', ['externalId,name', 'x-c1,Owner']));
    const receivables = await csvFile('mixed-receivables.csv', [
      'externalId,customerExternalId,kind,amount,currency,dueAt',
      'x-r1,x-c1,order,99.95,CNY,2026-04-01',
      'x-r2,nobody,order,10.00,CNY,2026-04-01',
      'x-r3,x-c1,order,12.345,CNY,2026-04-01',
      'x-r4,x-c1,loan,10.00,CNY,2026-04-01',
    ]);
    const summary = await imported('receivables', receivables);
    expect(summary).toMatchObject({ rows: 4, created: 1, rejected: 3 });
    expect(summary.errors).toEqual([
      { row: 2, field: 'customerExternalId', reason: 'customer "nobody" does not exist' },
      { row: 3, field: 'amount', reason: 'CNY has 2 decimal place(s); got 3' },
      { row: 4, field: 'kind', reason: expect.stringContaining('must be one of') },
    ]);
    const payments = await csvFile('mixed-payments.csv', [
      'externalId,receivableExternalId,amount,paidAt',
      'x-p1,x-r1,9.95,2026-02-01',
      'x-p2,x-r2,1.00,2026-02-01',
      'x-p3,x-r1,1.00,2027-01-01',
    ]);
    const paid = await imported('payments', payments);
    expect(paid).toMatchObject({ rows: 3, created: 1, rejected: 2 });
    expect(paid.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'receivableExternalId'],
      [3, 'paidAt'],
    ]);
    expect(await receivable('x-r1')).toMatchObject({ amount: '99.95', amountPaid: '9.95', amountOutstanding: '90.00' });
  });

  it('refuses a header with an unknown or a duplicated column, naming it, and writes nothing', async () => {
    const unknown = await csvFile('unknown-column.csv', ['externalId,name,colour', 'u-c1,Someone,blue']);
    const refused = await run('customers', unknown);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.type).toBe('validation');
    expect(refused.error.details).toEqual([{ field: 'colour', reason: expect.stringContaining('is not a known customers column') }]);
    expect(refused.error.message).toContain('"colour"');

    const twice = await csvFile('duplicated-column.csv', ['externalId,name,name', 'u-c2,One,Two']);
    const again = await run('customers', twice);
    expect(again.ok ? [] : again.error.details).toEqual([{ field: 'name', reason: 'appears more than once' }]);
    expect(await customerIds('u-c1', 'u-c2')).toEqual([]);
  });

  it('refuses a header without a required column, and a file that is not there', async () => {
    await imported('customers', await csvFile('req-owner.csv', ['externalId', 'q-c1']));
    const file = await csvFile('missing-amount.csv', ['externalId,customerExternalId,kind,currency,dueAt', 'q-r1,q-c1,bill,CNY,2026-04-01']);
    const refused = await run('receivables', file);
    expect(refused.ok ? [] : refused.error.details).toEqual([{ field: 'amount', reason: 'is a required column and is missing' }]);
    expect((await h.call('GET', '/v1/receivables?externalId=q-r1')).body.items).toEqual([]);

    const absent = join(dir, 'no-such-file.csv');
    const missing = await run('customers', absent);
    expect(missing.ok ? undefined : missing.error).toMatchObject({ type: 'not_found', message: `${absent} does not exist` });
  });

  it('reports a re-import as updates and duplicates, and applies no payment twice', async () => {
    const files = await seedPortfolio('b-', '+8613800138010');
    for (const kind of ['customers', 'receivables', 'payments'] as const) {
      expect(await imported(kind, files[kind])).toMatchObject({ rows: 2, created: 2, rejected: 0 });
    }

    expect(await imported('customers', files.customers)).toMatchObject({ rows: 2, created: 0, updated: 2, rejected: 0 });
    expect(await imported('receivables', files.receivables)).toMatchObject({ rows: 2, created: 0, updated: 2, rejected: 0 });
    expect(await imported('payments', files.payments)).toMatchObject({ rows: 2, created: 0, duplicate: 2, rejected: 0 });
    expect(await receivable('b-r1')).toMatchObject({ amountPaid: '280.10', amountOutstanding: '1000.00' });
    expect(await receivable('b-r2')).toMatchObject({ amountPaid: '0.10', amountOutstanding: '0.20' });
    const stored = await h.app.db.selectFrom('payments').select('external_id').where('external_id', 'in', ['b-p1', 'b-p2']).execute();
    expect(stored).toHaveLength(2);
  });

  it('gives the same result in chunks of two rows as in one chunk, reporting progress as it goes', async () => {
    const lines = (prefix: string) => [
      'externalId,name,locale',
      ...[1, 2, 3, 4].map((n) => `${prefix}${n},Person ${n},en`),
      `${prefix}5,Person 5,xx`,
      ...[6, 7].map((n) => `${prefix}${n},Person ${n},zh-CN`),
    ];
    const progress: ImportProgress[] = [];
    const chunked = await imported('customers', await csvFile('chunked.csv', lines('k-')), { chunkRows: 2, onProgress: (p) => progress.push(p) });
    const whole = await imported('customers', await csvFile('whole.csv', lines('w-')));
    expect(counts(chunked)).toEqual(counts(whole));
    expect(chunked).toMatchObject({ rows: 7, created: 6, rejected: 1, errors: [{ row: 5, field: 'locale' }] });
    expect(progress.map((p) => p.rowsRead)).toEqual([2, 4, 6, 7]);
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
    expect(await customerIds('k-1', 'k-4', 'k-5', 'k-7')).toEqual(['k-1', 'k-4', 'k-7']);
  });

  it('stops at a row whose quoting is broken, reporting it, after importing the rows before it', async () => {
    const file = await csvFile('broken-quote.csv', ['externalId,name', 'bq-1,"Fine, ""quoted"""', 'bq-2,"Bro"ken', 'bq-3,Never read']);
    const summary = await imported('customers', file);
    expect(summary).toMatchObject({ rows: 2, created: 1, rejected: 1 });
    expect(summary.errors).toEqual([{ row: 2, field: '(row)', reason: expect.stringMatching(/at line 3.*the rest of the file was not read$/) }]);
    expect(await customerIds('bq-1', 'bq-2', 'bq-3')).toEqual(['bq-1']);
    const row = await h.app.db.selectFrom('customers').select('name').where('external_id', '=', 'bq-1').executeTakeFirstOrThrow();
    expect(row.name).toBe('Fine, "quoted"');
  });
});

describe('recoup import, the built command', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const cliMain = join(root, 'dist/src/cli/main.js');
  let dataDir: string;

  beforeAll(async () => {
    // test/global-setup.ts has built dist from the current sources before any file runs.
    dataDir = await mkdtemp(join(tmpdir(), 'recoup-cli-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    // Embedded storage in a scratch directory, whatever database the test run itself was given.
    const { DATABASE_URL: _, ...env } = process.env;
    return new Promise((done) => {
      execFile(process.execPath, [cliMain, ...args], { cwd: root, env: { ...env, RECOUP_DATA_DIR: dataDir, RECOUP_LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
        done({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
  }

  it('imports a file, exits 1 on a rejected row and writes the error report beside it', async () => {
    const file = await csvFile('cli-customers.csv', ['externalId,name,locale', 'cli-1,One,en', 'cli-2,Two,fr', 'cli-3,Three,zh-CN']);
    const run = await cli('import', file, '--kind', 'customers');
    expect(run.code, run.stderr).toBe(1);
    const [summary, where] = run.stdout.trim().split('\n');
    expect(summary).toMatch(/^imported 3 rows: 2 created, 0 updated, 0 duplicate, 1 rejected in \d+\.\d s$/);
    expect(where).toBe(`1 error written to ${file}.errors.csv`);
    const report = parseCsv(await readFile(`${file}.errors.csv`, 'utf8')) as string[][];
    expect(report).toEqual([
      ['row', 'field', 'reason'],
      ['2', 'locale', 'must be one of "zh-CN", "en"'],
    ]);

    const again = await cli('import', file, '--kind', 'customers', '--json', '--errors', join(dir, 'elsewhere.csv'));
    expect(again.code).toBe(1);
    const json = JSON.parse(again.stdout);
    expect(json).toMatchObject({ kind: 'customers', rows: 3, created: 0, updated: 2, rejected: 1, errorsFile: join(dir, 'elsewhere.csv') });
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
    expect(await readFile(join(dir, 'elsewhere.csv'), 'utf8')).toContain('\n2,locale,');
  }, 60_000);

  it('records each import as a job the console shows, with its progress in bytes and its counts', async () => {
    const handle = await openDatabase({ dataDir });
    try {
      const jobs = await listJobs(handle.db);
      expect(jobs).toHaveLength(2);
      for (const job of jobs) {
        expect(job).toMatchObject({ kind: 'import', label: 'customers from cli-customers.csv', actor: 'cli', status: 'done', detail: { rows: 3, rejected: 1 } });
        expect(job.total).toBeGreaterThan(0);
        expect(job.done).toBe(job.total);
      }
    } finally {
      await handle.close();
    }
  });

  it('exits 2 with one line for a --kind it does not know', async () => {
    const run = await cli('import', join(dir, 'whatever.csv'), '--kind', 'nonsense');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^recoup: --kind must be one of customers, receivables, payments, not "nonsense"/);
  });
});
