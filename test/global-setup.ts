import { execFileSync } from 'node:child_process';

/** CLI tests run the compiled `recoup`; build it once, before any test file starts, from current sources. */
export default function buildOnce(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
