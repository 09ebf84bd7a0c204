/** The SQLite scans table and its counts. */
import { isClientType, zeroClientTypeCounts } from '../../domain/client-type.js';
import { SCAN_DAY_UTC_OFFSET_MINUTES, type ScanCounts, type ScanRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { Row } from './sqlite-rows.js';

export function scanRepository({ db, prepare, run, write }: SqliteConnection): ScanRepository {
  return {
    insertMany: (scans) =>
      write(() => {
        const insert = prepare('INSERT INTO scans (batch_id, at, client_type) VALUES (?, ?, ?)');
        // One commit for all the rows (a savepoint when already inside `transaction`), not one per row.
        db.transaction(() => {
          for (const scan of scans) insert.run(scan.batchId, scan.at, scan.clientType);
        })();
      }),
    countFor: (batchId, window) =>
      run(() => {
        const where = 'FROM scans WHERE batch_id = ? AND at >= ? AND at < ?';
        const args = [batchId, window.from, window.to];
        const counts: ScanCounts = { total: 0, byClientType: zeroClientTypeCounts(), byDay: [] };
        for (const r of prepare(`SELECT client_type, COUNT(*) AS n ${where} GROUP BY client_type`).all(...args) as Row[]) {
          counts.total += r.n as number;
          if (isClientType(r.client_type)) counts.byClientType[r.client_type] += r.n as number;
        }
        counts.byDay = (
          prepare(`SELECT date(at, '+${SCAN_DAY_UTC_OFFSET_MINUTES} minutes') AS day, COUNT(*) AS n ${where} GROUP BY day ORDER BY day`).all(...args) as Row[]
        ).map((r) => ({ day: r.day as string, count: r.n as number }));
        return counts;
      }),
  };
}
