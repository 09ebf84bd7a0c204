import { z } from 'zod';
import { Address, Gln, Id, PhoneNumber, Slug, Text } from '../../core/schemas.js';
import { PIN_LENGTH, PIN_PROBLEM_TEXT, pinProblem } from '../../domain/phone-login.js';
import { refinement } from '../../core/validation.js';
import { ORGANIZATION_TYPES, ROLES } from '../../domain/vocabulary.js';

export const OrganizationCreate = z.strictObject({
  slug: Slug,
  type: z.literal('farm_household').default('farm_household').describe('Cooperative admins create member farm households'),
  name: Text(200),
  address: Address,
  gln: Gln.optional(),
  pucCode: Text(40).optional().describe('Growing-area (PUC) code for exports'),
  packingHouseCode: Text(40).optional(),
});
export type OrganizationCreate = z.output<typeof OrganizationCreate>;

/** What `npm run admin -- create-org` and the seed accept: any type, no parent required. */
export const OrganizationBootstrap = OrganizationCreate.extend({
  type: z.enum(ORGANIZATION_TYPES),
  parentId: Id.optional(),
});
export type OrganizationBootstrap = z.output<typeof OrganizationBootstrap>;

export const Organization = z.object({
  id: z.string(),
  slug: z.string(),
  type: z.enum(ORGANIZATION_TYPES),
  name: z.string(),
  address: z.object({ province: z.string(), commune: z.string().nullable(), street: z.string().nullable() }),
  gln: z.string().nullable(),
  pucCode: z.string().nullable(),
  packingHouseCode: z.string().nullable(),
  parentId: z.string().nullable(),
  logoSha256: z.string().nullable().describe('SHA-256 of the logo drawn on QR codes (PUT /api/v1/organizations/{id}/logo), or null'),
  createdAt: z.string(),
});

export const Password = z.string().min(12, 'at least 12 characters').max(200);

export const Pin = z.string().max(20).describe(`${PIN_LENGTH} digits, not trivial (one digit or a short group repeated, a straight run, the phone's last digits)`);

/** Adds a field error to `ctx` when `pin` may not be the PIN of `phone`. */
function checkPin(pin: string, phone: string | null, ctx: z.RefinementCtx): void {
  const problem = pinProblem(pin, phone);
  if (problem) ctx.addIssue({ code: 'custom', path: ['pin'], ...refinement(`pin-${problem}`, PIN_PROBLEM_TEXT[problem]) });
}

/** A new user's fields, each checked on its own (UserCreate adds the rules between them). */
export const UserFields = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()).optional(),
  password: Password.optional(),
  phone: PhoneNumber.optional(),
  pin: Pin.optional(),
  name: Text(200),
  role: z.enum(ROLES),
  orgId: Id.optional().describe('Defaults to the admin’s own organization; may name a member farm household'),
});

/**
 * A user logs in with an email and password, a phone and PIN, or both pairs. Phone and PIN
 * logins are for farmers only: a PIN is a small secret, fit for the role that can do least.
 */
export const UserCreate = UserFields.superRefine((user, ctx) => {
  const pair = (a: keyof typeof user, b: keyof typeof user, what: string) => {
    if (user[a] !== undefined && user[b] === undefined) ctx.addIssue({ code: 'custom', path: [b], ...refinement('required-with', `required with ${String(a)}: ${what}`, { with: String(a) }) });
  };
  pair('email', 'password', 'an email login needs its password');
  pair('password', 'email', 'a password belongs to an email login');
  pair('phone', 'pin', 'a phone login needs its PIN');
  pair('pin', 'phone', 'a PIN belongs to a phone login');
  if (user.email === undefined && user.password === undefined && user.phone === undefined && user.pin === undefined) {
    ctx.addIssue({ code: 'custom', path: ['email'], ...refinement('login-required', 'a user needs an email and password, or (farmers) a phone and PIN') });
  }
  if (user.phone !== undefined && user.role !== 'farmer') {
    ctx.addIssue({ code: 'custom', path: ['phone'], ...refinement('phone-login-farmers-only', 'phone and PIN logins are for the farmer role; other roles log in with an email and password') });
  }
  if (user.pin !== undefined) checkPin(user.pin, user.phone ?? null, ctx);
});
export type UserCreate = z.output<typeof UserCreate>;

/** An admin sets a new PIN for a farmer who forgot theirs; the PIN is never shown again. */
export const PinReset = z.strictObject({ pin: Pin });
export type PinReset = z.output<typeof PinReset>;

export const User = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string().nullable().describe('Null for a farmer who logs in with a phone only'),
  phone: z.string().nullable().describe('E.164 (+84…); null for a user who logs in with an email only'),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
});
