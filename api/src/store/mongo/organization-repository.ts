/** The MongoDB organizations collection. */
import type { mongo } from 'mongoose';
import type { OrganizationRecord, OrganizationRepository } from '../port.js';
import type { Collections, OrganizationDoc } from './mongo-collections.js';
import { orNull, pageOf, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromOrganization = (o: OrganizationRecord): OrganizationDoc => ({
  _id: o.id,
  slug: o.slug,
  type: o.type,
  name: o.name,
  address: { province: o.address.province, commune: orNull(o.address.commune), street: orNull(o.address.street) },
  gln: orNull(o.gln),
  pucCode: orNull(o.pucCode),
  packingHouseCode: orNull(o.packingHouseCode),
  parentId: orNull(o.parentId),
  logoSha256: orNull(o.logoSha256),
  createdAt: o.createdAt,
});

const toOrganization = (d: OrganizationDoc): OrganizationRecord => ({
  id: d._id,
  slug: d.slug,
  type: d.type,
  name: d.name,
  address: { province: d.address.province, commune: orNull(d.address.commune), street: orNull(d.address.street) },
  gln: orNull(d.gln),
  pucCode: orNull(d.pucCode),
  packingHouseCode: orNull(d.packingHouseCode),
  parentId: orNull(d.parentId),
  // Documents written before logos existed have no field at all.
  logoSha256: orNull(d.logoSha256),
  createdAt: d.createdAt,
});

export function organizationRepository(c: Collections, session?: mongo.ClientSession): OrganizationRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (o) => {
      await write(() => c.organizations.insertOne(fromOrganization(o), opts));
    },
    findById: async (id) => mapOne(await c.organizations.findOne({ _id: id }, opts), toOrganization),
    findBySlug: async (slug) => mapOne(await c.organizations.findOne({ slug }, opts), toOrganization),
    findByGln: async (gln) => mapOne(await c.organizations.findOne({ gln }, opts), toOrganization),
    allIds: async () => (await c.organizations.find({}, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((d) => d._id),
    memberIds: async (parentId) => {
      const docs = await c.organizations.find({ parentId }, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray();
      return docs.map((d) => d._id);
    },
    list: async (ids, page) => pageOf((await newestFirst(c.organizations, { _id: { $in: ids } }, page, session)).map(toOrganization), page.limit),
    setLogo: async (id, logoSha256) => {
      await write(() => c.organizations.updateOne({ _id: id }, { $set: { logoSha256 } }, opts));
    },
  };
}
