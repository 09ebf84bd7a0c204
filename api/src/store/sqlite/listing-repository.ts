/** The SQLite listings table. */
import type { ListingRecord, ListingRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toListing = (r: Row): ListingRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  productId: r.product_id as string,
  ...(parse(r.doc) as Omit<ListingRecord, 'id' | 'orgId' | 'productId' | 'createdAt'>),
  createdAt: r.created_at as string,
});

export function listingRepository({ prepare, run, write, newestFirst }: SqliteConnection): ListingRepository {
  return {
    insert: (l) =>
      write(() => {
        const { id, orgId, productId, createdAt, ...doc } = l;
        prepare('INSERT INTO listings (id, org_id, product_id, doc, created_at) VALUES (?,?,?,?,?)').run(id, orgId, productId, json(doc), createdAt);
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM listings WHERE id = ?').get(id), toListing)),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM listings WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toListing), page.limit)),
    listForProduct: (productId) => run(() => (prepare('SELECT * FROM listings WHERE product_id = ? ORDER BY id').all(productId) as Row[]).map(toListing)),
    remove: (id) =>
      write(() => {
        prepare('DELETE FROM listings WHERE id = ?').run(id);
      }),
  };
}
