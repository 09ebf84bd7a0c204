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

/**
 * A user logs in with an email and a password, with a phone and a PIN (farmers), or either: an
 * email comes with its password and a phone with its PIN, and at least one of the two is there.
 */
export interface UserRecord {
  id: string;
  orgId: string;
  /** Lower-case, unique; null for a user who logs in with a phone only. */
  email: string | null;
  /** E.164 (`+84…`), unique; null for a user who logs in with an email only. */
  phone: string | null;
  name: string;
  role: Role;
  /** scrypt hash of the password (core/auth); null exactly when email is. */
  passwordHash: string | null;
  /** scrypt hash of the PIN, like a password's; null exactly when phone is. */
  pinHash: string | null;
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
  /** By the E.164 phone number. */
  findByPhone(phone: string): Promise<UserRecord | null>;
  /** Replaces the PIN hash of a user who has a phone (an admin's PIN reset); nothing else of a user ever changes. */
  setPinHash(id: string, pinHash: string): Promise<void>;
  /** Newest first, among users of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<UserRecord>>;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  list(orgId: string, page: PageRequest): Promise<Page<ApiKeyRecord>>;
  revoke(id: string, at: string): Promise<void>;
}
