/** Organizations, their users and API keys: records and repositories. */

import type { OrganizationType, Role } from '../../domain/vocabulary.js';
import type { Page, PageRequest } from './pagination.js';

export interface Address {
  province: string;
  commune: string | null;
  street: string | null;
}

export interface OrganizationRecord {
  id: string;
  slug: string;
  type: OrganizationType;
  name: string;
  address: Address;
  gln: string | null;
  pucCode: string | null;
  packingHouseCode: string | null;
  /** The cooperative a farm household belongs to; its admins and operators act for the household. */
  parentId: string | null;
  /** SHA-256 of the organization's logo (a square PNG in the blob store's `logos` bucket), drawn on its QR codes. */
  logoSha256: string | null;
  createdAt: string;
}

export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  secretHash: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface OrganizationRepository {
  insert(org: OrganizationRecord): Promise<void>;
  findById(id: string): Promise<OrganizationRecord | null>;
  findBySlug(slug: string): Promise<OrganizationRecord | null>;
  findByGln(gln: string): Promise<OrganizationRecord | null>;
  /** Ids of the farm households whose parent is `parentId`. */
  memberIds(parentId: string): Promise<string[]>;
  /** Every organization's id (for operator tools that work across tenants). */
  allIds(): Promise<string[]>;
  /** Newest first, among `ids`. */
  list(ids: string[], page: PageRequest): Promise<Page<OrganizationRecord>>;
  /** Records (or, with null, clears) the organization's logo; nothing else of it ever changes. */
  setLogo(id: string, logoSha256: string | null): Promise<void>;
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Newest first, among users of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<UserRecord>>;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  list(orgId: string, page: PageRequest): Promise<Page<ApiKeyRecord>>;
  revoke(id: string, at: string): Promise<void>;
}
