/**
 * The storage port: every service talks to these interfaces and nothing else. Two adapters
 * implement them (store/sqlite, store/mongo) and one contract suite (api/test/store) holds both
 * to the same behaviour. Events are append-only: there is no update or delete for them.
 *
 * This file composes the port (Store, Repositories); each aggregate's records and repository
 * are declared in port/<aggregate>.ts and re-exported here, so importers need only this file.
 */
import type { AuditRepository } from './port/audit.js';
import type { BatchRepository } from './port/batches.js';
import type { CaptureJobRepository } from './port/capture-jobs.js';
import type { EventRepository } from './port/events.js';
import type { IdempotencyRepository } from './port/idempotency.js';
import type { LogRepository } from './port/log.js';
import type { MediaRepository } from './port/media.js';
import type { ApiKeyRepository, OrganizationRepository, UserRepository } from './port/organizations.js';
import type { PlotRepository } from './port/plots.js';
import type { ListingRepository, ProductRepository } from './port/products.js';
import type { ScanRepository } from './port/scans.js';
import type { SigningKeyRepository } from './port/signing-keys.js';

export type * from './port/pagination.js';
export type * from './port/organizations.js';
export type * from './port/plots.js';
export type * from './port/batches.js';
export type * from './port/events.js';
export type * from './port/signing-keys.js';
export type * from './port/media.js';
export type * from './port/products.js';
export type * from './port/idempotency.js';
export type * from './port/capture-jobs.js';
export type * from './port/scans.js';
export type * from './port/log.js';
export type * from './port/audit.js';
export { SCAN_DAY_UTC_OFFSET_MINUTES } from './port/scans.js';

export interface Repositories {
  organizations: OrganizationRepository;
  users: UserRepository;
  apiKeys: ApiKeyRepository;
  plots: PlotRepository;
  batches: BatchRepository;
  events: EventRepository;
  signingKeys: SigningKeyRepository;
  media: MediaRepository;
  products: ProductRepository;
  listings: ListingRepository;
  idempotency: IdempotencyRepository;
  scans: ScanRepository;
  log: LogRepository;
  captureJobs: CaptureJobRepository;
  audit: AuditRepository;
}

export interface Store extends Repositories {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * Runs `work` as one atomic unit: everything it does through `tx` commits together or not at
   * all. Keep it short and free of outside I/O; the MongoDB adapter may run it more than once on
   * transient transaction errors.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /** True when no organization exists yet (an empty database). */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}
