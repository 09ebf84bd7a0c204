import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/** One key-encryption key: the AES key derived from a configured secret, and its public id. */
interface KeyEncryptionKey {
  /** Names the key in ciphertexts without revealing it: an HMAC of a fixed label under the key. */
  id: string;
  key: Buffer;
}

function keyEncryptionKeyOf(secret: string): KeyEncryptionKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'farm-trace', 'organization signing keys v1', 32));
  return { id: createHmac('sha256', key).update('key-encryption key id').digest('base64url').slice(0, 11), key };
}

/**
 * Private keys at rest: AES-256-GCM under the key-encryption key derived from KEY_ENCRYPTION_KEY,
 * the key id as authenticated data (a wrapped key cannot be moved to another record). During a
 * rotation of KEY_ENCRYPTION_KEY, keys wrapped under KEY_ENCRYPTION_KEY_PREVIOUS still unwrap, so
 * the service keeps signing while `npm run admin -- rewrap-keys` re-wraps them under the new one.
 *
 * Format `v2.<kek id>.<iv>.<ciphertext>.<tag>` (base64url); `v1.<iv>.<ciphertext>.<tag>`, written
 * before rotation existed, names no key and is tried under each.
 */
export class KeyWrap {
  private readonly current: KeyEncryptionKey;
  private readonly previous: KeyEncryptionKey | null;

  constructor(secret: string, previousSecret: string | null = null) {
    this.current = keyEncryptionKeyOf(secret);
    this.previous = previousSecret ? keyEncryptionKeyOf(previousSecret) : null;
  }

  /** The wrap the configured secrets make: KEY_ENCRYPTION_KEY, and KEY_ENCRYPTION_KEY_PREVIOUS during a rotation. */
  static fromSecrets(secrets: { KEY_ENCRYPTION_KEY: string; KEY_ENCRYPTION_KEY_PREVIOUS: string | null }): KeyWrap {
    return new KeyWrap(secrets.KEY_ENCRYPTION_KEY, secrets.KEY_ENCRYPTION_KEY_PREVIOUS);
  }

  wrap(kid: string, privateKey: KeyObject): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(kid));
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
    return ['v2', this.current.id, ...[iv, ciphertext, cipher.getAuthTag()].map((p) => p.toString('base64url'))].join('.');
  }

  unwrap(kid: string, stored: string): KeyObject {
    const parts = stored.split('.');
    if (parts[0] === 'v1' && parts.length === 4) {
      const candidates = [this.current, this.previous].filter((k): k is KeyEncryptionKey => k !== null);
      for (const kek of candidates) {
        const key = tryDecrypt(kek, kid, parts[1]!, parts[2]!, parts[3]!);
        if (key) return key;
      }
      throw new Error(`signing key ${kid}: neither KEY_ENCRYPTION_KEY nor KEY_ENCRYPTION_KEY_PREVIOUS unwraps it`);
    }
    if (parts[0] === 'v2' && parts.length === 5) {
      const kek = [this.current, this.previous].find((k) => k?.id === parts[1]);
      if (!kek) throw new Error(`signing key ${kid}: wrapped under key-encryption key ${parts[1]}, which is neither KEY_ENCRYPTION_KEY nor KEY_ENCRYPTION_KEY_PREVIOUS`);
      const key = tryDecrypt(kek, kid, parts[2]!, parts[3]!, parts[4]!);
      if (!key) throw new Error(`signing key ${kid}: the wrapped key does not authenticate`);
      return key;
    }
    throw new Error(`signing key ${kid}: unknown ciphertext format`);
  }

  /** Whether `stored` is wrapped under the current key-encryption key (nothing to re-wrap). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`v2.${this.current.id}.`);
  }

  /** The same private key wrapped under the current key-encryption key. */
  rewrap(kid: string, stored: string): string {
    return this.wrap(kid, this.unwrap(kid, stored));
  }
}

function tryDecrypt(kek: KeyEncryptionKey, kid: string, iv: string, ciphertext: string, tag: string): KeyObject | null {
  const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    const der = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}
