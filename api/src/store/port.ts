/**
 * The storage port: every service talks to these interfaces and nothing else. Two adapters
 * implement them (store/sqlite, store/mongo) and one contract suite (api/test/store) holds both
 * to the same behaviour. Events are append-only: there is no update or delete for them.
 */
import { ConflictError } from '../core/errors.js';
import type { ClientType } from '../domain/client-type.js';
import type { Quantity } from '../domain/quantity.js';
import type { AuditAction, Availability, CertificationScheme, MarketplaceName, OrganizationType, Role } from '../domain/vocabulary.js';

/** The uniqueness rules every adapter enforces (by index name), with the API field each protects. */
export const UNIQUE_RULES = {
  organizations_slug: { field: 'slug', message: 'an organization with this slug already exists' },
  organizations_gln: { field: 'gln', message: 'an organization with this GLN already exists' },
  users_email: { field: 'email', message: 'a user with this email already exists' },
  batches_gtin_lot: { field: 'lotNumber', message: 'a lot with this GTIN and lot number already exists' },
  batches_org_product_lot: { field: 'lotNumber', message: 'this organization already has a lot of this product with this lot number' },
  batches_code: { field: 'code', message: 'a lot with this code already exists' },
  products_gtin: { field: 'gtin', message: 'a product with this GTIN already exists' },
  plots_gln: { field: 'gln', message: 'a plot with this GLN already exists' },
} as const;
export type UniqueRule = keyof typeof UNIQUE_RULES;

/** The 409 an adapter throws when a write breaks a uniqueness rule (or an unnamed one: a reused id). */
export function uniqueViolation(rule: UniqueRule | undefined): ConflictError {
  if (!rule) return new ConflictError('the record already exists');
  return new ConflictError(UNIQUE_RULES[rule].message, UNIQUE_RULES[rule].field);
}

export interface Address {
  province: string;
  commune: string | null;
  street: string | null;
}

export interface OrganizationRecord {
  id: string;
  slug: string;
  type: OrganizationType;
  name: string;
  address: Address;
  gln: string | null;
  pucCode: string | null;
  packingHouseCode: string | null;
  /** The cooperative a farm household belongs to; its admins and operators act for the household. */
  parentId: string | null;
  /** SHA-256 of the organization's logo (a square PNG in the blob store's `logos` bucket), drawn on its QR codes. */
  logoSha256: string | null;
  createdAt: string;
}

export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  secretHash: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface Certification {
  scheme: CertificationScheme;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  stars?: number | undefined;
}

export interface PlotRecord {
  id: string;
  orgId: string;
  name: string;
  crops: string[];
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };
  areaHa: number | null;
  declaredAreaHa: number | null;
  certifications: Certification[];
  /** GS1 GLN of the growing area (GS1 identifies a plot as a location); unique among plots. */
  gln: string | null;
  eventId: string;
  createdBy: string | null;
  createdAt: string;
}

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

export type EventLinkRole = 'subject' | 'input' | 'output' | 'plot';

export interface EventLink {
  /** A batch id, or a plot id when role is 'plot'. */
  targetId: string;
  role: EventLinkRole;
}

export interface EventRecord {
  /** The event's EPCIS eventID. */
  id: string;
  /** Total order of appends in this store, assigned by the adapter. */
  seq: number;
  orgId: string;
  type: string;
  stepType: string | null;
  eventTime: string;
  /** SHA-256 (hex) of the event's RFC 8785 bytes. */
  hash: string;
  body: Record<string, unknown>;
  corrects: string | null;
  /** Compact JWS over the canonical bytes (added by signing). */
  jws: string | null;
  links: EventLink[];
  createdAt: string;
}

export type NewEvent = Omit<EventRecord, 'seq'>;

export interface SigningKeyRecord {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  orgId: string;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  /** AES-256-GCM ciphertext of the PKCS#8 private key; never leaves the server. */
  encryptedPrivateKey: string;
  /** Signs events recorded from this time… */
  validFrom: string;
  /** …until it is rotated (null while it is the organization's current key). */
  validTo: string | null;
  /** Signatures on events recorded at or after this time are invalid. */
  revokedAt: string | null;
}

export type MediaTargetKind = 'plot' | 'batch' | 'step' | 'product';

export interface MediaRendition {
  width: number;
  /** SHA-256 of the WebP bytes; also the public file name. */
  sha256: string;
}

export interface MediaEvidence {
  /** Capture time from the photo's EXIF, ISO 8601 with offset. */
  takenAt: string | null;
  gps: { lat: number; lon: number } | null;
}

export interface MediaRecord {
  id: string;
  orgId: string;
  targetKind: MediaTargetKind;
  /** The plot, lot or product the file belongs to (for a step: its lot). */
  targetId: string;
  /** eventID of the step or plot registration the file documents, if any. */
  attachesTo: string | null;
  /** SHA-256 of the uploaded bytes, as signed in the media event. */
  sha256: string;
  mediaType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  renditions: MediaRendition[];
  evidence: MediaEvidence;
  /** The signed event that binds the file to the record (null for product catalog photos). */
  eventId: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface ProductRecord {
  id: string;
  orgId: string;
  /** GTIN-14 of the trade item; one product per GTIN. */
  gtin: string;
  name: { vi: string; en: string | null };
  description: { vi: string; en: string | null };
  brand: string | null;
  googleCategory: number | null;
  netWeight: { value: number; unit: 'g' | 'kg' | 'ml' | 'l' } | null;
  packageWeightKg: number | null;
  dimensionsCm: { length: number; width: number; height: number } | null;
  stock: number;
  /** Integer VND. */
  priceVnd: number | null;
  otherPrices: Array<{ currency: string; amount: number }>;
  ocopStars: number | null;
  /** The lots the product is made from. */
  batchIds: string[];
  createdAt: string;
  updatedAt: string;
}

export type ProductPatch = Partial<Omit<ProductRecord, 'id' | 'orgId' | 'gtin' | 'createdAt'>>;

export interface ListingRecord {
  id: string;
  orgId: string;
  productId: string;
  marketplace: MarketplaceName;
  url: string;
  categoryId: string | null;
  /** Integer VND; the product's price applies when null. */
  priceVnd: number | null;
  availability: Availability;
  createdAt: string;
}

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  state: 'pending' | 'done';
  status: number | null;
  body: unknown;
  location: string | null;
  createdAt: string;
}

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
  errors: Array<{ type: string; title: string; status: number; detail: string; errors?: Array<{ path: string; message: string }> }>;
}

/** One resolve of a lot's link. Nothing about the client beyond its coarse type is kept: no IP, no User-Agent. */
export interface ScanRecord {
  batchId: string;
  /** When it was resolved: `Date.prototype.toISOString()` form (UTC, milliseconds), so strings order as times. */
  at: string;
  clientType: ClientType;
}

/** Scan counts are grouped by calendar day in Vietnam time (Asia/Ho_Chi_Minh: UTC+07:00, no daylight saving since 1975). */
export const SCAN_DAY_UTC_OFFSET_MINUTES = 7 * 60;

export interface ScanCounts {
  total: number;
  byClientType: Record<ClientType, number>;
  /** Days (YYYY-MM-DD, Vietnam time) with at least one scan, oldest first. */
  byDay: Array<{ day: string; count: number }>;
}

/** A perfect subtree of the transparency log's Merkle tree: the 2^level leaves from index × 2^level. */
export interface LogNode {
  level: number;
  index: number;
  /** SHA-256, lower-case hex. */
  hash: string;
}

/** A signed checkpoint the log has issued (C2SP signed note). */
export interface CheckpointRecord {
  treeSize: number;
  /** Root hash, lower-case hex. */
  rootHash: string;
  note: string;
  issuedAt: string;
}

/** The log's own Ed25519 key; the private half is encrypted like organizations' keys. */
export interface LogKeyRecord {
  kid: string;
  /** The raw public key, base64url. */
  publicKey: string;
  encryptedPrivateKey: string;
  createdAt: string;
}

export interface PageRequest {
  limit: number;
  /** Id of the last item of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Id to pass as `after` for the next page, or null on the last page. */
  next: string | null;
}

export interface OrganizationRepository {
  insert(org: OrganizationRecord): Promise<void>;
  findById(id: string): Promise<OrganizationRecord | null>;
  findBySlug(slug: string): Promise<OrganizationRecord | null>;
  findByGln(gln: string): Promise<OrganizationRecord | null>;
  /** Ids of the farm households whose parent is `parentId`. */
  memberIds(parentId: string): Promise<string[]>;
  /** Every organization's id (for operator tools that work across tenants). */
  allIds(): Promise<string[]>;
  /** Newest first, among `ids`. */
  list(ids: string[], page: PageRequest): Promise<Page<OrganizationRecord>>;
  /** Records (or, with null, clears) the organization's logo; nothing else of it ever changes. */
  setLogo(id: string, logoSha256: string | null): Promise<void>;
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Newest first, among users of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<UserRecord>>;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  list(orgId: string, page: PageRequest): Promise<Page<ApiKeyRecord>>;
  revoke(id: string, at: string): Promise<void>;
}

export interface PlotRepository {
  insert(plot: PlotRecord): Promise<void>;
  findById(id: string): Promise<PlotRecord | null>;
  findByGln(gln: string): Promise<PlotRecord | null>;
  /** Newest first, among plots owned by `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<PlotRecord>>;
}

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

/**
 * An EPCIS query over stored events (the filters of SimpleEventQuery we support). Every list is
 * "any of"; absent or empty lists do not filter. Identifier matches are exact URI matches.
 */
export interface EventQuery {
  /**
   * Who asks: an event is visible when one of these organizations recorded it, or it is linked to
   * a lot whose chain of custody (`accessOrgIds`) includes one, or to a plot one of them owns.
   */
  scopeOrgIds: string[];
  types?: string[] | undefined;
  /** ISO 8601 instants: `eventTimeFrom <= eventTime < eventTimeBefore`, compared as instants whatever the offsets. */
  eventTimeFrom?: string | undefined;
  eventTimeBefore?: string | undefined;
  /** Matched against `epcList`, `childEPCs` and the `epcClass` of `quantityList` and `childQuantityList` (MATCH_epc). */
  epcs?: string[] | undefined;
  /** Matched against those plus `parentID`, `inputEPCList`, `outputEPCList` and the input/output quantity lists' `epcClass` (MATCH_anyEPC). */
  anyEpcs?: string[] | undefined;
  /** Values of `bizStep` exactly as stored (the caller expands the CBV spellings). */
  bizSteps?: string[] | undefined;
  /** Values of `bizLocation.id`. */
  bizLocations?: string[] | undefined;
}

export interface EventRepository {
  /** Appends an event; the adapter assigns `seq`. Returns the stored record. */
  append(event: NewEvent): Promise<EventRecord>;
  findById(id: string): Promise<EventRecord | null>;
  /** Events linked to `targetId` (any role), oldest first. */
  listFor(targetId: string, page: PageRequest): Promise<Page<EventRecord>>;
  /**
   * The head of a lot's own history: its most recent event as subject or output, or null. A merge
   * the lot only went into is not its head, so other lots' histories never enter its chain.
   */
  headOf(lotId: string): Promise<EventRecord | null>;
  findByHash(hash: string): Promise<EventRecord | null>;
  /** Events matching `query`, oldest first (append order), in pages keyed by seq; filtered by the database. */
  query(query: EventQuery, page: PageRequest): Promise<Page<EventRecord>>;
}

export interface SigningKeyRepository {
  insert(key: SigningKeyRecord): Promise<void>;
  findByKid(kid: string): Promise<SigningKeyRecord | null>;
  /** The organization's current key: not rotated, not revoked. */
  currentFor(orgId: string): Promise<SigningKeyRecord | null>;
  /** Keys of `orgId`, or of every organization when null; oldest first. */
  list(orgId: string | null): Promise<SigningKeyRecord[]>;
  update(kid: string, patch: Partial<Pick<SigningKeyRecord, 'validTo' | 'revokedAt'>>): Promise<void>;
  /** Replaces the wrapped private key if it is still `from`; false when it has changed meanwhile. */
  rewrap(kid: string, from: string, to: string): Promise<boolean>;
}

export interface MediaRepository {
  insert(media: MediaRecord): Promise<void>;
  findById(id: string): Promise<MediaRecord | null>;
  /** Files of a plot, lot or product, oldest first. */
  listFor(targetId: string): Promise<MediaRecord[]>;
}

export interface ProductRepository {
  insert(product: ProductRecord): Promise<void>;
  findById(id: string): Promise<ProductRecord | null>;
  findByGtin(gtin: string): Promise<ProductRecord | null>;
  /** Newest first, among products of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<ProductRecord>>;
  update(id: string, patch: ProductPatch): Promise<void>;
}

export interface ListingRepository {
  insert(listing: ListingRecord): Promise<void>;
  findById(id: string): Promise<ListingRecord | null>;
  /** Newest first, among listings of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<ListingRecord>>;
  listForProduct(productId: string): Promise<ListingRecord[]>;
  remove(id: string): Promise<void>;
}

export interface IdempotencyRepository {
  /** Inserts a pending claim; returns the existing record instead when the key is taken. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | null>;
  complete(scope: string, key: string, status: number, body: unknown, location: string | null): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

/**
 * The transparency log's storage: leaves (event hashes) in append order, the hash of every
 * perfect subtree once complete, and issued checkpoints. Append-only; nothing is ever updated.
 */
export interface LogRepository {
  /**
   * The sequencer: the index the next leaf takes. Call it inside the transaction that appends
   * that leaf; concurrent appenders are serialized by it (one total order of leaves).
   */
  nextLeafIndex(): Promise<number>;
  /** Records leaf `index` (the event hash, hex) and the perfect subtrees it completes. */
  appendLeaf(index: number, eventHash: string, nodes: LogNode[]): Promise<void>;
  /** Committed leaves. */
  size(): Promise<number>;
  leafIndexOf(eventHash: string): Promise<number | null>;
  /** The stored nodes among `refs` (missing ones are left out). */
  findNodes(refs: Array<{ level: number; index: number }>): Promise<LogNode[]>;
  /** Adds a checkpoint; false when one of that tree size exists already. */
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<boolean>;
  latestCheckpoint(): Promise<CheckpointRecord | null>;
  findCheckpoint(treeSize: number): Promise<CheckpointRecord | null>;
  signingKey(): Promise<LogKeyRecord | null>;
  /** Stores the log's key; false when it has one already (the stored one wins). */
  insertSigningKey(key: LogKeyRecord): Promise<boolean>;
  /** Replaces the log key's wrapped private key if it is still `from`; false when it has changed meanwhile. */
  rewrapSigningKey(kid: string, from: string, to: string): Promise<boolean>;
  /** Hashes of events not yet in the log, in append order (for logging events recorded before the log existed). */
  unloggedEventHashes(limit: number): Promise<string[]>;
}

export interface ScanRepository {
  /** Appends the rows in one write (call it inside `transaction` for all-or-nothing on every adapter). */
  insertMany(scans: ScanRecord[]): Promise<void>;
  /** Counts of the lot's scans with `from <= at < to` (ISO instants in `toISOString()` form), aggregated by the database. */
  countFor(batchId: string, window: { from: string; to: string }): Promise<ScanCounts>;
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
