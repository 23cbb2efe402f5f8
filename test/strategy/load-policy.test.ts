import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadPolicy } from '../../src/strategy/index.js';
import { DEFAULT_FILE, defaultTemplates } from './fixtures.js';

const text = readFileSync(DEFAULT_FILE, 'utf8');

/** Loads the demo policy with one line replaced, and returns the refusal. */
function refuseEdited(from: string, to: string) {
  expect(text).toContain(from);
  const result = loadPolicy(text.replace(from, to), { file: DEFAULT_FILE, templates: defaultTemplates });
  if (result.ok) throw new Error('expected the edited policy to be refused');
  return result.error;
}

describe('loadPolicy', () => {
  test('the demo policy loads and names itself by id and version', () => {
    const result = loadPolicy(text, { file: DEFAULT_FILE, templates: defaultTemplates });
    expect(result.ok && result.value.ref).toBe('recoup-default@1');
  });

  test('an unknown channel is refused with its exact path, the file and its line', () => {
    const error = refuseEdited('channels: [app, wechat, sms, email, voice]', 'channels: [app, wechat, fax, email, voice]');
    expect(error.type).toBe('validation');
    expect(error.details).toEqual([{ field: 'stages.m1.channels[2]', reason: expect.stringContaining('unknown channel "fax"') }]);
    const line = text.split('\n').findIndex((l) => l.includes('channels: [app, wechat, sms, email, voice]')) + 1;
    expect(error.message).toContain(`${DEFAULT_FILE}:${line} stages.m1.channels[2]`);
    expect(error.message).toContain('the running policy stays in force');
  });

  test('an impossible hour is refused', () => {
    const error = refuseEdited('contactHours: { start: "08:00", end: "21:00" }\n    templates', 'contactHours: { start: "08:00", end: "25:00" }\n    templates');
    expect(error.details).toEqual([{ field: 'stages.pre_due.contactHours.end', reason: '"25:00" is not a time of day (HH:MM, 00:00–24:00)' }]);
  });

  test('a start after the end is refused unless the window says it wraps midnight', () => {
    const error = refuseEdited('contactHours: { start: "08:00", end: "21:00" }\n    templates', 'contactHours: { start: "21:00", end: "08:00" }\n    templates');
    expect(error.details[0]).toEqual({ field: 'stages.pre_due.contactHours', reason: 'start 21:00 is after end 08:00; set wrap: true if the window deliberately crosses midnight' });
    const wrapped = text.replace('contactHours: { start: "08:00", end: "21:00" }\n    templates', 'contactHours: { start: "21:00", end: "08:00", wrap: true }\n    templates');
    expect(loadPolicy(wrapped, { file: DEFAULT_FILE, templates: defaultTemplates }).ok).toBe(true);
  });

  test('a negative cap is refused', () => {
    const error = refuseEdited('voice: { day: 1, week: 3 }', 'voice: { day: -1, week: 3 }');
    expect(error.details).toEqual([{ field: 'stages.m1.caps.channel.voice.day', reason: 'a cap must be a whole number, 0 or more (0 forbids contact); got -1' }]);
  });

  test('a template missing from the catalogue is refused', () => {
    const error = refuseEdited('voice: [m1-voice-zh, m1-voice-en]', 'voice: [m1-voice-zh, m1-voice-fr]');
    expect(error.details).toEqual([{ field: 'stages.m1.templates.voice[1]', reason: 'template "m1-voice-fr" does not exist in the template catalogue' }]);
  });

  test('a template written for another channel is refused', () => {
    const error = refuseEdited('voice: [m1-voice-zh, m1-voice-en]', 'voice: [m1-voice-zh, m1-sms-en]');
    expect(error.details).toEqual([{ field: 'stages.m1.templates.voice[1]', reason: 'template "m1-sms-en" is written for sms, not voice' }]);
  });

  test('an unknown policy pack is refused', () => {
    const error = refuseEdited('- id: gdpr', '- id: hipaa');
    expect(error.details).toEqual([{ field: 'packs[2].id', reason: 'unknown policy pack "hipaa" (known: us-reg-f, cn-collection, gdpr)' }]);
  });

  test('a bad pack option is refused at its path', () => {
    const error = refuseEdited('contactHours: { start: "08:00", end: "21:00" }\n      consentRequired', 'contactHours: { start: "08:00", end: "24:30" }\n      consentRequired');
    expect(error.details).toEqual([{ field: 'packs[1].options.contactHours.end', reason: '"24:30" is not a time of day (00:00–24:00)' }]);
  });

  test('an unknown stage is refused', () => {
    const error = refuseEdited('  m2:\n    channels', '  m9:\n    channels');
    expect(error.details).toEqual([{ field: 'stages.m9', reason: 'unknown stage (known: pre_due, m1, m2, m3_plus, written_off)' }]);
  });

  test('unknown fields, control-group shares and calendar periods are checked', () => {
    expect(refuseEdited('minGapHours: 20', 'minGapHour: 20').details).toEqual([{ field: 'stages.m1.minGapHour', reason: 'is not a known field' }]);
    expect(refuseEdited('share: 0.05', 'share: 1.5').details).toEqual([{ field: 'controlGroup.share', reason: 'must be at least 0 and below 1; got 1.5' }]);
    expect(refuseEdited('to: "2026-11-12T00:00:00+08:00"', 'to: "2026-11-01T00:00:00+08:00"').details).toEqual([
      { field: 'calendar[1]', reason: 'from 2026-11-10T00:00:00+08:00 is not before to 2026-11-01T00:00:00+08:00' },
    ]);
  });

  test('broken YAML and broken JSON are refused with the position', () => {
    const yaml = loadPolicy('id: x\nstages: [\n', { file: 'p.yaml', templates: [] });
    expect(!yaml.ok && yaml.error.details[0]!.reason).toMatch(/^not valid YAML at line \d+, column \d+/);
    const json = loadPolicy('{"id": ', { file: 'p.json', templates: [] });
    expect(!json.ok && json.error.details[0]).toEqual({ field: '(document)', reason: expect.stringMatching(/^not valid JSON/) });
    expect(!json.ok && json.error.message).toContain('policy p.json refused');
  });
});
