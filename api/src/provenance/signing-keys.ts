import { createCipheriv, createDecipheriv, createPrivateKey, generateKeyPairSync, hkdfSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

/**
 * Organizations' Ed25519 signing keys: generation, the RFC 7638 key id, encryption of the
 * private key at rest (AES-256-GCM under a key-encryption key derived from KEY_ENCRYPTION_KEY)
 * and compact JWS signing of canonical event bytes.
 */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface GeneratedKey {
  kid: string;
  publicJwk: PublicJwk;
  encryptedPrivateKey: string;
}

const CIPHERTEXT_VERSION = 'v1';

/** 32-byte key-encryption key from the configured secret (HKDF-SHA256). */
export function deriveKeyEncryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'farm-trace', 'organization signing keys v1', 32));
}

export async function generateSigningKey(kek: Buffer): Promise<GeneratedKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, publicJwk, encryptedPrivateKey: encryptPrivateKey(kek, kid, privateKey) };
}

function encryptPrivateKey(kek: Buffer, kid: string, privateKey: KeyObject): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return [CIPHERTEXT_VERSION, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Decrypts a stored private key; the kid is authenticated data, so a key cannot be swapped between records. */
export function decryptPrivateKey(kek: Buffer, kid: string, stored: string): KeyObject {
  const [version, iv, ciphertext, tag] = stored.split('.');
  if (version !== CIPHERTEXT_VERSION || !iv || !ciphertext || !tag) throw new Error(`signing key ${kid}: unknown ciphertext format`);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const der = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/**
 * Compact JWS (RFC 7515; EdDSA per RFC 8037, attached payload) over the given canonical bytes.
 * Signed with node:crypto synchronously rather than through jose's WebCrypto path, whose every
 * signature is a round trip through the thread pool: a capture signs thousands in one transaction.
 * Any JWS library verifies the result (the tests check it with jose's compactVerify).
 */
export function signCanonical(privateKey: KeyObject, kid: string, canonical: string): string {
  const signingInput = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url')}.${Buffer.from(canonical, 'utf8').toString('base64url')}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
