import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import { type ContentScanner, createScanner, type ScanOptions } from '../src/compliance/scanner/index.js';

/**
 * The content-scanner benchmark: messages per second on one core (this process, one thread) and the
 * latency of each message, over a seeded mix of reminder-length SMS in Chinese and English, a tenth
 * of them carrying a violation (some disguised). Two peers run the same mix in the same process:
 * a per-pattern `includes` loop over the same word list, and one alternation RegExp over it; neither
 * normalises, so they do less work and catch less, and still say what plain string search costs.
 */

const TARGET_MESSAGES_PER_SECOND = 50_000;
const TARGET_P99_MS = 1;
const ROUNDS = 3;

export interface ComplianceBenchOptions {
  rows?: number;
  seed?: number;
}

interface Message {
  text: string;
  options: ScanOptions;
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH_NAMES = ['王先生', '李女士', '张伟', '刘洋', '陈静', '杨帆'];
const EN_NAMES = ['Sam', 'Maria Lopez', 'James', 'Priya', 'Tom Becker', 'Alex'];
const ZH_TEMPLATES = [
  '{name}您好，您的账单{amount}已于{date}到期，请尽快还款。逾期可能影响您的信用记录。回复TD退订',
  '{name}您好，您尾号{card}的信用卡本期应还{amount}，最后还款日{date}，请按时还款。回复TD退订',
  '您好，您的借款已逾期{days}天，应还金额{amount}。如有困难可申请分期，详询客服。回复TD退订',
  '【Recoup】{name}，您的订单{amount}待支付，{date}前完成付款可避免订单取消。回复TD退订',
];
const EN_TEMPLATES = [
  'Hi {name}, your payment of {amount} was due on {date}. Please pay as soon as you can; late payment may be reported. Reply STOP to opt out.',
  'Hello {name}, a reminder that {amount} is due on {date}. Pay online in two minutes or reply HELP for options. Reply STOP to opt out.',
  '{name}, your instalment of {amount} is {days} days overdue. We can set up a payment plan; just reply. Reply STOP to opt out.',
  'Recoup: {name}, your bill of {amount} is due {date}. Questions? Call us any time. Reply STOP to opt out.',
];
// Disguised violations, as the corpus has them: traditional characters, homophones, inserted spaces, full width.
const ZH_VIOLATIONS = ['再不还钱我们就上門', '我们会通知你的单 位和家人', '你这个老lai', '三天内不还，后果自负', '我们会让你的征信彻底完蛋'];
const EN_VIOLATIONS = ['We will s e n d someone to your home.', 'Pay now, you deadbeat.', 'We will ruin your credit.', 'The ｐｏｌｉｃｅ will be informed.', 'We will tell your employer.'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The seeded mix: half Chinese, half English; one in ten with a violation inserted before the opt-out. */
export function buildMessages(count: number, seed: number): Message[] {
  const random = prng(seed);
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const zh = random() < 0.5;
    const amount = (1 + random() * 5000).toFixed(2);
    let text = pick(random, zh ? ZH_TEMPLATES : EN_TEMPLATES)
      .replace('{name}', pick(random, zh ? ZH_NAMES : EN_NAMES))
      .replace('{amount}', zh ? `¥${amount}` : `$${amount}`)
      .replace('{date}', zh ? `${1 + Math.floor(random() * 12)}月${1 + Math.floor(random() * 28)}日` : `${1 + Math.floor(random() * 28)} March 2027`)
      .replace('{days}', String(1 + Math.floor(random() * 90)))
      .replace('{card}', String(1000 + Math.floor(random() * 9000)));
    if (random() < 0.1) {
      const violation = pick(random, zh ? ZH_VIOLATIONS : EN_VIOLATIONS);
      text = zh ? text.replace('回复TD退订', `${violation}。回复TD退订`) : text.replace('Reply STOP', `${violation} Reply STOP`);
    }
    messages.push({ text, options: { channel: 'sms', locale: zh ? 'zh-CN' : 'en' } });
  }
  return messages;
}

/** Every word of the shipped library, as written, lower-cased: what the peers search for. */
function libraryWords(): string[] {
  const words = new Set<string>();
  for (const file of ['rules-en.json', 'rules-zh.json', 'context.json']) {
    const library = JSON.parse(readFileSync(join(packageRoot(), 'data', 'compliance', file), 'utf8')) as { sets?: Record<string, string[]>; rules?: Array<{ terms: string[] }> };
    for (const list of Object.values(library.sets ?? {})) for (const word of list) words.add(word.toLowerCase());
    for (const rule of library.rules ?? []) for (const term of rule.terms) for (const part of term.split('…')) if (!part.startsWith('{')) words.add(part.toLowerCase());
  }
  return [...words];
}

type Check = (message: Message) => unknown;

function includesPeer(words: string[]): Check {
  return ({ text }) => {
    const lower = text.toLowerCase();
    const found: string[] = [];
    for (const word of words) if (lower.includes(word)) found.push(word);
    return found;
  };
}

function regexPeer(words: string[]): Check {
  const escaped = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'gu');
  return ({ text }) => text.toLowerCase().match(pattern) ?? [];
}

function measureThroughput(messages: Message[], check: Check): { rounds: number[]; median: number } {
  for (const message of messages.slice(0, 2000)) check(message); // warm up: let the JIT settle first
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const message of messages) check(message);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rounds.push(Math.round(messages.length / seconds));
  }
  const sorted = [...rounds].sort((a, b) => a - b);
  return { rounds, median: sorted[Math.floor(sorted.length / 2)]! };
}

function measureLatency(messages: Message[], check: Check) {
  const micros = new Float64Array(messages.length);
  messages.forEach((message, i) => {
    const started = process.hrtime.bigint();
    check(message);
    micros[i] = Number(process.hrtime.bigint() - started) / 1000;
  });
  micros.sort();
  const at = (q: number) => Number((micros[Math.min(micros.length - 1, Math.floor(q * micros.length))]! / 1000).toFixed(4));
  return { p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999), maxMs: at(1) };
}

function machine() {
  return { os: `${platform()} ${release()} ${arch()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), node: process.version };
}

export async function run(options: ComplianceBenchOptions = {}, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  const count = options.rows ?? 100_000;
  const seed = options.seed ?? 42;
  const messages = buildMessages(count, seed);
  const buildStarted = process.hrtime.bigint();
  const scanner: ContentScanner = createScanner();
  const buildSeconds = Number(process.hrtime.bigint() - buildStarted) / 1e9;
  const scan: Check = (message) => scanner.check(message.text, message.options);
  const words = libraryWords();

  const blocked = messages.filter((m) => {
    const result = scanner.check(m.text, m.options);
    return result.ok && !result.value.allowed;
  }).length;
  const scannerThroughput = measureThroughput(messages, scan);
  const scannerLatency = measureLatency(messages, scan);
  const includes = includesPeer(words);
  const includesThroughput = measureThroughput(messages, includes);
  const regex = regexPeer(words);
  const regexThroughput = measureThroughput(messages, regex);

  const targets = [
    { name: `scanner throughput >= ${TARGET_MESSAGES_PER_SECOND} messages/s on one core`, target: `messagesPerSecond >= ${TARGET_MESSAGES_PER_SECOND}`, actual: scannerThroughput.median, pass: scannerThroughput.median >= TARGET_MESSAGES_PER_SECOND },
    { name: `scanner p99 latency < ${TARGET_P99_MS} ms per message`, target: `p99Ms < ${TARGET_P99_MS}`, actual: scannerLatency.p99Ms, pass: scannerLatency.p99Ms < TARGET_P99_MS },
  ];
  const report = {
    benchmark: 'compliance',
    date: new Date().toISOString(),
    machine: machine(),
    parameters: {
      messages: count,
      seed,
      rounds: ROUNDS,
      thread: 'one (the benchmark process itself, no workers)',
      mix: {
        zhShare: Number((messages.filter((m) => m.options.locale === 'zh-CN').length / count).toFixed(3)),
        meanCharacters: Math.round(messages.reduce((n, m) => n + m.text.length, 0) / count),
        blockedByScanner: blocked,
        note: 'reminder-length SMS in zh-CN and en from 8 templates with random names, amounts and dates; one in ten carries a violation, some disguised (traditional characters, homophones, inserted spaces, full width)',
      },
    },
    scanner: {
      what: 'createScanner().check(text, {channel, locale}): normalisation (NFKC, case, traditional to simplified, separators, zero-width), Aho-Corasick over the text and its pinyin, context rules, required parts',
      buildSeconds: Number(buildSeconds.toFixed(3)),
      messagesPerSecond: scannerThroughput,
      latency: scannerLatency,
    },
    peers: {
      includesLoop: {
        what: `lower-case the text, then text.includes(word) for each of the ${words.length} words of the same library; no normalisation, no context`,
        messagesPerSecond: includesThroughput,
        scannerToPeerRatio: Number((scannerThroughput.median / includesThroughput.median).toFixed(2)),
      },
      alternationRegExp: {
        what: 'lower-case the text, then one RegExp alternation of the same words (V8 irregexp), all matches',
        messagesPerSecond: regexThroughput,
        scannerToPeerRatio: Number((scannerThroughput.median / regexThroughput.median).toFixed(2)),
      },
    },
    targets,
  };
  const resultFile = join(packageRoot(), 'bench', 'results', 'compliance.json');
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  log(
    `compliance: scanner ${scannerThroughput.median} msg/s (target >= ${TARGET_MESSAGES_PER_SECOND}), p99 ${scannerLatency.p99Ms} ms (target < ${TARGET_P99_MS}); ` +
      `includes loop ${includesThroughput.median} msg/s, regexp ${regexThroughput.median} msg/s; wrote ${resultFile}`,
  );
  return { name: 'compliance', resultFile, failures: targets.filter((t) => !t.pass).map((t) => `${t.name}: ${t.actual} (${t.target})`) };
}
