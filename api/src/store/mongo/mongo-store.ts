/**
 * MongoDB adapter of the storage port, through mongoose's connection and the native driver it
 * bundles (no mongoose models: documents are stored exactly as written, with no casting, no
 * `__v` and no minimizing of empty objects, which would change signed event bodies).
 *
 * Every record is stored with `_id` = its id. Multi-document work runs in a ClientSession
 * transaction, so the server must be a replica set (docker-compose runs a single-node one).
 */
import mongoose from 'mongoose';
import type { mongo } from 'mongoose';
import type {
  ApiKeyRecord,
  AuditRecord,
  BatchPatch,
  BatchRecord,
  CaptureJobRecord,
  CheckpointRecord,
  EventLink,
  EventQuery,
  EventRecord,
  IdempotencyRecord,
  ListingRecord,
  LogKeyRecord,
  LogNode,
  MediaRecord,
  NewEvent,
  OrganizationRecord,
  Page,
  PageRequest,
  PlotRecord,
  ProductRecord,
  Repositories,
  ScanCounts,
  Store,
  SigningKeyRecord,
  UniqueRule,
  UserRecord,
} from '../port.js';
import { SCAN_DAY_UTC_OFFSET_MINUTES, UNIQUE_RULES, uniqueViolation } from '../port.js';
import { isClientType, zeroClientTypeCounts, type ClientType } from '../../domain/client-type.js';

type Doc<R extends { id: string }> = Omit<R, 'id'> & { _id: string };
type OrganizationDoc = Doc<OrganizationRecord>;
type UserDoc = Doc<UserRecord>;
type ApiKeyDoc = Doc<ApiKeyRecord>;
type PlotDoc = Doc<PlotRecord>;
type BatchDoc = Doc<BatchRecord>;
type EventDoc = Doc<EventRecord>;
type MediaDoc = Doc<MediaRecord>;
type ProductDoc = Doc<ProductRecord>;
type ListingDoc = Doc<ListingRecord>;
/** `_id` is the kid. */
type SigningKeyDoc = Omit<SigningKeyRecord, 'kid'> & { _id: string };
interface CounterDoc {
  _id: string;
  seq: number;
}
type CaptureJobDoc = Doc<CaptureJobRecord>;
type AuditDoc = Doc<AuditRecord>;
/** `_id` is `${gtin}/${serial}` (the GTIN is 14 digits, so the split is unambiguous). */
interface LotSerialDoc {
  _id: string;
  batchId: string;
}
/** `_id` is a driver-generated ObjectId; (scope, key) is the unique identity. */
type IdempotencyDoc = IdempotencyRecord;
/** `_id` is a driver-generated ObjectId; `at` is a BSON date so the server can group by day. */
interface ScanDoc {
  batchId: string;
  at: Date;
  clientType: ClientType;
}
/**
 * The transparency log's sequencer, `_id` 'sequencer': `size` is the number of leaves (advanced by
 * appendLeaf), `claims` is bumped by nextLeafIndex only so that concurrent appenders write the
 * same document and conflict (its value means nothing).
 */
interface LogMetaDoc {
  _id: string;
  size: number;
  claims?: number;
}
/** `_id` is the leaf index. */
interface LogLeafDoc {
  _id: number;
  eventHash: string;
}
/** `_id` is `${level}/${index}` (logNodeId), so findNodes is one `$in` on the primary key. */
type LogNodeDoc = LogNode & { _id: string };
/** `_id` is the tree size. */
type LogCheckpointDoc = Omit<CheckpointRecord, 'treeSize'> & { _id: number };
/** `_id` is always LOG_KEY_ID: the log has one key, and a second insert finds it taken. */
type LogKeyDoc = LogKeyRecord & { _id: string };

interface Collections {
  organizations: mongo.Collection<OrganizationDoc>;
  users: mongo.Collection<UserDoc>;
  apiKeys: mongo.Collection<ApiKeyDoc>;
  plots: mongo.Collection<PlotDoc>;
  batches: mongo.Collection<BatchDoc>;
  events: mongo.Collection<EventDoc>;
  signingKeys: mongo.Collection<SigningKeyDoc>;
  media: mongo.Collection<MediaDoc>;
  products: mongo.Collection<ProductDoc>;
  listings: mongo.Collection<ListingDoc>;
  counters: mongo.Collection<CounterDoc>;
  idempotencyKeys: mongo.Collection<IdempotencyDoc>;
  scans: mongo.Collection<ScanDoc>;
  logMeta: mongo.Collection<LogMetaDoc>;
  logLeaves: mongo.Collection<LogLeafDoc>;
  logNodes: mongo.Collection<LogNodeDoc>;
  logCheckpoints: mongo.Collection<LogCheckpointDoc>;
  logKeys: mongo.Collection<LogKeyDoc>;
  captureJobs: mongo.Collection<CaptureJobDoc>;
  lotSerials: mongo.Collection<LotSerialDoc>;
  audit: mongo.Collection<AuditDoc>;
}

/**
 * The unique indexes, mirroring the SQLite schema's UNIQUE constraints, plus the lookup indexes
 * the queries below need. Names are fixed so duplicate-key errors can be mapped to API fields.
 */
const INDEXES: { [K in keyof Collections]: mongo.IndexDescription[] } = {
  organizations: [
    { key: { slug: 1 }, name: 'organizations_slug', unique: true },
    { key: { gln: 1 }, name: 'organizations_gln', unique: true, partialFilterExpression: { gln: { $type: 'string' } } },
    { key: { parentId: 1, _id: 1 }, name: 'organizations_parent' },
  ],
  users: [
    { key: { email: 1 }, name: 'users_email', unique: true },
    { key: { orgId: 1, _id: 1 }, name: 'users_org' },
  ],
  apiKeys: [{ key: { orgId: 1, _id: 1 }, name: 'api_keys_org' }],
  plots: [
    { key: { orgId: 1, _id: 1 }, name: 'plots_org' },
    { key: { gln: 1 }, name: 'plots_gln', unique: true, partialFilterExpression: { gln: { $type: 'string' } } },
  ],
  batches: [
    { key: { code: 1 }, name: 'batches_code', unique: true },
    { key: { gtin: 1, lotNumber: 1 }, name: 'batches_gtin_lot', unique: true, partialFilterExpression: { gtin: { $type: 'string' } } },
    { key: { orgId: 1, product: 1, lotNumber: 1 }, name: 'batches_org_product_lot', unique: true },
    { key: { accessOrgIds: 1, _id: 1 }, name: 'batches_access' },
    // Multikey over plotIds: a plot's published lots, newest first (publishedFromPlot).
    { key: { plotIds: 1, published: 1, _id: -1 }, name: 'batches_plot_published' },
  ],
  events: [
    { key: { hash: 1 }, name: 'events_hash', unique: true },
    { key: { seq: 1 }, name: 'events_seq', unique: true },
    { key: { 'links.targetId': 1, seq: 1 }, name: 'events_links_target' },
    { key: { orgId: 1, seq: 1 }, name: 'events_org_seq' },
  ],
  signingKeys: [
    { key: { orgId: 1, validFrom: 1 }, name: 'signing_keys_org' },
    // One current key per organization, as SQLite's partial unique index.
    { key: { orgId: 1 }, name: 'signing_keys_current', unique: true, partialFilterExpression: { current: true } },
  ],
  media: [{ key: { targetId: 1, _id: 1 }, name: 'media_target' }],
  products: [
    { key: { gtin: 1 }, name: 'products_gtin', unique: true },
    { key: { orgId: 1, _id: 1 }, name: 'products_org' },
  ],
  listings: [
    { key: { orgId: 1, _id: 1 }, name: 'listings_org' },
    { key: { productId: 1, _id: 1 }, name: 'listings_product' },
  ],
  counters: [],
  idempotencyKeys: [{ key: { scope: 1, key: 1 }, name: 'idempotency_scope_key', unique: true }],
  scans: [{ key: { batchId: 1, at: 1 }, name: 'scans_batch_at' }],
  // The log: leaf index, (level, index) and tree size are the `_id`s, unique by nature.
  logMeta: [],
  logLeaves: [{ key: { eventHash: 1 }, name: 'log_leaves_event_hash', unique: true }],
  logNodes: [],
  logCheckpoints: [],
  logKeys: [],
  captureJobs: [
    { key: { orgId: 1, _id: 1 }, name: 'capture_jobs_org' },
    { key: { _id: 1 }, name: 'capture_jobs_running', partialFilterExpression: { running: true } },
  ],
  lotSerials: [{ key: { batchId: 1 }, name: 'lot_serials_batch' }],
  audit: [{ key: { orgId: 1, _id: 1 }, name: 'audit_log_org' }],
};

const LOG_SEQUENCER_ID = 'sequencer';
const LOG_KEY_ID = 'log';
const logNodeId = (n: { level: number; index: number }): string => `${n.level}/${n.index}`;

const DUPLICATE_KEY = 11000;

const isDuplicateKey = (error: unknown): error is mongoose.mongo.MongoServerError =>
  error instanceof mongoose.mongo.MongoServerError && error.code === DUPLICATE_KEY;

function translateDuplicate(error: unknown): never {
  if (isDuplicateKey(error)) {
    const index = /index: (\S+) dup key/.exec(error.message)?.[1];
    throw uniqueViolation(index && index in UNIQUE_RULES ? (index as UniqueRule) : undefined);
  }
  throw error;
}

async function write<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    return translateDuplicate(error);
  }
}

/** JSON-shaped values are stored as they would come back from JSON (undefined members dropped). */
const plain = <T>(value: T): T => (value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T));
const orNull = <T>(value: T | null | undefined): T | null => (value === undefined ? null : value);
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (values: string[]): string[] => [...new Set(values)].sort(byString);

function sortedLinks(links: EventLink[]): EventLink[] {
  const unique = new Map<string, EventLink>();
  for (const l of links) unique.set(`${l.role}\u0000${l.targetId}`, { targetId: l.targetId, role: l.role });
  return [...unique.values()].sort((a, b) => byString(a.role, b.role) || byString(a.targetId, b.targetId));
}

function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

const fromSigningKey = (k: SigningKeyRecord): SigningKeyDoc & { current: boolean } => ({
  _id: k.kid,
  orgId: k.orgId,
  publicJwk: { kty: k.publicJwk.kty, crv: k.publicJwk.crv, x: k.publicJwk.x },
  encryptedPrivateKey: k.encryptedPrivateKey,
  validFrom: k.validFrom,
  validTo: orNull(k.validTo),
  revokedAt: orNull(k.revokedAt),
  current: k.validTo === null && k.revokedAt === null,
});

const toSigningKey = (d: SigningKeyDoc): SigningKeyRecord => ({
  kid: d._id,
  orgId: d.orgId,
  publicJwk: { kty: d.publicJwk.kty, crv: d.publicJwk.crv, x: d.publicJwk.x },
  encryptedPrivateKey: d.encryptedPrivateKey,
  validFrom: d.validFrom,
  validTo: orNull(d.validTo),
  revokedAt: orNull(d.revokedAt),
});

/** Records whose fields are plain JSON values (products, listings): stored as written, `_id` = id. */
function toDoc<R extends { id: string }>(record: R): Doc<R> {
  const { id, ...rest } = plain(record);
  return { _id: id, ...rest } as Doc<R>;
}

function fromDoc<R extends { id: string }>(doc: Doc<R>): R {
  const { _id, ...rest } = doc as Doc<R> & { _id: string };
  return { id: _id, ...rest } as unknown as R;
}

const fromMedia = (m: MediaRecord): MediaDoc => {
  const { id, ...rest } = plain(m);
  return { _id: id, ...rest };
};

const toMedia = (d: MediaDoc): MediaRecord => ({
  id: d._id,
  orgId: d.orgId,
  targetKind: d.targetKind,
  targetId: d.targetId,
  attachesTo: orNull(d.attachesTo),
  sha256: d.sha256,
  mediaType: d.mediaType,
  bytes: d.bytes,
  width: orNull(d.width),
  height: orNull(d.height),
  renditions: d.renditions.map((r) => ({ width: r.width, sha256: r.sha256 })),
  evidence: { takenAt: orNull(d.evidence.takenAt), gps: d.evidence.gps ? { lat: d.evidence.gps.lat, lon: d.evidence.gps.lon } : null },
  eventId: orNull(d.eventId),
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

/** Newest first by id; `after` is the id of the previous page's last item. */
function newestFirst<D extends { _id: string }>(
  collection: mongo.Collection<D>,
  filter: mongo.Filter<D>,
  page: PageRequest,
  session: mongo.ClientSession | undefined,
): Promise<D[]> {
  const query = page.after ? ({ $and: [filter, { _id: { $lt: page.after } }] } as mongo.Filter<D>) : filter;
  return collection
    .find(query, session ? { session } : {})
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .toArray() as Promise<D[]>;
}

const fromOrganization = (o: OrganizationRecord): OrganizationDoc => ({
  _id: o.id,
  slug: o.slug,
  type: o.type,
  name: o.name,
  address: { province: o.address.province, commune: orNull(o.address.commune), street: orNull(o.address.street) },
  gln: orNull(o.gln),
  pucCode: orNull(o.pucCode),
  packingHouseCode: orNull(o.packingHouseCode),
  parentId: orNull(o.parentId),
  logoSha256: orNull(o.logoSha256),
  createdAt: o.createdAt,
});

const toOrganization = (d: OrganizationDoc): OrganizationRecord => ({
  id: d._id,
  slug: d.slug,
  type: d.type,
  name: d.name,
  address: { province: d.address.province, commune: orNull(d.address.commune), street: orNull(d.address.street) },
  gln: orNull(d.gln),
  pucCode: orNull(d.pucCode),
  packingHouseCode: orNull(d.packingHouseCode),
  parentId: orNull(d.parentId),
  // Documents written before logos existed have no field at all.
  logoSha256: orNull(d.logoSha256),
  createdAt: d.createdAt,
});

const fromUser = (u: UserRecord): UserDoc => ({
  _id: u.id,
  orgId: u.orgId,
  email: u.email,
  name: u.name,
  role: u.role,
  passwordHash: u.passwordHash,
  createdAt: u.createdAt,
});

const toUser = (d: UserDoc): UserRecord => ({
  id: d._id,
  orgId: d.orgId,
  email: d.email,
  name: d.name,
  role: d.role,
  passwordHash: d.passwordHash,
  createdAt: d.createdAt,
});

const fromApiKey = (k: ApiKeyRecord): ApiKeyDoc => ({
  _id: k.id,
  orgId: k.orgId,
  name: k.name,
  role: k.role,
  secretHash: k.secretHash,
  createdBy: k.createdBy,
  createdAt: k.createdAt,
  revokedAt: orNull(k.revokedAt),
});

const toApiKey = (d: ApiKeyDoc): ApiKeyRecord => ({
  id: d._id,
  orgId: d.orgId,
  name: d.name,
  role: d.role,
  secretHash: d.secretHash,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
  revokedAt: orNull(d.revokedAt),
});

const fromPlot = (p: PlotRecord): PlotDoc => ({
  _id: p.id,
  orgId: p.orgId,
  name: p.name,
  crops: plain(p.crops),
  geometry: plain(p.geometry),
  areaHa: orNull(p.areaHa),
  declaredAreaHa: orNull(p.declaredAreaHa),
  certifications: plain(p.certifications),
  gln: orNull(p.gln),
  eventId: p.eventId,
  createdBy: orNull(p.createdBy),
  createdAt: p.createdAt,
});

const toPlot = (d: PlotDoc): PlotRecord => ({
  id: d._id,
  orgId: d.orgId,
  name: d.name,
  crops: d.crops,
  geometry: d.geometry,
  areaHa: orNull(d.areaHa),
  declaredAreaHa: orNull(d.declaredAreaHa),
  certifications: d.certifications,
  // Documents written before plots had GLNs have no field at all.
  gln: orNull(d.gln),
  eventId: d.eventId,
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

const fromBatch = (b: BatchRecord): BatchDoc => ({
  _id: b.id,
  orgId: b.orgId,
  custodianOrgId: b.custodianOrgId,
  pendingReceiverOrgId: orNull(b.pendingReceiverOrgId),
  accessOrgIds: sortedUnique(b.accessOrgIds),
  plotIds: plain(b.plotIds),
  derivedFrom: plain(b.derivedFrom),
  product: b.product,
  variety: orNull(b.variety),
  harvestedAt: orNull(b.harvestedAt),
  harvestPeriod: b.harvestPeriod ? plain(b.harvestPeriod) : null,
  quantity: plain(b.quantity),
  lotNumber: b.lotNumber,
  gtin: orNull(b.gtin),
  code: b.code,
  published: Boolean(b.published),
  publishedAt: orNull(b.publishedAt),
  createdBy: orNull(b.createdBy),
  createdAt: b.createdAt,
});

const toBatch = (d: BatchDoc): BatchRecord => ({
  id: d._id,
  orgId: d.orgId,
  custodianOrgId: d.custodianOrgId,
  pendingReceiverOrgId: orNull(d.pendingReceiverOrgId),
  accessOrgIds: [...d.accessOrgIds].sort(byString),
  plotIds: d.plotIds,
  derivedFrom: d.derivedFrom,
  product: d.product,
  variety: orNull(d.variety),
  harvestedAt: orNull(d.harvestedAt),
  harvestPeriod: d.harvestPeriod ?? null,
  quantity: d.quantity,
  lotNumber: d.lotNumber,
  gtin: orNull(d.gtin),
  code: d.code,
  published: d.published === true,
  publishedAt: orNull(d.publishedAt),
  createdBy: orNull(d.createdBy),
  createdAt: d.createdAt,
});

const fromEvent = (e: NewEvent, seq: number): EventDoc => ({
  _id: e.id,
  seq,
  orgId: e.orgId,
  type: e.type,
  stepType: orNull(e.stepType),
  eventTime: e.eventTime,
  hash: e.hash,
  body: plain(e.body),
  corrects: orNull(e.corrects),
  jws: orNull(e.jws),
  links: sortedLinks(e.links),
  createdAt: e.createdAt,
});

const toEvent = (d: EventDoc): EventRecord => ({
  id: d._id,
  seq: d.seq,
  orgId: d.orgId,
  type: d.type,
  stepType: orNull(d.stepType),
  eventTime: d.eventTime,
  hash: d.hash,
  body: d.body,
  corrects: orNull(d.corrects),
  jws: orNull(d.jws),
  links: sortedLinks(d.links),
  createdAt: d.createdAt,
});

const toIdempotency = (d: IdempotencyDoc): IdempotencyRecord => ({
  scope: d.scope,
  key: d.key,
  requestHash: d.requestHash,
  state: d.state,
  status: orNull(d.status),
  body: d.body ?? null,
  location: orNull(d.location),
  createdAt: d.createdAt,
});

const mapOne = <D, R>(doc: D | null, map: (d: D) => R): R | null => (doc === null ? null : map(doc));

const toCheckpoint = (d: LogCheckpointDoc): CheckpointRecord => ({ treeSize: d._id, rootHash: d.rootHash, note: d.note, issuedAt: d.issuedAt });
const toLogKey = (d: LogKeyDoc): LogKeyRecord => ({ kid: d.kid, publicKey: d.publicKey, encryptedPrivateKey: d.encryptedPrivateKey, createdAt: d.createdAt });

/**
 * Inserts `doc` unless its `_id` is taken; true when it was inserted. An upsert of $setOnInsert
 * rather than insert-and-catch, so a taken `_id` does not abort an enclosing transaction (like
 * SQLite's INSERT OR IGNORE); a duplicate key that still surfaces (an upsert race the server did
 * not retry) also means taken.
 */
async function insertIfAbsent<D extends { _id: string | number }>(
  collection: mongo.Collection<D>,
  doc: D,
  opts: { session?: mongo.ClientSession },
): Promise<boolean> {
  const { _id, ...rest } = doc;
  try {
    const before = await collection.findOneAndUpdate({ _id } as mongo.Filter<D>, { $setOnInsert: rest } as unknown as mongo.UpdateFilter<D>, {
      ...opts,
      upsert: true,
      returnDocument: 'before',
      projection: { _id: 1 },
    });
    return before === null;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** `$dateToString` takes a fixed offset as `+hh:mm`. */
const SCAN_DAY_TIMEZONE = `+${String(Math.floor(SCAN_DAY_UTC_OFFSET_MINUTES / 60)).padStart(2, '0')}:${String(SCAN_DAY_UTC_OFFSET_MINUTES % 60).padStart(2, '0')}`;

interface ScanFacets {
  byType: Array<{ _id: string; n: number }>;
  byDay: Array<{ _id: string; n: number }>;
}

/**
 * The repositories, bound to `session` when given (inside a transaction: every read and write
 * passes it) and running without one otherwise.
 */
function buildRepositories(c: Collections, session?: mongo.ClientSession): Repositories {
  const opts = session ? { session } : {};

  return {
    organizations: {
      insert: async (o) => {
        await write(() => c.organizations.insertOne(fromOrganization(o), opts));
      },
      findById: async (id) => mapOne(await c.organizations.findOne({ _id: id }, opts), toOrganization),
      findBySlug: async (slug) => mapOne(await c.organizations.findOne({ slug }, opts), toOrganization),
      findByGln: async (gln) => mapOne(await c.organizations.findOne({ gln }, opts), toOrganization),
      allIds: async () => (await c.organizations.find({}, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((d) => d._id),
      memberIds: async (parentId) => {
        const docs = await c.organizations.find({ parentId }, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray();
        return docs.map((d) => d._id);
      },
      list: async (ids, page) => pageOf((await newestFirst(c.organizations, { _id: { $in: ids } }, page, session)).map(toOrganization), page.limit),
      setLogo: async (id, logoSha256) => {
        await write(() => c.organizations.updateOne({ _id: id }, { $set: { logoSha256 } }, opts));
      },
    },
    users: {
      insert: async (u) => {
        await write(() => c.users.insertOne(fromUser(u), opts));
      },
      findById: async (id) => mapOne(await c.users.findOne({ _id: id }, opts), toUser),
      findByEmail: async (email) => mapOne(await c.users.findOne({ email }, opts), toUser),
      list: async (orgIds, page) => pageOf((await newestFirst(c.users, { orgId: { $in: orgIds } }, page, session)).map(toUser), page.limit),
    },
    apiKeys: {
      insert: async (k) => {
        await write(() => c.apiKeys.insertOne(fromApiKey(k), opts));
      },
      findById: async (id) => mapOne(await c.apiKeys.findOne({ _id: id }, opts), toApiKey),
      list: async (orgId, page) => pageOf((await newestFirst(c.apiKeys, { orgId }, page, session)).map(toApiKey), page.limit),
      revoke: async (id, at) => {
        await c.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }, opts);
      },
    },
    plots: {
      insert: async (p) => {
        await write(() => c.plots.insertOne(fromPlot(p), opts));
      },
      findById: async (id) => mapOne(await c.plots.findOne({ _id: id }, opts), toPlot),
      findByGln: async (gln) => mapOne(await c.plots.findOne({ gln }, opts), toPlot),
      list: async (orgIds, page) => pageOf((await newestFirst(c.plots, { orgId: { $in: orgIds } }, page, session)).map(toPlot), page.limit),
    },
    batches: {
      insert: async (b) => {
        await write(() => c.batches.insertOne(fromBatch(b), opts));
      },
      findById: async (id) => mapOne(await c.batches.findOne({ _id: id }, opts), toBatch),
      findByCode: async (code) => mapOne(await c.batches.findOne({ code }, opts), toBatch),
      findByGtinLot: async (gtin, lotNumber) => mapOne(await c.batches.findOne({ gtin, lotNumber }, opts), toBatch),
      findByOrgProductLot: async (orgId, product, lotNumber) =>
        mapOne(await c.batches.findOne({ orgId, product, lotNumber }, opts), toBatch),
      publishedFromPlot: async (plotId, limit) =>
        (await c.batches.find({ plotIds: plotId, published: true }, opts).sort({ _id: -1 }).limit(limit).toArray()).map(toBatch),
      list: async (orgIds, page) =>
        pageOf((await newestFirst(c.batches, { accessOrgIds: { $in: orgIds } }, page, session)).map(toBatch), page.limit),
      update: async (id, patch: BatchPatch) => {
        const set: BatchPatch = {};
        if (patch.custodianOrgId !== undefined) set.custodianOrgId = patch.custodianOrgId;
        if (patch.pendingReceiverOrgId !== undefined) set.pendingReceiverOrgId = patch.pendingReceiverOrgId;
        if (patch.published !== undefined) set.published = Boolean(patch.published);
        if (patch.publishedAt !== undefined) set.publishedAt = patch.publishedAt;
        if (Object.keys(set).length === 0) return;
        await write(() => c.batches.updateOne({ _id: id }, { $set: set }, opts));
      },
      grantAccess: async (id, orgIds) => {
        if (orgIds.length === 0) return;
        // $addToSet keeps the set; reads sort it, as SQLite's ORDER BY org_id does.
        await c.batches.updateOne({ _id: id }, { $addToSet: { accessOrgIds: { $each: [...new Set(orgIds)] } } }, opts);
      },
      addSerials: async (id, gtin, serials) => {
        if (serials.length === 0) return;
        // Upserts that only set on insert: a serial already in a lot stays there, and no
        // duplicate-key error aborts the enclosing transaction.
        await c.lotSerials.bulkWrite(
          serials.map((serial) => ({ updateOne: { filter: { _id: `${gtin}/${serial}` }, update: { $setOnInsert: { batchId: id } }, upsert: true } })),
          { ...opts, ordered: true },
        );
      },
      findBySerial: async (gtin, serial) => {
        const entry = await c.lotSerials.findOne({ _id: `${gtin}/${serial}` }, opts);
        return entry ? mapOne(await c.batches.findOne({ _id: entry.batchId }, opts), toBatch) : null;
      },
    },
    events: {
      append: async (e) => {
        // The counter document gives a total order; inside a transaction, concurrent appends
        // conflict on it and the driver retries, so seq order is also commit order.
        const counter = await c.counters.findOneAndUpdate(
          { _id: 'events' },
          { $inc: { seq: 1 } },
          { ...opts, upsert: true, returnDocument: 'after' },
        );
        if (!counter) throw new Error('the events counter was not returned');
        const doc = fromEvent(e, counter.seq);
        await write(() => c.events.insertOne(doc, opts));
        return toEvent(doc);
      },
      findById: async (id) => mapOne(await c.events.findOne({ _id: id }, opts), toEvent),
      listFor: async (targetId, page) => {
        const after = page.after ? Number(page.after) : 0;
        const docs = await c.events
          .find({ 'links.targetId': targetId, seq: { $gt: Number.isFinite(after) ? after : 0 } }, opts)
          .sort({ seq: 1 })
          .limit(page.limit + 1)
          .toArray();
        const items = docs.slice(0, page.limit).map(toEvent);
        return { items, next: docs.length > page.limit ? String(items.at(-1)?.seq) : null };
      },
      findByHash: async (hash) => mapOne(await c.events.findOne({ hash }, opts), toEvent),
      query: async (q, page) => {
        const after = page.after ? Number(page.after) : 0;
        // Visibility: the lots whose chain of custody includes the scope and the plots it owns are
        // read first (both from indexes), then events recorded by the scope or linked to them.
        const [lotIds, plotIds] = await Promise.all([
          c.batches.distinct('_id', { accessOrgIds: { $in: q.scopeOrgIds } }, opts),
          c.plots.distinct('_id', { orgId: { $in: q.scopeOrgIds } }, opts),
        ]);
        const filter = {
          $and: [
            { seq: { $gt: Number.isFinite(after) ? after : 0 } },
            {
              $or: [
                { orgId: { $in: q.scopeOrgIds } },
                { links: { $elemMatch: { targetId: { $in: lotIds }, role: { $ne: 'plot' } } } },
                { links: { $elemMatch: { targetId: { $in: plotIds }, role: 'plot' } } },
              ],
            },
            ...eventQueryFilters(q),
          ],
        } as mongo.Filter<EventDoc>;
        const docs = await c.events.find(filter, opts).sort({ seq: 1 }).limit(page.limit + 1).toArray();
        const items = docs.slice(0, page.limit).map(toEvent);
        return { items, next: docs.length > page.limit ? String(items.at(-1)?.seq) : null };
      },
      headOf: async (lotId) => {
        const [doc] = await c.events
          .find({ links: { $elemMatch: { targetId: lotId, role: { $in: ['subject', 'output'] } } } }, opts)
          .sort({ seq: -1 })
          .limit(1)
          .toArray();
        return doc ? toEvent(doc) : null;
      },
    },
    signingKeys: {
      insert: async (k) => {
        await write(() => c.signingKeys.insertOne(fromSigningKey(k), opts));
      },
      findByKid: async (kid) => mapOne(await c.signingKeys.findOne({ _id: kid }, opts), toSigningKey),
      // Inside a transaction the current key is read with a write, so a concurrent rotation or
      // revocation conflicts with the signing transaction instead of slipping past it.
      currentFor: async (orgId) =>
        mapOne(
          session
            ? await c.signingKeys.findOneAndUpdate({ orgId, validTo: null, revokedAt: null }, { $set: { readAt: new Date().toISOString() } }, { ...opts, returnDocument: 'after' })
            : await c.signingKeys.findOne({ orgId, validTo: null, revokedAt: null }, opts),
          toSigningKey,
        ),
      list: async (orgId) =>
        (await c.signingKeys.find(orgId === null ? {} : { orgId }, opts).sort({ validFrom: 1, _id: 1 }).toArray()).map(toSigningKey),
      update: async (kid, patch) => {
        const doc = await c.signingKeys.findOne({ _id: kid }, opts);
        if (!doc) return;
        const validTo = patch.validTo !== undefined ? patch.validTo : doc.validTo;
        const revokedAt = patch.revokedAt !== undefined ? patch.revokedAt : doc.revokedAt;
        await write(() =>
          c.signingKeys.updateOne({ _id: kid }, { $set: { validTo, revokedAt, current: validTo === null && revokedAt === null } }, opts),
        );
      },
      rewrap: async (kid, from, to) =>
        (await c.signingKeys.updateOne({ _id: kid, encryptedPrivateKey: from }, { $set: { encryptedPrivateKey: to } }, opts)).matchedCount === 1,
    },
    media: {
      insert: async (m) => {
        await write(() => c.media.insertOne(fromMedia(m), opts));
      },
      findById: async (id) => mapOne(await c.media.findOne({ _id: id }, opts), toMedia),
      listFor: async (targetId) => (await c.media.find({ targetId }, opts).sort({ _id: 1 }).toArray()).map(toMedia),
    },
    products: {
      insert: async (p) => {
        await write(() => c.products.insertOne(toDoc(p), opts));
      },
      findById: async (id) => mapOne(await c.products.findOne({ _id: id }, opts), fromDoc<ProductRecord>),
      findByGtin: async (gtin) => mapOne(await c.products.findOne({ gtin }, opts), fromDoc<ProductRecord>),
      list: async (orgIds, page) => pageOf((await newestFirst(c.products, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<ProductRecord>), page.limit),
      update: async (id, patch) => {
        const { _id: _ignored, ...set } = toDoc({ id, ...patch });
        if (Object.keys(set).length) await write(() => c.products.updateOne({ _id: id }, { $set: set }, opts));
      },
    },
    listings: {
      insert: async (l) => {
        await write(() => c.listings.insertOne(toDoc(l), opts));
      },
      findById: async (id) => mapOne(await c.listings.findOne({ _id: id }, opts), fromDoc<ListingRecord>),
      list: async (orgIds, page) => pageOf((await newestFirst(c.listings, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<ListingRecord>), page.limit),
      listForProduct: async (productId) => (await c.listings.find({ productId }, opts).sort({ _id: 1 }).toArray()).map(fromDoc<ListingRecord>),
      remove: async (id) => {
        await c.listings.deleteOne({ _id: id }, opts);
      },
    },
    captureJobs: {
      insert: async (j) => {
        await write(() => c.captureJobs.insertOne(toDoc(j), opts));
      },
      findById: async (id) => mapOne(await c.captureJobs.findOne({ _id: id }, opts), fromDoc<CaptureJobRecord>),
      finish: async (id, o) => {
        const result = await c.captureJobs.updateOne(
          { _id: id, running: true },
          { $set: { running: false, finishedAt: o.finishedAt, success: o.success, eventIds: o.eventIds, errors: plain(o.errors) } },
          opts,
        );
        return result.matchedCount === 1;
      },
      list: async (orgIds, page) => pageOf((await newestFirst(c.captureJobs, { orgId: { $in: orgIds } }, page, session)).map(fromDoc<CaptureJobRecord>), page.limit),
      listRunning: async () => (await c.captureJobs.find({ running: true }, { ...opts, projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((d) => d._id),
    },
    audit: {
      insert: async (a) => {
        await write(() => c.audit.insertOne(toDoc(a), opts));
      },
      list: async (orgId, page) => pageOf((await newestFirst(c.audit, { orgId }, page, session)).map(fromDoc<AuditRecord>), page.limit),
    },
    idempotency: {
      // An upsert rather than insert-and-catch: a duplicate-key error would abort an enclosing
      // transaction, and the server retries upserts that race on the unique (scope, key) index.
      claim: async (r) => {
        const existing = await write(() =>
          c.idempotencyKeys.findOneAndUpdate(
            { scope: r.scope, key: r.key },
            {
              $setOnInsert: {
                requestHash: r.requestHash,
                state: r.state,
                status: orNull(r.status),
                body: plain(r.body),
                location: orNull(r.location),
                createdAt: r.createdAt,
              },
            },
            { ...opts, upsert: true, returnDocument: 'before' },
          ),
        );
        return mapOne(existing, toIdempotency);
      },
      complete: async (scope, key, status, body, location) => {
        await c.idempotencyKeys.updateOne(
          { scope, key },
          { $set: { state: 'done', status, body: plain(body), location: orNull(location) } },
          opts,
        );
      },
      release: async (scope, key) => {
        await c.idempotencyKeys.deleteOne({ scope, key, state: 'pending' }, opts);
      },
    },
    log: {
      // Inside a transaction this writes the sequencer document, which every appender's transaction
      // writes too: concurrent appenders hit a write conflict and withTransaction reruns the loser,
      // so leaves get one total order. Only `claims` is bumped, not `size`: as with SQLite's
      // MAX(leaf_index) + 1, asking twice gives the same index and asking outside a transaction
      // leaves no gap. appendLeaf advances `size`, in the same transaction as the leaf.
      nextLeafIndex: async () => {
        const doc = session
          ? await c.logMeta.findOneAndUpdate(
              { _id: LOG_SEQUENCER_ID },
              { $inc: { claims: 1 }, $setOnInsert: { size: 0 } },
              { session, upsert: true, returnDocument: 'after' },
            )
          : await c.logMeta.findOne({ _id: LOG_SEQUENCER_ID });
        return doc?.size ?? 0;
      },
      appendLeaf: async (index, eventHash, nodes) => {
        // The leaf first: a taken index or event hash fails here (409) before anything is written.
        await write(() => c.logLeaves.insertOne({ _id: index, eventHash }, opts));
        // Then the sequencer, only from `index`: leaves stay contiguous and `size` counts them.
        const advanced = await c.logMeta.updateOne({ _id: LOG_SEQUENCER_ID, size: index }, { $inc: { size: 1 } }, opts);
        if (advanced.matchedCount !== 1) throw new Error(`leaf ${index} is not the next leaf of the log`);
        if (nodes.length) {
          const docs = nodes.map((n) => ({ _id: logNodeId(n), level: n.level, index: n.index, hash: n.hash }));
          await write(() => c.logNodes.insertMany(docs, { ...opts, ordered: true }));
        }
      },
      size: async () => (await c.logMeta.findOne({ _id: LOG_SEQUENCER_ID }, opts))?.size ?? 0,
      leafIndexOf: async (eventHash) => (await c.logLeaves.findOne({ eventHash }, { ...opts, projection: { _id: 1 } }))?._id ?? null,
      findNodes: async (refs) => {
        if (!refs.length) return [];
        const docs = await c.logNodes.find({ _id: { $in: [...new Set(refs.map(logNodeId))] } }, opts).toArray();
        const found = new Map(docs.map((d) => [d._id, { level: d.level, index: d.index, hash: d.hash }]));
        // In the order asked, as SQLite's one lookup per ref returns them.
        return refs.flatMap((r) => {
          const node = found.get(logNodeId(r));
          return node ? [{ ...node }] : [];
        });
      },
      insertCheckpoint: (cp) => insertIfAbsent(c.logCheckpoints, { _id: cp.treeSize, rootHash: cp.rootHash, note: cp.note, issuedAt: cp.issuedAt }, opts),
      latestCheckpoint: async () => {
        const [doc] = await c.logCheckpoints.find({}, opts).sort({ _id: -1 }).limit(1).toArray();
        return doc ? toCheckpoint(doc) : null;
      },
      findCheckpoint: async (treeSize) => mapOne(await c.logCheckpoints.findOne({ _id: treeSize }, opts), toCheckpoint),
      signingKey: async () => mapOne(await c.logKeys.findOne({ _id: LOG_KEY_ID }, opts), toLogKey),
      insertSigningKey: (k) =>
        insertIfAbsent(c.logKeys, { _id: LOG_KEY_ID, kid: k.kid, publicKey: k.publicKey, encryptedPrivateKey: k.encryptedPrivateKey, createdAt: k.createdAt }, opts),
      rewrapSigningKey: async (kid, from, to) =>
        (await c.logKeys.updateOne({ _id: LOG_KEY_ID, kid, encryptedPrivateKey: from }, { $set: { encryptedPrivateKey: to } }, opts)).matchedCount === 1,
      // Every event in seq order, joined to its leaf (by the unique eventHash index); correct, not fast.
      unloggedEventHashes: async (limit) => {
        if (!(limit > 0)) return [];
        const docs = await c.events
          .aggregate<{ hash: string }>(
            [
              { $sort: { seq: 1 } },
              { $project: { _id: 0, hash: 1 } },
              { $lookup: { from: c.logLeaves.collectionName, localField: 'hash', foreignField: 'eventHash', as: 'leaf' } },
              { $match: { leaf: { $size: 0 } } },
              { $limit: limit },
              { $project: { hash: 1 } },
            ],
            opts,
          )
          .toArray();
        return docs.map((d) => d.hash);
      },
    },
    scans: {
      insertMany: async (scans) => {
        if (scans.length === 0) return;
        const docs = scans.map((s) => ({ batchId: s.batchId, at: new Date(s.at), clientType: s.clientType }));
        await c.scans.insertMany(docs, { ...opts, ordered: true });
      },
      countFor: async (batchId, window) => {
        const [facets] = await c.scans
          .aggregate<ScanFacets>(
            [
              { $match: { batchId, at: { $gte: new Date(window.from), $lt: new Date(window.to) } } },
              {
                $facet: {
                  byType: [{ $group: { _id: '$clientType', n: { $sum: 1 } } }],
                  byDay: [
                    { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at', timezone: SCAN_DAY_TIMEZONE } }, n: { $sum: 1 } } },
                    { $sort: { _id: 1 } },
                  ],
                },
              },
            ],
            opts,
          )
          .toArray();
        const counts: ScanCounts = { total: 0, byClientType: zeroClientTypeCounts(), byDay: [] };
        for (const t of facets?.byType ?? []) {
          counts.total += t.n;
          if (isClientType(t._id)) counts.byClientType[t._id] += t.n;
        }
        counts.byDay = (facets?.byDay ?? []).map((d) => ({ day: d._id, count: d.n }));
        return counts;
      },
    },
  };
}

const NAMESPACE_EXISTS = 48;

function ignoreNamespaceExists(error: unknown): void {
  if (error instanceof mongoose.mongo.MongoServerError && error.code === NAMESPACE_EXISTS) return;
  throw error;
}

/** Connects (own connection, not mongoose's default one), ensures the indexes and returns the store. */
export async function openMongoStore(uri: string): Promise<Store> {
  const connection = mongoose.createConnection(uri, { autoIndex: false, autoCreate: false });
  try {
    await connection.asPromise();
    const db = connection.db;
    if (!db) throw new Error('the MongoDB connection has no database handle');

    const collections: Collections = {
      organizations: db.collection<OrganizationDoc>('organizations'),
      users: db.collection<UserDoc>('users'),
      apiKeys: db.collection<ApiKeyDoc>('apiKeys'),
      plots: db.collection<PlotDoc>('plots'),
      batches: db.collection<BatchDoc>('batches'),
      events: db.collection<EventDoc>('events'),
      signingKeys: db.collection<SigningKeyDoc>('signingKeys'),
      media: db.collection<MediaDoc>('media'),
      products: db.collection<ProductDoc>('products'),
      listings: db.collection<ListingDoc>('listings'),
      counters: db.collection<CounterDoc>('counters'),
      idempotencyKeys: db.collection<IdempotencyDoc>('idempotencyKeys'),
      scans: db.collection<ScanDoc>('scans'),
      logMeta: db.collection<LogMetaDoc>('log_meta'),
      logLeaves: db.collection<LogLeafDoc>('log_leaves'),
      logNodes: db.collection<LogNodeDoc>('log_nodes'),
      logCheckpoints: db.collection<LogCheckpointDoc>('log_checkpoints'),
      logKeys: db.collection<LogKeyDoc>('log_keys'),
      captureJobs: db.collection<CaptureJobDoc>('capture_jobs'),
      lotSerials: db.collection<LotSerialDoc>('lot_serials'),
      audit: db.collection<AuditDoc>('audit_log'),
    };
    for (const name of Object.keys(INDEXES) as Array<keyof Collections>) {
      const indexes = INDEXES[name];
      // Creating the collections up front also keeps catalog changes out of later transactions.
      if (indexes.length) await collections[name].createIndexes(indexes);
      else await db.createCollection(collections[name].collectionName).catch(ignoreNamespaceExists);
    }
    // The sequencer document exists before any transaction upserts it (no insert race on first use).
    await collections.logMeta.updateOne({ _id: LOG_SEQUENCER_ID }, { $setOnInsert: { size: 0 } }, { upsert: true });

    const client = connection.getClient();
    const repositories = buildRepositories(collections);

    return {
      kind: 'mongodb',
      ...repositories,
      async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
        const session = client.startSession();
        try {
          return await session.withTransaction(() => work(buildRepositories(collections, session)), {
            readConcern: { level: 'snapshot' },
            writeConcern: { w: 'majority' },
          });
        } finally {
          await session.endSession();
        }
      },
      ping: async () => {
        await db.admin().command({ ping: 1 });
      },
      isEmpty: async () => (await collections.organizations.findOne({}, { projection: { _id: 1 } })) === null,
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

const given = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

/** The EPCIS query's filters beyond visibility; event times are compared as instants ($dateFromString reads the offsets). */
function eventQueryFilters(q: EventQuery): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const instant = { $dateFromString: { dateString: '$eventTime', onError: null } };
  if (given(q.types)) out.push({ type: { $in: q.types } });
  if (q.eventTimeFrom) out.push({ $expr: { $gte: [instant, new Date(q.eventTimeFrom)] } });
  if (q.eventTimeBefore) out.push({ $expr: { $lt: [instant, new Date(q.eventTimeBefore)] } });
  const epcFields = ['body.epcList', 'body.childEPCs', 'body.quantityList.epcClass', 'body.childQuantityList.epcClass'];
  const anyEpcFields = [...epcFields, 'body.parentID', 'body.inputEPCList', 'body.outputEPCList', 'body.inputQuantityList.epcClass', 'body.outputQuantityList.epcClass'];
  if (given(q.epcs)) out.push({ $or: epcFields.map((f) => ({ [f]: { $in: q.epcs } })) });
  if (given(q.anyEpcs)) out.push({ $or: anyEpcFields.map((f) => ({ [f]: { $in: q.anyEpcs } })) });
  if (given(q.bizSteps)) out.push({ 'body.bizStep': { $in: q.bizSteps } });
  if (given(q.bizLocations)) out.push({ 'body.bizLocation.id': { $in: q.bizLocations } });
  return out;
}
