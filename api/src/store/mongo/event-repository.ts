/** The MongoDB events collection (with its links embedded), its counter, and the EPCIS query as filters. */
import type { mongo } from 'mongoose';
import type { EventLink, EventQuery, EventRecord, EventRepository, NewEvent } from '../port.js';
import type { Collections, EventDoc } from './mongo-collections.js';
import { plain, orNull, byString, mapOne } from './mongo-documents.js';
import { write } from './mongo-writes.js';

function sortedLinks(links: EventLink[]): EventLink[] {
  const unique = new Map<string, EventLink>();
  for (const l of links) unique.set(`${l.role}\u0000${l.targetId}`, { targetId: l.targetId, role: l.role });
  return [...unique.values()].sort((a, b) => byString(a.role, b.role) || byString(a.targetId, b.targetId));
}

const fromEvent = (e: NewEvent, seq: number): EventDoc => ({
  _id: e.id,
  seq,
  orgId: e.orgId,
  type: e.type,
  stepType: orNull(e.stepType),
  eventTime: e.eventTime,
  hash: e.hash,
  body: plain(e.body),
  corrects: orNull(e.corrects),
  jws: orNull(e.jws),
  links: sortedLinks(e.links),
  createdAt: e.createdAt,
});

const toEvent = (d: EventDoc): EventRecord => ({
  id: d._id,
  seq: d.seq,
  orgId: d.orgId,
  type: d.type,
  stepType: orNull(d.stepType),
  eventTime: d.eventTime,
  hash: d.hash,
  body: d.body,
  corrects: orNull(d.corrects),
  jws: orNull(d.jws),
  links: sortedLinks(d.links),
  createdAt: d.createdAt,
});

export function eventRepository(c: Collections, session?: mongo.ClientSession): EventRepository {
  const opts = session ? { session } : {};

  return {
    append: async (e) => {
      // The counter document gives a total order; inside a transaction, concurrent appends
      // conflict on it and the driver retries, so seq order is also commit order.
      const counter = await c.counters.findOneAndUpdate(
        { _id: 'events' },
        { $inc: { seq: 1 } },
        { ...opts, upsert: true, returnDocument: 'after' },
      );
      if (!counter) throw new Error('the events counter was not returned');
      const doc = fromEvent(e, counter.seq);
      await write(() => c.events.insertOne(doc, opts));
      return toEvent(doc);
    },
    findById: async (id) => mapOne(await c.events.findOne({ _id: id }, opts), toEvent),
    listFor: async (targetId, page) => {
      const after = page.after ? Number(page.after) : 0;
      const docs = await c.events
        .find({ 'links.targetId': targetId, seq: { $gt: Number.isFinite(after) ? after : 0 } }, opts)
        .sort({ seq: 1 })
        .limit(page.limit + 1)
        .toArray();
      const items = docs.slice(0, page.limit).map(toEvent);
      return { items, next: docs.length > page.limit ? String(items.at(-1)?.seq) : null };
    },
    findByHash: async (hash) => mapOne(await c.events.findOne({ hash }, opts), toEvent),
    query: async (q, page) => {
      const after = page.after ? Number(page.after) : 0;
      // Visibility: the lots whose chain of custody includes the scope and the plots it owns are
      // read first (both from indexes), then events recorded by the scope or linked to them.
      const [lotIds, plotIds] = await Promise.all([
        c.batches.distinct('_id', { accessOrgIds: { $in: q.scopeOrgIds } }, opts),
        c.plots.distinct('_id', { orgId: { $in: q.scopeOrgIds } }, opts),
      ]);
      const filter = {
        $and: [
          { seq: { $gt: Number.isFinite(after) ? after : 0 } },
          {
            $or: [
              { orgId: { $in: q.scopeOrgIds } },
              { links: { $elemMatch: { targetId: { $in: lotIds }, role: { $ne: 'plot' } } } },
              { links: { $elemMatch: { targetId: { $in: plotIds }, role: 'plot' } } },
            ],
          },
          ...eventQueryFilters(q),
        ],
      } as mongo.Filter<EventDoc>;
      const docs = await c.events.find(filter, opts).sort({ seq: 1 }).limit(page.limit + 1).toArray();
      const items = docs.slice(0, page.limit).map(toEvent);
      return { items, next: docs.length > page.limit ? String(items.at(-1)?.seq) : null };
    },
    headOf: async (lotId) => {
      const [doc] = await c.events
        .find({ links: { $elemMatch: { targetId: lotId, role: { $in: ['subject', 'output'] } } } }, opts)
        .sort({ seq: -1 })
        .limit(1)
        .toArray();
      return doc ? toEvent(doc) : null;
    },
  };
}

const given = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

/** The EPCIS query's filters beyond visibility; event times are compared as instants ($dateFromString reads the offsets). */
function eventQueryFilters(q: EventQuery): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const instant = { $dateFromString: { dateString: '$eventTime', onError: null } };
  if (given(q.types)) out.push({ type: { $in: q.types } });
  if (q.eventTimeFrom) out.push({ $expr: { $gte: [instant, new Date(q.eventTimeFrom)] } });
  if (q.eventTimeBefore) out.push({ $expr: { $lt: [instant, new Date(q.eventTimeBefore)] } });
  const epcFields = ['body.epcList', 'body.childEPCs', 'body.quantityList.epcClass', 'body.childQuantityList.epcClass'];
  const anyEpcFields = [...epcFields, 'body.parentID', 'body.inputEPCList', 'body.outputEPCList', 'body.inputQuantityList.epcClass', 'body.outputQuantityList.epcClass'];
  if (given(q.epcs)) out.push({ $or: epcFields.map((f) => ({ [f]: { $in: q.epcs } })) });
  if (given(q.anyEpcs)) out.push({ $or: anyEpcFields.map((f) => ({ [f]: { $in: q.anyEpcs } })) });
  if (given(q.bizSteps)) out.push({ 'body.bizStep': { $in: q.bizSteps } });
  if (given(q.bizLocations)) out.push({ 'body.bizLocation.id': { $in: q.bizLocations } });
  return out;
}
