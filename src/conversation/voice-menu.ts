import { sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { loadOwed } from './account.js';
import { renderVoiceAnswer, type VoiceAnswer } from './voice-menu-twiml.js';

/**
 * The reminder call's keys (TwiML Gather actions). The call opens by asking who answered: 1 (the
 * debtor) hears the reminder and its menu, anything else, or silence, a goodbye that says nothing
 * about a debt, since telling a third party of a debt is what FDCPA 805(b) forbids. In the menu, 1 is
 * the balance, 2 instalment options, 0 an agent. Every key the debtor presses is recorded as a
 * `call.conversation` event: a debtor who answered our call and used it has had a telephone
 * conversation, which under Reg F pauses further calls.
 */
export interface VoiceMenuInput {
  callSid: string;
  /** What the debtor pressed; empty when the Gather timed out. */
  digits: string;
  /** Which Gather of this call the keys answer (1 = the reminder's own); carried in the action URL. */
  step: number;
  /** Whether this Gather was already the repeat after a wrong or missing key. */
  retry: boolean;
  /** Whether the keys answer the call's opening question (is this the debtor?). */
  check?: boolean;
}

export interface VoiceMenuDeps {
  db: Db;
  clock: Clock;
  /** Key 0 dials this number; without it an agent calls back. */
  agentNumber?: string | undefined;
}

export interface VoiceMenuResult {
  twiml: string;
  /** Whether this request wrote the key press (false for a replay, an unknown call or no key). */
  recorded: boolean;
}

// A caller who keeps the line open forever still gets a goodbye eventually.
const MAX_STEPS = 12;

interface CallContext {
  customerId: string;
  receivableId: string | null;
  locale: string;
  timezone: string;
  /** What the call says once the debtor has confirmed who they are (MessageContent.disclosureTwiml). */
  disclosureTwiml: string | null;
}

/** The customer behind a call: the attempt whose provider id is the call's CallSid. */
async function findCall(db: Db, callSid: string): Promise<CallContext | undefined> {
  const row = await db
    .selectFrom('contact_attempts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.customer_id', 'a.receivable_ids', 'c.locale', 'c.timezone', sql<string | null>`a.content->>'disclosureTwiml'`.as('disclosure_twiml')])
    .where('a.channel', '=', 'voice')
    .where('a.provider_message_id', '=', callSid)
    .orderBy('a.created_at', 'desc')
    .executeTakeFirst();
  if (!row) return undefined;
  return { customerId: row.customer_id, receivableId: row.receivable_ids[0] ?? null, locale: row.locale, timezone: row.timezone, disclosureTwiml: row.disclosure_twiml };
}

/** Keyed per call and step, so Twilio retrying the same request (or anyone replaying it) records it once. */
async function recordEvent(db: Db, now: Date, call: CallContext, externalId: string, kind: string, payload: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .insertInto('interaction_events')
    .values({ external_id: externalId, customer_id: call.customerId, receivable_id: call.receivableId, kind, channel: 'voice', occurred_at: now, payload: JSON.stringify(payload), created_at: now })
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return result !== undefined;
}

async function chooseAnswer(deps: VoiceMenuDeps, call: CallContext, input: VoiceMenuInput, now: Date): Promise<VoiceAnswer> {
  if (input.step > MAX_STEPS) return { kind: 'goodbye' };
  switch (input.digits) {
    case '1':
      return { kind: 'balance', items: await loadOwed(deps.db, call.customerId) };
    case '2':
      return { kind: 'instalments', items: await loadOwed(deps.db, call.customerId) };
    case '0': {
      // The handoff is on the timeline either way; without a number to dial it is also the agent's to-do.
      const mode = deps.agentNumber ? 'dial' : 'callback';
      await recordEvent(deps.db, now, call, `call:${input.callSid}:handoff`, 'handoff.requested', { channel: 'voice', mode, callSid: input.callSid, reason: 'voice_menu' });
      return { kind: 'agent', dial: deps.agentNumber };
    }
    default:
      return input.retry ? { kind: 'goodbye' } : { kind: 'repeat' };
  }
}

/**
 * The opening question's answer. Only 1 discloses; a wrong party is recorded (without anything they
 * said) so that staff can see the number may not be the debtor's. A call rendered without a separate
 * disclosure answers 1 as the menu's 1: the balance.
 */
async function answerIdentity(deps: VoiceMenuDeps, call: CallContext, input: VoiceMenuInput, now: Date): Promise<{ answer: VoiceAnswer; recorded: boolean }> {
  if (input.digits === '1') {
    const recorded = await recordEvent(deps.db, now, call, `call:${input.callSid}:identity`, 'call.conversation', { initiatedBy: 'collector', digits: '1', callSid: input.callSid, rightParty: true });
    return { answer: call.disclosureTwiml ? { kind: 'disclosure', twiml: call.disclosureTwiml } : { kind: 'balance', items: await loadOwed(deps.db, call.customerId) }, recorded };
  }
  if (input.digits === '') return { answer: { kind: 'wrong_party' }, recorded: false };
  const recorded = await recordEvent(deps.db, now, call, `call:${input.callSid}:identity`, 'call.wrong_party', { callSid: input.callSid });
  return { answer: { kind: 'wrong_party' }, recorded };
}

/** Answers one Gather of a reminder call with TwiML, recording the key press first. */
export async function answerVoiceMenu(deps: VoiceMenuDeps, input: VoiceMenuInput): Promise<VoiceMenuResult> {
  const ctx = (locale: string, timezone: string) => ({ locale, timezone, nextStep: input.step + 1 });
  const call = await findCall(deps.db, input.callSid);
  // Not our call: nothing is said about any debt, and nothing is recorded against anyone.
  if (!call) return { twiml: renderVoiceAnswer({ kind: 'unknown_call' }, ctx('en', 'UTC')), recorded: false };
  const now = deps.clock.now();
  if (input.check) {
    const { answer, recorded } = await answerIdentity(deps, call, input, now);
    return { twiml: renderVoiceAnswer(answer, ctx(call.locale, call.timezone)), recorded };
  }
  const recorded =
    input.digits !== '' &&
    (await recordEvent(deps.db, now, call, `call:${input.callSid}:${input.step}`, 'call.conversation', { initiatedBy: 'collector', digits: input.digits, callSid: input.callSid }));
  const answer = await chooseAnswer(deps, call, input, now);
  return { twiml: renderVoiceAnswer(answer, ctx(call.locale, call.timezone)), recorded };
}
