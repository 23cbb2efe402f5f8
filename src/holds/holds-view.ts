import type { Db } from '../db/database.js';
import { type DisputeView, toDisputeView } from './disputes.js';
import { type PromiseView, toPromiseView } from './promises.js';

export interface HoldsView {
  openDisputes: DisputeView[];
  /** The most recent promises first, whatever their status. */
  promises: PromiseView[];
}

const RECENT_PROMISES = 20;

/** What holds a customer's collection back, for the single view. */
export async function loadHoldsView(db: Db, customerId: string): Promise<HoldsView> {
  const [disputes, promises] = await Promise.all([
    db.selectFrom('disputes').selectAll().where('customer_id', '=', customerId).where('status', '=', 'open').orderBy('opened_at', 'desc').execute(),
    db.selectFrom('promises_to_pay').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(RECENT_PROMISES).execute(),
  ]);
  return { openDisputes: disputes.map(toDisputeView), promises: promises.map(toPromiseView) };
}
