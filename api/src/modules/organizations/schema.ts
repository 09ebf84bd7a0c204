import { z } from 'zod';
import { Address, Gln, Id, Slug, Text } from '../../core/schemas.js';
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

export const UserCreate = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: Text(200),
  password: Password,
  role: z.enum(ROLES),
  orgId: Id.optional().describe('Defaults to the admin’s own organization; may name a member farm household'),
});
export type UserCreate = z.output<typeof UserCreate>;

export const User = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
});
