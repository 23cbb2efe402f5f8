import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChatLink } from '../src/conversation/verification.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { allText, assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

/**
 * Nothing about a debt is said before the sender is known: an SMS from the registered phone is,
 * a web chat or an unknown number is not until it verifies (last four of the ID number and date of
 * birth, or a signed chat link), and verification binds to that sender alone.
 */
describe.each(DATABASE_KINDS)('verification before disclosure (%s)', (kind) => {
  let h: Harness;
  // Every figure and reference of both debtors: none may appear in an answer to an unverified sender.
  const SECRETS = ['731.45', '731', 'ver-a-bill', '98.10', 'ver-b-bill', 'Alice', 'Bob', '2026-02-', 'USD'];
  const assertDiscloses = (text: string, nothingOf: readonly string[]) => {
    for (const secret of nothingOf) expect(text, `leaked ${secret}`).not.toContain(secret);
  };

  let a: { id: string }, b: { id: string };
  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: assistantPolicy() });
    a = await createDebtor(h, 'ver-a', { name: 'Alice', identities: { phone: '+14155550131', email: 'alice@example.com', idNumber: '110105199005171234' }, attributes: { dateOfBirth: '1990-05-17' } });
    b = await createDebtor(h, 'ver-b', { name: 'Bob', identities: { phone: '+14155550132', email: 'bob@example.com', idNumber: 'P9876543' }, attributes: { dateOfBirth: '1985-11-02' } });
    await createBill(h, 'ver-a', 'ver-a-bill', '731.45', 'USD', '2026-02-20');
    await createBill(h, 'ver-b', 'ver-b-bill', '98.10', 'USD', '2026-02-21');
  });
  afterAll(async () => h?.close());

  it('an unknown number is asked to verify and told nothing; its STOP changes nothing', async () => {
    const r = await say(h, 'sms', { phone: '+14155550199' }, 'How much do I owe?');
    expect(r.status).toBe(200);
    expect(r).toMatchObject({ customerId: null, handledAs: 'verification' });
    expect(kinds(r)).toEqual(['verify']);
    assertDiscloses(allText(r), SECRETS);
    const stop = await say(h, 'sms', { phone: '+14155550199' }, 'STOP');
    expect(stop.body).toEqual({ customerId: null, handledAs: 'unknown_sender', replies: [] });
  });

  it('a web chat claiming a registered email must verify; wrong answers fail and lock; the claim never reaches the timeline', async () => {
    const from = { email: 'alice@example.com' };
    const r = await say(h, 'web', from, 'What is my balance?');
    expect(kinds(r)).toEqual(['verify']);
    expect(r.customerId).toBeNull();
    assertDiscloses(allText(r), SECRETS);
    // Bob's digits and birth date do not open Alice's account.
    const wrong = await say(h, 'web', from, '3543 1985-11-02');
    expect(kinds(wrong)).toEqual(['verify_failed']);
    assertDiscloses(allText(wrong), SECRETS);
    expect(kinds(await say(h, 'web', from, '1234 1990-05-18'))).toEqual(['verify_failed']);
    expect(kinds(await say(h, 'web', from, '1234 1991-05-17'))).toEqual(['verify_locked']);
    // Locked: even the right answer is refused until the lock expires.
    const locked = await say(h, 'web', from, '1234 1990-05-17');
    expect(kinds(locked)).toEqual(['verify_locked']);
    assertDiscloses(allText(locked), SECRETS);
    const timeline = await h.app.db.selectFrom('interaction_events').select('kind').where('customer_id', '=', a.id).execute();
    expect(timeline).toEqual([]);
  });

  it('the last four of the ID number and the date of birth verify a web session, for that session only', async () => {
    const session = { webSessionId: 'browser-session-0001' };
    expect(kinds(await say(h, 'web', session, 'hello'))).toEqual(['verify']);
    const ok = await say(h, 'web', session, 'ID ends 1234, born 1990年5月17日');
    expect(ok).toMatchObject({ customerId: a.id, handledAs: 'verification' });
    expect(kinds(ok)).toEqual(['verified']);
    assertDiscloses(allText(ok), SECRETS);
    const balance = await say(h, 'web', session, 'How much do I owe?');
    expect(kinds(balance)).toEqual(['balance']);
    expect(balance.replies[0]!.text).toContain('731.45 USD');
    assertDiscloses(allText(balance), ['98.10', 'ver-b-bill']);
    // Another browser gets nothing from the first one's verification.
    const other = await say(h, 'web', { webSessionId: 'browser-session-0002' }, 'How much do I owe?');
    expect(kinds(other)).toEqual(['verify']);
    assertDiscloses(allText(other), SECRETS);
  });

  it('a signed chat link verifies as its customer; a forged, expired or unsubscribe-only token does not', async () => {
    const now = h.app.clock.now();
    const link = signChatLink(h.app.links, b.id, new Date(now.getTime() + 86_400_000));
    const session = { webSessionId: 'browser-session-0003' };
    const forged = await say(h, 'web', session, 'How much do I owe?', `${link.slice(0, -2)}xx`);
    expect(kinds(forged)).toEqual(['verify']);
    const expired = await say(h, 'web', session, 'How much do I owe?', signChatLink(h.app.links, b.id, new Date(now.getTime() - 1000)));
    expect(kinds(expired)).toEqual(['verify']);
    const unsubscribeToken = h.app.links.sign({ c: b.id, ch: 'email' }, new Date(now.getTime() + 86_400_000));
    expect(kinds(await say(h, 'web', session, 'How much do I owe?', unsubscribeToken))).toEqual(['verify']);
    const linked = await say(h, 'web', session, 'How much do I owe?', link);
    expect(kinds(linked)).toEqual(['balance']);
    expect(linked.replies[0]!.text).toContain('ver-b-bill: 98.10 USD');
    assertDiscloses(allText(linked), ['731.45', 'ver-a-bill']);
  });

  it('an answer that matches two people verifies nobody', async () => {
    const c = await createDebtor(h, 'ver-c', { identities: { idNumber: 'Q5551234' }, attributes: { dateOfBirth: '1990-05-17' } });
    await createBill(h, 'ver-c', 'ver-c-bill', '5.00', 'USD', '2026-02-21');
    const r = await say(h, 'web', { webSessionId: 'browser-session-0004' }, '1234 1990-05-17');
    expect(kinds(r)).toEqual(['verify_failed']);
    expect(r.customerId).toBeNull();
    expect(c.id).not.toBe(a.id);
  });
});
