/** The SQLite audit_log table. */
import type { AuditAction } from '../../domain/vocabulary.js';
import type { AuditRecord, AuditRepository } from '../port.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { type Row, json, parse, pageOf } from './sqlite-rows.js';

const toAudit = (r: Row): AuditRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  actorUserId: r.actor_user_id as string | null,
  actorApiKeyId: r.actor_api_key_id as string | null,
  action: r.action as AuditAction,
  targetId: r.target_id as string,
  details: parse<AuditRecord['details']>(r.details),
  at: r.at as string,
});

export function auditRepository({ prepare, run, write, newestFirst }: SqliteConnection): AuditRepository {
  return {
    insert: (a) =>
      write(() => {
        prepare('INSERT INTO audit_log (id, org_id, actor_user_id, actor_api_key_id, action, target_id, details, at) VALUES (?,?,?,?,?,?,?,?)').run(
          a.id, a.orgId, a.actorUserId, a.actorApiKeyId, a.action, a.targetId, json(a.details), a.at,
        );
      }),
    list: (orgId, page) => run(() => pageOf(newestFirst('SELECT * FROM audit_log WHERE org_id = ?', [orgId], page).map(toAudit), page.limit)),
  };
}
