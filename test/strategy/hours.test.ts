import { describe, expect, test } from 'vitest';
import { POLICY_RULES, US_REG_F_RULES } from '../../src/strategy/index.js';
import { at, context, loadDefault, policyFrom, type ContextOverrides } from './fixtures.js';

const regF = policyFrom({ packs: ['us-reg-f'], stages: { m1: { channels: ['app'], templates: { app: ['t-app'] } } } });
const app = (now: string, customer: ContextOverrides['customer'] = {}) => regF.evaluate(context(now, { customer })).decisions[0]!;

describe('contact hours in the debtor\'s own timezone', () => {
  test('New York and Shanghai debtors get different answers at the same instant', () => {
    const policy = loadDefault();
    const now = '2026-03-10T13:30:00Z'; // 09:30 in New York (EDT), 21:30 in Shanghai
    const ny = policy.evaluate(context(now, { customer: { timezone: 'America/New_York', jurisdiction: 'US' } })).decisions[0]!;
    const sh = policy.evaluate(context(now, { customer: { timezone: 'Asia/Shanghai', locale: 'zh-CN', jurisdiction: 'CN' } })).decisions[0]!;
    expect([ny.channel, ny.outcome, ny.sendAt]).toEqual(['app', 'allowed', at(now)]);
    expect([sh.channel, sh.outcome, sh.sendAt, sh.rule]).toEqual(['app', 'delayed', at('2026-03-11T01:00:00Z'), 'cn-collection.contact-hours']);
    expect(sh.notes.map((n) => n.rule)).toEqual(['cn-collection.contact-hours', POLICY_RULES.hours]);
    expect(sh.templates).toEqual(['m1-app-zh']);
    expect(ny.templates).toEqual(['m1-app-en']);
  });

  test('08:00 and 21:00 are the edges: 07:59 waits, 08:00 goes, 20:59 goes, 21:00 waits', () => {
    expect(app('2026-03-10T11:59:00Z').sendAt).toEqual(at('2026-03-10T12:00:00Z'));
    expect(app('2026-03-10T12:00:00Z').outcome).toBe('allowed');
    expect(app('2026-03-11T00:59:00Z').outcome).toBe('allowed');
    const late = app('2026-03-11T01:00:00Z');
    expect([late.outcome, late.rule, late.sendAt]).toEqual(['delayed', US_REG_F_RULES.hours, at('2026-03-11T12:00:00Z')]);
  });

  test('the window follows New York across the March DST change', () => {
    // Saturday 7 March, 07:30 EST: opens at 08:00 EST = 13:00Z.
    expect(app('2026-03-07T12:30:00Z').sendAt).toEqual(at('2026-03-07T13:00:00Z'));
    // Saturday 21:00 EST: the next opening is Sunday 08:00 EDT, after the change = 12:00Z.
    expect(app('2026-03-08T02:00:00Z').sendAt).toEqual(at('2026-03-08T12:00:00Z'));
    // 01:30 EST on the night of the change.
    expect(app('2026-03-08T06:30:00Z').sendAt).toEqual(at('2026-03-08T12:00:00Z'));
    // Monday 07:30 EDT = 11:30Z: opens at 12:00Z, an hour earlier in UTC than the week before.
    expect(app('2026-03-09T11:30:00Z').sendAt).toEqual(at('2026-03-09T12:00:00Z'));
    expect(app('2026-03-09T12:30:00Z').outcome).toBe('allowed'); // 08:30 EDT, but 07:30 in EST terms
  });

  test('an unknown timezone: the window must hold in every candidate zone', () => {
    const zones = { timezone: undefined, candidateZones: ['Asia/Shanghai', 'America/New_York'] };
    // 08:00 in Shanghai and 20:00 in New York: open in both.
    expect(app('2026-03-10T00:00:00Z', zones).outcome).toBe('allowed');
    // 10:00 in Shanghai but 22:00 in New York: wait for 08:00 in New York, 20:00 in Shanghai.
    expect(app('2026-03-10T02:00:00Z', zones).sendAt).toEqual(at('2026-03-10T12:00:00Z'));
    // Each zone alone would have allowed something else.
    expect(app('2026-03-10T02:00:00Z', { timezone: 'Asia/Shanghai' }).outcome).toBe('allowed');
  });

  test('no zone at all, or a zone name the tz database does not know, is blocked rather than guessed', () => {
    const none = app('2026-03-10T15:00:00Z', { timezone: undefined });
    expect([none.outcome, none.rule]).toEqual(['blocked', US_REG_F_RULES.hours]);
    expect(app('2026-03-10T15:00:00Z', { timezone: 'Mars/Olympus' }).outcome).toBe('blocked');
  });

  test('zones that never share an open minute block the contact', () => {
    const narrow = policyFrom({
      stages: { m1: { channels: ['app'], templates: { app: ['t-app'] }, contactHours: { start: '09:00', end: '10:00' } } },
    });
    const d = narrow.evaluate(context('2026-03-10T02:00:00Z', { customer: { timezone: undefined, candidateZones: ['Asia/Shanghai', 'America/New_York'] } })).decisions[0]!;
    expect([d.outcome, d.rule]).toEqual(['blocked', POLICY_RULES.hours]);
    expect(d.reason).toContain('no instant in the coming week');
  });

  test('per-weekday windows, closed days and a deliberate wrap across midnight', () => {
    const policy = policyFrom({
      stages: {
        m1: {
          channels: ['app'],
          templates: { app: ['t-app'] },
          contactHours: { start: '22:00', end: '02:00', wrap: true, weekdays: { sun: 'closed', sat: { start: '12:00', end: '13:00' } } },
        },
      },
    });
    const evalAt = (now: string) => policy.evaluate(context(now, { customer: { timezone: 'UTC' } })).decisions[0]!;
    expect(evalAt('2026-03-10T23:00:00Z').outcome).toBe('allowed'); // Tuesday 23:00
    expect(evalAt('2026-03-11T01:30:00Z').outcome).toBe('allowed'); // Wednesday 01:30, the wrapped part
    expect(evalAt('2026-03-11T02:00:00Z').sendAt).toEqual(at('2026-03-11T22:00:00Z'));
    // Saturday 14:00: Saturday's window is over, Sunday is closed, Monday's early part opens at 00:00.
    expect(evalAt('2026-03-14T14:00:00Z').sendAt).toEqual(at('2026-03-16T00:00:00Z'));
  });
});
