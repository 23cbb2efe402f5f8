import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, startServe, tempDir } from './support/cli.js';
import { policyWithoutControlGroup } from './support/policy.js';

const ADMIN = 'rk_policy_reload_admin_key_0123456789';

async function policyVersion(address: string): Promise<number> {
  const response = await fetch(`${address}/v1/policy`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await response.json()) as { version: number }).version;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await check()) return true;
  return false;
}

describe('recoup serve reloads its policy file on SIGHUP', () => {
  it('puts a changed file in force, and keeps the running policy when the file is broken', async () => {
    const file = policyWithoutControlGroup();
    const v1 = readFileSync(file, 'utf8');
    const server = await startServe([], { RECOUP_DATA_DIR: join(tempDir(), 'data'), RECOUP_POLICY: file, RECOUP_ADMIN_KEY: ADMIN });
    try {
      expect(await policyVersion(server.address)).toBe(1);
      writeFileSync(file, v1.replace('version: 1', 'version: 2'));
      server.child.kill('SIGHUP');
      expect(await waitFor(async () => (await policyVersion(server.address)) === 2)).toBe(true);

      writeFileSync(file, v1.replace('version: 1', 'version: 3').replace('channels: [voice, sms, email]', 'channels: [voice, telex]'));
      server.child.kill('SIGHUP');
      expect(await waitFor(async () => server.output().includes('policy reload refused'))).toBe(true);
      expect(server.output()).toMatch(/stages\.m3_plus\.channels\[1\]: unknown channel \\?"telex\\?"/);
      expect(await policyVersion(server.address)).toBe(2);
      expect(server.child.exitCode).toBeNull();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('recoup worker reloads its policy file on SIGHUP', () => {
  it('stays up and logs the new version in force (Node would exit on SIGHUP without a handler)', async () => {
    const file = policyWithoutControlGroup();
    const v1 = readFileSync(file, 'utf8');
    const env = { ...process.env, DATABASE_URL: '', RECOUP_DATA_DIR: join(tempDir(), 'data'), RECOUP_POLICY: file, RECOUP_LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, [CLI, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      expect(await waitFor(async () => output.includes('recoup worker running'), 30_000), output).toBe(true);
      writeFileSync(file, v1.replace('version: 1', 'version: 2'));
      child.kill('SIGHUP');
      expect(await waitFor(async () => /"policy":"[^"]+@2"[^\n]*collection policy activated/.test(output), 10_000), output).toBe(true);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
