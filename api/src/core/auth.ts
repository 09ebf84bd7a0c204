import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import type { Role } from '../domain/vocabulary.js';

/** Who is making a request, as services see it. */
export interface Actor {
  orgId: string;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
  /** Organizations whose private records this actor may read: its own, plus member households for a cooperative's admins and operators. */
  scopeOrgIds: string[];
}

/** Throws 403 unless the actor has one of `roles`. */
export function requireRole(actor: Actor, roles: readonly Role[], action: string): void {
  if (!roles.includes(actor.role)) {
    throw new ForbiddenError('role-not-allowed', `The ${actor.role} role may not ${action}; it needs ${roles.join(' or ')}.`, { role: actor.role, allowed: roles.join(', ') });
  }
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, all base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(64).toString('base64url')}`;

const TOKEN_AUDIENCE = 'farm-trace-api';

export interface TokenClaims {
  userId: string;
  orgId: string;
  role: Role;
}

export async function issueToken(claims: TokenClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ org: claims.orgId, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export async function verifyToken(token: string, secret: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { audience: TOKEN_AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string' || typeof payload.role !== 'string') {
      throw new Error('claims missing');
    }
    return { userId: payload.sub, orgId: payload.org, role: payload.role as Role };
  } catch {
    throw new UnauthorizedError('token-invalid', 'The token is invalid or has expired; log in again.');
  }
}

const API_KEY_PREFIX = 'ftk_';

/** API keys look like `ftk_<id>_<secret>`; only SHA-256 of the secret is stored (it is 256 random bits). */
export function newApiKeySecret(id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${API_KEY_PREFIX}${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseApiKey(token: string): { id: string; secret: string } | null {
  if (!token.startsWith(API_KEY_PREFIX)) return null;
  const rest = token.slice(API_KEY_PREFIX.length);
  const split = rest.indexOf('_');
  if (split <= 0) return null;
  return { id: rest.slice(0, split), secret: rest.slice(split + 1) };
}

export function apiKeySecretMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(sha256Hex(secret), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
