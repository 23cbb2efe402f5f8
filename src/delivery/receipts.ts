import { sql } from 'kysely';
import { handleInbound, type InboundDeps, type InboundOutcome } from '../conversation/inbound.js';
import type { ProviderEvent } from './provider.js';

// Receipts arrive out of order (a "read" can overtake its "delivered"): a status only moves forward.
const RANK = `case status when 'sending' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'clicked' then 4 when 'replied' then 5 else 9 end`;
const RANK_OF: Record<string, number> = { delivered: 2, read: 3, clicked: 4 };

export interface AppliedEvents {
  receipts: number;
  unmatched: number;
  inbound: InboundOutcome[];
}

/**
 * Applies a provider's webhook events: receipts move the matching attempt's status forward (or mark
 * it failed), inbound messages go to the same handling as POST /v1/inbound.
 */
export async function applyProviderEvents(deps: InboundDeps, providerId: string, events: ProviderEvent[]): Promise<AppliedEvents> {
  const applied: AppliedEvents = { receipts: 0, unmatched: 0, inbound: [] };
  for (const event of events) {
    if (event.kind === 'inbound') {
      const outcome = await handleInbound(deps, { channel: event.channel, from: event.from as { phone: string }, text: event.text }, `provider:${providerId}`);
      if (outcome.ok) applied.inbound.push(outcome.value);
      continue;
    }
    const now = deps.clock.now();
    const result =
      event.status === 'failed'
        ? await sql`
            update contact_attempts set status = 'failed', last_error = ${`receipt: ${event.reason ?? 'failed'}`}, updated_at = ${now}::timestamptz
            where provider = ${providerId} and provider_message_id = ${event.providerMessageId} and status in ('sending', 'sent')`.execute(deps.db)
        : await sql`
            update contact_attempts set status = ${event.status}, updated_at = ${now}::timestamptz
            where provider = ${providerId} and provider_message_id = ${event.providerMessageId}
              and ${sql.raw(RANK)} < ${RANK_OF[event.status]!}`.execute(deps.db);
    if (Number(result.numAffectedRows ?? 0n) > 0) applied.receipts += 1;
    else applied.unmatched += 1;
  }
  return applied;
}
