import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

export function tempDir(prefix = 'recoup-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RunningServer {
  child: ChildProcess;
  address: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `recoup serve` and resolves once it prints its address; rejects on exit or time-out. */
export function startServe(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: { ...process.env, RECOUP_LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () =>
    new Promise<number | null>((done) => {
      if (child.exitCode !== null) return done(child.exitCode);
      child.once('exit', (code) => done(code));
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    };
    child.once('exit', exitedEarly);
    // Only this function's own listeners go once it has started: removing every 'exit' listener on each
    // later chunk of output also removed stop()'s, and a server that logged while stopping was never seen to exit.
    const started = () => {
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      child.stdout!.off('data', started);
      resolve({ child, address: match[1]!, output: () => output, stop });
    };
    child.stdout!.on('data', started);
  });
}
