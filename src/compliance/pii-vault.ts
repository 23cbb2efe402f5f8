import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts identity values at rest (AES-256-GCM) and derives keyed lookup hashes (HMAC-SHA256), both
 * from one master secret. Ciphertexts name the key that made them, so old keys can still decrypt
 * after a rotation while new writes use the current one.
 */
export interface PiiVault {
  encrypt(plain: string): string;
  decrypt(ciphertext: string): string;
  lookupHash(kind: string, normalised: string): string;
}

interface DerivedKey {
  id: string;
  encryption: Buffer;
}

function deriveKey(master: Buffer): DerivedKey {
  const encryption = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'recoup pii encryption v1', 32));
  const id = createHash('sha256').update(master).digest('hex').slice(0, 8);
  return { id, encryption };
}

export function decodeSecret(base64: string, name = 'secretKey'): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64 (got ${bytes.length} bytes)`);
  return bytes;
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64');
}

/**
 * `current` encrypts; `previous` keys only decrypt. The lookup hash stays keyed by the first key ever
 * used (`hashSecret`, defaulting to current) so that a rotation does not orphan every lookup index.
 */
export function createPiiVault(options: { current: string; previous?: string[]; hashSecret?: string }): PiiVault {
  const current = deriveKey(decodeSecret(options.current));
  const keys = new Map<string, DerivedKey>([[current.id, current]]);
  for (const old of options.previous ?? []) {
    const key = deriveKey(decodeSecret(old, 'previous secret key'));
    keys.set(key.id, key);
  }
  const hashKey = Buffer.from(
    hkdfSync('sha256', decodeSecret(options.hashSecret ?? options.current), Buffer.alloc(0), 'recoup pii lookup v1', 32),
  );

  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.encryption, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', current.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(ciphertext) {
      const [version, keyId, iv, tag, body] = ciphertext.split(':');
      const key = keyId ? keys.get(keyId) : undefined;
      if (version !== 'v1' || !key || !iv || !tag || body === undefined) throw new Error(`cannot decrypt: unknown key or format (${version}:${keyId})`);
      const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    lookupHash(kind, normalised) {
      return createHmac('sha256', hashKey).update(`${kind}\u0000${normalised}`).digest('base64url');
    },
  };
}
