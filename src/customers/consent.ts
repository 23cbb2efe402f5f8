import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import { appendAudit } from '../compliance/audit-log.js';
import { scheduleAttempts } from '../delivery/attempt-queue.js';

const ACKNOWLEDGEMENT: Record<string, (channel: Channel) => string> = {
  en: (channel) => `You have unsubscribed from ${channel === 'email' ? 'email' : 'text'} reminders and will receive no more. Reply START to subscribe again.`,
  'zh-CN': (channel) => `您已退订${channel === 'email' ? '邮件' : '短信'}提醒，此后将不再收到此类消息。回复“订阅”可重新开启。`,
};

export interface OptOutResult {
  /** False when the channel was already opted out: nothing changed and no second acknowledgement goes out. */
  changed: boolean;
  cancelledAttempts: number;
  acknowledgement: string | null;
}

/**
 * Honours an opt-out at once, in one transaction: consent withdrawn and recorded in the ledger,
 * every scheduled reminder on that channel cancelled, and one acknowledgement queued. A repeated
 * STOP finds nothing to change and sends nothing.
 */
export async function optOut(db: Db, now: Date, input: { customerId: string; channel: Channel; source: string; actor: string }): Promise<OptOutResult> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select(['locale', 'consents'])
      .where('id', '=', input.customerId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (customer.consents[input.channel] === false) return { changed: false, cancelledAttempts: 0, acknowledgement: null };

    await sql`update customers set consents = consents || ${JSON.stringify({ [input.channel]: false })}::jsonb, updated_at = ${now}::timestamptz where id = ${input.customerId}`.execute(trx);
    const ledger = await trx
      .insertInto('consent_ledger')
      .values({ customer_id: input.customerId, channel: input.channel, granted: false, source: input.source, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cancelled = await sql`
      update contact_attempts set status = 'cancelled', last_error = 'opted out', updated_at = ${now}::timestamptz
      where customer_id = ${input.customerId} and channel = ${input.channel} and status = 'scheduled'`.execute(trx);
    const text = (ACKNOWLEDGEMENT[customer.locale] ?? ACKNOWLEDGEMENT.en!)(input.channel);
    await scheduleAttempts(trx, now, [
      {
        // Keyed by the ledger entry: one acknowledgement per opt-out, however often STOP is repeated.
        idempotencyKey: `opt-out-ack:${ledger.id}`,
        customerId: input.customerId,
        receivableIds: [],
        channel: input.channel,
        templateId: 'opt_out_acknowledgement',
        content: { text, subject: text, locale: customer.locale, transactional: true },
        dueAt: now,
        decision: { rule: 'opt_out_acknowledgement', reason: `the customer opted out of ${input.channel} via ${input.source}` },
      },
    ]);
    await appendAudit(trx, now, { actor: input.actor, action: 'consent.withdrawn', subject: input.customerId, details: { channel: input.channel, source: input.source } });
    return { changed: true, cancelledAttempts: Number(cancelled.numAffectedRows ?? 0n), acknowledgement: text };
  });
}
