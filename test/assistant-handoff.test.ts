import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';
import { assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

/** When a person must answer, and what agents can do then: take over, reply on the customer's channel, hand back. */
describe.each(DATABASE_KINDS)('handoff to humans (%s)', (kind) => {
  let h: Harness;
  const provider = recordingProvider('test');
  let agentKey: string;
  let otherAgentKey: string;
  let analystKey: string;

  const queueEntry = async (customerId: string) => (await h.call('GET', '/v1/agent/queue', undefined, agentKey)).body.items.find((i: { customerId: string }) => i.customerId === customerId);
  const actionsOn = async (customerId: string) => (await h.app.db.selectFrom('audit_log').select('action').where('subject', '=', customerId).orderBy('seq').execute()).map((a) => a.action);

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: assistantPolicy() }, { providerFor: () => provider });
    const key = async (role: string) => (await h.call('POST', '/v1/api-keys', { name: `${role}-key`, role })).body.key as string;
    agentKey = await key('agent');
    otherAgentKey = await key('agent');
    analystKey = await key('analyst');
  });
  afterAll(async () => h?.close());

  const triggers: Array<[string, string, string, string[]]> = [
    ['human_agent', '+14155550161', 'I want to talk to a human', ['handoff']],
    ['complaint', '+14155550162', 'I want to file a complaint', ['handoff']],
    ['debt_restructuring', '+14155550163', 'I cannot afford this, I need to restructure my debt', ['handoff']],
    ['anger', '+14155550164', 'Where is my balance, you idiots?! I am so angry!!!', ['handoff']],
  ];
  for (const [reason, phone, text, expected] of triggers) {
    it(`hands off at once on ${reason}`, async () => {
      const d = await createDebtor(h, `ho-${reason}`, { identities: { phone } });
      await createBill(h, d.externalId, `ho-${reason}-a`, '42.00', 'USD', '2026-02-20');
      const r = await say(h, 'sms', { phone }, text);
      expect(kinds(r)).toEqual(expected);
      expect(await queueEntry(d.id)).toMatchObject({ state: 'queued', handoffReason: reason, lastChannel: 'sms' });
      // The bot says nothing more in a conversation waiting for a person.
      expect(await say(h, 'sms', { phone }, 'How much do I owe?')).toMatchObject({ handledAs: 'agent', replies: [] });
    });
  }

  it('hands off after two misunderstandings in a row, in Chinese too', async () => {
    const d = await createDebtor(h, 'ho-lost', { locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { wechatOpenId: 'o-ho-lost' } });
    const first = await say(h, 'wechat', { wechatOpenId: 'o-ho-lost' }, '今天天气怎么样');
    expect(kinds(first)).toEqual(['not_understood']);
    expect(first.replies[0]!.text).toContain('抱歉，我没有理解');
    const second = await say(h, 'wechat', { wechatOpenId: 'o-ho-lost' }, '今天天气怎么样');
    expect(kinds(second)).toEqual(['handoff']);
    expect(second.replies[0]!.text).toContain('人工客服');
    expect(await queueEntry(d.id)).toMatchObject({ handoffReason: 'not_understood' });
  });

  it('agents see the cross-channel history with PII masked; take over, reply on the last channel, hand back; all audited', async () => {
    const d = await createDebtor(h, 'ho-desk', { name: 'Carol Jones', identities: { phone: '+14155550165', appUserId: 'app-ho-desk' } });
    await createBill(h, d.externalId, 'ho-desk-a', '42.00', 'USD', '2026-02-20');
    expect(kinds(await say(h, 'sms', { phone: '+14155550165' }, 'How much do I owe?'))).toEqual(['balance']);
    expect(kinds(await say(h, 'app', { appUserId: 'app-ho-desk' }, 'I want to talk to a human, my ID is 110105199005171234'))).toEqual(['handoff']);

    expect((await h.call('GET', '/v1/agent/queue', undefined, analystKey)).status).toBe(403);
    const view = await h.call('GET', `/v1/conversations/${d.id}`, undefined, agentKey);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ name: 'C******', state: 'queued', handoffReason: 'human_agent', lastChannel: 'app' });
    expect(view.body.identities).toContainEqual({ kind: 'phone', masked: expect.stringMatching(/^\*+0165$/) });
    const typed = view.body.history.find((e: { text: string | null }) => e.text?.startsWith('I want to talk'));
    expect(typed.text).toBe('I want to talk to a human, my ID is ****1234');
    expect(JSON.stringify(view.body)).not.toContain('110105199005171234');
    expect(JSON.stringify(view.body)).not.toContain('Carol');

    const early = await h.call('POST', `/v1/conversations/${d.id}/reply`, { text: 'Hello, this is Dana.' }, agentKey);
    expect(early.status).toBe(409);

    const taken = await h.call('POST', `/v1/conversations/${d.id}/takeover`, undefined, agentKey);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ state: 'agent' });
    const silent = await say(h, 'app', { appUserId: 'app-ho-desk' }, 'Hello?');
    expect(silent).toMatchObject({ handledAs: 'agent', replies: [] });
    const notHolder = await h.call('POST', `/v1/conversations/${d.id}/reply`, { text: 'Me too' }, otherAgentKey);
    expect(notHolder.status).toBe(409);

    const reply = await h.call('POST', `/v1/conversations/${d.id}/reply`, { text: 'Hello, this is Dana. I can help with a plan.', idempotencyKey: 'r1' }, agentKey);
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ channel: 'app', queued: true });
    const replay = await h.call('POST', `/v1/conversations/${d.id}/reply`, { text: 'Hello, this is Dana. I can help with a plan.', idempotencyKey: 'r1' }, agentKey);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ queued: false, messageId: reply.body.messageId });
    const attempt = await h.app.db.selectFrom('contact_attempts').selectAll().where('id', '=', reply.body.messageId).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ channel: 'app', template_id: 'agent_reply', status: 'scheduled' });
    await h.advance(1);
    expect(provider.received.filter((m) => m.customerId === d.id && m.channel === 'app').map((m) => m.content.text)).toEqual([
      expect.stringContaining('Hello, this is Dana.'),
    ]);

    const back = await h.call('POST', `/v1/conversations/${d.id}/handback`, undefined, agentKey);
    expect(back.status).toBe(200);
    expect((await h.call('POST', `/v1/conversations/${d.id}/handback`, undefined, agentKey)).status).toBe(409);
    expect(kinds(await say(h, 'app', { appUserId: 'app-ho-desk' }, 'How much do I owe?'))).toEqual(['balance']);
    expect(await actionsOn(d.id)).toEqual(expect.arrayContaining(['conversation.viewed', 'conversation.taken_over', 'conversation.agent_replied', 'conversation.handed_back']));
    expect((await actionsOn(d.id)).filter((a) => a === 'conversation.agent_replied')).toHaveLength(1);
    const history = (await h.call('GET', `/v1/conversations/${d.id}`, undefined, agentKey)).body.history.map((e: { kind: string }) => e.kind);
    expect(history.slice(-6)).toEqual(['conversation.taken_over', 'message.inbound', 'agent.reply', 'conversation.handed_back', 'message.inbound', 'assistant.reply']);
  });

  it('an agent can take over a conversation the bot is still answering', async () => {
    const d = await createDebtor(h, 'ho-any', { identities: { phone: '+14155550166' } });
    expect(kinds(await say(h, 'sms', { phone: '+14155550166' }, 'Hello'))).toEqual(['greeting']);
    expect((await h.call('POST', `/v1/conversations/${d.id}/takeover`, undefined, agentKey)).body).toMatchObject({ state: 'agent' });
    expect(await say(h, 'sms', { phone: '+14155550166' }, 'Hello')).toMatchObject({ handledAs: 'agent', replies: [] });
    expect((await h.call('POST', '/v1/conversations/00000000-0000-4000-8000-000000000000/takeover', undefined, agentKey)).status).toBe(404);
  });
});
