/** The SQLite organizations table. */
import type { OrganizationRecord, OrganizationRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, orNull, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toOrganization = (r: Row): OrganizationRecord => ({
  id: r.id as string,
  slug: r.slug as string,
  type: r.type as OrganizationRecord['type'],
  name: r.name as string,
  address: { province: r.province as string, commune: orNull(r.commune as string | undefined), street: orNull(r.street as string | undefined) },
  gln: r.gln as string | null,
  pucCode: r.puc_code as string | null,
  packingHouseCode: r.packing_house_code as string | null,
  parentId: r.parent_id as string | null,
  logoSha256: r.logo_sha256 as string | null,
  createdAt: r.created_at as string,
});

export function organizationRepository({ prepare, run, write, newestFirst }: SqliteConnection): OrganizationRepository {
  return {
    insert: (o) =>
      write(() => {
        prepare(
          `INSERT INTO organizations (id, slug, type, name, province, commune, street, gln, puc_code, packing_house_code, parent_id, logo_sha256, created_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(o.id, o.slug, o.type, o.name, o.address.province, o.address.commune, o.address.street, o.gln, o.pucCode, o.packingHouseCode, o.parentId, o.logoSha256, o.createdAt);
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE id = ?').get(id), toOrganization)),
    findBySlug: (slug) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE slug = ?').get(slug), toOrganization)),
    findByGln: (gln) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE gln = ?').get(gln), toOrganization)),
    allIds: () => run(() => (prepare('SELECT id FROM organizations ORDER BY id').all() as Row[]).map((r) => r.id as string)),
    memberIds: (parentId) =>
      run(() => (prepare('SELECT id FROM organizations WHERE parent_id = ? ORDER BY id').all(parentId) as Row[]).map((r) => r.id as string)),
    list: (ids, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM organizations WHERE id IN (${placeholders(ids)})`, ids, page).map(toOrganization), page.limit)),
    setLogo: (id, logoSha256) =>
      write(() => {
        prepare('UPDATE organizations SET logo_sha256 = ? WHERE id = ?').run(logoSha256, id);
      }),
  };
}
