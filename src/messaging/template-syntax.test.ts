import { describe, expect, it } from 'vitest';
import { compileText, TemplateSyntaxError, type Vocabulary } from './template-syntax.js';

const vocabulary: Vocabulary = {
  name: { optional: true },
  amount: {},
  daysPastDue: { optional: true, presentWithin: ['overdue'] },
  overdue: { flag: true },
};

function refusal(source: string): TemplateSyntaxError {
  try {
    compileText(source, vocabulary);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return error;
    throw error;
  }
  throw new Error(`${source} compiled`);
}

describe('compileText', () => {
  it('inserts values and keeps or drops sections by presence', () => {
    const text = compileText('{{#name}}Hi {{name}}, {{/name}}{{^name}}Hello, {{/name}}{{amount}} is due.', vocabulary);
    expect(text({ name: 'Ann', amount: '$5.00' })).toBe('Hi Ann, $5.00 is due.');
    expect(text({ amount: '$5.00' })).toBe('Hello, $5.00 is due.');
  });

  it('lets an optional value appear inside a section that guarantees it', () => {
    const text = compileText('{{amount}}{{#overdue}}, {{daysPastDue}} days late{{/overdue}}', vocabulary);
    expect(text({ amount: '¥1', overdue: 'yes', daysPastDue: '3' })).toBe('¥1, 3 days late');
    expect(text({ amount: '¥1' })).toBe('¥1');
  });

  it('refuses an unknown variable, naming it and the column', () => {
    const error = refusal('Hi {{nmae}}');
    expect(error.column).toBe(4);
    expect(error.reason).toMatch(/unknown variable "nmae"/);
  });

  it('refuses an optional value outside its guarding section', () => {
    expect(refusal('Hi {{name}}').reason).toMatch(/name may be absent: use it only inside \{\{#name\}\}/);
    expect(refusal('{{amount}} {{daysPastDue}}').reason).toMatch(/\{\{#daysPastDue\}\} or \{\{#overdue\}\}/);
    // Inside the inverted section the value is known to be absent.
    expect(refusal('{{amount}}{{^name}}{{name}}{{/name}}').reason).toMatch(/may be absent/);
  });

  it('refuses unbalanced sections and flags used as text', () => {
    expect(refusal('{{#name}}x').reason).toMatch(/never closed/);
    expect(refusal('{{amount}}{{/name}}').reason).toMatch(/never opened/);
    expect(refusal('{{#name}}{{#overdue}}x{{/name}}{{/overdue}}').reason).toMatch(/closes \{\{#overdue\}\}/);
    expect(refusal('{{amount}} {{overdue}}').reason).toMatch(/is a condition/);
    expect(refusal('{{ amount!! }}').reason).toMatch(/is not a tag/);
  });

  it('refuses a field that could render empty, and accepts a complete either/or pair', () => {
    expect(refusal('{{#name}}{{name}}{{/name}}').reason).toMatch(/could render empty/);
    expect(refusal('{{#overdue}}late{{/overdue}}  ').reason).toMatch(/could render empty/);
    const either = compileText('{{#overdue}}Overdue{{/overdue}}{{^overdue}}Reminder{{/overdue}}', vocabulary);
    expect(either({ amount: 'x' })).toBe('Reminder');
    expect(either({ amount: 'x', overdue: 'yes' })).toBe('Overdue');
  });
});
