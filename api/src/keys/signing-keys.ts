import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { KeyWrap } from './key-wrap.js';

/**
 * Ed25519 signing keys (organizations' and the log's): generation, the RFC 7638 key id, and
 * compact JWS signing of canonical event bytes. The private key is stored wrapped (key-wrap.ts).
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

export async function generateSigningKey(wrap: KeyWrap): Promise<GeneratedKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, publicJwk, encryptedPrivateKey: wrap.wrap(kid, privateKey) };
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
