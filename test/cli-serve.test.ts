import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, startServe, tempDir } from './support/cli.js';

describe('recoup serve --demo (the npm start path)', () => {
  it('serves health, docs and the demo portfolio within 30 s, and keeps its admin key across restarts', async () => {
    const dataDir = tempDir();
    const started = Date.now();
    const first = await startServe(['--demo'], { RECOUP_DATA_DIR: dataDir });
    try {
      expect(Date.now() - started).toBeLessThan(30_000);
      const key = /admin API key: (rk_\S+)/.exec(first.output())?.[1];
      expect(key).toBeDefined();
      const health = await fetch(`${first.address}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
      expect((await fetch(`${first.address}/docs/`)).status).toBe(200);
      const openapi = (await (await fetch(`${first.address}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/customers', '/v1/receivables', '/v1/payments', '/v1/events:batch', '/v1/cases']));
      const cases = await fetch(`${first.address}/v1/cases?stage=m1&limit=5`, { headers: { authorization: `Bearer ${key}` } });
      expect(((await cases.json()) as { items: unknown[] }).items.length).toBe(5);
      expect((await fetch(`${first.address}/v1/cases`)).status).toBe(401);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startServe(['--demo'], { RECOUP_DATA_DIR: dataDir });
    try {
      expect(second.output()).toContain(/admin API key: (rk_\S+)/.exec(first.output())![1]);
      expect(second.output()).not.toContain('demo portfolio loaded');
    } finally {
      await second.stop();
    }
    // Two boots and two shutdowns; the 30 s promise is the first boot's, checked above.
  }, 120_000);

  it('runs as an executable through its #! line', () => {
    // npm links the bin and marks it executable on install; the kernel then reads the #! line.
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    chmodSync(CLI, 0o755);
    const help = spawnSync(CLI, ['--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('usage: recoup <command>');
  });

  it('refuses bad flags and unknown commands with one line and a non-zero exit', () => {
    const badPort = spawnSync(process.execPath, [CLI, 'serve', '--port', 'eighty'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr.trim().split('\n')).toEqual(['recoup: --port must be a number, got "eighty"']);
    const unknown = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('refuses invalid configuration before opening anything', () => {
    const result = spawnSync(process.execPath, [CLI, 'migrate'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', RECOUP_CLOCK: 'sundial' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/clock\.mode must be one of "real", "virtual"/);
  });
});
