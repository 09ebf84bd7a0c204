/** The SQLite capture_jobs table. */
import type { CaptureJobRecord, CaptureJobRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf, placeholders, mapOne } from './sqlite-rows.js';

const toCaptureJob = (r: Row): CaptureJobRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  submittedBy: r.submitted_by as string,
  createdAt: r.created_at as string,
  finishedAt: r.finished_at as string | null,
  running: r.running === 1,
  success: r.success === 1,
  eventCount: r.event_count as number,
  eventIds: parse<string[]>(r.event_ids),
  errors: parse<CaptureJobRecord['errors']>(r.errors),
});

export function captureJobRepository({ prepare, run, write, newestFirst }: SqliteConnection): CaptureJobRepository {
  return {
    insert: (j) =>
      write(() => {
        prepare(
          `INSERT INTO capture_jobs (id, org_id, submitted_by, created_at, finished_at, running, success, event_count, event_ids, errors)
           VALUES (?,?,?,?,?,?,?,?,?,?)`,
        ).run(j.id, j.orgId, j.submittedBy, j.createdAt, j.finishedAt, j.running ? 1 : 0, j.success ? 1 : 0, j.eventCount, json(j.eventIds), json(j.errors));
      }),
    findById: (id) => run(() => mapOne(prepare('SELECT * FROM capture_jobs WHERE id = ?').get(id), toCaptureJob)),
    finish: (id, o) =>
      write(() => {
        const info = prepare('UPDATE capture_jobs SET running = 0, finished_at = ?, success = ?, event_ids = ?, errors = ? WHERE id = ? AND running = 1').run(
          o.finishedAt, o.success ? 1 : 0, json(o.eventIds), json(o.errors), id,
        );
        return info.changes === 1;
      }),
    list: (orgIds, page) =>
      run(() => pageOf(newestFirst(`SELECT * FROM capture_jobs WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toCaptureJob), page.limit)),
    listRunning: () => run(() => (prepare('SELECT id FROM capture_jobs WHERE running = 1 ORDER BY id').all() as Row[]).map((r) => r.id as string)),
  };
}
