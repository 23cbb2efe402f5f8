import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { type RunningServer, startServe, tempDir } from './support/cli.js';
import { createScratchDatabase, type ScratchDatabase } from './support/databases.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..');
const SHOTS = join(ROOT, 'test-results');
const ADMIN_KEY = 'console-e2e-admin-key-0123456789';
const CHART_IDS = ['chart-outcomes', 'chart-volume', 'chart-harm', 'chart-recovery', 'chart-rolls'];

/**
 * The console in a real browser against `recoup serve --demo` (on PostgreSQL when DATABASE_URL is
 * set): the compiled server, the built page, the demo portfolio, no stand-ins.
 */
describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'the console in headless Chromium' : `the console in headless Chromium: skipped, ${CHROMIUM} is not installed`, () => {
  let server: RunningServer;
  let scratch: ScratchDatabase | undefined;
  let browser: Browser;
  let page: Page;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${server.address}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  }

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });

  beforeAll(async () => {
    // The page under test is the one built from today's web/ sources.
    execFileSync('npx', ['vite', 'build', 'web'], { cwd: ROOT, stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    if (process.env.DATABASE_URL) scratch = await createScratchDatabase();
    server = await startServe(['--demo', '--clock', 'virtual'], {
      RECOUP_DATA_DIR: tempDir(), RECOUP_ADMIN_KEY: ADMIN_KEY, RECOUP_CLOCK_START: '2026-03-02T01:00:00Z', ...(scratch ? { DATABASE_URL: scratch.url, RECOUP_SECRET_KEY: generateSecret() } : {}),
    }, 240_000);
    // Three days of the demo's reminders, replies and payments, so that every chart has something to draw.
    for (let day = 0; day < 3; day++) await call('POST', '/v1/clock/advance', { minutes: 24 * 60 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await scratch?.drop();
  });

  it('refuses a wrong key and signs in with a right one', async () => {
    await page.goto(`${server.address}/console/`);
    await page.fill('#api-key', 'not-a-key');
    await page.click('#sign-in');
    await page.getByText('That key was not accepted.').waitFor();
    await page.fill('#api-key', ADMIN_KEY);
    await page.click('#sign-in');
    await page.getByText('Role: admin').waitFor();
    for (const view of ['dashboard', 'cases', 'strategy', 'audit', 'inbox', 'jobs']) expect(await page.locator(`nav a[data-view=${view}]`).count()).toBe(1);
  });

  it('draws every dashboard chart from the KPI endpoint, with data', async () => {
    await page.click('nav a[data-view=dashboard]');
    for (const id of CHART_IDS) {
      const chart = page.locator(`#${id}`);
      await chart.locator('svg').first().waitFor();
      expect(Number(await chart.getAttribute('data-points')), id).toBeGreaterThan(0);
      // ECharts draws bars and lines as paths: a chart with data has more than its axes.
      expect(await chart.locator('svg path').count(), id).toBeGreaterThan(4);
    }
    expect(await page.locator('[data-kpi="kpi.reachRate"] strong').textContent()).toMatch(/^\d+\.\d{2}%$/);
    expect(await page.locator('[data-kpi="kpi.badDebtRate"] strong').textContent()).toMatch(/\d+\.\d{2}% [A-Z]{3}/);
    // The demo runs the learning policy with its 5% control group: both rows, each with its conversion.
    for (const group of ['ai', 'control']) {
      await page.locator(`#policy-comparison tr[data-group=${group}]`).waitFor();
      expect(Number(await page.locator(`#policy-comparison tr[data-group=${group}] td:nth-child(2)`).textContent()), group).toBeGreaterThan(0);
    }
    // Off-policy evaluation: the page shows what the API estimates for the same range.
    const range = `from=${await page.inputValue('#kpi-from')}&to=${await page.inputValue('#kpi-to')}`;
    const ope = await call('GET', `/v1/analytics/off-policy?${range}`);
    await page.locator('#off-policy tr[data-row=policy]').waitFor();
    expect(Number(await page.locator('#off-policy tr[data-row=policy] td:nth-child(4)').textContent())).toBe(ope.policy.decisions);
    for (const candidate of ope.candidates as Array<{ name: string; doublyRobust: { value: number } }>) {
      expect(await page.locator(`#off-policy tr[data-row=${candidate.name}] td:nth-child(2)`).textContent()).toMatch(new RegExp(`^${(candidate.doublyRobust.value * 100).toFixed(1)}% \\(`));
    }
    // Too early in the demo for scored outcomes: the panel says why there is no estimate.
    if (ope.candidates.length === 0) expect(await page.locator('#off-policy-note').textContent()).toMatch(/observed outcome/);
    await shot('dashboard');
    await page.selectOption('#kpi-group-by', 'channel');
    await page.locator('#chart-volume text', { hasText: 'sms' }).first().waitFor();
    await shot('dashboard-by-channel');
  });

  it('lists cases and opens a customer with the timeline and masked identities', async () => {
    await page.click('nav a[data-view=cases]');
    await page.locator('#cases-table .customer-link').first().click();
    await page.locator('#timeline li').first().waitFor();
    expect(await page.locator('#timeline li').count()).toBeGreaterThan(0);
    const text = (await page.locator('#customer-view').textContent()) ?? '';
    // The demo's phone numbers are shown masked, never whole.
    expect(text).not.toMatch(/\+\d{10,}/);
    // When to call them: an hour of the week inside the contact window, once anyone has answered.
    const shown = await call('GET', `/v1/customers/${await page.locator('#customer-view').getAttribute('data-id')}`);
    const bestTime = shown.bestTimeToReach;
    if (bestTime) expect(await page.locator('#best-time strong').textContent()).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (0[89]|1\d|20):00$/);
    else expect(await page.locator('#best-time').textContent()).toMatch(/nobody has answered/);
    // Their behaviour segment by name, or why there is none yet.
    if (shown.segment) expect(await page.locator('#segment strong').textContent()).toBe(shown.segment.name);
    else expect(await page.locator('#segment').textContent()).toMatch(/too few debtors/);
    await shot('customer');
  });

  it('shows the policy in force, its versions, and a dry run', async () => {
    await page.click('nav a[data-view=strategy]');
    await page.locator('#policy-ref').waitFor();
    // The versions come in their own request, which may answer after the policy in force.
    await page.locator('#policy-versions tr').first().waitFor();
    expect(await page.locator('#policy-versions tr').count()).toBeGreaterThan(0);
    await page.click('#dry-run');
    await page.locator('#dry-run-report').waitFor();
    expect(Number(await page.locator('#dry-run-report dd').first().textContent())).toBeGreaterThan(0);
    await shot('strategy');
  });

  it('shows the audit log and checks its chain', async () => {
    await page.click('nav a[data-view=audit]');
    await page.locator('#audit-table tbody tr').first().waitFor();
    await page.click('#audit-verify');
    await page.locator('#audit-verdict').waitFor();
    await shot('audit');
  });

  it('takes over a handed-off conversation, replies and hands it back', async () => {
    await call('POST', '/v1/customers', { externalId: 'console-e2e-debtor', name: 'Console Debtor', locale: 'en', timezone: 'UTC', identities: { phone: '+14155550123' }, consents: { sms: true } });
    await call('POST', '/v1/receivables', { externalId: 'console-e2e-bill', customerExternalId: 'console-e2e-debtor', kind: 'bill', amount: '80.00', currency: 'USD', dueAt: '2026-02-20' });
    await call('POST', '/v1/inbound', { channel: 'sms', from: { phone: '+14155550123' }, text: 'I want to speak to a human' });
    await page.click('nav a[data-view=inbox]');
    // The queue polls: the new handoff appears without a reload.
    await page.locator('#inbox-queue .queue-item', { hasText: 'console-e2e-debtor' }).click();
    await page.click('#take-over');
    await page.locator('#conversation-state', { hasText: 'agent' }).waitFor();
    await page.fill('#reply-text', 'Hello, this is Sam from the billing team.');
    await page.click('#send-reply');
    await page.locator('#conversation li', { hasText: 'Hello, this is Sam' }).waitFor();
    await shot('inbox');
    await page.click('#hand-back');
    await page.locator('#conversation-state', { hasText: 'bot' }).waitFor();
  });

  /** The id of the job of `kind` that `start` began: one that was not in the list before. */
  async function jobStartedBy(kind: string, start: () => Promise<void>): Promise<string> {
    const before = new Set(((await call('GET', '/v1/jobs')).items as Array<{ id: string }>).map((j) => j.id));
    await start();
    let started: string | undefined;
    for (let i = 0; i < 50 && !started; i++) {
      started = ((await call('GET', '/v1/jobs')).items as Array<{ id: string; kind: string }>).find((j) => j.kind === kind && !before.has(j.id))?.id;
      if (!started) await page.waitForTimeout(100);
    }
    expect(started, `a new ${kind} job`).toBeDefined();
    return started!;
  }

  it('starts retraining from the console and follows its progress to the end', async () => {
    await page.click('nav a[data-view=jobs]');
    // The run started here, not the scheduled retraining the demo's clock advances may have run before.
    const started = await jobStartedBy('training', () => page.click('#retrain'));
    // Every model kind is one step: the bar is full when the job is done, whatever each kind's result.
    const row = page.locator(`#jobs-table tr[data-job="${started}"][data-status=done]`);
    await row.waitFor({ timeout: 120_000 });
    const bar = row.locator('progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    expect(await row.locator('.job-detail').textContent()).toMatch(/response|risk/);
    await shot('jobs');
  });

  it('runs a backtest from the console and shows its progress and figures', async () => {
    await page.click('nav a[data-view=jobs]');
    await page.fill('#backtest-customers', '4000');
    await page.fill('#backtest-days', '60');
    await page.fill('#backtest-seed', '11');
    const started = await jobStartedBy('backtest', () => page.click('#start-backtest'));
    // Part-way, the page shows a bar that is neither empty nor full.
    const running = page.locator(`#jobs-table tr[data-job="${started}"][data-status=running] progress`);
    await running.waitFor({ timeout: 30_000 });
    const done = page.locator(`#jobs-table tr[data-job="${started}"][data-status=done]`);
    const value = Number(await running.getAttribute('value').catch(() => '0'));
    await done.waitFor({ timeout: 180_000 });
    expect(await done.locator('progress').getAttribute('value')).toBe('120');
    expect(value).toBeLessThan(120);
    expect(await done.locator('.backtest-result li[data-policy=ai]').textContent()).toMatch(/recovered \d+\.\d\d%, \d+ contacts/);
    expect(await done.locator('.backtest-result li[data-policy=baseline]').textContent()).toMatch(/recovered \d+\.\d\d%/);
    expect(await done.locator('.backtest-comparison').textContent()).toMatch(/recovery ×\d/);
    // What the baseline and waiting would have done, estimated from the learning run's own log.
    expect(await done.locator('.backtest-off-policy').textContent()).toMatch(/^off-policy, paid within 3 days of a decision, doubly robust \(\d+ logged decisions, observed \d+\.\d%\): baseline \d+\.\d% \(95% -?\d+\.\d%–\d+\.\d%\), wait \d+\.\d% /);
    await shot('jobs-backtest');
  });

  it('switches to zh-CN labels throughout', async () => {
    await page.click('#locale-switch');
    await page.getByText('仪表盘').waitFor();
    await page.click('nav a[data-view=dashboard]');
    await page.locator('#chart-outcomes text', { hasText: '触达率' }).first().waitFor();
    expect(await page.locator('[data-kpi="kpi.reachRate"] span').textContent()).toBe('触达率');
    await shot('dashboard-zh-CN');
    await page.click('#locale-switch');
    await page.getByText('Dashboard').waitFor();
  });
  it('opens a reminder\'s chat link on a phone, shows what is owed and compares instalment plans', async () => {
    // A link from a real reminder the demo sent, to a debtor who still owes something.
    const sent = await call('GET', '/v1/messages?channel=sms&status=sent&limit=200');
    const tokens = sent.items.map((m: { text: string | null }) => /\/p\/([A-Za-z0-9_-]{40})/.exec(m.text ?? '')?.[1]).filter(Boolean) as string[];
    expect(tokens.length).toBeGreaterThan(0);
    let token: string | undefined;
    for (const candidate of tokens) {
      const opened = await fetch(`${server.address}/v1/chat/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: candidate }) });
      if (opened.ok && ((await opened.json()) as { replies: Array<{ kind: string }> }).replies[0]?.kind === 'balance') {
        token = candidate;
        break;
      }
    }
    expect(token, 'a sent SMS whose debtor still owes').toBeDefined();
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(`${server.address}/p/${token}`);
      const balance = phone.locator('.bubble[data-kind=balance]').last();
      await balance.locator('.chat-card dd').first().waitFor();
      // The first suggested answer after the balance is the instalment comparison, in either language.
      await balance.locator('.quick button').first().click();
      const plans = phone.locator('.bubble[data-kind=instalment_options]');
      await plans.locator('.chat-card').first().waitFor();
      expect(await plans.locator('.chat-card').count()).toBeGreaterThanOrEqual(2);
      expect(await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: join(SHOTS, 'chat-phone.png'), fullPage: true });
      await phone.goto(`${server.address}/p/${token!.slice(0, -1)}${token!.endsWith('A') ? 'B' : 'A'}`);
      await phone.locator('#link-expired').waitFor();
      expect(await phone.locator('.chat-card').count()).toBe(0);
      await phone.screenshot({ path: join(SHOTS, 'chat-expired.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
