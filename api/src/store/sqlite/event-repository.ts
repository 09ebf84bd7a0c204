/** The SQLite events table and its links (event_links), and the EPCIS query as SQL. */
import type { EventQuery, EventRecord, EventRepository, NewEvent, PageRequest } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, mapOne } from './sqlite-rows.js';

export function eventRepository({ prepare, run, write }: SqliteConnection): EventRepository {
  const linksOf = (seq: number) =>
    (prepare('SELECT target_id, role FROM event_links WHERE event_seq = ? ORDER BY role, target_id').all(seq) as Row[]).map(
      (r) => ({ targetId: r.target_id as string, role: r.role as EventRecord['links'][number]['role'] }),
    );

  const toEvent = (r: Row): EventRecord => ({
    id: r.id as string,
    seq: r.seq as number,
    orgId: r.org_id as string,
    type: r.type as string,
    stepType: r.step_type as string | null,
    eventTime: r.event_time as string,
    hash: r.hash as string,
    body: parse(r.body),
    corrects: r.corrects as string | null,
    jws: r.jws as string | null,
    links: linksOf(r.seq as number),
    createdAt: r.created_at as string,
  });

  return {
    append: (e: NewEvent) =>
      write(() => {
        const info = prepare(
            `INSERT INTO events (id, org_id, type, step_type, event_time, hash, body, corrects, jws, created_at)
             VALUES (?,?,?,?,?,?,?,?,?,?)`,
          )
          .run(e.id, e.orgId, e.type, e.stepType, e.eventTime, e.hash, json(e.body), e.corrects, e.jws, e.createdAt);
        const seq = Number(info.lastInsertRowid);
        const link = prepare('INSERT OR IGNORE INTO event_links (target_id, event_seq, role) VALUES (?, ?, ?)');
        for (const l of e.links) link.run(l.targetId, seq, l.role);
        return { ...e, seq, links: linksOf(seq) };
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM events WHERE id = ?').get(id), toEvent)),
    listFor: (targetId, page) =>
      run(() => {
        const after = page.after ? Number(page.after) : 0;
        const rows = prepare(
            `SELECT e.* FROM events e WHERE e.seq IN (SELECT event_seq FROM event_links WHERE target_id = ?) AND e.seq > ?
             ORDER BY e.seq LIMIT ?`,
          )
          .all(targetId, Number.isFinite(after) ? after : 0, page.limit + 1) as Row[];
        const items = rows.slice(0, page.limit).map(toEvent);
        return { items, next: rows.length > page.limit ? String(items.at(-1)?.seq) : null };
      }),
    findByHash: (hash) => run(() => mapOne(prepare('SELECT * FROM events WHERE hash = ?').get(hash), toEvent)),
    query: (q, page) =>
      run(() => {
        const rows = prepare(eventQuerySql(q)).all(...eventQueryArgs(q, page)) as Row[];
        const items = rows.slice(0, page.limit).map(toEvent);
        return { items, next: rows.length > page.limit ? String(items.at(-1)?.seq) : null };
      }),
    headOf: (lotId) =>
      run(() =>
        mapOne(
          prepare(
              "SELECT e.* FROM events e WHERE e.seq = (SELECT MAX(event_seq) FROM event_links WHERE target_id = ? AND role IN ('subject', 'output'))",
            )
            .get(lotId),
          toEvent,
        ),
      ),
  };
}

/** JSON arrays of identifier URIs (strings) and of quantity elements (their `epcClass`) that MATCH_epc and MATCH_anyEPC look in. */
const EPC_PATHS = { lists: ['$.epcList', '$.childEPCs'], quantities: ['$.quantityList', '$.childQuantityList'] };
const ANY_EPC_PATHS = {
  lists: [...EPC_PATHS.lists, '$.inputEPCList', '$.outputEPCList'],
  quantities: [...EPC_PATHS.quantities, '$.inputQuantityList', '$.outputQuantityList'],
};

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
const given = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

function epcMatchSql(paths: { lists: string[]; quantities: string[] }, n: number, parentId: boolean): string {
  const parts = [
    ...paths.lists.map((p) => `EXISTS (SELECT 1 FROM json_each(e.body, '${p}') j WHERE j.value IN (${marks(n)}))`),
    ...paths.quantities.map((p) => `EXISTS (SELECT 1 FROM json_each(e.body, '${p}') j WHERE json_extract(j.value, '$.epcClass') IN (${marks(n)}))`),
    ...(parentId ? [`json_extract(e.body, '$.parentID') IN (${marks(n)})`] : []),
  ];
  return `(${parts.join(' OR ')})`;
}

/**
 * The EPCIS query as one SQL statement: visibility (recorded by the scope, linked to a lot whose
 * chain of custody includes it, or to a plot it owns), then the filters; event times are compared
 * as instants with julianday(), which understands the offsets our eventTimes carry.
 */
function eventQuerySql(q: EventQuery): string {
  const n = marks(q.scopeOrgIds.length || 1);
  const where = [
    'e.seq > ?',
    `(e.org_id IN (${n})
      OR EXISTS (SELECT 1 FROM event_links l JOIN batch_access a ON a.batch_id = l.target_id
                 WHERE l.event_seq = e.seq AND l.role <> 'plot' AND a.org_id IN (${n}))
      OR EXISTS (SELECT 1 FROM event_links l JOIN plots p ON p.id = l.target_id
                 WHERE l.event_seq = e.seq AND l.role = 'plot' AND p.org_id IN (${n})))`,
  ];
  if (given(q.types)) where.push(`e.type IN (${marks(q.types.length)})`);
  if (q.eventTimeFrom) where.push('julianday(e.event_time) >= julianday(?)');
  if (q.eventTimeBefore) where.push('julianday(e.event_time) < julianday(?)');
  if (given(q.epcs)) where.push(epcMatchSql(EPC_PATHS, q.epcs.length, false));
  if (given(q.anyEpcs)) where.push(epcMatchSql(ANY_EPC_PATHS, q.anyEpcs.length, true));
  if (given(q.bizSteps)) where.push(`json_extract(e.body, '$.bizStep') IN (${marks(q.bizSteps.length)})`);
  if (given(q.bizLocations)) where.push(`json_extract(e.body, '$.bizLocation.id') IN (${marks(q.bizLocations.length)})`);
  return `SELECT e.* FROM events e WHERE ${where.join(' AND ')} ORDER BY e.seq LIMIT ?`;
}

function eventQueryArgs(q: EventQuery, page: PageRequest): unknown[] {
  const after = page.after ? Number(page.after) : 0;
  const scope = q.scopeOrgIds.length ? q.scopeOrgIds : [''];
  const args: unknown[] = [Number.isFinite(after) ? after : 0, ...scope, ...scope, ...scope];
  if (given(q.types)) args.push(...q.types);
  if (q.eventTimeFrom) args.push(q.eventTimeFrom);
  if (q.eventTimeBefore) args.push(q.eventTimeBefore);
  const epcArgs = (values: string[], paths: { lists: string[]; quantities: string[] }, parentId: boolean) => {
    for (let i = 0; i < paths.lists.length + paths.quantities.length + (parentId ? 1 : 0); i++) args.push(...values);
  };
  if (given(q.epcs)) epcArgs(q.epcs, EPC_PATHS, false);
  if (given(q.anyEpcs)) epcArgs(q.anyEpcs, ANY_EPC_PATHS, true);
  if (given(q.bizSteps)) args.push(...q.bizSteps);
  if (given(q.bizLocations)) args.push(...q.bizLocations);
  args.push(page.limit + 1);
  return args;
}
