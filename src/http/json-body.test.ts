import { describe, expect, it } from 'vitest';
import { MalformedJsonError, parseJsonBody } from './json-body.js';

describe('parseJsonBody', () => {
  it('keeps money numbers as their literal text, at any depth, and other numbers as numbers', () => {
    expect(parseJsonBody('{"amount": 1280.10, "n": 2.5, "items": [{"data": {"amount":-0.00, "k": [1, 2e2]}}]}')).toEqual({
      amount: '1280.10',
      n: 2.5,
      items: [{ data: { amount: '-0.00', k: [1, 200] } }],
    });
  });

  it('leaves strings alone, even ones that look like a money field, and decodes escaped keys', () => {
    expect(parseJsonBody('{"note": "\\"amount\\": 1.10", "k\\\\": 1.5, "am\\u006funt": 3.10}')).toEqual({ note: '"amount": 1.10', 'k\\': 1.5, amount: '3.10' });
  });

  it('does not treat numbers inside an array under "amount" as money', () => {
    expect(parseJsonBody('{"amount": [1.10]}')).toEqual({ amount: [1.1] });
  });

  it('refuses numbers a double cannot hold, and malformed JSON', () => {
    for (const text of ['{"x": 9007199254740993}', '{"x": 1e400}', '{"x": 1e-400}', '{"amount": 01}', '{"amount": -}', '{"amount": 1.}', '{"a": 1,}', '{"a": "open']) {
      expect(() => parseJsonBody(text), text).toThrow(MalformedJsonError);
    }
  });

  it('refuses a key given twice with different values, and accepts one repeated with the same value', () => {
    expect(() => parseJsonBody('{"amount": 1.10, "amount": 2.20}')).toThrow(MalformedJsonError);
    expect(parseJsonBody('{"a": 1, "a": 1, "amount": 1.10}')).toEqual({ a: 1, amount: '1.10' });
  });

  it('notices a repeated key in objects of any size and at any depth, and not across sibling objects', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}": ${i}`);
    // Past sixteen keys the scan keeps them in a set; both ways must see the repeat.
    for (const size of [3, 16, 17, 40]) {
      expect(() => parseJsonBody(`{"items": [{${[...keys(size), '"k1": "other"'].join(', ')}}]}`), `size ${size}`).toThrow(MalformedJsonError);
      expect(parseJsonBody(`{${keys(size).join(', ')}}`)).toMatchObject({ k0: 0, [`k${size - 1}`]: size - 1 });
    }
    // The same key in sibling objects, or in an object and the one inside it, is no repeat.
    expect(parseJsonBody('[{"amount": 1, "data": {"amount": 2}}, {"amount": 3}]')).toEqual([{ amount: '1', data: { amount: '2' } }, { amount: '3' }]);
  });

  it('treats an empty body as no body', () => {
    expect(parseJsonBody('  ')).toBeUndefined();
  });
});
