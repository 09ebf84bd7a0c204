/** The MongoDB plots collection. */
import type { mongo } from 'mongoose';
import type { PlotRecord, PlotRepository } from '../port.js';
import type { Collections, PlotDoc } from './mongo-collections.js';
import { plain, orNull, pageOf, mapOne, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const fromPlot = (p: PlotRecord): PlotDoc => ({
  _id: p.id,
  orgId: p.orgId,
  name: p.name,
  crops: plain(p.crops),
  geometry: plain(p.geometry),
  areaHa: orNull(p.areaHa),
  declaredAreaHa: orNull(p.declaredAreaHa),
  certifications: plain(p.certifications),
  gln: orNull(p.gln),
  eventId: p.eventId,
  createdBy: orNull(p.createdBy),
  createdAt: p.createdAt,
});

const toPlot = (d: PlotDoc): PlotRecord => ({
  id: d._id,
  orgId: d.orgId,
  name: d.name,
  crops: d.crops,
  geometry: d.geometry,
  areaHa: orNull(d.areaHa),
  declaredAreaHa: orNull(d.declaredAreaHa),
  certifications: d.certifications,
  // Documents written before plots had GLNs have no field at all.
  gln: orNull(d.gln),
  eventId: d.eventId,
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

export function plotRepository(c: Collections, session?: mongo.ClientSession): PlotRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (p) => {
      await write(() => c.plots.insertOne(fromPlot(p), opts));
    },
    findById: async (id) => mapOne(await c.plots.findOne({ _id: id }, opts), toPlot),
    findByGln: async (gln) => mapOne(await c.plots.findOne({ gln }, opts), toPlot),
    list: async (orgIds, page) => pageOf((await newestFirst(c.plots, { orgId: { $in: orgIds } }, page, session)).map(toPlot), page.limit),
  };
}
