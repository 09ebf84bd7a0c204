import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7: ids sort by creation, which keyset pagination relies on. */
export const newId = (): string => uuidv7();

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Short public code (Crockford base32, 10 characters = 50 bits) for /l/{code} links and default lot numbers. */
export function newPublicCode(): string {
  const bytes = randomBytes(10);
  let out = '';
  for (const byte of bytes) out += CODE_ALPHABET[byte & 31];
  return out;
}

export const nowIso = (): string => new Date().toISOString();
