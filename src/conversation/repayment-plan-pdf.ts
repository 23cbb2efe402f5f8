import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatMinor } from '../core/money.js';
import type { AssistantLocale } from './assistant-texts.js';
import type { InstalmentPlan } from './instalment-math.js';

// Noto Sans Hans (SIL OFL) arrives with `npm install` in @embedpdf/fonts-sc: nothing is fetched at run time.
const require = createRequire(import.meta.url);
const CJK_FONT = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');

const LABELS = {
  en: { title: 'Repayment plan', customer: 'Account', plan: (n: number) => `${n} monthly instalments`, principal: 'Balance', fee: 'Fee (with the first instalment)', interest: 'Total interest', total: 'Total to pay', apr: 'APR', columns: ['#', 'Due date', 'Payment', 'Principal', 'Interest', 'Fee', 'Balance after'], note: 'Interest is charged monthly on the remaining balance; amounts are rounded to the cent, and the last instalment settles the rounding.' },
  'zh-CN': { title: '还款计划', customer: '账户', plan: (n: number) => `分${n}期，每月还款`, principal: '本金', fee: '手续费（随首期支付）', interest: '利息合计', total: '还款总额', apr: '年化利率', columns: ['期数', '还款日', '应还金额', '本金', '利息', '手续费', '剩余本金'], note: '利息按剩余本金逐月计算，金额四舍五入到分，尾差在最后一期结清。' },
};

/** A one-page (or more) PDF of a plan's schedule, in the debtor's language, with a CJK font embedded as a subset. */
export function renderRepaymentPlanPdf(input: { plan: InstalmentPlan; currency: string; locale: AssistantLocale; accountRef: string; generatedOn: string }): Promise<Buffer> {
  const { plan, currency, locale } = input;
  const l = LABELS[locale];
  const m = (minor: bigint) => `${formatMinor(minor, currency)} ${currency}`;
  // Fixed metadata dates keep the output a function of its input.
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: l.title, CreationDate: new Date(`${input.generatedOn}T00:00:00Z`), ModDate: new Date(`${input.generatedOn}T00:00:00Z`) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', CJK_FONT);
  doc.font('cjk').fontSize(18).text(l.title);
  doc.fontSize(10).moveDown(0.5).text(`${l.customer}: ${input.accountRef}    ${input.generatedOn}`);
  doc.moveDown().fontSize(12).text(l.plan(plan.periods));
  doc.fontSize(10);
  for (const [label, value] of [[l.principal, m(plan.principalMinor)], [l.fee, m(plan.feeMinor)], [l.interest, m(plan.totalInterestMinor)], [l.total, m(plan.totalPaidMinor)], [l.apr, `${plan.apr}%`]] as const) {
    doc.text(`${label}: ${value}`);
  }
  doc.moveDown();
  const widths = [30, 75, 80, 80, 70, 60, 90];
  const row = (cells: readonly string[]) => {
    const y = doc.y;
    let x = doc.page.margins.left;
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: widths[i]!, lineBreak: false });
      x += widths[i]!;
    });
    doc.x = doc.page.margins.left;
    doc.moveDown(0.4);
  };
  row(l.columns);
  for (const line of plan.schedule) {
    row([String(line.period), line.dueDate, formatMinor(line.paymentMinor, currency), formatMinor(line.principalMinor, currency), formatMinor(line.interestMinor, currency), formatMinor(line.feeMinor, currency), formatMinor(line.balanceAfterMinor, currency)]);
  }
  doc.moveDown().fontSize(8).text(l.note, { width: 480 });
  doc.end();
  return done;
}
