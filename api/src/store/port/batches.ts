/** Lots (batches): record, the fields that may change, and repository. */

import type { Quantity } from '../../domain/quantity.js';
import type { Page, PageRequest } from './pagination.js';

export interface BatchRecord {
  id: string;
  /** The organization that created (harvested, merged or split) the lot. */
  orgId: string;
  /** The organization that holds the goods now and may add steps. */
  custodianOrgId: string;
  /** Named by a shipping step; it may record receiving, which makes it the custodian. */
  pendingReceiverOrgId: string | null;
  /** Every organization in the lot's chain of custody, and so allowed to read its history. */
  accessOrgIds: string[];
  plotIds: string[];
  derivedFrom: string[];
  product: string;
  variety: string | null;
  harvestedAt: string | null;
  harvestPeriod: { from: string; to: string } | null;
  quantity: Quantity;
  lotNumber: string;
  gtin: string | null;
  /** Short public code used in /l/{code} links for lots without a GTIN. */
  code: string;
  published: boolean;
  publishedAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

export type BatchPatch = Partial<Pick<BatchRecord, 'custodianOrgId' | 'pendingReceiverOrgId' | 'published' | 'publishedAt'>>;

export interface BatchRepository {
  insert(batch: BatchRecord): Promise<void>;
  findById(id: string): Promise<BatchRecord | null>;
  findByCode(code: string): Promise<BatchRecord | null>;
  findByGtinLot(gtin: string, lotNumber: string): Promise<BatchRecord | null>;
  findByOrgProductLot(orgId: string, product: string, lotNumber: string): Promise<BatchRecord | null>;
  /**
   * Published lots whose `plotIds` include `plotId` (harvested from it, or merged or split from
   * lots that were), newest first, at most `limit`. Answered from an index, not a scan of lots.
   */
  publishedFromPlot(plotId: string, limit: number): Promise<BatchRecord[]>;
  /** Newest first, among batches whose chain of custody includes one of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<BatchRecord>>;
  update(id: string, patch: BatchPatch): Promise<void>;
  /** Adds organizations to the lot's chain of custody (idempotent). */
  grantAccess(id: string, orgIds: string[]): Promise<void>;
  /**
   * Records that items GTIN + serial belong to the lot (commissioned into it). A serial already in
   * a lot stays in it (append-only): callers check `findBySerial` first.
   */
  addSerials(id: string, gtin: string, serials: string[]): Promise<void>;
  /** The lot an item (GTIN + serial) was commissioned into. */
  findBySerial(gtin: string, serial: string): Promise<BatchRecord | null>;
}
