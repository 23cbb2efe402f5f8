/**
 * Evaluation cost of the compiled demo policy: 1,000,000 varied contexts, evaluations per second.
 * Build and run: npx tsc -p tsconfig.json --outDir /tmp/recoup-bench && node /tmp/recoup-bench/bench/strategy.js
 * (from the repository root, so data/policies/ is found).
 */
import { readFileSync } from 'node:fs';
import { loadPolicy, type TemplateEntry } from '../src/strategy/index.js';
import type { CaseStage, ContactRecord, EvaluationContext } from '../src/strategy/types.js';

const FILE = 'data/policies/default.yaml';
const templates = JSON.parse(readFileSync('data/policies/default-templates.json', 'utf8')) as TemplateEntry[];
const loaded = loadPolicy(readFileSync(FILE, 'utf8'), { file: FILE, templates });
if (!loaded.ok) throw new Error(loaded.error.message);
const policy = loaded.value;

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'America/Los_Angeles', 'Asia/Hong_Kong'];
const STAGES: CaseStage[] = ['pre_due', 'm1', 'm2', 'm3_plus'];
const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T00:00:00Z');

/** A pool of distinct contexts, reused round-robin with a moving clock, so building them is not what we time. */
function buildPool(size: number): EvaluationContext[] {
  const pool: EvaluationContext[] = [];
  for (let i = 0; i < size; i++) {
    const zone = ZONES[i % ZONES.length]!;
    const stage = STAGES[i % STAGES.length]!;
    const due = START + (stage === 'pre_due' ? 2 : -10 - (i % 90)) * 24 * HOUR;
    const contacts: ContactRecord[] = Array.from({ length: i % 6 }, (_, k) => ({
      at: new Date(START - (k + 1) * 19 * HOUR),
      channel: (['sms', 'voice', 'app'] as const)[k % 3]!,
      receivableIds: [`r-${i}`],
    }));
    pool.push({
      now: new Date(START),
      customer: {
        id: `c-${i}`,
        timezone: zone,
        locale: zone.startsWith('Asia') ? 'zh-CN' : 'en',
        jurisdiction: zone === 'America/New_York' || zone === 'America/Los_Angeles' ? 'US' : zone === 'Europe/London' ? 'GB' : 'CN',
        consents: { sms: i % 3 !== 0, email: true },
        optedOut: i % 17 === 0 ? ['sms'] : [],
        segment: i % 10 === 0 ? 'vip' : undefined,
      },
      case: { stage, daysPastDue: Math.round((START - due) / (24 * HOUR)) },
      receivables: [{ id: `r-${i}`, kind: 'bill', amountMinor: 12_345n, currency: 'CNY', dueAt: new Date(due) }],
      history: { contacts, disputeOpen: i % 50 === 0 },
    });
  }
  return pool;
}

// BENCH_N overrides the count for quick iterations; report the 1,000,000 default.
const N = Number(process.env.BENCH_N ?? 1_000_000);
const pool = buildPool(10_000);
let decisions = 0;
for (let i = 0; i < 20_000; i++) policy.evaluate(pool[i % pool.length]!); // warm-up: JIT and zone caches
const started = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const ctx = pool[i % pool.length]!;
  ctx.now = new Date(START + (i % 168) * HOUR); // a week of hours, inside and outside every window
  decisions += policy.evaluate(ctx).decisions.length;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const result = { evaluations: N, decisions, seconds: Number(seconds.toFixed(2)), evaluationsPerSecond: Math.round(N / seconds), decisionsPerSecond: Math.round(decisions / seconds) };
console.log(JSON.stringify(result));
