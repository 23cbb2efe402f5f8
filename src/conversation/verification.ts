import { sql } from 'kysely';
import type { PiiVault } from '../compliance/pii-vault.js';
import type { LinkSigner } from '../core/signed-links.js';
import type { Db } from '../db/database.js';

/**
 * Who is writing. A sender is identified when the channel itself vouches for the address the customer
 * registered (an SMS from their phone, a push from their WeChat openid, a message from their logged-in
 * app). Anything else (the web chat, an address typed into a form, a number we do not know) is at most
 * a claim, and must verify before anything about a debt is said: the last four characters of the ID
 * number plus the date of birth (customer attribute `dateOfBirth`, YYYY-MM-DD), or a signed link.
 * Verification is stored against a keyed hash of the sender's own address, so it never carries over to
 * another sender who claims the same customer.
 */
export type Trust = { kind: 'identified'; customerId: string } | { kind: 'verified'; customerId: string } | { kind: 'unverified'; claimedCustomerId: string | null };

export interface SenderAddress {
  channel: string;
  field: string;
  value: string;
}

// Which address field each channel itself authenticates.
const VOUCHED: Record<string, string> = { sms: 'phone', voice: 'phone', email: 'email', wechat: 'wechatOpenId', app: 'appUserId' };

export function senderKey(vault: PiiVault, sender: SenderAddress): string {
  return vault.lookupHash('assistant_sender', `${sender.channel}\u0000${sender.field}\u0000${sender.value}`);
}

export function isVouched(sender: SenderAddress): boolean {
  return VOUCHED[sender.channel] === sender.field;
}

export async function establishTrust(
  deps: { db: Db; vault: PiiVault; links: LinkSigner },
  now: Date,
  input: { sender: SenderAddress; resolvedCustomerId: string | null; link?: string | undefined; verificationHours: number },
): Promise<Trust> {
  if (input.resolvedCustomerId && isVouched(input.sender)) return { kind: 'identified', customerId: input.resolvedCustomerId };
  const key = senderKey(deps.vault, input.sender);
  const linked = input.link ? deps.links.verify(input.link, now) : undefined;
  if (linked?.c && linked.p === 'chat') {
    await markVerified(deps.db, now, key, linked.c, input.verificationHours);
    return { kind: 'verified', customerId: linked.c };
  }
  const row = await deps.db.selectFrom('sender_verifications').selectAll().where('sender_key', '=', key).executeTakeFirst();
  if (row?.customer_id && row.verified_until && row.verified_until.getTime() > now.getTime()) return { kind: 'verified', customerId: row.customer_id };
  return { kind: 'unverified', claimedCustomerId: input.resolvedCustomerId };
}

async function markVerified(db: Db, now: Date, key: string, customerId: string, hours: number): Promise<void> {
  const until = new Date(now.getTime() + hours * 3_600_000);
  await sql`
    insert into sender_verifications (sender_key, customer_id, verified_until, failed_attempts, locked_until, updated_at)
    values (${key}, ${customerId}, ${until}::timestamptz, 0, null, ${now}::timestamptz)
    on conflict (sender_key) do update set customer_id = excluded.customer_id, verified_until = excluded.verified_until,
      failed_attempts = 0, locked_until = null, updated_at = excluded.updated_at`.execute(db);
}

export interface VerificationAnswer {
  last4: string;
  dateOfBirth: string;
}

const SEPARATED_DATE = /(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?/u;
const COMPACT_DATE = /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/u;

/** Reads "1234 1990-05-17", "身份证后四位123X，生日1990年5月17日" and the like; undefined when both are not there. */
export function readVerificationAnswer(text: string): VerificationAnswer | undefined {
  const normalised = text.normalize('NFKC');
  const date = SEPARATED_DATE.exec(normalised) ?? COMPACT_DATE.exec(normalised);
  if (!date) return undefined;
  const [year, month, day] = [date[1]!, date[2]!.padStart(2, '0'), date[3]!.padStart(2, '0')];
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  const rest = `${normalised.slice(0, date.index)} ${normalised.slice(date.index + date[0].length)}`;
  const last4 = /(?<![0-9A-Za-z])([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/.exec(rest)?.[1];
  return last4 ? { last4: last4.toUpperCase(), dateOfBirth: `${year}-${month}-${day}` } : undefined;
}

async function matchingCustomers(deps: { db: Db; vault: PiiVault }, answer: VerificationAnswer, onlyCustomerId: string | null): Promise<string[]> {
  let query = deps.db
    .selectFrom('customer_identities as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.customer_id', 'i.ciphertext'])
    .where('i.kind', '=', 'id_number')
    .where(sql<boolean>`c.attributes->>'dateOfBirth' = ${answer.dateOfBirth}`);
  if (onlyCustomerId) query = query.where('i.customer_id', '=', onlyCustomerId);
  // The masked form shows the last four characters; it narrows the rows to decrypt to a handful.
  else query = query.where('i.masked', 'like', `%${answer.last4}`);
  const rows = await query.limit(50).execute();
  return [...new Set(rows.filter((r) => deps.vault.decrypt(r.ciphertext).slice(-4).toUpperCase() === answer.last4).map((r) => r.customer_id))];
}

export type VerificationResult = { kind: 'verified'; customerId: string } | { kind: 'failed'; locked: boolean } | { kind: 'locked' };

/**
 * Checks an answer against the claimed customer, or, for a sender we do not know, against everyone:
 * exactly one match verifies; none or several is a failure (several would mean guessing between people).
 */
export async function attemptVerification(
  deps: { db: Db; vault: PiiVault },
  now: Date,
  input: { sender: SenderAddress; claimedCustomerId: string | null; answer: VerificationAnswer; verificationHours: number; maxFailures: number },
): Promise<VerificationResult> {
  const key = senderKey(deps.vault, input.sender);
  const row = await deps.db.selectFrom('sender_verifications').selectAll().where('sender_key', '=', key).executeTakeFirst();
  if (row?.locked_until && row.locked_until.getTime() > now.getTime()) return { kind: 'locked' };
  const matches = await matchingCustomers(deps, input.answer, input.claimedCustomerId);
  if (matches.length === 1) {
    await markVerified(deps.db, now, key, matches[0]!, input.verificationHours);
    return { kind: 'verified', customerId: matches[0]! };
  }
  const failures = (row?.locked_until ? 0 : (row?.failed_attempts ?? 0)) + 1;
  const locked = failures >= input.maxFailures;
  const lockedUntil = locked ? new Date(now.getTime() + input.verificationHours * 3_600_000) : null;
  await sql`
    insert into sender_verifications (sender_key, customer_id, verified_until, failed_attempts, locked_until, updated_at)
    values (${key}, null, null, ${locked ? 0 : failures}, ${lockedUntil}::timestamptz, ${now}::timestamptz)
    on conflict (sender_key) do update set customer_id = null, verified_until = null, failed_attempts = excluded.failed_attempts,
      locked_until = excluded.locked_until, updated_at = excluded.updated_at`.execute(deps.db);
  return { kind: 'failed', locked };
}

/** A link that opens the chat already verified as this customer (sent in reminders). */
export function signChatLink(links: LinkSigner, customerId: string, expiresAt: Date): string {
  return links.sign({ c: customerId, p: 'chat' }, expiresAt);
}
