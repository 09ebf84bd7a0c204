/** The MongoDB signingKeys collection. */
import type { mongo } from 'mongoose';
import type { SigningKeyRecord, SigningKeyRepository } from '../port.js';
import type { Collections, SigningKeyDoc } from './mongo-collections.js';
import { orNull, mapOne } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromSigningKey = (k: SigningKeyRecord): SigningKeyDoc & { current: boolean } => ({
  _id: k.kid,
  orgId: k.orgId,
  publicJwk: { kty: k.publicJwk.kty, crv: k.publicJwk.crv, x: k.publicJwk.x },
  encryptedPrivateKey: k.encryptedPrivateKey,
  validFrom: k.validFrom,
  validTo: orNull(k.validTo),
  revokedAt: orNull(k.revokedAt),
  current: k.validTo === null && k.revokedAt === null,
});

const toSigningKey = (d: SigningKeyDoc): SigningKeyRecord => ({
  kid: d._id,
  orgId: d.orgId,
  publicJwk: { kty: d.publicJwk.kty, crv: d.publicJwk.crv, x: d.publicJwk.x },
  encryptedPrivateKey: d.encryptedPrivateKey,
  validFrom: d.validFrom,
  validTo: orNull(d.validTo),
  revokedAt: orNull(d.revokedAt),
});

export function signingKeyRepository(c: Collections, session?: mongo.ClientSession): SigningKeyRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (k) => {
      await write(() => c.signingKeys.insertOne(fromSigningKey(k), opts));
    },
    findByKid: async (kid) => mapOne(await c.signingKeys.findOne({ _id: kid }, opts), toSigningKey),
    // Inside a transaction the current key is read with a write, so a concurrent rotation or
    // revocation conflicts with the signing transaction instead of slipping past it.
    currentFor: async (orgId) =>
      mapOne(
        session
          ? await c.signingKeys.findOneAndUpdate({ orgId, validTo: null, revokedAt: null }, { $set: { readAt: new Date().toISOString() } }, { ...opts, returnDocument: 'after' })
          : await c.signingKeys.findOne({ orgId, validTo: null, revokedAt: null }, opts),
        toSigningKey,
      ),
    list: async (orgId) =>
      (await c.signingKeys.find(orgId === null ? {} : { orgId }, opts).sort({ validFrom: 1, _id: 1 }).toArray()).map(toSigningKey),
    update: async (kid, patch) => {
      const doc = await c.signingKeys.findOne({ _id: kid }, opts);
      if (!doc) return;
      const validTo = patch.validTo !== undefined ? patch.validTo : doc.validTo;
      const revokedAt = patch.revokedAt !== undefined ? patch.revokedAt : doc.revokedAt;
      await write(() =>
        c.signingKeys.updateOne({ _id: kid }, { $set: { validTo, revokedAt, current: validTo === null && revokedAt === null } }, opts),
      );
    },
    rewrap: async (kid, from, to) =>
      (await c.signingKeys.updateOne({ _id: kid, encryptedPrivateKey: from }, { $set: { encryptedPrivateKey: to } }, opts)).matchedCount === 1,
  };
}
