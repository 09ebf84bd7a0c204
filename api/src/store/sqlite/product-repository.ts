/** The SQLite products table. */
import type { ProductRecord, ProductRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toProduct = (r: Row): ProductRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  gtin: r.gtin as string,
  ...(parse(r.doc) as Omit<ProductRecord, 'id' | 'orgId' | 'gtin' | 'createdAt' | 'updatedAt'>),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

export function productRepository({ prepare, run, write, newestFirst }: SqliteConnection): ProductRepository {
  return {
    insert: (p) =>
      write(() => {
        const { id, orgId, gtin, createdAt, updatedAt, ...doc } = p;
        prepare('INSERT INTO products (id, org_id, gtin, doc, created_at, updated_at) VALUES (?,?,?,?,?,?)').run(id, orgId, gtin, json(doc), createdAt, updatedAt);
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM products WHERE id = ?').get(id), toProduct)),
    findByGtin: (gtin) => run(() => mapOne(prepare('SELECT * FROM products WHERE gtin = ?').get(gtin), toProduct)),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM products WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toProduct), page.limit)),
    update: (id, patch) =>
      write(() => {
        const current = mapOne(prepare('SELECT * FROM products WHERE id = ?').get(id), toProduct);
        if (!current) return;
        const { id: _id, orgId: _org, gtin: _gtin, createdAt: _created, updatedAt, ...doc } = { ...current, ...patch };
        prepare('UPDATE products SET doc = ?, updated_at = ? WHERE id = ?').run(json(doc), updatedAt, id);
      }),
  };
}
