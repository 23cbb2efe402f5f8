import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../strategy/index.js';

/** The policy's optional `assistant.grace` block: the limits the assistant grants grace within. */
const policy = (assistant: unknown) => JSON.stringify({ id: 'p', version: 1, stages: {}, ...(assistant === undefined ? {} : { assistant }) });
const load = (assistant: unknown) => loadPolicy(policy(assistant), { file: 'p.json', templates: [] });

describe('assistant grace limits in the policy', () => {
  it('is optional, and kept on the compiled policy when given', () => {
    const without = load(undefined);
    expect(without.ok && without.value.document.assistant).toBeUndefined();
    const withGrace = load({ grace: { maxDays: 10, maxGrants: 1, windowDays: 90, stages: ['pre_due', 'm1'] } });
    expect(withGrace.ok && withGrace.value.document.assistant?.grace).toEqual({ maxDays: 10, maxGrants: 1, windowDays: 90, stages: ['pre_due', 'm1'] });
  });

  it('refuses limits out of range, unknown stages and unknown keys, naming the field', () => {
    for (const [grace, field] of [
      [{ maxDays: 0, maxGrants: 1, windowDays: 90 }, 'assistant.grace.maxDays'],
      [{ maxDays: 10, maxGrants: 1, windowDays: 90, stages: ['m9'] }, 'assistant.grace.stages'],
      [{ maxDays: 10, maxGrants: 1 }, 'assistant.grace'],
      [{ maxDays: 10, maxGrants: 1, windowDays: 90, forever: true }, 'assistant.grace'],
    ] as const) {
      const result = load({ grace });
      expect(result.ok, JSON.stringify(grace)).toBe(false);
      if (!result.ok) expect(result.error.details.map((d) => d.field).join(' ')).toContain(field);
    }
  });
});
