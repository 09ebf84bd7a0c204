import type { Actor } from '../core/auth.js';
import { newId, nowIso } from '../core/ids.js';
import type { AuditRecord, Repositories } from '../store/port.js';
import type { AuditAction } from '../domain/vocabulary.js';

export interface AuditEntry {
  /** Who acted; null for the operator's command line (`npm run admin`). */
  actor: Actor | null;
  /** The organization whose admins may read the entry; the actor's own by default. */
  orgId?: string;
  action: AuditAction;
  targetId: string;
  details?: AuditRecord['details'];
}

/**
 * Appends an entry to the audit trail through `tx`: called inside the action's own transaction,
 * the action and its record commit together or not at all.
 */
export async function recordAudit(tx: Repositories, entry: AuditEntry): Promise<void> {
  const orgId = entry.orgId ?? entry.actor?.orgId;
  if (!orgId) throw new Error(`audit entry ${entry.action} names no organization`);
  await tx.audit.insert({
    id: newId(),
    orgId,
    actorUserId: entry.actor?.userId ?? null,
    actorApiKeyId: entry.actor?.apiKeyId ?? null,
    action: entry.action,
    targetId: entry.targetId,
    details: entry.details ?? {},
    at: nowIso(),
  });
}
