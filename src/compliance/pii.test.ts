import { describe, expect, it } from 'vitest';
import { maskIdentity, redactContactDetails } from './masking.js';
import { createPiiVault, generateSecret } from './pii-vault.js';

describe('pii vault', () => {
  it('round-trips values and never stores them in the clear', () => {
    const vault = createPiiVault({ current: generateSecret() });
    const ciphertext = vault.encrypt('+8613800138000');
    expect(ciphertext).not.toContain('13800138000');
    expect(vault.decrypt(ciphertext)).toBe('+8613800138000');
    expect(vault.encrypt('+8613800138000')).not.toBe(ciphertext);
  });

  it('detects tampering', () => {
    const vault = createPiiVault({ current: generateSecret() });
    const parts = vault.encrypt('110101199003071234').split(':');
    const body = Buffer.from(parts[4]!, 'base64');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64');
    expect(() => vault.decrypt(parts.join(':'))).toThrow();
  });

  it('decrypts old ciphertexts after a key rotation and keeps lookup hashes stable', () => {
    const first = generateSecret();
    const before = createPiiVault({ current: first });
    const old = before.encrypt('a@example.com');
    const after = createPiiVault({ current: generateSecret(), previous: [first], hashSecret: first });
    expect(after.decrypt(old)).toBe('a@example.com');
    expect(after.lookupHash('email', 'a@example.com')).toBe(before.lookupHash('email', 'a@example.com'));
    expect(after.encrypt('x').split(':')[1]).not.toBe(old.split(':')[1]);
  });

  it('refuses a key of the wrong size', () => {
    expect(() => createPiiVault({ current: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes/);
  });
});

describe('maskIdentity', () => {
  it('shows only the last four of numbers and the domain of emails', () => {
    expect(maskIdentity('phone', '+8613800138000')).toBe('****8000');
    expect(maskIdentity('id_number', '110101199003071234')).toBe('****1234');
    expect(maskIdentity('email', 'zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskIdentity('app_user_id', 'u12')).toBe('****');
  });
});

describe('redactContactDetails', () => {
  it('masks phone numbers and emails inside a gateway error, leaving the rest readable', () => {
    expect(redactContactDetails("The 'To' number +1 (500) 555-0001 is not a valid phone number.")).toBe("The 'To' number ****0001 is not a valid phone number.");
    expect(redactContactDetails('550 5.1.1 <zhang.wei@example.com>: user unknown')).toBe('550 5.1.1 <z***@example.com>: user unknown');
    expect(redactContactDetails('HTTP 503 after 30000 ms')).toBe('HTTP 503 after 30000 ms');
  });
});
