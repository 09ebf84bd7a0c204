/** The SQLite media table. */
import type { MediaRecord, MediaRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, mapOne } from './sqlite-rows.js';

const toMedia = (r: Row): MediaRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  targetKind: r.target_kind as MediaRecord['targetKind'],
  targetId: r.target_id as string,
  attachesTo: r.attaches_to as string | null,
  sha256: r.sha256 as string,
  mediaType: r.media_type as string,
  bytes: r.bytes as number,
  width: r.width as number | null,
  height: r.height as number | null,
  renditions: parse(r.renditions),
  evidence: parse(r.evidence),
  eventId: r.event_id as string,
  createdBy: r.created_by as string | null,
  createdAt: r.created_at as string,
});

export function mediaRepository({ prepare, run, write }: SqliteConnection): MediaRepository {
  return {
    insert: (m) =>
      write(() => {
        prepare(
          `INSERT INTO media (id, org_id, target_kind, target_id, attaches_to, sha256, media_type, bytes, width, height, renditions, evidence,
             event_id, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(
          m.id, m.orgId, m.targetKind, m.targetId, m.attachesTo, m.sha256, m.mediaType, m.bytes, m.width, m.height, json(m.renditions),
          json(m.evidence), m.eventId, m.createdBy, m.createdAt,
        );
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM media WHERE id = ?').get(id), toMedia)),
    listFor: (targetId) => run(() => (prepare('SELECT * FROM media WHERE target_id = ? ORDER BY id').all(targetId) as Row[]).map(toMedia)),
  };
}
