import { describe, expect, it } from 'vitest';
import { redactContactDetails } from '../src/compliance/masking.js';

describe('redacting contact details in free text', () => {
  it('masks phones and emails a debtor writes, whatever the spelling', () => {
    expect(redactContactDetails('call me on +86 139 0013 9001')).toBe('call me on ****9001');
    expect(redactContactDetails('or 139-0013-9001, or (212) 555-0142')).toBe('or ****9001, or (****0142');
    expect(redactContactDetails('write to Wang.Fang@example.cn please')).toBe('write to W***@example.cn please');
    expect(redactContactDetails('my ID is 11010519491231002X')).toBe('my ID is ****1002X');
  });

  it('leaves the dates next to them alone', () => {
    expect(redactContactDetails('I paid on 2026-03-01, and again on 15.03.2026 and 3/20/2026')).toBe('I paid on 2026-03-01, and again on 15.03.2026 and 3/20/2026');
    expect(redactContactDetails('on 2026-03-13 call +12125550142')).toBe('on 2026-03-13 call ****0142');
  });
});
