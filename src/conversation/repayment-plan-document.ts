import type { Config } from '../config.js';
import { type Result, fail, ok } from '../core/errors.js';
import type { LinkSigner } from '../core/signed-links.js';
import type { Db } from '../db/database.js';
import { loadCustomer, loadOwed, localDay, totalsByCurrency } from './account.js';
import { localeOf } from './assistant-texts.js';
import { PLAN_PERIODS, plansFor } from './flows-plans.js';
import { renderRepaymentPlanPdf } from './repayment-plan-pdf.js';

/**
 * The PDF behind a plan link: the token names the customer, the number of instalments and the instant
 * the plan was offered; the balance is read now, so a payment made since is reflected.
 */
export async function repaymentPlanDocument(deps: { db: Db; links: LinkSigner; config: Config }, token: string, now: Date): Promise<Result<Buffer>> {
  const claims = deps.links.verify(token, now);
  const periods = Number(claims?.n);
  const offeredAt = Number(claims?.t);
  if (!claims || claims.p !== 'plan' || !claims.c || !(PLAN_PERIODS as readonly number[]).includes(periods) || !Number.isFinite(offeredAt)) {
    return fail({ type: 'unauthorized', message: 'the plan link is invalid or has expired; ask the assistant for the plans again', details: [{ field: 'query.token', reason: 'not a valid plan link' }] });
  }
  const customer = await loadCustomer(deps.db, claims.c);
  const total = totalsByCurrency(await loadOwed(deps.db, customer.id))[0];
  if (!total) return fail({ type: 'not_found', message: 'nothing is owed any more: there is no plan to show', details: [{ field: 'query.token', reason: 'nothing owed' }] });
  const offered = new Date(offeredAt * 1000);
  const plan = plansFor(total.minor, offered, customer.timezone, deps.config.assistant.instalments).find((p) => p.periods === periods)!;
  return ok(await renderRepaymentPlanPdf({ plan, currency: total.currency, locale: localeOf(customer.locale), accountRef: customer.externalId, generatedOn: localDay(now, customer.timezone) }));
}
