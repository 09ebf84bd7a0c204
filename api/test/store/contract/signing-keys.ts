/** The store contract for organizations' signing keys. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import type { SigningKeyRecord, Store } from '../../../src/store/port.js';
import { iso, expectConflict, type StoreSuite } from './fixtures.js';

export function signingKeysContract(suite: StoreSuite): void {
  let store: Store;
  const { organizations, oneOrganization } = suite;

  describe('signing keys', function () {
    beforeEach(function () {
      store = suite.store;
    });

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
}
