/** Rules every batch service applies: who may read a lot, who may record on it, which lot numbers are taken. */
import type { Actor } from '../../core/auth.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { BatchRecord, OrganizationRecord, Repositories } from '../../store/port.js';

/** Whether the actor is in the lot's chain of custody, or the organization it is being shipped to. */
export function canRead(actor: Actor, batch: BatchRecord): boolean {
  return batch.accessOrgIds.some((id) => actor.scopeOrgIds.includes(id)) || (batch.pendingReceiverOrgId !== null && actor.scopeOrgIds.includes(batch.pendingReceiverOrgId));
}

/** Only the lot's current custodian records on it, and not while it is in transit (403 or 409). */
export function assertInCustody(actor: Actor, batch: BatchRecord, path: string): void {
  if (!actor.scopeOrgIds.includes(batch.custodianOrgId)) {
    throw new ForbiddenError('not-lot-custodian', 'Your organization does not hold this lot; only its current custodian may record steps on it.');
  }
  if (batch.pendingReceiverOrgId) {
    throw new ConflictError(`The lot is in transit to another organization; it must record receiving first.`, path, 'lot-in-transit');
  }
}

/** A new lot's number is not taken: neither with its GTIN nor for the organization's product (409 naming `path`). */
export async function assertLotIsNew(repos: Repositories, orgId: string, product: string, lotNumber: string, gtin: string | null, path = 'lotNumber'): Promise<void> {
  if (gtin && (await repos.batches.findByGtinLot(gtin, lotNumber))) throw new ConflictError('a lot with this GTIN and lot number already exists', path);
  if (await repos.batches.findByOrgProductLot(orgId, product, lotNumber)) {
    throw new ConflictError('this organization already has a lot of this product with this lot number', path);
  }
}

/** The organization an event is recorded under; 404 if it is gone. */
export async function requireOrg(repos: Repositories, id: string): Promise<OrganizationRecord> {
  const org = await repos.organizations.findById(id);
  if (!org) throw new NotFoundError('Organization');
  return org;
}
