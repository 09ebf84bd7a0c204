import { z } from 'zod';
import { PhoneNumber, Text } from '../../core/schemas.js';
import { normalizeVietnameseMobile } from '../../domain/phone-login.js';
import { ROLES } from '../../domain/vocabulary.js';

export const LoginRequest = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const PhoneLoginRequest = z.strictObject({
  phone: PhoneNumber,
  pin: z.string().min(1).max(20).describe('The 6-digit PIN the cooperative’s admin set'),
});

/**
 * The account a login body names, as the login compares it (before the body is validated: any
 * value gives a key): `email:` and the lower-cased email, or `phone:` and the number in its
 * stored form, so `0912 345 678` and `+84912345678` count against one account.
 */
export function loginAccount(body: unknown): string {
  const { email, phone } = (body ?? {}) as { email?: unknown; phone?: unknown };
  if (typeof phone === 'string') return `phone:${normalizeVietnameseMobile(phone) ?? phone.trim()}`;
  return `email:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
}

export const LoginResponse = z.object({ token: z.string(), expiresIn: z.number().int() });

export const ApiKeyCreate = z.strictObject({
  name: Text(100),
  role: z.enum(['operator', 'admin']).default('operator'),
});
export type ApiKeyCreate = z.output<typeof ApiKeyCreate>;

export const ApiKey = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const ApiKeyCreated = ApiKey.extend({ token: z.string().describe('Shown once; only its hash is stored') });
