/** The SQLite batches table with its access list (batch_access), plots (batch_plots) and serials (lot_serials). */
import type { BatchPatch, BatchRecord, BatchRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf, placeholders, mapOne } from './sqlite-rows.js';

export function batchRepository({ prepare, run, write, newestFirst }: SqliteConnection): BatchRepository {
  const batchAccess = (batchId: string): string[] =>
    (prepare('SELECT org_id FROM batch_access WHERE batch_id = ? ORDER BY org_id').all(batchId) as Row[]).map(
      (r) => r.org_id as string,
    );

  const toBatch = (r: Row): BatchRecord => ({
    id: r.id as string,
    orgId: r.org_id as string,
    custodianOrgId: r.custodian_org_id as string,
    pendingReceiverOrgId: r.pending_receiver_org_id as string | null,
    accessOrgIds: batchAccess(r.id as string),
    plotIds: parse(r.plot_ids),
    derivedFrom: parse(r.derived_from),
    product: r.product as string,
    variety: r.variety as string | null,
    harvestedAt: r.harvested_at as string | null,
    harvestPeriod: r.harvest_period ? parse(r.harvest_period) : null,
    quantity: parse(r.quantity),
    lotNumber: r.lot_number as string,
    gtin: r.gtin as string | null,
    code: r.code as string,
    published: r.published === 1,
    publishedAt: r.published_at as string | null,
    createdBy: r.created_by as string | null,
    createdAt: r.created_at as string,
  });

  return {
    insert: (b) =>
      write(() => {
        prepare(
          `INSERT INTO batches (id, org_id, custodian_org_id, pending_receiver_org_id, plot_ids, derived_from, product, variety, harvested_at,
             harvest_period, quantity, lot_number, gtin, code, published, published_at, created_by, created_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(
          b.id, b.orgId, b.custodianOrgId, b.pendingReceiverOrgId, json(b.plotIds), json(b.derivedFrom), b.product, b.variety, b.harvestedAt,
          b.harvestPeriod ? json(b.harvestPeriod) : null, json(b.quantity), b.lotNumber, b.gtin, b.code, b.published ? 1 : 0, b.publishedAt,
          b.createdBy, b.createdAt,
        );
        const grant = prepare('INSERT OR IGNORE INTO batch_access (batch_id, org_id) VALUES (?, ?)');
        for (const orgId of b.accessOrgIds) grant.run(b.id, orgId);
        const fromPlot = prepare('INSERT OR IGNORE INTO batch_plots (plot_id, batch_id) VALUES (?, ?)');
        for (const plotId of b.plotIds) fromPlot.run(plotId, b.id);
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM batches WHERE id = ?').get(id), toBatch)),
    findByCode: (code) => run(() => mapOne(prepare('SELECT * FROM batches WHERE code = ?').get(code), toBatch)),
    findByGtinLot: (gtin, lot) =>
      run(() => mapOne(prepare('SELECT * FROM batches WHERE gtin = ? AND lot_number = ?').get(gtin, lot), toBatch)),
    findByOrgProductLot: (orgId, product, lot) =>
      run(() =>
        mapOne(prepare('SELECT * FROM batches WHERE org_id = ? AND product = ? AND lot_number = ?').get(orgId, product, lot), toBatch),
      ),
    publishedFromPlot: (plotId, limit) =>
      run(() =>
        (
          prepare(
              `SELECT b.* FROM batch_plots bp JOIN batches b ON b.id = bp.batch_id
               WHERE bp.plot_id = ? AND b.published = 1 ORDER BY bp.batch_id DESC LIMIT ?`,
            )
            .all(plotId, limit) as Row[]
        ).map(toBatch),
      ),
    list: (orgIds, page) =>
      run(() =>
        pageOf(
          newestFirst(
            `SELECT * FROM batches WHERE id IN (SELECT batch_id FROM batch_access WHERE org_id IN (${placeholders(orgIds)}))`,
            orgIds,
            page,
          ).map(toBatch),
          page.limit,
        ),
      ),
    update: (id, patch: BatchPatch) =>
      write(() => {
        const columns: Record<keyof BatchPatch, string> = {
          custodianOrgId: 'custodian_org_id',
          pendingReceiverOrgId: 'pending_receiver_org_id',
          published: 'published',
          publishedAt: 'published_at',
        };
        const entries = (Object.keys(patch) as Array<keyof BatchPatch>).filter((k) => patch[k] !== undefined);
        if (!entries.length) return;
        const values = entries.map((k) => (k === 'published' ? (patch.published ? 1 : 0) : patch[k]));
        prepare(`UPDATE batches SET ${entries.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
      }),
    grantAccess: (id, orgIds) =>
      write(() => {
        const grant = prepare('INSERT OR IGNORE INTO batch_access (batch_id, org_id) VALUES (?, ?)');
        for (const orgId of orgIds) grant.run(id, orgId);
      }),
    addSerials: (id, gtin, serials) =>
      write(() => {
        const add = prepare('INSERT OR IGNORE INTO lot_serials (gtin, serial, batch_id) VALUES (?, ?, ?)');
        for (const serial of serials) add.run(gtin, serial, id);
      }),
    findBySerial: (gtin, serial) =>
      run(() =>
        mapOne(prepare('SELECT b.* FROM batches b JOIN lot_serials s ON s.batch_id = b.id WHERE s.gtin = ? AND s.serial = ?').get(gtin, serial), toBatch),
      ),
  };
}
