/** The audit trail of administrative actions: record and repository. */

import type { AuditAction } from '../../domain/vocabulary.js';
import type { Page, PageRequest } from './pagination.js';

/** One administrative action, kept forever: who did what to which resource, and when. */
export interface AuditRecord {
  id: string;
  /** The organization whose admin acted (the one that may read the entry). */
  orgId: string;
  /** The user or API key that acted; both null for the operator's command line. */
  actorUserId: string | null;
  actorApiKeyId: string | null;
  action: AuditAction;
  targetId: string;
  /** What changed, never a secret: names, roles, key ids, times. */
  details: Record<string, string | number | boolean | null>;
  at: string;
}

export interface AuditRepository {
  insert(entry: AuditRecord): Promise<void>;
  /** Newest first. */
  list(orgId: string, page: PageRequest): Promise<Page<AuditRecord>>;
}
