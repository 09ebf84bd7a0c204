/** EPCIS capture jobs: record and repository. */

import type { ErrorParams } from '../../domain/problem-codes.js';
import type { Page, PageRequest } from './pagination.js';

/**
 * An EPCIS capture job (EPCIS 2.0 REST binding): one captured document, written all or nothing.
 * A job is finished in the transaction that writes its events, so "succeeded" and "its events are
 * stored" are never apart.
 */
export interface CaptureJobRecord {
  /** The captureID. */
  id: string;
  orgId: string;
  /** The user or API key that submitted it. */
  submittedBy: string;
  createdAt: string;
  finishedAt: string | null;
  running: boolean;
  success: boolean;
  eventCount: number;
  /** On success: the stored events' eventIDs, in document order. */
  eventIds: string[];
  /** On failure: why, as problem details (`errors` name the failing paths). */
  errors: Array<{ type: string; title: string; status: number; detail: string; code?: string; params?: ErrorParams; errors?: Array<{ path: string; code?: string; message: string; params?: ErrorParams }> }>;
}

export interface CaptureJobRepository {
  insert(job: CaptureJobRecord): Promise<void>;
  findById(id: string): Promise<CaptureJobRecord | null>;
  /** Ends a running job; a job that is no longer running is left as it is. Returns whether it was running. */
  finish(id: string, outcome: Pick<CaptureJobRecord, 'finishedAt' | 'success' | 'eventIds' | 'errors'>): Promise<boolean>;
  /** Newest first, among jobs of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<CaptureJobRecord>>;
  /** Jobs still marked running (the process stopped during them): their ids, oldest first. */
  listRunning(): Promise<string[]>;
}
