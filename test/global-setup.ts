import { execFileSync } from 'node:child_process';

/**
 * CLI tests run the compiled `recoup`, and planning threads the compiled planning-worker.js (a thread
 * cannot load TypeScript): build once, before any test file starts, from current sources.
 */
export default function buildOnce(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
