import { INSTALMENT_PLANS, splitInstalments } from '../conversation/voice-menu-twiml.js';
import { formatDueDay, formatMoney } from './formats.js';
import type { TemplateValues, Vocabulary } from './template-syntax.js';

/** What a reminder may say, all of it this one customer's own data. */
export interface MessageFacts {
  locale: string;
  /** IANA zone of the debtor; dates are written in it. */
  timezone: string;
  name: string | null;
  /** The instant of rendering: days past due are counted from the group's earliest due date to it. */
  now: Date;
  /** One or more receivables owed: several make one combined message. */
  items: ReadonlyArray<{ amountMinor: bigint; currency: string; dueAt: Date }>;
  /** The signed short pay link, when the deployment issues them. */
  payLink?: string | undefined;
}

/**
 * The variables templates may use. Optional ones may be missing for a given debtor; the compiler only
 * lets a template use them inside a section that guarantees them, so nothing renders as "undefined".
 */
export const VOCABULARY: Vocabulary = {
  name: { optional: true },
  amount: {},
  amounts: {},
  count: {},
  dueDate: {},
  daysPastDue: { optional: true, presentWithin: ['overdue'] },
  payLink: { optional: true },
  instalments: { optional: true, presentWithin: ['instalmentAmount'] },
  instalmentAmount: { optional: true },
  several: { flag: true },
  overdue: { flag: true },
};

/** The facts as one record of strings, in the words of the debtor's locale. */
export interface RenderedFacts extends TemplateValues {
  amount: string;
  amounts: string;
  count: string;
  dueDate: string;
}

// Names come from imported customer data: keep them to one short line of printable text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]/g;
const MAX_NAME = 40;

// Perf: most names need no cleaning; one test spares three replaces per message.
const NEEDS_CLEANING = /[^\S ]|  |^ | $|[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/;

function cleanName(name: string | null): string | undefined {
  if (!name) return undefined;
  if (name.length <= MAX_NAME && !NEEDS_CLEANING.test(name)) return name;
  const clean = name.replace(/\s+/g, ' ').replace(CONTROL, '').replace(/ {2,}/g, ' ').trim();
  if (clean === '') return undefined;
  return [...clean].slice(0, MAX_NAME).join('');
}

function listSeparator(locale: string): string {
  return locale === 'zh-CN' ? '、' : ', ';
}

export function buildValues(facts: MessageFacts): RenderedFacts {
  const { locale, items } = facts;
  if (items.length === 0) throw new Error('a reminder needs at least one receivable');
  const first = items[0]!;
  let earliest = first.dueAt;
  let totals: Array<[string, bigint]> = [[first.currency, first.amountMinor]];
  // Perf: one receivable is the common case, and needs no summing.
  if (items.length > 1) {
    const sums = new Map<string, bigint>();
    for (const item of items) {
      sums.set(item.currency, (sums.get(item.currency) ?? 0n) + item.amountMinor);
      if (item.dueAt < earliest) earliest = item.dueAt;
    }
    totals = [...sums];
  }
  // Amounts in different currencies are never added together.
  const amount = totals.length === 1 ? formatMoney(locale, totals[0]![1], totals[0]![0]) : totals.map(([currency, minor]) => formatMoney(locale, minor, currency)).join(' + ');
  const amounts = items.length === 1 ? amount : items.map((i) => formatMoney(locale, i.amountMinor, i.currency)).join(listSeparator(locale));
  // As the case stages count them (src/receivables/cases.ts): the first late day is day 1.
  const late = facts.now.getTime() - earliest.getTime();
  const overdue = late >= 0;
  const [single] = totals;
  const values = new FactValues(locale, totals.length === 1 ? single : undefined);
  values.name = cleanName(facts.name);
  values.amount = amount;
  values.amounts = amounts;
  values.count = String(items.length);
  values.dueDate = formatDueDay(locale, earliest, facts.timezone);
  values.daysPastDue = overdue ? String(Math.floor(late / 86_400_000) + 1) : undefined;
  values.payLink = facts.payLink || undefined;
  values.several = items.length > 1 ? 'yes' : undefined;
  values.overdue = overdue ? 'yes' : undefined;
  return values as unknown as RenderedFacts;
}

const PLAN_PARTS = INSTALMENT_PLANS[0];

/**
 * The values, with the instalment offer worked out only when a template asks for it (most variants
 * do not). Perf: a class keeps one shape and its getter on the prototype, where an object literal
 * with a getter would build a closure and a slower object per message.
 */
class FactValues {
  name: string | undefined = undefined;
  amount = '';
  amounts = '';
  count = '';
  dueDate = '';
  daysPastDue: string | undefined = undefined;
  payLink: string | undefined = undefined;
  several: string | undefined = undefined;
  overdue: string | undefined = undefined;
  readonly instalments: string | undefined;
  private firstInstalment: string | undefined = undefined;
  private readonly offer: readonly [string, bigint] | undefined;

  constructor(
    private readonly locale: string,
    single: readonly [string, bigint] | undefined,
  ) {
    this.offer = single && single[1] >= BigInt(PLAN_PARTS) ? single : undefined;
    // The same plan the voice menu's key 2 offers, so the message and the call never disagree.
    this.instalments = this.offer ? String(PLAN_PARTS) : undefined;
  }

  get instalmentAmount(): string | undefined {
    if (this.offer && this.firstInstalment === undefined) this.firstInstalment = formatMoney(this.locale, splitInstalments(this.offer[1], PLAN_PARTS)[0]!, this.offer[0]);
    return this.firstInstalment;
  }
}
