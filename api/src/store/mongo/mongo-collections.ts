/**
 * The MongoDB collections: the shape of each one's documents, their indexes, and creating them
 * when the store opens. Every record is stored with `_id` = its id unless its type says otherwise.
 */
import type { mongo } from 'mongoose';
import mongoose from 'mongoose';
import type { ClientType } from '../../domain/client-type.js';
import type {
  ApiKeyRecord,
  AuditRecord,
  BatchRecord,
  CaptureJobRecord,
  CheckpointRecord,
  EventRecord,
  IdempotencyRecord,
  ListingRecord,
  LogKeyRecord,
  LogNode,
  MediaRecord,
  OrganizationRecord,
  PlotRecord,
  ProductRecord,
  SigningKeyRecord,
  UserRecord,
} from '../port.js';
import type { Doc } from './mongo-documents.js';

export type OrganizationDoc = Doc<OrganizationRecord>;
export type UserDoc = Doc<UserRecord>;
export type ApiKeyDoc = Doc<ApiKeyRecord>;
export type PlotDoc = Doc<PlotRecord>;
export type BatchDoc = Doc<BatchRecord>;
export type EventDoc = Doc<EventRecord>;
export type MediaDoc = Doc<MediaRecord>;
export type ProductDoc = Doc<ProductRecord>;
export type ListingDoc = Doc<ListingRecord>;
/** `_id` is the kid. */
export type SigningKeyDoc = Omit<SigningKeyRecord, 'kid'> & { _id: string };
export interface CounterDoc {
  _id: string;
  seq: number;
}
export type CaptureJobDoc = Doc<CaptureJobRecord>;
export type AuditDoc = Doc<AuditRecord>;
/** `_id` is `${gtin}/${serial}` (the GTIN is 14 digits, so the split is unambiguous). */
export interface LotSerialDoc {
  _id: string;
  batchId: string;
}
/** `_id` is a driver-generated ObjectId; (scope, key) is the unique identity. */
export type IdempotencyDoc = IdempotencyRecord;
/** `_id` is a driver-generated ObjectId; `at` is a BSON date so the server can group by day. */
export interface ScanDoc {
  batchId: string;
  at: Date;
  clientType: ClientType;
}
/**
 * The transparency log's sequencer, `_id` 'sequencer': `size` is the number of leaves (advanced by
 * appendLeaf), `claims` is bumped by nextLeafIndex only so that concurrent appenders write the
 * same document and conflict (its value means nothing).
 */
export interface LogMetaDoc {
  _id: string;
  size: number;
  claims?: number;
}
/** `_id` is the leaf index. */
export interface LogLeafDoc {
  _id: number;
  eventHash: string;
}
/** `_id` is `${level}/${index}` (logNodeId), so findNodes is one `$in` on the primary key. */
export type LogNodeDoc = LogNode & { _id: string };
/** `_id` is the tree size. */
export type LogCheckpointDoc = Omit<CheckpointRecord, 'treeSize'> & { _id: number };
/** `_id` is always LOG_KEY_ID: the log has one key, and a second insert finds it taken. */
export type LogKeyDoc = LogKeyRecord & { _id: string };

export interface Collections {
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
    // Partial: a user may have no email, or no phone (the field is then left out). A database
    // made before phone logins has a users_email index without the filter: drop it once
    // (db.users.dropIndex('users_email')) before starting this release on it.
    { key: { email: 1 }, name: 'users_email', unique: true, partialFilterExpression: { email: { $type: 'string' } } },
    { key: { phone: 1 }, name: 'users_phone', unique: true, partialFilterExpression: { phone: { $type: 'string' } } },
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

/** `_id` of the transparency log's sequencer document (LogMetaDoc). */
export const LOG_SEQUENCER_ID = 'sequencer';

const NAMESPACE_EXISTS = 48;

function ignoreNamespaceExists(error: unknown): void {
  if (error instanceof mongoose.mongo.MongoServerError && error.code === NAMESPACE_EXISTS) return;
  throw error;
}

/** The collections of `db`, each created with its indexes if missing, and the log's sequencer document. */
export async function openCollections(db: mongo.Db): Promise<Collections> {
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
  return collections;
}
