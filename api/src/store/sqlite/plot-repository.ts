/** The SQLite plots table. */
import type { PlotRecord, PlotRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toPlot = (r: Row): PlotRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  name: r.name as string,
  crops: parse(r.crops),
  geometry: parse(r.geometry),
  areaHa: r.area_ha as number | null,
  declaredAreaHa: r.declared_area_ha as number | null,
  certifications: parse(r.certifications),
  gln: r.gln as string | null,
  eventId: r.event_id as string,
  createdBy: r.created_by as string | null,
  createdAt: r.created_at as string,
});

export function plotRepository({ prepare, run, write, newestFirst }: SqliteConnection): PlotRepository {
  return {
    insert: (p) =>
      write(() => {
        prepare(
          `INSERT INTO plots (id, org_id, name, crops, geometry, area_ha, declared_area_ha, certifications, gln, event_id, created_by, created_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(p.id, p.orgId, p.name, json(p.crops), json(p.geometry), p.areaHa, p.declaredAreaHa, json(p.certifications), p.gln, p.eventId, p.createdBy, p.createdAt);
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM plots WHERE id = ?').get(id), toPlot)),
    findByGln: (gln) => run(() => mapOne(prepare('SELECT * FROM plots WHERE gln = ?').get(gln), toPlot)),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM plots WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toPlot), page.limit)),
  };
}
