import { requireRole, type Actor } from '../../core/auth.js';
import type { AuditRecord, Page, PageRequest, Store } from '../../store/port.js';

/** The organization's audit trail, for its admins. */
export class AuditService {
  constructor(private readonly store: Store) {}

  list(actor: Actor, page: PageRequest): Promise<Page<AuditRecord>> {
    requireRole(actor, ['admin'], 'read the audit trail');
    return this.store.audit.list(actor.orgId, page);
  }
}
