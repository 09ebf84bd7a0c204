/** The store contract for organizations, their users and API keys. */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { ApiKeyRecord, Store, UserRecord } from '../../../src/store/port.js';
import { iso, sha256, organization, user, apiKey, rejectionOf, expectConflict, pagesOf, ids, descending, type StoreSuite } from './fixtures.js';

export function organizationsContract(suite: StoreSuite): void {
  let store: Store;
  const { organizations, oneOrganization } = suite;

  describe('organizations', function () {
    beforeEach(function () {
      store = suite.store;
    });

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
    beforeEach(function () {
      store = suite.store;
    });

    it('when a user is inserted, then findById and findByEmail return it unchanged', async function () {
      const o = await oneOrganization();
      const u = user(o.id);
      await store.users.insert(u);
      expect(await store.users.findById(u.id)).to.deep.equal(u);
      expect(await store.users.findByEmail(u.email as string)).to.deep.equal(u);
      expect(await store.users.findByEmail('nobody@example.vn')).to.equal(null);
    });

    it('when users log in with a phone only, or with both an email and a phone, then findByPhone returns each unchanged and several users without an email coexist', async function () {
      const o = await oneOrganization();
      const phoneOnly = user(o.id, { email: null, passwordHash: null, phone: '+84912000001', pinHash: 'scrypt$pin-1', role: 'farmer' });
      const other = user(o.id, { email: null, passwordHash: null, phone: '+84912000002', pinHash: 'scrypt$pin-2', role: 'farmer' });
      const both = user(o.id, { phone: '+84912000003', pinHash: 'scrypt$pin-3', role: 'farmer' });
      for (const u of [phoneOnly, other, both]) await store.users.insert(u);
      expect(await store.users.findByPhone('+84912000001')).to.deep.equal(phoneOnly);
      expect(await store.users.findByPhone('+84912000002')).to.deep.equal(other);
      expect(await store.users.findByPhone('+84912000003')).to.deep.equal(both);
      expect(await store.users.findByEmail(both.email as string)).to.deep.equal(both);
      expect(await store.users.findByPhone('+84912000009')).to.equal(null);
    });

    it('when a second user takes a used phone number, then the insert fails with a 409 naming phone, and nothing of it is stored', async function () {
      const o = await oneOrganization();
      await store.users.insert(user(o.id, { email: null, passwordHash: null, phone: '+84912000011', pinHash: 'scrypt$pin', role: 'farmer' }));
      const second = user(o.id, { phone: '+84912000011', pinHash: 'scrypt$pin', role: 'farmer' });
      await expectConflict(store.users.insert(second), 'phone');
      expect(await store.users.findById(second.id)).to.equal(null);
    });

    it('when a PIN hash is replaced, then only that user’s pinHash changes; a user without a phone gets none', async function () {
      const o = await oneOrganization();
      const farmer = user(o.id, { email: null, passwordHash: null, phone: '+84912000021', pinHash: 'scrypt$old', role: 'farmer' });
      const neighbour = user(o.id, { email: null, passwordHash: null, phone: '+84912000022', pinHash: 'scrypt$neighbour', role: 'farmer' });
      const emailOnly = user(o.id);
      for (const u of [farmer, neighbour, emailOnly]) await store.users.insert(u);
      await store.users.setPinHash(farmer.id, 'scrypt$new');
      await store.users.setPinHash(emailOnly.id, 'scrypt$new');
      expect(await store.users.findById(farmer.id)).to.deep.equal({ ...farmer, pinHash: 'scrypt$new' });
      expect(await store.users.findById(neighbour.id)).to.deep.equal(neighbour);
      expect(await store.users.findById(emailOnly.id)).to.deep.equal(emailOnly);
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
    beforeEach(function () {
      store = suite.store;
    });

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
}
