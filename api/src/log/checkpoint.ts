/**
 * Log checkpoints as C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key hash ‖ Ed25519 signature)>\n
 *
 * The signature covers the text before the blank line. A verifier key is
 * `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`, where the key hash is the first four bytes
 * of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). Pure and browser-safe: crypto is passed in.
 */
import { base64Decode, base64Encode, concatBytes, equalBytes, toHex } from '../domain/bytes.js';
import type { Sha256 } from './merkle.js';

const ED25519_ALGORITHM = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const encoder = new TextEncoder();

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

export interface VerifierKey {
  name: string;
  keyHash: Uint8Array;
  publicKey: Uint8Array;
}

export type Ed25519Verify = (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) => Promise<boolean>;

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.treeSize}\n${base64Encode(c.rootHash)}\n`;
}

export async function keyHash(name: string, publicKey: Uint8Array, sha256: Sha256): Promise<Uint8Array> {
  return (await sha256(concatBytes([encoder.encode(`${name}\n`), Uint8Array.of(ED25519_ALGORITHM), publicKey]))).slice(0, 4);
}

export async function formatVerifierKey(name: string, publicKey: Uint8Array, sha256: Sha256): Promise<string> {
  return `${name}+${toHex(await keyHash(name, publicKey, sha256))}+${base64Encode(concatBytes([Uint8Array.of(ED25519_ALGORITHM), publicKey]))}`;
}

export async function parseVerifierKey(vkey: string, sha256: Sha256): Promise<VerifierKey> {
  const match = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!match) throw new Error('not a signed-note verifier key (name+hash+key)');
  const [, name, hashHex, keyB64] = match as unknown as [string, string, string, string];
  const key = base64Decode(keyB64);
  if (key.length !== 33 || key[0] !== ED25519_ALGORITHM) throw new Error('the verifier key is not an Ed25519 key');
  const publicKey = key.slice(1);
  const expected = await keyHash(name, publicKey, sha256);
  if (toHex(expected) !== hashHex) throw new Error('the verifier key’s hash does not match its name and key');
  return { name, keyHash: expected, publicKey };
}

/** The signed note of a checkpoint; `sign` makes the Ed25519 signature over the body. */
export async function signCheckpoint(c: Checkpoint, name: string, publicKey: Uint8Array, sign: (message: Uint8Array) => Promise<Uint8Array>, sha256: Sha256): Promise<string> {
  const body = checkpointBody(c);
  const signature = await sign(encoder.encode(body));
  return `${body}\n${SIGNATURE_PREFIX}${name} ${base64Encode(concatBytes([await keyHash(name, publicKey, sha256), signature]))}\n`;
}

/**
 * The checkpoint in a signed note, once a signature by `key` over it verifies. Throws with the
 * reason otherwise (malformed note, no signature by that key, bad signature, bad body).
 */
export async function openCheckpoint(note: string, key: VerifierKey, verify: Ed25519Verify): Promise<Checkpoint> {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const body = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of signatures) {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new Error('malformed signature line in the note');
    const [name, b64] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (name !== key.name || !b64) continue;
    const bytes = base64Decode(b64);
    if (bytes.length !== 68 || !equalBytes(bytes.slice(0, 4), key.keyHash)) continue;
    if (!(await verify(key.publicKey, bytes.slice(4), encoder.encode(body)))) throw new Error('the checkpoint’s signature does not verify');
    verified = true;
  }
  if (!verified) throw new Error(`the checkpoint is not signed by ${key.name}`);
  // Extension lines after the root hash are allowed and ignored.
  const [origin, size, root] = body.slice(0, -1).split('\n');
  if (!origin || !size || !root || !/^(0|[1-9]\d*)$/.test(size)) throw new Error('the checkpoint body is malformed');
  const rootHash = base64Decode(root);
  if (rootHash.length !== 32) throw new Error('the checkpoint’s root hash is not 32 bytes');
  return { origin, treeSize: Number(size), rootHash };
}
