import { z } from 'zod';
import { Text } from '../../core/schemas.js';
import { ROLES } from '../../domain/vocabulary.js';

export const LoginRequest = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(200),
});

/** The account a login body names, as the login compares it (before the body is validated: any value gives a key). */
export function loginAccount(body: unknown): string {
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
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
