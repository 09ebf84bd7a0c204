/** What the parts of the store contract share: record builders, the suite they run in, and assertions. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type {
  ApiKeyRecord,
  BatchRecord,
  EventLink,
  IdempotencyRecord,
  NewEvent,
  OrganizationRecord,
  Page,
  PageRequest,
  PlotRecord,
  Store,
  UserRecord,
} from '../../../src/store/port.js';
import { UniquenessViolation } from '../../../src/store/store-errors.js';

/**
 * One run of the contract against one adapter. Each part reads `store` in its own beforeEach,
 * after the suite's has opened a fresh, empty store for the test.
 */
export interface StoreSuite {
  /** The adapter's kind: 'sqlite' or 'mongodb'. */
  readonly name: string;
  /** The store the running test opened. */
  readonly store: Store;
  /** Inserts `n` organizations, oldest first. */
  organizations(n: number, overrides?: Partial<OrganizationRecord>): Promise<OrganizationRecord[]>;
  oneOrganization(overrides?: Partial<OrganizationRecord>): Promise<OrganizationRecord>;
}

export const iso = (offsetSeconds = 0): string => new Date(Date.UTC(2025, 5, 1, 8, 0, offsetSeconds)).toISOString();
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
export const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

export function organization(overrides: Partial<OrganizationRecord> = {}): OrganizationRecord {
  const id = uuidv7();
  return {
    id,
    slug: `htx-${id}`,
    type: 'cooperative',
    name: 'HTX Cà phê Ea Tu',
    address: { province: 'Đắk Lắk', commune: 'Ea Tu', street: '12 Nguyễn Tất Thành' },
    gln: digits(13),
    pucCode: 'PUC-DL-0042',
    packingHouseCode: null,
    parentId: null,
    logoSha256: null,
    createdAt: iso(),
    ...overrides,
  };
}

export function user(orgId: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const id = uuidv7();
  return {
    id,
    orgId,
    email: `user-${id}@example.vn`,
    phone: null,
    name: 'Nguyễn Văn An',
    role: 'operator',
    passwordHash: `scrypt$${id}`,
    pinHash: null,
    createdAt: iso(),
    ...overrides,
  };
}

export function apiKey(orgId: string, createdBy: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = uuidv7();
  return { id, orgId, name: 'scale at the mill', role: 'operator', secretHash: sha256(id), createdBy, createdAt: iso(), revokedAt: null, ...overrides };
}

export function plot(orgId: string, overrides: Partial<PlotRecord> = {}): PlotRecord {
  return {
    id: uuidv7(),
    orgId,
    name: 'Rẫy số 3',
    crops: ['coffee-robusta', 'pepper'],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [108.0512, 12.6801],
          [108.0531, 12.6801],
          [108.0531, 12.6819],
          [108.0512, 12.6801],
        ],
      ],
    },
    areaHa: 1.25,
    declaredAreaHa: 1.3,
    certifications: [
      { scheme: 'VietGAP', number: 'VG-123', issuer: 'NAFIQAD', validFrom: '2024-01-01', validTo: '2026-12-31' },
      { scheme: 'OCOP', number: 'OCOP-7', issuer: 'Đắk Lắk PPC', validFrom: '2024-03-01', validTo: '2027-03-01', stars: 4 },
    ],
    gln: digits(13),
    eventId: `urn:uuid:${uuidv7()}`,
    createdBy: null,
    createdAt: iso(),
    ...overrides,
  };
}

export function batch(orgId: string, overrides: Partial<BatchRecord> = {}): BatchRecord {
  const id = uuidv7();
  return {
    id,
    orgId,
    custodianOrgId: orgId,
    pendingReceiverOrgId: null,
    accessOrgIds: [orgId],
    plotIds: [uuidv7()],
    derivedFrom: [],
    product: 'coffee-cherry',
    variety: 'Robusta TR4',
    harvestedAt: iso(),
    harvestPeriod: { from: '2025-10-01', to: '2025-10-15' },
    quantity: { value: 40, unit: 'bag', bagKg: 60 },
    lotNumber: `L${id.slice(-12)}`,
    gtin: null,
    code: `c${id.replace(/-/g, '').slice(-16)}`,
    published: false,
    publishedAt: null,
    createdBy: null,
    createdAt: iso(),
    ...overrides,
  };
}

export function event(orgId: string, links: EventLink[], overrides: Partial<NewEvent> = {}): NewEvent {
  const id = `urn:uuid:${uuidv7()}`;
  return {
    id,
    orgId,
    type: 'ObjectEvent',
    stepType: 'harvesting',
    eventTime: iso(),
    hash: sha256(id),
    body: {
      type: 'ObjectEvent',
      eventID: id,
      bizStep: 'commissioning',
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.107346.L1', quantity: 2400, uom: 'KGM' }],
      nested: { empty: {}, emptyList: [], mixed: [1, 2.5, 'x', null, true] },
    },
    corrects: null,
    jws: null,
    links,
    createdAt: iso(),
    ...overrides,
  };
}

export function idempotency(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    scope: `org:${uuidv7()}`,
    key: uuidv7(),
    requestHash: sha256(uuidv7()),
    state: 'pending',
    status: null,
    body: null,
    location: null,
    createdAt: iso(),
    ...overrides,
  };
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** The write fails with the storage-level uniqueness error (a 409 to API clients), naming `field` when given. */
export async function expectConflict(promise: Promise<unknown>, field?: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(UniquenessViolation);
  const violation = error as UniquenessViolation;
  if (field !== undefined) expect(violation.field).to.equal(field);
}

/** Follows `next` through every page, returning the pages. */
export async function pagesOf<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await list({ limit, after });
    pages.push(page.items);
    if (page.next === null) return pages;
    after = page.next;
  }
  throw new Error('pagination did not end');
}

export const ids = (items: Array<{ id: string }>): string[] => items.map((i) => i.id);
export const descending = (values: string[]): string[] => [...values].sort().reverse();
