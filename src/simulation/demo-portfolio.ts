import type { App } from '../app.js';
import { DAY_MS } from '../core/time.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { createRandom, type Random } from './random.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '建华'];
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Maria', 'Daniel', 'Sarah', 'Emily', 'Carlos'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Moore'];

interface Market {
  locale: 'zh-CN' | 'en';
  timezones: readonly string[];
  currency: string;
  share: number;
}

const MARKETS: readonly Market[] = [
  { locale: 'zh-CN', timezones: ['Asia/Shanghai', 'Asia/Urumqi'], currency: 'CNY', share: 0.55 },
  { locale: 'en', timezones: ['America/New_York', 'America/Chicago', 'America/Los_Angeles'], currency: 'USD', share: 0.4 },
  { locale: 'en', timezones: ['Europe/London'], currency: 'GBP', share: 0.05 },
];

function pickMarket(random: Random): Market {
  let roll = random.next();
  for (const market of MARKETS) {
    roll -= market.share;
    if (roll < 0) return market;
  }
  return MARKETS[0]!;
}

function phoneFor(market: Market, random: Random): string | undefined {
  if (market.currency === 'CNY') return `+86139${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
  if (market.currency === 'USD') return `+1415${random.int(200, 999)}${String(random.int(0, 9999)).padStart(4, '0')}`;
  return undefined;
}

function amountFor(market: Market, kind: string, random: Random): string {
  const base = kind === 'order' ? random.int(20, 600) : kind === 'bill' ? random.int(30, 400) : random.int(300, 5000);
  const scale = market.currency === 'CNY' ? 7 : 1;
  return `${base * scale}.${String(random.int(0, 99)).padStart(2, '0')}`;
}

/** One demo debtor: a customer, one to three receivables due from five months ago to three weeks ahead, some part-paid. */
function demoItems(index: number, now: Date, random: Random): Array<{ type: string; data: Record<string, unknown> }> {
  const market = pickMarket(random);
  const externalId = `demo-c${String(index).padStart(5, '0')}`;
  const name = market.locale === 'zh-CN' ? `${random.pick(SURNAMES)}${random.pick(GIVEN)}` : `${random.pick(FIRST)} ${random.pick(LAST)}`;
  const phone = phoneFor(market, random);
  const items: Array<{ type: string; data: Record<string, unknown> }> = [
    {
      type: 'customer',
      data: {
        externalId,
        name,
        locale: market.locale,
        timezone: random.pick(market.timezones),
        identities: { ...(phone ? { phone } : {}), email: `debtor${index}@example.com`, ...(market.locale === 'zh-CN' ? { wechatOpenId: `o-demo-${index}` } : {}) },
        consents: { sms: random.chance(0.9), email: true, voice: random.chance(0.7), wechat: market.locale === 'zh-CN', app: random.chance(0.5), push: random.chance(0.5) },
      },
    },
  ];
  const receivables = random.int(1, 3);
  for (let r = 0; r < receivables; r += 1) {
    const kind = random.pick(['order', 'bill', 'instalment'] as const);
    const dueAt = new Date(now.getTime() + random.int(-150, 21) * DAY_MS).toISOString().slice(0, 10);
    const receivableId = `${externalId}-r${r}`;
    const amount = amountFor(market, kind, random);
    items.push({ type: 'receivable', data: { externalId: receivableId, customerExternalId: externalId, kind, amount, currency: market.currency, dueAt } });
    if (random.chance(0.15)) {
      const part = (BigInt(amount.replace('.', '')) / 3n).toString().padStart(3, '0');
      items.push({ type: 'payment', data: { externalId: `${receivableId}-p0`, receivableExternalId: receivableId, amount: `${part.slice(0, -2)}.${part.slice(-2)}`, paidAt: now.toISOString() } });
    }
  }
  return items;
}

/**
 * Loads a few thousand debtors in zh-CN and en, in several time zones, at every stage, through the
 * same ingestion path as the API. Does nothing when customers already exist, so restarts keep state.
 */
export async function loadDemoPortfolio(app: App, options: { customers?: number; seed?: number } = {}): Promise<{ customers: number; items: number }> {
  const existing = await app.db.selectFrom('customers').select('id').limit(1).execute();
  if (existing.length > 0) return { customers: 0, items: 0 };
  const count = options.customers ?? 3000;
  const random = createRandom(options.seed ?? 20261122);
  const now = app.clock.now();
  let items: Array<{ type: string; data: Record<string, unknown> }> = [];
  let total = 0;
  for (let i = 1; i <= count; i += 1) {
    items.push(...demoItems(i, now, random));
    if (items.length >= 5000 || i === count) {
      const result = await ingestBatch({ db: app.db, vault: app.vault, stages: app.config.stages, now, actor: 'system:demo', source: 'demo' }, items);
      if (result.counts.rejected > 0) {
        const first = result.results.find((r) => r.status === 'rejected');
        throw new Error(`demo portfolio item rejected: ${JSON.stringify(first)}`);
      }
      total += items.length;
      items = [];
    }
  }
  return { customers: count, items: total };
}
