/**
 * The verifier's cryptography, the same in Node and in the browser: Web APIs (WebCrypto,
 * TextEncoder) and pure-JS packages only. The pure-JS Ed25519 and SHA-2 implementations (noble)
 * are loaded only when WebCrypto cannot do the job (browsers before Chrome 137, pages served
 * without a secure context).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base64UrlDecode, base64UrlEncode, toHex } from '../domain/bytes.js';

export interface CryptoEngine {
  name: 'webcrypto' | 'noble';
  sha256(data: Uint8Array): Promise<Uint8Array>;
  verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}

const encoder = new TextEncoder();

/** RFC 7638 JWK thumbprint of an Ed25519 public key (members crv, kty, x in lexicographic order). */
export async function ed25519Thumbprint(crypto: Pick<CryptoEngine, 'sha256'>, x: string): Promise<string> {
  return base64UrlEncode(await crypto.sha256(encoder.encode(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)));
}

/**
 * SHA-256 in pure JS for both engines: the inputs are small (events, Merkle nodes), and WebCrypto's
 * digest is a thread-pool round trip per call, which made hashing a 10,000-event bundle's
 * inclusion proofs most of its verification time.
 */
const sha256Now = (data: Uint8Array): Promise<Uint8Array> => Promise.resolve(nobleSha256(data));

async function webCrypto(): Promise<CryptoEngine | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const keys = new Map<string, Promise<CryptoKey>>();
  const importKey = (raw: Uint8Array) => {
    const id = toHex(raw);
    let key = keys.get(id);
    if (!key) {
      key = subtle.importKey('raw', raw as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      keys.set(id, key);
    }
    return key;
  };
  try {
    // Probe with a valid point (the Ed25519 base point's encoding): throws where Ed25519 is missing.
    await importKey(base64UrlDecode('WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY'));
  } catch {
    return null;
  }
  return {
    name: 'webcrypto',
    sha256: sha256Now,
    verify: async (publicKey, signature, message) =>
      subtle.verify({ name: 'Ed25519' }, await importKey(publicKey), signature as BufferSource, message as BufferSource),
  };
}

async function nobleCrypto(): Promise<CryptoEngine> {
  const [ed, { sha512 }] = await Promise.all([import('@noble/ed25519'), import('@noble/hashes/sha2.js')]);
  ed.hashes.sha512 = sha512;
  ed.hashes.sha512Async = (m: Uint8Array) => Promise.resolve(sha512(m));
  return {
    name: 'noble',
    sha256: sha256Now,
    verify: async (publicKey, signature, message) => {
      try {
        return ed.verify(signature, message, publicKey);
      } catch {
        return false;
      }
    },
  };
}

/** 'auto' uses WebCrypto where it has Ed25519 and SHA-256, noble otherwise. */
export async function chooseCrypto(engine: 'auto' | 'webcrypto' | 'noble' | undefined): Promise<CryptoEngine> {
  if (engine === 'noble') return nobleCrypto();
  const web = await webCrypto();
  if (web) return web;
  if (engine === 'webcrypto') throw new Error('this runtime has no WebCrypto Ed25519');
  return nobleCrypto();
}
