/**
 * The storage contract: the behaviour every adapter of the port must show. Each adapter's test
 * file calls `storeContract` with a function that opens a fresh, empty store; every test opens
 * its own store, so tests share nothing.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import { ConflictError } from '../../src/core/errors.js';
import type {
  ApiKeyRecord,
  BatchRecord,
  CaptureJobRecord,
  CheckpointRecord,
  EventLink,
  EventRecord,
  IdempotencyRecord,
  LogKeyRecord,
  LogNode,
  NewEvent,
  OrganizationRecord,
  Page,
  PageRequest,
  PlotRecord,
  SigningKeyRecord,
  Store,
  UserRecord,
} from '../../src/store/port.js';

const iso = (offsetSeconds = 0): string => new Date(Date.UTC(2025, 5, 1, 8, 0, offsetSeconds)).toISOString();
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

function organization(overrides: Partial<OrganizationRecord> = {}): OrganizationRecord {
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

function user(orgId: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const id = uuidv7();
  return {
    id,
    orgId,
    email: `user-${id}@example.vn`,
    name: 'Nguyễn Văn An',
    role: 'operator',
    passwordHash: `scrypt$${id}`,
    createdAt: iso(),
    ...overrides,
  };
}

function apiKey(orgId: string, createdBy: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = uuidv7();
  return { id, orgId, name: 'scale at the mill', role: 'operator', secretHash: sha256(id), createdBy, createdAt: iso(), revokedAt: null, ...overrides };
}

function plot(orgId: string, overrides: Partial<PlotRecord> = {}): PlotRecord {
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

function batch(orgId: string, overrides: Partial<BatchRecord> = {}): BatchRecord {
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

function event(orgId: string, links: EventLink[], overrides: Partial<NewEvent> = {}): NewEvent {
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

function idempotency(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
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

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

async function expectConflict(promise: Promise<unknown>, field?: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(ConflictError);
  const conflict = error as ConflictError;
  expect(conflict.status).to.equal(409);
  if (field !== undefined) expect(conflict.errors?.[0]?.path).to.equal(field);
}

/** Follows `next` through every page, returning the pages. */
async function pagesOf<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
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

const ids = (items: Array<{ id: string }>): string[] => items.map((i) => i.id);
const descending = (values: string[]): string[] => [...values].sort().reverse();

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, function () {
    let store: Store;

    beforeEach(async function () {
      store = await open();
    });

    afterEach(async function () {
      await store?.close();
    });

    /** Inserts `n` organizations, oldest first. */
    async function organizations(n: number, overrides: Partial<OrganizationRecord> = {}): Promise<OrganizationRecord[]> {
      const created: OrganizationRecord[] = [];
      for (let i = 0; i < n; i++) {
        const o = organization(overrides);
        await store.organizations.insert(o);
        created.push(o);
      }
      return created;
    }

    async function oneOrganization(overrides: Partial<OrganizationRecord> = {}): Promise<OrganizationRecord> {
      const [o] = await organizations(1, overrides);
      if (!o) throw new Error('no organization');
      return o;
    }

    describe('basics', function () {
      it('when the store is opened, then ping succeeds and the kind names the adapter', async function () {
        await store.ping();
        expect(store.kind).to.equal(name);
      });

      it('when no organization exists, then isEmpty is true, and after one is inserted it is false', async function () {
        expect(await store.isEmpty()).to.equal(true);
        await oneOrganization();
        expect(await store.isEmpty()).to.equal(false);
      });
    });

    describe('organizations', function () {
      it('when an organization is inserted, then findById, findBySlug and findByGln return it unchanged', async function () {
        const o = await oneOrganization();
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
        expect(await store.organizations.findBySlug(o.slug)).to.deep.equal(o);
        expect(await store.organizations.findByGln(o.gln as string)).to.deep.equal(o);
      });

      it('when optional fields are null, then they come back as null', async function () {
        const o = await oneOrganization({
          type: 'farm_household',
          address: { province: 'Lâm Đồng', commune: null, street: null },
          gln: null,
          pucCode: null,
          packingHouseCode: null,
        });
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
      });

      it('when nothing matches, then the finders return null', async function () {
        await oneOrganization();
        expect(await store.organizations.findById(uuidv7())).to.equal(null);
        expect(await store.organizations.findBySlug('no-such-slug')).to.equal(null);
        expect(await store.organizations.findByGln('0000000000000')).to.equal(null);
      });

      it('when an organization is inserted with a logo, then it comes back with the logo hash', async function () {
        const o = await oneOrganization({ logoSha256: sha256('logo') });
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
      });

      it('when a logo is set, replaced and cleared, then each read returns the latest hash and nothing else changes', async function () {
        const o = await oneOrganization();
        const other = await oneOrganization();
        await store.organizations.setLogo(o.id, sha256('first'));
        expect(await store.organizations.findById(o.id)).to.deep.equal({ ...o, logoSha256: sha256('first') });
        await store.organizations.setLogo(o.id, sha256('second'));
        expect((await store.organizations.findBySlug(o.slug))?.logoSha256).to.equal(sha256('second'));
        await store.organizations.setLogo(o.id, null);
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
        expect(await store.organizations.findById(other.id)).to.deep.equal(other);
      });

      it('when a transaction that set a logo fails, then the logo is unchanged', async function () {
        const o = await oneOrganization();
        const error = await rejectionOf(
          store.transaction(async (tx) => {
            await tx.organizations.setLogo(o.id, sha256('rolled back'));
            throw new Error('abort');
          }),
        );
        expect((error as Error).message).to.equal('abort');
        expect((await store.organizations.findById(o.id))?.logoSha256).to.equal(null);
      });

      it('when a second organization takes a used slug, then the insert fails with a 409 naming slug', async function () {
        const o = await oneOrganization();
        await expectConflict(store.organizations.insert(organization({ slug: o.slug })), 'slug');
      });

      it('when a second organization takes a used GLN, then the insert fails with a 409 naming gln', async function () {
        const o = await oneOrganization();
        await expectConflict(store.organizations.insert(organization({ gln: o.gln })), 'gln');
      });

      it('when several organizations have no GLN, then they do not conflict', async function () {
        const created = await organizations(3, { gln: null });
        for (const o of created) expect(await store.organizations.findById(o.id)).to.deep.equal(o);
      });

      it('when farm households name a cooperative as parent, then memberIds returns exactly their ids', async function () {
        const coop = await oneOrganization();
        const other = await oneOrganization();
        const members = await organizations(3, { type: 'farm_household', parentId: coop.id, gln: null });
        await organizations(1, { type: 'farm_household', parentId: other.id, gln: null });
        expect(await store.organizations.memberIds(coop.id)).to.deep.equal(ids(members).sort());
        expect(await store.organizations.memberIds(uuidv7())).to.deep.equal([]);
      });

      it('when 5 organizations are listed 2 at a time, then pages run newest first with no duplicates and next is null at the end', async function () {
        const created = await organizations(5);
        const pages = await pagesOf((page) => store.organizations.list(ids(created), page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
        const listed = pages.flat();
        expect(ids(listed)).to.deep.equal(descending(ids(created)));
        expect(listed[0]).to.deep.equal(created[4]);
      });

      it('when organizations are listed among some ids, then only those are returned', async function () {
        const created = await organizations(4);
        const wanted = [created[0], created[2]].map((o) => o?.id as string);
        const page = await store.organizations.list(wanted, { limit: 10 });
        expect(ids(page.items)).to.deep.equal(descending(wanted));
        expect(page.next).to.equal(null);
        expect((await store.organizations.list([], { limit: 10 })).items).to.deep.equal([]);
      });

      it('when exactly limit items exist, then the single page has next null', async function () {
        const created = await organizations(2);
        const page = await store.organizations.list(ids(created), { limit: 2 });
        expect(page.items).to.have.length(2);
        expect(page.next).to.equal(null);
      });
    });

    describe('users', function () {
      it('when a user is inserted, then findById and findByEmail return it unchanged', async function () {
        const o = await oneOrganization();
        const u = user(o.id);
        await store.users.insert(u);
        expect(await store.users.findById(u.id)).to.deep.equal(u);
        expect(await store.users.findByEmail(u.email)).to.deep.equal(u);
        expect(await store.users.findByEmail('nobody@example.vn')).to.equal(null);
      });

      it('when a second user takes a used email, then the insert fails with a 409 naming email', async function () {
        const o = await oneOrganization();
        const u = user(o.id);
        await store.users.insert(u);
        await expectConflict(store.users.insert(user(o.id, { email: u.email })), 'email');
      });

      it('when users of several organizations exist, then list pages only those of the given organizations, newest first', async function () {
        const [a, b, c] = await organizations(3);
        if (!a || !b || !c) throw new Error('setup');
        const wanted: UserRecord[] = [];
        for (const orgId of [a.id, b.id, c.id, a.id, b.id, c.id, a.id]) {
          const u = user(orgId);
          await store.users.insert(u);
          if (orgId !== c.id) wanted.push(u);
        }
        const pages = await pagesOf((page) => store.users.list([a.id, b.id], page), 2);
        const listed = pages.flat();
        expect(ids(listed)).to.deep.equal(descending(ids(wanted)));
        expect(pages.at(-1)?.length).to.be.greaterThan(0);
      });
    });

    describe('API keys', function () {
      it('when a key is inserted, then findById returns it unchanged', async function () {
        const o = await oneOrganization();
        const k = apiKey(o.id, uuidv7());
        await store.apiKeys.insert(k);
        expect(await store.apiKeys.findById(k.id)).to.deep.equal(k);
        expect(await store.apiKeys.findById(uuidv7())).to.equal(null);
      });

      it('when a key is revoked twice, then revokedAt keeps the first time and nothing else changes', async function () {
        const o = await oneOrganization();
        const k = apiKey(o.id, uuidv7());
        await store.apiKeys.insert(k);
        await store.apiKeys.revoke(k.id, iso(60));
        await store.apiKeys.revoke(k.id, iso(120));
        expect(await store.apiKeys.findById(k.id)).to.deep.equal({ ...k, revokedAt: iso(60) });
      });

      it('when keys of two organizations exist, then list pages only the given organization newest first', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const mine: ApiKeyRecord[] = [];
        for (let i = 0; i < 5; i++) {
          const k = apiKey(a.id, uuidv7());
          await store.apiKeys.insert(k);
          mine.push(k);
          await store.apiKeys.insert(apiKey(b.id, uuidv7()));
        }
        const pages = await pagesOf((page) => store.apiKeys.list(a.id, page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
        expect(pages.flat()).to.deep.equal([...mine].reverse());
      });
    });

    describe('plots', function () {
      it('when a plot is inserted, then findById returns it unchanged (geometry, crops and certifications included)', async function () {
        const o = await oneOrganization();
        const p = plot(o.id, { createdBy: uuidv7() });
        await store.plots.insert(p);
        expect(await store.plots.findById(p.id)).to.deep.equal(p);
      });

      it('when a point plot has no area and no certifications, then it round trips with nulls and empty lists', async function () {
        const o = await oneOrganization();
        const p = plot(o.id, { geometry: { type: 'Point', coordinates: [108.05, 12.68] }, areaHa: null, declaredAreaHa: null, certifications: [], crops: [], gln: null });
        await store.plots.insert(p);
        expect(await store.plots.findById(p.id)).to.deep.equal(p);
      });

      it('when 5 plots are listed 2 at a time, then pages run newest first with no duplicates and next is null at the end', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const mine: PlotRecord[] = [];
        for (let i = 0; i < 5; i++) {
          const p = plot(a.id);
          await store.plots.insert(p);
          mine.push(p);
          await store.plots.insert(plot(b.id));
        }
        const pages = await pagesOf((page) => store.plots.list([a.id], page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
        const listed = pages.flat();
        expect(new Set(ids(listed)).size).to.equal(5);
        expect(listed).to.deep.equal([...mine].reverse());
      });

      it('when a plot has a GLN, then findByGln returns it; an unknown GLN finds nothing', async function () {
        const o = await oneOrganization();
        const p = plot(o.id);
        await store.plots.insert(p);
        expect(await store.plots.findByGln(p.gln as string)).to.deep.equal(p);
        expect(await store.plots.findByGln(digits(13))).to.equal(null);
      });

      it('when a second plot reuses a GLN, then the insert fails with a 409 naming gln; plots without a GLN never conflict', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const p = plot(a.id);
        await store.plots.insert(p);
        await expectConflict(store.plots.insert(plot(b.id, { gln: p.gln })), 'gln');
        await store.plots.insert(plot(a.id, { gln: null }));
        await store.plots.insert(plot(b.id, { gln: null }));
        expect(await store.plots.findById(p.id)).to.deep.equal(p);
      });
    });

    describe('batches', function () {
      it('when a batch is inserted, then every finder returns it unchanged', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const x = batch(a.id, {
          custodianOrgId: b.id,
          pendingReceiverOrgId: b.id,
          accessOrgIds: [a.id, b.id],
          derivedFrom: [uuidv7(), uuidv7()],
          gtin: '08935000000017',
          published: true,
          publishedAt: iso(30),
          createdBy: uuidv7(),
        });
        await store.batches.insert(x);
        expect(await store.batches.findById(x.id)).to.deep.equal(x);
        expect(await store.batches.findByCode(x.code)).to.deep.equal(x);
        expect(await store.batches.findByGtinLot(x.gtin as string, x.lotNumber)).to.deep.equal(x);
        expect(await store.batches.findByOrgProductLot(x.orgId, x.product, x.lotNumber)).to.deep.equal(x);
      });

      it('when a batch has no GTIN, variety, harvest time or period, then it round trips with nulls', async function () {
        const o = await oneOrganization();
        const x = batch(o.id, { variety: null, harvestedAt: null, harvestPeriod: null, quantity: { value: 2.4, unit: 't' } });
        await store.batches.insert(x);
        expect(await store.batches.findById(x.id)).to.deep.equal(x);
        expect(await store.batches.findByGtinLot('08935000000017', x.lotNumber)).to.equal(null);
        expect(await store.batches.findByCode('no-such-code')).to.equal(null);
        expect(await store.batches.findByOrgProductLot(o.id, 'pepper', x.lotNumber)).to.equal(null);
      });

      it('when accessOrgIds are given out of order, then they come back sorted ascending', async function () {
        const [a, b, c] = await organizations(3);
        if (!a || !b || !c) throw new Error('setup');
        const x = batch(a.id, { accessOrgIds: [c.id, a.id, b.id] });
        await store.batches.insert(x);
        expect((await store.batches.findById(x.id))?.accessOrgIds).to.deep.equal([a.id, b.id, c.id]);
      });

      it('when a second batch reuses a GTIN and lot number, then the insert fails with a 409 naming lotNumber', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const x = batch(a.id, { gtin: '08935000000017' });
        await store.batches.insert(x);
        await expectConflict(store.batches.insert(batch(b.id, { gtin: x.gtin, lotNumber: x.lotNumber, product: 'green-coffee' })), 'lotNumber');
      });

      it('when an organization reuses a lot number for the same product, then the insert fails with a 409 naming lotNumber', async function () {
        const o = await oneOrganization();
        const x = batch(o.id);
        await store.batches.insert(x);
        await expectConflict(store.batches.insert(batch(o.id, { lotNumber: x.lotNumber })), 'lotNumber');
      });

      it('when lots without GTIN share a lot number across organizations or products, then they do not conflict', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const x = batch(a.id);
        const y = batch(b.id, { lotNumber: x.lotNumber });
        const z = batch(a.id, { lotNumber: x.lotNumber, product: 'pepper' });
        for (const lot of [x, y, z]) await store.batches.insert(lot);
        for (const lot of [x, y, z]) expect(await store.batches.findById(lot.id)).to.deep.equal(lot);
      });

      it('when a second batch reuses a public code, then the insert fails with a 409 naming code', async function () {
        const o = await oneOrganization();
        const x = batch(o.id);
        await store.batches.insert(x);
        await expectConflict(store.batches.insert(batch(o.id, { code: x.code })), 'code');
      });

      it('when batches are listed for some organizations, then only batches whose accessOrgIds include one of them are returned', async function () {
        const [a, b, c] = await organizations(3);
        if (!a || !b || !c) throw new Error('setup');
        const onlyA = batch(a.id);
        const shared = batch(b.id, { accessOrgIds: [a.id, b.id] });
        const onlyB = batch(b.id);
        const onlyC = batch(c.id);
        for (const x of [onlyA, shared, onlyB, onlyC]) await store.batches.insert(x);
        expect(ids((await store.batches.list([a.id], { limit: 10 })).items)).to.deep.equal([shared.id, onlyA.id]);
        expect(ids((await store.batches.list([b.id], { limit: 10 })).items)).to.deep.equal([onlyB.id, shared.id]);
        expect(ids((await store.batches.list([a.id, b.id], { limit: 10 })).items)).to.deep.equal([onlyB.id, shared.id, onlyA.id]);
        expect((await store.batches.list([], { limit: 10 })).items).to.deep.equal([]);
      });

      it('when 5 visible batches are listed 2 at a time, then pages run newest first with no duplicates and next is null at the end', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const visible: BatchRecord[] = [];
        for (let i = 0; i < 5; i++) {
          const x = batch(i % 2 ? b.id : a.id, { accessOrgIds: i % 2 ? [a.id, b.id] : [a.id] });
          await store.batches.insert(x);
          visible.push(x);
          await store.batches.insert(batch(b.id));
        }
        const pages = await pagesOf((page) => store.batches.list([a.id], page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
        expect(pages.flat()).to.deep.equal([...visible].reverse());
      });

      it('when access is granted twice, then each organization appears once and the batch becomes visible to it', async function () {
        const [a, b, c] = await organizations(3);
        if (!a || !b || !c) throw new Error('setup');
        const x = batch(a.id);
        await store.batches.insert(x);
        expect((await store.batches.list([c.id], { limit: 10 })).items).to.deep.equal([]);
        await store.batches.grantAccess(x.id, [c.id, b.id]);
        await store.batches.grantAccess(x.id, [b.id, a.id, c.id]);
        await store.batches.grantAccess(x.id, []);
        const expected = { ...x, accessOrgIds: [a.id, b.id, c.id] };
        expect(await store.batches.findById(x.id)).to.deep.equal(expected);
        expect((await store.batches.list([c.id], { limit: 10 })).items).to.deep.equal([expected]);
      });

      it('when serials are added to a lot, then findBySerial finds the lot by GTIN and serial; a serial already in a lot stays there', async function () {
        const o = await oneOrganization();
        const x = batch(o.id);
        const y = batch(o.id);
        await store.batches.insert(x);
        await store.batches.insert(y);
        await store.batches.addSerials(x.id, '08936123450038', ['S-1', 'S-2']);
        await store.batches.addSerials(y.id, '08936123450038', ['S-2', 'S-3']);
        await store.batches.addSerials(y.id, '08936123450038', []);
        expect((await store.batches.findBySerial('08936123450038', 'S-1'))?.id).to.equal(x.id);
        expect((await store.batches.findBySerial('08936123450038', 'S-2'))?.id).to.equal(x.id);
        expect((await store.batches.findBySerial('08936123450038', 'S-3'))?.id).to.equal(y.id);
        expect(await store.batches.findBySerial('08936123450045', 'S-1')).to.equal(null);
      });

      it('when a transaction that added serials fails, then the serials name no lot', async function () {
        const o = await oneOrganization();
        const x = batch(o.id);
        await store.batches.insert(x);
        await store
          .transaction(async (tx) => {
            await tx.batches.addSerials(x.id, '08936123450038', ['S-9']);
            throw new Error('abort');
          })
          .catch(() => undefined);
        expect(await store.batches.findBySerial('08936123450038', 'S-9')).to.equal(null);
      });

      it('when a batch is updated, then only the given fields change', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const x = batch(a.id);
        await store.batches.insert(x);

        await store.batches.update(x.id, { pendingReceiverOrgId: b.id });
        expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, pendingReceiverOrgId: b.id });

        await store.batches.update(x.id, { custodianOrgId: b.id, pendingReceiverOrgId: null });
        expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, custodianOrgId: b.id });

        await store.batches.update(x.id, { published: true, publishedAt: iso(90) });
        const published = { ...x, custodianOrgId: b.id, published: true, publishedAt: iso(90) };
        expect(await store.batches.findById(x.id)).to.deep.equal(published);

        await store.batches.update(x.id, {});
        await store.batches.update(x.id, { published: undefined });
        expect(await store.batches.findById(x.id)).to.deep.equal(published);
      });

      it('when lots come from a plot, then publishedFromPlot lists only its published ones, newest first, up to the limit, including lots published later', async function () {
        const o = await oneOrganization();
        const [p, other] = [uuidv7(), uuidv7()];
        const older = batch(o.id, { plotIds: [p], published: true, publishedAt: iso(10) });
        const unpublished = batch(o.id, { plotIds: [other, p] });
        const blend = batch(o.id, { plotIds: [other, p], derivedFrom: [older.id], published: true, publishedAt: iso(20) });
        const elsewhere = batch(o.id, { plotIds: [other], published: true, publishedAt: iso(30) });
        for (const x of [older, unpublished, blend, elsewhere]) await store.batches.insert(x);
        expect(await store.batches.publishedFromPlot(p, 10)).to.deep.equal([blend, older]);
        expect(await store.batches.publishedFromPlot(p, 1)).to.deep.equal([blend]);
        expect(await store.batches.publishedFromPlot(uuidv7(), 10)).to.deep.equal([]);

        await store.batches.update(unpublished.id, { published: true, publishedAt: iso(40) });
        expect(ids(await store.batches.publishedFromPlot(p, 10))).to.deep.equal([blend.id, unpublished.id, older.id]);
      });
    });

    describe('events', function () {
      it('when events are appended, then seq increases and findById returns the stored record', async function () {
        const o = await oneOrganization();
        const target = uuidv7();
        const appended: EventRecord[] = [];
        for (let i = 0; i < 3; i++) {
          const e = event(o.id, [{ targetId: target, role: 'subject' }]);
          const stored = await store.events.append(e);
          expect(stored).to.deep.equal({ ...e, seq: stored.seq });
          expect(await store.events.findById(e.id)).to.deep.equal(stored);
          appended.push(stored);
        }
        const seqs = appended.map((e) => e.seq);
        expect(seqs.every((s) => Number.isInteger(s) && s > 0)).to.equal(true);
        expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).to.equal(3);
        expect(await store.events.findById(`urn:uuid:${uuidv7()}`)).to.equal(null);
        expect(await store.events.findByHash(appended[1]!.hash)).to.deep.equal(appended[1]);
        expect(await store.events.findByHash(sha256('no such event'))).to.equal(null);
      });

      it('when an event carries a signature, log index and correction, then they round trip', async function () {
        const o = await oneOrganization();
        const first = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'plot' }]));
        const e = event(o.id, [{ targetId: uuidv7(), role: 'subject' }], { corrects: first.id, jws: 'eyJhbGciOiJFZERTQSJ9..c2ln', stepType: null });
        const stored = await store.events.append(e);
        expect(await store.events.findById(e.id)).to.deep.equal({ ...e, seq: stored.seq });
      });

      it('when links are given out of order with a duplicate, then they come back once each, sorted by role then target', async function () {
        const o = await oneOrganization();
        const [t1, t2, t3] = [uuidv7(), uuidv7(), uuidv7()];
        const e = event(o.id, [
          { targetId: t2, role: 'output' },
          { targetId: t3, role: 'input' },
          { targetId: t1, role: 'output' },
          { targetId: t1, role: 'input' },
          { targetId: t2, role: 'output' },
        ]);
        const expected: EventLink[] = [
          { targetId: t1, role: 'input' },
          { targetId: t3, role: 'input' },
          { targetId: t1, role: 'output' },
          { targetId: t2, role: 'output' },
        ];
        expect((await store.events.append(e)).links).to.deep.equal(expected);
        expect((await store.events.findById(e.id))?.links).to.deep.equal(expected);
      });

      it('when events are listed for a target, then they come oldest first, in pages keyed by seq, across link roles', async function () {
        const o = await oneOrganization();
        const target = uuidv7();
        const other = uuidv7();
        const roles: EventLink['role'][] = ['subject', 'input', 'output', 'subject', 'plot'];
        const linked: EventRecord[] = [];
        for (const role of roles) {
          linked.push(await store.events.append(event(o.id, [{ targetId: target, role }])));
          await store.events.append(event(o.id, [{ targetId: other, role: 'subject' }]));
        }
        const first = await store.events.listFor(target, { limit: 2 });
        expect(first.next).to.equal(String(first.items.at(-1)?.seq));
        const pages = await pagesOf((page) => store.events.listFor(target, page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
        expect(pages.flat()).to.deep.equal(linked);
        expect(await store.events.listFor(uuidv7(), { limit: 2 })).to.deep.equal({ items: [], next: null });
      });

      it('when headOf is asked, then it returns the lot\'s last event as subject or output, never one it was only an input of', async function () {
        const o = await oneOrganization();
        const target = uuidv7();
        expect(await store.events.headOf(target)).to.equal(null);
        await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
        const produced = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'input' }, { targetId: target, role: 'output' }]));
        await store.events.append(event(o.id, [{ targetId: target, role: 'input' }, { targetId: uuidv7(), role: 'output' }]));
        await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]));
        expect(await store.events.headOf(target)).to.deep.equal(produced);
        const last = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
        expect(await store.events.headOf(target)).to.deep.equal(last);
      });

      it('when events are queried, then only those the scope may read come back: recorded by it, of lots in its chain of custody, of its plots', async function () {
        const [mine, theirs, partner] = [await oneOrganization(), await oneOrganization(), await oneOrganization()];
        const sharedLot = batch(theirs.id, { accessOrgIds: [theirs.id, mine.id] });
        const theirLot = batch(theirs.id);
        const myPlot = plot(mine.id);
        for (const b of [sharedLot, theirLot]) await store.batches.insert(b);
        await store.plots.insert(myPlot);
        const recorded = await store.events.append(event(mine.id, [{ targetId: uuidv7(), role: 'subject' }]));
        const ofSharedLot = await store.events.append(event(theirs.id, [{ targetId: sharedLot.id, role: 'output' }]));
        await store.events.append(event(theirs.id, [{ targetId: theirLot.id, role: 'subject' }]));
        const ofMyPlot = await store.events.append(event(partner.id, [{ targetId: myPlot.id, role: 'plot' }]));
        // A lot id used as a plot link (or the other way round) grants nothing.
        await store.events.append(event(theirs.id, [{ targetId: sharedLot.id, role: 'plot' }]));

        expect((await store.events.query({ scopeOrgIds: [mine.id] }, { limit: 10 })).items).to.deep.equal([recorded, ofSharedLot, ofMyPlot]);
        expect(ids((await store.events.query({ scopeOrgIds: [partner.id] }, { limit: 10 })).items)).to.deep.equal([ofMyPlot.id]);
        expect(await store.events.query({ scopeOrgIds: [uuidv7()] }, { limit: 10 })).to.deep.equal({ items: [], next: null });
        expect(await store.events.query({ scopeOrgIds: [] }, { limit: 10 })).to.deep.equal({ items: [], next: null });
      });

      it('when events are queried with filters, then type, time (as instants), EPC, bizStep and bizLocation narrow them, in pages keyed by seq', async function () {
        const o = await oneOrganization();
        const lot = 'https://id.gs1.org/01/08930000000017/10/L1';
        const input = 'urn:farm-trace:epcis:lot:abc';
        const plotUri = 'urn:farm-trace:epcis:plot:p1';
        const place = 'https://id.gs1.org/414/8930000000019';
        const body = (type: string, rest: Record<string, unknown>) => ({ type, ...rest });
        const harvest = await store.events.append(
          event(o.id, [], { eventTime: '2025-10-01T08:00:00+07:00', body: body('ObjectEvent', { bizStep: 'creating_class_instance', quantityList: [{ epcClass: lot, quantity: 1 }], bizLocation: { id: place } }) }),
        );
        const registration = await store.events.append(event(o.id, [], { eventTime: '2025-10-01T02:30:00Z', body: body('ObjectEvent', { bizStep: 'commissioning', epcList: [plotUri] }) }));
        const roast = await store.events.append(
          event(o.id, [], {
            type: 'TransformationEvent',
            eventTime: '2025-10-02T09:00:00+07:00',
            body: body('TransformationEvent', { bizStep: 'commissioning', inputQuantityList: [{ epcClass: lot }], outputQuantityList: [{ epcClass: input }] }),
          }),
        );
        const scope = { scopeOrgIds: [o.id] };
        const q = async (filter: Record<string, unknown>) => ids((await store.events.query({ ...scope, ...filter }, { limit: 10 })).items);

        expect(await q({ types: ['TransformationEvent'] })).to.deep.equal([roast.id]);
        expect(await q({ types: ['ObjectEvent', 'TransformationEvent'] })).to.deep.equal([harvest.id, registration.id, roast.id]);
        // 08:00+07:00 is 01:00Z, before 02:30Z: compared as instants, not as strings.
        expect(await q({ eventTimeFrom: '2025-10-01T01:30:00Z' })).to.deep.equal([registration.id, roast.id]);
        expect(await q({ eventTimeBefore: '2025-10-01T02:30:00Z' })).to.deep.equal([harvest.id]);
        expect(await q({ eventTimeFrom: '2025-10-01T01:00:00Z', eventTimeBefore: '2025-10-01T01:00:00.001Z' })).to.deep.equal([harvest.id]);
        expect(await q({ epcs: [lot] })).to.deep.equal([harvest.id]);
        expect(await q({ epcs: [plotUri, input] })).to.deep.equal([registration.id]);
        expect(await q({ anyEpcs: [lot] })).to.deep.equal([harvest.id, roast.id]);
        expect(await q({ anyEpcs: [input] })).to.deep.equal([roast.id]);
        expect(await q({ bizSteps: ['commissioning'] })).to.deep.equal([registration.id, roast.id]);
        expect(await q({ bizSteps: ['commissioning'], anyEpcs: [lot] })).to.deep.equal([roast.id]);
        expect(await q({ bizLocations: [place] })).to.deep.equal([harvest.id]);
        expect(await q({ bizLocations: ['https://id.gs1.org/414/0000000000000'] })).to.deep.equal([]);

        const first = await store.events.query(scope, { limit: 2 });
        expect(first.next).to.equal(String(first.items.at(-1)?.seq));
        const pages = await pagesOf((page) => store.events.query(scope, page), 2);
        expect(pages.map((p) => p.length)).to.deep.equal([2, 1]);
        expect(pages.flat()).to.deep.equal([harvest, registration, roast]);
      });

      it('when an event id or hash is appended twice, then the append fails with a 409', async function () {
        const o = await oneOrganization();
        const e = event(o.id, [{ targetId: uuidv7(), role: 'subject' }]);
        const stored = await store.events.append(e);
        await expectConflict(store.events.append({ ...event(o.id, []), hash: e.hash }));
        await expectConflict(store.events.append({ ...e, hash: sha256('other') }));
        expect(await store.events.findById(e.id)).to.deep.equal(stored);
      });
    });

    describe('capture jobs', function () {
      function job(orgId: string, overrides: Partial<CaptureJobRecord> = {}): CaptureJobRecord {
        return { id: uuidv7(), orgId, submittedBy: 'user-1', createdAt: iso(), finishedAt: null, running: true, success: false, eventCount: 2, eventIds: [], errors: [], ...overrides };
      }

      it('when a job is inserted and finished, then findById returns it finished; finishing it again changes nothing', async function () {
        const o = await oneOrganization();
        const j = job(o.id);
        await store.captureJobs.insert(j);
        expect(await store.captureJobs.findById(j.id)).to.deep.equal(j);
        expect(await store.captureJobs.listRunning()).to.deep.equal([j.id]);
        await store.captureJobs.finish(j.id, { finishedAt: iso(5), success: true, eventIds: ['urn:uuid:a', 'urn:uuid:b'], errors: [] });
        const done = { ...j, running: false, success: true, finishedAt: iso(5), eventIds: ['urn:uuid:a', 'urn:uuid:b'] };
        expect(await store.captureJobs.findById(j.id)).to.deep.equal(done);
        await store.captureJobs.finish(j.id, { finishedAt: iso(9), success: false, eventIds: [], errors: [{ type: 't', title: 'x', status: 400, detail: 'd' }] });
        expect(await store.captureJobs.findById(j.id)).to.deep.equal(done);
        expect(await store.captureJobs.listRunning()).to.deep.equal([]);
      });

      it('when a job fails, then its problem details round trip', async function () {
        const o = await oneOrganization();
        const j = job(o.id);
        await store.captureJobs.insert(j);
        const errors = [{ type: '/problems/validation-error', title: 'Bad', status: 400, detail: 'd', errors: [{ path: '/epcisBody/eventList/0/eventID', message: 'taken' }] }];
        await store.captureJobs.finish(j.id, { finishedAt: iso(1), success: false, eventIds: [], errors });
        expect((await store.captureJobs.findById(j.id))?.errors).to.deep.equal(errors);
      });

      it('when jobs of two organizations exist, then list pages only those of the given ones, newest first', async function () {
        const [a, b] = await organizations(2);
        if (!a || !b) throw new Error('setup');
        const mine = [job(a.id), job(a.id), job(a.id)];
        for (const j of [...mine, job(b.id)]) await store.captureJobs.insert(j);
        const first = await store.captureJobs.list([a.id], { limit: 2 });
        expect(first.items.map((j) => j.id)).to.deep.equal([mine[2]!.id, mine[1]!.id]);
        const second = await store.captureJobs.list([a.id], { limit: 2, after: first.next! });
        expect(second.items.map((j) => j.id)).to.deep.equal([mine[0]!.id]);
        expect(second.next).to.equal(null);
      });
    });

    describe('transactions', function () {
      it('when the work throws after inserting an organization, then nothing is written and the error propagates', async function () {
        const o = organization();
        const error = await rejectionOf(
          store.transaction(async (tx) => {
            await tx.organizations.insert(o);
            expect(await tx.organizations.findById(o.id)).to.deep.equal(o);
            throw new Error('boom');
          }),
        );
        expect((error as Error).message).to.equal('boom');
        expect(await store.organizations.findById(o.id)).to.equal(null);
        expect(await store.isEmpty()).to.equal(true);
      });

      it('when a write inside the work conflicts, then the earlier writes of the transaction are rolled back too', async function () {
        const existing = await oneOrganization();
        const fresh = organization();
        const target = uuidv7();
        await expectConflict(
          store.transaction(async (tx) => {
            await tx.organizations.insert(fresh);
            await tx.events.append(event(fresh.id, [{ targetId: target, role: 'subject' }]));
            await tx.organizations.insert(organization({ slug: existing.slug }));
          }),
          'slug',
        );
        expect(await store.organizations.findById(fresh.id)).to.equal(null);
        expect(await store.events.headOf(target)).to.equal(null);
      });

      it('when the work succeeds, then everything it wrote is committed and its result returned', async function () {
        const o = organization();
        const u = user(o.id);
        const x = batch(o.id);
        const e = event(o.id, [{ targetId: x.id, role: 'subject' }]);
        const result = await store.transaction(async (tx) => {
          await tx.organizations.insert(o);
          await tx.users.insert(u);
          await tx.batches.insert(x);
          await tx.batches.update(x.id, { published: true, publishedAt: iso(5) });
          const stored = await tx.events.append(e);
          return { seq: stored.seq, latest: await tx.events.headOf(x.id) };
        });
        expect(result.latest).to.deep.equal({ ...e, seq: result.seq });
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
        expect(await store.users.findById(u.id)).to.deep.equal(u);
        expect(await store.batches.findById(x.id)).to.deep.equal({ ...x, published: true, publishedAt: iso(5) });
        expect(await store.events.headOf(x.id)).to.deep.equal(result.latest);
      });

      it('when events are appended inside and outside transactions, then seq keeps increasing', async function () {
        const o = await oneOrganization();
        const target = uuidv7();
        const a = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
        const b = await store.transaction((tx) => tx.events.append(event(o.id, [{ targetId: target, role: 'subject' }])));
        const c = await store.events.append(event(o.id, [{ targetId: target, role: 'subject' }]));
        expect(a.seq).to.be.lessThan(b.seq);
        expect(b.seq).to.be.lessThan(c.seq);
        expect(ids((await store.events.listFor(target, { limit: 10 })).items)).to.deep.equal([a.id, b.id, c.id]);
      });
    });

    describe('media', function () {
      it('when a file record is inserted, then it reads back whole by id and by its target', async function () {
        const o = await oneOrganization();
        const e = await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]));
        const original = sha256(uuidv7());
        const rendition = sha256(uuidv7());
        const record = {
          id: uuidv7(),
          orgId: o.id,
          targetKind: 'batch' as const,
          targetId: uuidv7(),
          attachesTo: null,
          sha256: original,
          mediaType: 'image/jpeg',
          bytes: 1234,
          width: 800,
          height: 600,
          renditions: [{ width: 320, sha256: rendition }],
          evidence: { takenAt: null, gps: { lat: 13.0415278, lon: 108.3726111 } },
          eventId: e.id,
          createdBy: null,
          createdAt: iso(),
        };
        await store.media.insert(record);
        expect(await store.media.findById(record.id)).to.deep.equal(record);
        expect(await store.media.listFor(record.targetId)).to.deep.equal([record]);
      });
    });

    describe('signing keys', function () {
      const key = (orgId: string, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord => {
        const kid = createHash('sha256').update(uuidv7()).digest('base64url');
        return {
          kid,
          orgId,
          publicJwk: { kty: 'OKP', crv: 'Ed25519', x: createHash('sha256').update(kid).digest('base64url') },
          encryptedPrivateKey: `v1.${kid}`,
          validFrom: iso(),
          validTo: null,
          revokedAt: null,
          ...overrides,
        };
      };

      it('when a key is inserted, then findByKid and currentFor return it unchanged', async function () {
        const o = await oneOrganization();
        const k = key(o.id);
        await store.signingKeys.insert(k);
        expect(await store.signingKeys.findByKid(k.kid)).to.deep.equal(k);
        expect(await store.signingKeys.currentFor(o.id)).to.deep.equal(k);
        expect(await store.signingKeys.findByKid('missing')).to.equal(null);
      });

      it('when a key is rotated or revoked, then it is no longer current and the update keeps its other fields', async function () {
        const o = await oneOrganization();
        const old = key(o.id);
        await store.signingKeys.insert(old);
        await store.signingKeys.update(old.kid, { validTo: iso(60) });
        expect(await store.signingKeys.currentFor(o.id)).to.equal(null);
        const next = key(o.id, { validFrom: iso(60) });
        await store.signingKeys.insert(next);
        await store.signingKeys.update(old.kid, { revokedAt: iso(30) });
        expect(await store.signingKeys.findByKid(old.kid)).to.deep.equal({ ...old, validTo: iso(60), revokedAt: iso(30) });
        expect(await store.signingKeys.currentFor(o.id)).to.deep.equal(next);
      });

      it('when an organization already has a current key, then inserting a second current key is refused', async function () {
        const o = await oneOrganization();
        await store.signingKeys.insert(key(o.id));
        await expectConflict(store.signingKeys.insert(key(o.id)));
      });

      it('when keys are listed, then they come oldest first, per organization or for all', async function () {
        const [a, b] = await organizations(2);
        const k1 = key(a!.id, { validFrom: iso(0), validTo: iso(10) });
        const k2 = key(b!.id, { validFrom: iso(5) });
        const k3 = key(a!.id, { validFrom: iso(10) });
        for (const k of [k3, k1, k2]) await store.signingKeys.insert(k);
        expect(await store.signingKeys.list(a!.id)).to.deep.equal([k1, k3]);
        expect((await store.signingKeys.list(null)).map((k) => k.kid)).to.deep.equal([k1.kid, k2.kid, k3.kid]);
      });
    });

    describe('idempotency keys', function () {
      it('when a free key is claimed, then claim returns null, and a second claim returns the pending record', async function () {
        const r = idempotency();
        expect(await store.idempotency.claim(r)).to.equal(null);
        expect(await store.idempotency.claim({ ...r, requestHash: sha256('other'), createdAt: iso(10) })).to.deep.equal(r);
      });

      it('when a claim is completed, then later claims return the done record with status, body and location', async function () {
        const r = idempotency();
        await store.idempotency.claim(r);
        const body = { id: uuidv7(), lot: { quantity: { value: 40, unit: 'bag', bagKg: 60 } }, tags: [], empty: {} };
        await store.idempotency.complete(r.scope, r.key, 201, body, '/v1/batches/x');
        expect(await store.idempotency.claim(idempotency({ scope: r.scope, key: r.key }))).to.deep.equal({
          ...r,
          state: 'done',
          status: 201,
          body,
          location: '/v1/batches/x',
        });
      });

      it('when a pending claim is released, then the key is free again', async function () {
        const r = idempotency();
        await store.idempotency.claim(r);
        await store.idempotency.release(r.scope, r.key);
        expect(await store.idempotency.claim(r)).to.equal(null);
      });

      it('when a completed claim is released, then it is kept', async function () {
        const r = idempotency();
        await store.idempotency.claim(r);
        await store.idempotency.complete(r.scope, r.key, 200, ['ok'], null);
        await store.idempotency.release(r.scope, r.key);
        expect(await store.idempotency.claim(r)).to.deep.equal({ ...r, state: 'done', status: 200, body: ['ok'], location: null });
      });

      it('when the same key is claimed in another scope, then it is a separate claim', async function () {
        const r = idempotency();
        await store.idempotency.claim(r);
        expect(await store.idempotency.claim({ ...r, scope: `org:${uuidv7()}` })).to.equal(null);
      });

      it('when a key is claimed inside a transaction that fails, then the claim is not kept', async function () {
        const r = idempotency();
        await rejectionOf(
          store.transaction(async (tx) => {
            expect(await tx.idempotency.claim(r)).to.equal(null);
            expect(await tx.idempotency.claim(r)).to.deep.equal(r);
            throw new Error('boom');
          }),
        );
        expect(await store.idempotency.claim(r)).to.equal(null);
      });
    });

    describe('scans', function () {
      const zero = { android: 0, ios: 0, desktop: 0, bot: 0, other: 0 };
      // Vietnam days run from 17:00Z the day before to 17:00Z (UTC+07:00).
      const window = { from: '2025-05-31T17:00:00.000Z', to: '2025-06-02T17:00:00.000Z' };

      it('when scans are inserted, then countFor counts the lot’s scans in [from, to) by client type and by Vietnam day', async function () {
        const lot = uuidv7();
        await store.scans.insertMany([
          { batchId: lot, at: '2025-05-31T16:59:59.999Z', clientType: 'desktop' },
          { batchId: lot, at: '2025-05-31T17:00:00.000Z', clientType: 'android' },
          { batchId: lot, at: '2025-06-01T16:59:59.999Z', clientType: 'bot' },
          { batchId: lot, at: '2025-06-01T17:00:00.000Z', clientType: 'ios' },
          { batchId: lot, at: '2025-06-02T03:00:00.000Z', clientType: 'ios' },
          { batchId: lot, at: '2025-06-02T17:00:00.000Z', clientType: 'other' },
          { batchId: uuidv7(), at: '2025-06-01T00:00:00.000Z', clientType: 'android' },
        ]);
        expect(await store.scans.countFor(lot, window)).to.deep.equal({
          total: 4,
          byClientType: { ...zero, android: 1, bot: 1, ios: 2 },
          byDay: [
            { day: '2025-06-01', count: 2 },
            { day: '2025-06-02', count: 2 },
          ],
        });
      });

      it('when a lot has no scans in the window, then every client type counts zero and no day is listed', async function () {
        await store.scans.insertMany([]);
        expect(await store.scans.countFor(uuidv7(), window)).to.deep.equal({ total: 0, byClientType: zero, byDay: [] });
      });

      it('when many scans are inserted in one call, then every one is counted', async function () {
        const lot = uuidv7();
        const at = (i: number) => new Date(Date.parse(window.from) + i * 60_000).toISOString();
        await store.scans.insertMany(Array.from({ length: 1200 }, (_, i) => ({ batchId: lot, at: at(i), clientType: i % 2 ? 'ios' : 'android' })));
        const counts = await store.scans.countFor(lot, window);
        expect(counts.total).to.equal(1200);
        expect(counts.byClientType).to.deep.equal({ ...zero, android: 600, ios: 600 });
        expect(counts.byDay.reduce((sum, d) => sum + d.count, 0)).to.equal(1200);
      });

      it('when scans are inserted inside a transaction that fails, then none is kept', async function () {
        const lot = uuidv7();
        await rejectionOf(
          store.transaction(async (tx) => {
            await tx.scans.insertMany([{ batchId: lot, at: '2025-06-01T00:00:00.000Z', clientType: 'android' }]);
            throw new Error('boom');
          }),
        );
        expect((await store.scans.countFor(lot, window)).total).to.equal(0);
      });
    });

    describe('log', function () {
      /** The nodes leaf `i` completes in a real tree: its own, and one per level while it closes a pair. */
      const completedBy = (i: number, leafHash: string): LogNode[] => {
        const nodes: LogNode[] = [{ level: 0, index: i, hash: leafHash }];
        for (let level = 1, index = i; index % 2 === 1; level++, index = Math.floor(index / 2)) {
          nodes.push({ level, index: Math.floor(index / 2), hash: sha256(`node ${level}/${Math.floor(index / 2)}`) });
        }
        return nodes;
      };

      /** Appends each hash as the next leaf, as the log does: in a transaction, index from nextLeafIndex. */
      async function logged(...hashes: string[]): Promise<number[]> {
        return store.transaction(async (tx) => {
          const indexes: number[] = [];
          for (const hash of hashes) {
            const index = await tx.log.nextLeafIndex();
            await tx.log.appendLeaf(index, hash, completedBy(index, hash));
            indexes.push(index);
          }
          return indexes;
        });
      }

      const checkpoint = (treeSize: number, overrides: Partial<CheckpointRecord> = {}): CheckpointRecord => ({
        treeSize,
        rootHash: sha256(`root ${treeSize}`),
        note: `trace.example.vn/log\n${treeSize}\nroot\n\n— trace.example.vn/log sig${treeSize}\n`,
        issuedAt: iso(treeSize),
        ...overrides,
      });

      const logKey = (): LogKeyRecord => ({ kid: sha256(uuidv7()), publicKey: 'MCowBQYDK2VwAyEA', encryptedPrivateKey: `v1.${uuidv7()}`, createdAt: iso() });

      it('when leaves are appended, then nextLeafIndex starts at 0 and follows them, and size counts them', async function () {
        expect(await store.log.size()).to.equal(0);
        expect(await store.log.nextLeafIndex()).to.equal(0);
        // Asking is not taking: the index stays the same until a leaf is appended at it.
        expect(await store.transaction(async (tx) => [await tx.log.nextLeafIndex(), await tx.log.nextLeafIndex()])).to.deep.equal([0, 0]);
        expect(await logged(sha256('a'))).to.deep.equal([0]);
        expect(await logged(sha256('b'))).to.deep.equal([1]);
        expect(await logged(sha256('c'), sha256('d'), sha256('e'))).to.deep.equal([2, 3, 4]);
        expect(await store.log.size()).to.equal(5);
        expect(await store.log.nextLeafIndex()).to.equal(5);
      });

      it('when appendLeaf runs in a transaction that fails, then no leaf, node or size change is kept', async function () {
        await logged(sha256('first'));
        const hash = sha256('second');
        const error = await rejectionOf(
          store.transaction(async (tx) => {
            const index = await tx.log.nextLeafIndex();
            expect(index).to.equal(1);
            await tx.log.appendLeaf(index, hash, completedBy(index, hash));
            expect(await tx.log.leafIndexOf(hash)).to.equal(1);
            throw new Error('boom');
          }),
        );
        expect((error as Error).message).to.equal('boom');
        expect(await store.log.size()).to.equal(1);
        expect(await store.log.leafIndexOf(hash)).to.equal(null);
        expect(await store.log.findNodes([{ level: 0, index: 1 }, { level: 1, index: 0 }])).to.deep.equal([]);
        // The index and the hash are free again.
        expect(await logged(hash)).to.deep.equal([1]);
        expect(await store.log.leafIndexOf(hash)).to.equal(1);
      });

      it('when a taken leaf index or a logged event hash is appended, then appendLeaf fails with a 409 and the log is unchanged', async function () {
        const [a, b] = [sha256('a'), sha256('b')];
        await logged(a);
        await expectConflict(store.transaction((tx) => tx.log.appendLeaf(0, b, [{ level: 0, index: 0, hash: b }])));
        await expectConflict(store.transaction(async (tx) => tx.log.appendLeaf(await tx.log.nextLeafIndex(), a, [])));
        expect(await store.log.size()).to.equal(1);
        expect(await store.log.leafIndexOf(a)).to.equal(0);
        expect(await store.log.leafIndexOf(b)).to.equal(null);
        expect(await store.log.findNodes([{ level: 0, index: 0 }])).to.deep.equal([{ level: 0, index: 0, hash: a }]);
      });

      it('when an event hash is looked up, then leafIndexOf returns its leaf, or null when it is not in the log', async function () {
        const hashes = [sha256('a'), sha256('b'), sha256('c')];
        await logged(...hashes);
        expect(await Promise.all(hashes.map((h) => store.log.leafIndexOf(h)))).to.deep.equal([0, 1, 2]);
        expect(await store.log.leafIndexOf(sha256('not logged'))).to.equal(null);
      });

      it('when nodes are looked up, then findNodes returns only the stored ones, with their hashes', async function () {
        const hashes = [sha256('a'), sha256('b'), sha256('c')];
        await logged(...hashes);
        const stored = [...completedBy(0, hashes[0]!), ...completedBy(1, hashes[1]!), ...completedBy(2, hashes[2]!)];
        expect(stored.map((n) => `${n.level}/${n.index}`)).to.deep.equal(['0/0', '0/1', '1/0', '0/2']);
        const found = await store.log.findNodes([
          { level: 1, index: 0 },
          { level: 0, index: 3 },
          { level: 0, index: 2 },
          { level: 1, index: 1 },
          { level: 2, index: 0 },
          { level: 0, index: 0 },
        ]);
        expect(found).to.have.deep.members([stored[2], stored[3], stored[0]]);
        expect(found).to.have.length(3);
        expect(await store.log.findNodes([])).to.deep.equal([]);
      });

      it('when a second checkpoint of a tree size is inserted, then it is refused and the first is kept', async function () {
        const first = checkpoint(3);
        expect(await store.log.findCheckpoint(3)).to.equal(null);
        expect(await store.log.insertCheckpoint(first)).to.equal(true);
        expect(await store.log.insertCheckpoint(checkpoint(3, { rootHash: sha256('other root'), note: 'other note\n', issuedAt: iso(60) }))).to.equal(false);
        expect(await store.log.findCheckpoint(3)).to.deep.equal(first);
        expect(await store.log.findCheckpoint(4)).to.equal(null);
      });

      it('when checkpoints of several tree sizes exist, then latestCheckpoint is the one of the largest size', async function () {
        expect(await store.log.latestCheckpoint()).to.equal(null);
        // 10 after 9 and 2: sizes compare as numbers, and insertion order does not matter.
        for (const size of [2, 10, 9]) expect(await store.log.insertCheckpoint(checkpoint(size))).to.equal(true);
        expect(await store.log.latestCheckpoint()).to.deep.equal(checkpoint(10));
      });

      it('when the log key is inserted twice, then the second insert is refused and the first key stays', async function () {
        expect(await store.log.signingKey()).to.equal(null);
        const first = logKey();
        expect(await store.log.insertSigningKey(first)).to.equal(true);
        expect(await store.log.insertSigningKey(logKey())).to.equal(false);
        expect(await store.log.signingKey()).to.deep.equal(first);
      });

      it('when a checkpoint or the key is refused inside a transaction, then the rest of the transaction still commits', async function () {
        await store.log.insertCheckpoint(checkpoint(1));
        await store.log.insertSigningKey(logKey());
        const o = organization();
        await store.transaction(async (tx) => {
          expect(await tx.log.insertCheckpoint(checkpoint(1, { note: 'late\n' }))).to.equal(false);
          expect(await tx.log.insertSigningKey(logKey())).to.equal(false);
          await tx.organizations.insert(o);
        });
        expect(await store.organizations.findById(o.id)).to.deep.equal(o);
        expect(await store.log.findCheckpoint(1)).to.deep.equal(checkpoint(1));
      });

      it('when events are appended, then unloggedEventHashes lists those not yet logged in append order, and drops them once logged', async function () {
        const o = await oneOrganization();
        expect(await store.log.unloggedEventHashes(10)).to.deep.equal([]);
        const hashes: string[] = [];
        for (let i = 0; i < 4; i++) hashes.push((await store.events.append(event(o.id, [{ targetId: uuidv7(), role: 'subject' }]))).hash);
        const [h0, h1, h2, h3] = hashes as [string, string, string, string];
        expect(await store.log.unloggedEventHashes(10)).to.deep.equal([h0, h1, h2, h3]);
        expect(await store.log.unloggedEventHashes(2)).to.deep.equal([h0, h1]);
        await logged(h0, h2);
        expect(await store.log.unloggedEventHashes(10)).to.deep.equal([h1, h3]);
        expect(await store.log.unloggedEventHashes(1)).to.deep.equal([h1]);
        await logged(h1, h3);
        expect(await store.log.unloggedEventHashes(10)).to.deep.equal([]);
      });
    });
  });
}
