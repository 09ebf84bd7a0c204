import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  CheckpointRecord,
  ApiKeyRecord,
  AuditRecord,
  BatchPatch,
  BatchRecord,
  EventQuery,
  EventRecord,
  IdempotencyRecord,
  ListingRecord,
  MediaRecord,
  NewEvent,
  OrganizationRecord,
  Page,
  PageRequest,
  PlotRecord,
  ProductRecord,
  Repositories,
  CaptureJobRecord,
  ScanCounts,
  Store,
  SigningKeyRecord,
  UniqueRule,
  UserRecord,
} from '../port.js';
import { SCAN_DAY_UTC_OFFSET_MINUTES, uniqueViolation } from '../port.js';
import { isClientType, zeroClientTypeCounts } from '../../domain/client-type.js';
import type { AuditAction } from '../../domain/vocabulary.js';
import { MIGRATIONS } from './migrations.js';

type Row = Record<string, unknown>;
type Run = <T>(op: () => T) => Promise<T>;

/** SQLite names the columns of a broken unique constraint; this maps them to the port's rules. */
const UNIQUE_COLUMNS: Array<[RegExp, UniqueRule]> = [
  [/organizations\.slug/, 'organizations_slug'],
  [/organizations\.gln/, 'organizations_gln'],
  [/users\.email/, 'users_email'],
  [/batches\.gtin, batches\.lot_number/, 'batches_gtin_lot'],
  [/batches\.org_id, batches\.product, batches\.lot_number/, 'batches_org_product_lot'],
  [/batches\.code/, 'batches_code'],
  [/products\.gtin/, 'products_gtin'],
  [/plots\.gln/, 'plots_gln'],
];

function translateConstraint(error: unknown): never {
  if (error instanceof Database.SqliteError && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
    throw uniqueViolation(UNIQUE_COLUMNS.find(([pattern]) => pattern.test(error.message))?.[1]);
  }
  throw error;
}

/** Serializes work on the single connection, so an open transaction never sees foreign statements. */
class Serializer {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** At most this many distinct statements are kept prepared per connection (lists make `IN (?,…)` vary). */
const MAX_PREPARED = 1000;
const statementCaches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The connection's prepared statements, by SQL text: preparing costs more than running most of
 * these queries, so each is prepared once. None is iterated, so sharing one is safe.
 */
function preparedStatements(db: Database.Database): (sql: string) => Database.Statement {
  let cache = statementCaches.get(db);
  if (!cache) statementCaches.set(db, (cache = new Map()));
  const statements = cache;
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_PREPARED) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

const json = (value: unknown): string => JSON.stringify(value);
const parse = <T>(value: unknown): T => JSON.parse(value as string) as T;
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

function placeholders(values: unknown[]): string {
  return values.map(() => '?').join(',') || 'NULL';
}

const toOrganization = (r: Row): OrganizationRecord => ({
  id: r.id as string,
  slug: r.slug as string,
  type: r.type as OrganizationRecord['type'],
  name: r.name as string,
  address: { province: r.province as string, commune: orNull(r.commune as string | undefined), street: orNull(r.street as string | undefined) },
  gln: r.gln as string | null,
  pucCode: r.puc_code as string | null,
  packingHouseCode: r.packing_house_code as string | null,
  parentId: r.parent_id as string | null,
  logoSha256: r.logo_sha256 as string | null,
  createdAt: r.created_at as string,
});

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  email: r.email as string,
  name: r.name as string,
  role: r.role as UserRecord['role'],
  passwordHash: r.password_hash as string,
  createdAt: r.created_at as string,
});

const toApiKey = (r: Row): ApiKeyRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  name: r.name as string,
  role: r.role as ApiKeyRecord['role'],
  secretHash: r.secret_hash as string,
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  revokedAt: r.revoked_at as string | null,
});

const toAudit = (r: Row): AuditRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  actorUserId: r.actor_user_id as string | null,
  actorApiKeyId: r.actor_api_key_id as string | null,
  action: r.action as AuditAction,
  targetId: r.target_id as string,
  details: parse<AuditRecord['details']>(r.details),
  at: r.at as string,
});

const toPlot = (r: Row): PlotRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  name: r.name as string,
  crops: parse(r.crops),
  geometry: parse(r.geometry),
  areaHa: r.area_ha as number | null,
  declaredAreaHa: r.declared_area_ha as number | null,
  certifications: parse(r.certifications),
  gln: r.gln as string | null,
  eventId: r.event_id as string,
  createdBy: r.created_by as string | null,
  createdAt: r.created_at as string,
});

const toSigningKey = (r: Row): SigningKeyRecord => ({
  kid: r.kid as string,
  orgId: r.org_id as string,
  publicJwk: parse(r.public_jwk),
  encryptedPrivateKey: r.encrypted_private_key as string,
  validFrom: r.valid_from as string,
  validTo: r.valid_to as string | null,
  revokedAt: r.revoked_at as string | null,
});

const toMedia = (r: Row): MediaRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  targetKind: r.target_kind as MediaRecord['targetKind'],
  targetId: r.target_id as string,
  attachesTo: r.attaches_to as string | null,
  sha256: r.sha256 as string,
  mediaType: r.media_type as string,
  bytes: r.bytes as number,
  width: r.width as number | null,
  height: r.height as number | null,
  renditions: parse(r.renditions),
  evidence: parse(r.evidence),
  eventId: r.event_id as string,
  createdBy: r.created_by as string | null,
  createdAt: r.created_at as string,
});

const toProduct = (r: Row): ProductRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  gtin: r.gtin as string,
  ...(parse(r.doc) as Omit<ProductRecord, 'id' | 'orgId' | 'gtin' | 'createdAt' | 'updatedAt'>),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

const toListing = (r: Row): ListingRecord => ({
  id: r.id as string,
  orgId: r.org_id as string,
  productId: r.product_id as string,
  ...(parse(r.doc) as Omit<ListingRecord, 'id' | 'orgId' | 'productId' | 'createdAt'>),
  createdAt: r.created_at as string,
});

/** Opens (creating if needed) the database file, applies migrations and returns the store. */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged commit survives power loss, not only a killed process.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const serializer = new Serializer();
  const outside: Run = (op) => serializer.run(async () => op());
  const inside: Run = async (op) => op();
  const repositories = buildRepositories(db, outside);
  const txRepositories = buildRepositories(db, inside);

  return {
    kind: 'sqlite',
    ...repositories,
    transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      return serializer.run(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(txRepositories);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      });
    },
    ping: () => outside(() => void db.prepare('SELECT 1').get()),
    isEmpty: () => outside(() => db.prepare('SELECT 1 FROM organizations LIMIT 1').get() === undefined),
    close: () =>
      serializer.run(async () => {
        if (db.open) db.close();
      }),
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  });
}

function buildRepositories(db: Database.Database, run: Run): Repositories {
  const prepare = preparedStatements(db);
  const write = <T>(op: () => T): Promise<T> =>
    run(() => {
      try {
        return op();
      } catch (error) {
        return translateConstraint(error);
      }
    });

  const batchAccess = (batchId: string): string[] =>
    (prepare('SELECT org_id FROM batch_access WHERE batch_id = ? ORDER BY org_id').all(batchId) as Row[]).map(
      (r) => r.org_id as string,
    );

  const toCaptureJob = (r: Row): CaptureJobRecord => ({
    id: r.id as string,
    orgId: r.org_id as string,
    submittedBy: r.submitted_by as string,
    createdAt: r.created_at as string,
    finishedAt: r.finished_at as string | null,
    running: r.running === 1,
    success: r.success === 1,
    eventCount: r.event_count as number,
    eventIds: parse<string[]>(r.event_ids),
    errors: parse<CaptureJobRecord['errors']>(r.errors),
  });

  const toBatch = (r: Row): BatchRecord => ({
    id: r.id as string,
    orgId: r.org_id as string,
    custodianOrgId: r.custodian_org_id as string,
    pendingReceiverOrgId: r.pending_receiver_org_id as string | null,
    accessOrgIds: batchAccess(r.id as string),
    plotIds: parse(r.plot_ids),
    derivedFrom: parse(r.derived_from),
    product: r.product as string,
    variety: r.variety as string | null,
    harvestedAt: r.harvested_at as string | null,
    harvestPeriod: r.harvest_period ? parse(r.harvest_period) : null,
    quantity: parse(r.quantity),
    lotNumber: r.lot_number as string,
    gtin: r.gtin as string | null,
    code: r.code as string,
    published: r.published === 1,
    publishedAt: r.published_at as string | null,
    createdBy: r.created_by as string | null,
    createdAt: r.created_at as string,
  });

  const linksOf = (seq: number) =>
    (prepare('SELECT target_id, role FROM event_links WHERE event_seq = ? ORDER BY role, target_id').all(seq) as Row[]).map(
      (r) => ({ targetId: r.target_id as string, role: r.role as EventRecord['links'][number]['role'] }),
    );

  const toEvent = (r: Row): EventRecord => ({
    id: r.id as string,
    seq: r.seq as number,
    orgId: r.org_id as string,
    type: r.type as string,
    stepType: r.step_type as string | null,
    eventTime: r.event_time as string,
    hash: r.hash as string,
    body: parse(r.body),
    corrects: r.corrects as string | null,
    jws: r.jws as string | null,
    links: linksOf(r.seq as number),
    createdAt: r.created_at as string,
  });

  const newestFirst = (sql: string, params: unknown[], page: PageRequest): Row[] => {
    const cursor = page.after ? ' AND id < ?' : '';
    const args = page.after ? [...params, page.after, page.limit + 1] : [...params, page.limit + 1];
    return prepare(`${sql}${cursor} ORDER BY id DESC LIMIT ?`).all(...args) as Row[];
  };

  return {
    organizations: {
      insert: (o) =>
        write(() => {
          prepare(
            `INSERT INTO organizations (id, slug, type, name, province, commune, street, gln, puc_code, packing_house_code, parent_id, logo_sha256, created_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          ).run(o.id, o.slug, o.type, o.name, o.address.province, o.address.commune, o.address.street, o.gln, o.pucCode, o.packingHouseCode, o.parentId, o.logoSha256, o.createdAt);
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE id = ?').get(id), toOrganization)),
      findBySlug: (slug) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE slug = ?').get(slug), toOrganization)),
      findByGln: (gln) => run(() => mapOne(prepare('SELECT * FROM organizations WHERE gln = ?').get(gln), toOrganization)),
      allIds: () => run(() => (prepare('SELECT id FROM organizations ORDER BY id').all() as Row[]).map((r) => r.id as string)),
      memberIds: (parentId) =>
        run(() => (prepare('SELECT id FROM organizations WHERE parent_id = ? ORDER BY id').all(parentId) as Row[]).map((r) => r.id as string)),
      list: (ids, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM organizations WHERE id IN (${placeholders(ids)})`, ids, page).map(toOrganization), page.limit)),
      setLogo: (id, logoSha256) =>
        write(() => {
          prepare('UPDATE organizations SET logo_sha256 = ? WHERE id = ?').run(logoSha256, id);
        }),
    },
    users: {
      insert: (u) =>
        write(() => {
          prepare('INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) VALUES (?,?,?,?,?,?,?)').run(
            u.id, u.orgId, u.email, u.name, u.role, u.passwordHash, u.createdAt,
          );
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM users WHERE id = ?').get(id), toUser)),
      findByEmail: (email) => run(() => mapOne(prepare('SELECT * FROM users WHERE email = ?').get(email), toUser)),
      list: (orgIds, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM users WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toUser), page.limit)),
    },
    apiKeys: {
      insert: (k) =>
        write(() => {
          prepare('INSERT INTO api_keys (id, org_id, name, role, secret_hash, created_by, created_at, revoked_at) VALUES (?,?,?,?,?,?,?,?)').run(
            k.id, k.orgId, k.name, k.role, k.secretHash, k.createdBy, k.createdAt, k.revokedAt,
          );
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM api_keys WHERE id = ?').get(id), toApiKey)),
      list: (orgId, page) => run(() => pageOf(newestFirst('SELECT * FROM api_keys WHERE org_id = ?', [orgId], page).map(toApiKey), page.limit)),
      revoke: (id, at) =>
        write(() => {
          prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
        }),
    },
    plots: {
      insert: (p) =>
        write(() => {
          prepare(
            `INSERT INTO plots (id, org_id, name, crops, geometry, area_ha, declared_area_ha, certifications, gln, event_id, created_by, created_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
          ).run(p.id, p.orgId, p.name, json(p.crops), json(p.geometry), p.areaHa, p.declaredAreaHa, json(p.certifications), p.gln, p.eventId, p.createdBy, p.createdAt);
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM plots WHERE id = ?').get(id), toPlot)),
      findByGln: (gln) => run(() => mapOne(prepare('SELECT * FROM plots WHERE gln = ?').get(gln), toPlot)),
      list: (orgIds, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM plots WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toPlot), page.limit)),
    },
    batches: {
      insert: (b) =>
        write(() => {
          prepare(
            `INSERT INTO batches (id, org_id, custodian_org_id, pending_receiver_org_id, plot_ids, derived_from, product, variety, harvested_at,
               harvest_period, quantity, lot_number, gtin, code, published, published_at, created_by, created_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          ).run(
            b.id, b.orgId, b.custodianOrgId, b.pendingReceiverOrgId, json(b.plotIds), json(b.derivedFrom), b.product, b.variety, b.harvestedAt,
            b.harvestPeriod ? json(b.harvestPeriod) : null, json(b.quantity), b.lotNumber, b.gtin, b.code, b.published ? 1 : 0, b.publishedAt,
            b.createdBy, b.createdAt,
          );
          const grant = prepare('INSERT OR IGNORE INTO batch_access (batch_id, org_id) VALUES (?, ?)');
          for (const orgId of b.accessOrgIds) grant.run(b.id, orgId);
          const fromPlot = prepare('INSERT OR IGNORE INTO batch_plots (plot_id, batch_id) VALUES (?, ?)');
          for (const plotId of b.plotIds) fromPlot.run(plotId, b.id);
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM batches WHERE id = ?').get(id), toBatch)),
      findByCode: (code) => run(() => mapOne(prepare('SELECT * FROM batches WHERE code = ?').get(code), toBatch)),
      findByGtinLot: (gtin, lot) =>
        run(() => mapOne(prepare('SELECT * FROM batches WHERE gtin = ? AND lot_number = ?').get(gtin, lot), toBatch)),
      findByOrgProductLot: (orgId, product, lot) =>
        run(() =>
          mapOne(prepare('SELECT * FROM batches WHERE org_id = ? AND product = ? AND lot_number = ?').get(orgId, product, lot), toBatch),
        ),
      publishedFromPlot: (plotId, limit) =>
        run(() =>
          (
            prepare(
                `SELECT b.* FROM batch_plots bp JOIN batches b ON b.id = bp.batch_id
                 WHERE bp.plot_id = ? AND b.published = 1 ORDER BY bp.batch_id DESC LIMIT ?`,
              )
              .all(plotId, limit) as Row[]
          ).map(toBatch),
        ),
      list: (orgIds, page) =>
        run(() =>
          pageOf(
            newestFirst(
              `SELECT * FROM batches WHERE id IN (SELECT batch_id FROM batch_access WHERE org_id IN (${placeholders(orgIds)}))`,
              orgIds,
              page,
            ).map(toBatch),
            page.limit,
          ),
        ),
      update: (id, patch: BatchPatch) =>
        write(() => {
          const columns: Record<keyof BatchPatch, string> = {
            custodianOrgId: 'custodian_org_id',
            pendingReceiverOrgId: 'pending_receiver_org_id',
            published: 'published',
            publishedAt: 'published_at',
          };
          const entries = (Object.keys(patch) as Array<keyof BatchPatch>).filter((k) => patch[k] !== undefined);
          if (!entries.length) return;
          const values = entries.map((k) => (k === 'published' ? (patch.published ? 1 : 0) : patch[k]));
          prepare(`UPDATE batches SET ${entries.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
        }),
      grantAccess: (id, orgIds) =>
        write(() => {
          const grant = prepare('INSERT OR IGNORE INTO batch_access (batch_id, org_id) VALUES (?, ?)');
          for (const orgId of orgIds) grant.run(id, orgId);
        }),
      addSerials: (id, gtin, serials) =>
        write(() => {
          const add = prepare('INSERT OR IGNORE INTO lot_serials (gtin, serial, batch_id) VALUES (?, ?, ?)');
          for (const serial of serials) add.run(gtin, serial, id);
        }),
      findBySerial: (gtin, serial) =>
        run(() =>
          mapOne(prepare('SELECT b.* FROM batches b JOIN lot_serials s ON s.batch_id = b.id WHERE s.gtin = ? AND s.serial = ?').get(gtin, serial), toBatch),
        ),
    },
    events: {
      append: (e: NewEvent) =>
        write(() => {
          const info = prepare(
              `INSERT INTO events (id, org_id, type, step_type, event_time, hash, body, corrects, jws, created_at)
               VALUES (?,?,?,?,?,?,?,?,?,?)`,
            )
            .run(e.id, e.orgId, e.type, e.stepType, e.eventTime, e.hash, json(e.body), e.corrects, e.jws, e.createdAt);
          const seq = Number(info.lastInsertRowid);
          const link = prepare('INSERT OR IGNORE INTO event_links (target_id, event_seq, role) VALUES (?, ?, ?)');
          for (const l of e.links) link.run(l.targetId, seq, l.role);
          return { ...e, seq, links: linksOf(seq) };
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM events WHERE id = ?').get(id), toEvent)),
      listFor: (targetId, page) =>
        run(() => {
          const after = page.after ? Number(page.after) : 0;
          const rows = prepare(
              `SELECT e.* FROM events e WHERE e.seq IN (SELECT event_seq FROM event_links WHERE target_id = ?) AND e.seq > ?
               ORDER BY e.seq LIMIT ?`,
            )
            .all(targetId, Number.isFinite(after) ? after : 0, page.limit + 1) as Row[];
          const items = rows.slice(0, page.limit).map(toEvent);
          return { items, next: rows.length > page.limit ? String(items.at(-1)?.seq) : null };
        }),
      findByHash: (hash) => run(() => mapOne(prepare('SELECT * FROM events WHERE hash = ?').get(hash), toEvent)),
      query: (q, page) =>
        run(() => {
          const rows = prepare(eventQuerySql(q)).all(...eventQueryArgs(q, page)) as Row[];
          const items = rows.slice(0, page.limit).map(toEvent);
          return { items, next: rows.length > page.limit ? String(items.at(-1)?.seq) : null };
        }),
      headOf: (lotId) =>
        run(() =>
          mapOne(
            prepare(
                "SELECT e.* FROM events e WHERE e.seq = (SELECT MAX(event_seq) FROM event_links WHERE target_id = ? AND role IN ('subject', 'output'))",
              )
              .get(lotId),
            toEvent,
          ),
        ),
    },
    signingKeys: {
      insert: (k) =>
        write(() => {
          prepare(
            'INSERT INTO signing_keys (kid, org_id, public_jwk, encrypted_private_key, valid_from, valid_to, revoked_at) VALUES (?,?,?,?,?,?,?)',
          ).run(k.kid, k.orgId, json(k.publicJwk), k.encryptedPrivateKey, k.validFrom, k.validTo, k.revokedAt);
        }),
      findByKid: (kid) => run(() => mapOne(prepare('SELECT * FROM signing_keys WHERE kid = ?').get(kid), toSigningKey)),
      currentFor: (orgId) =>
        run(() =>
          mapOne(prepare('SELECT * FROM signing_keys WHERE org_id = ? AND valid_to IS NULL AND revoked_at IS NULL').get(orgId), toSigningKey),
        ),
      list: (orgId) =>
        run(() =>
          (orgId === null
            ? (prepare('SELECT * FROM signing_keys ORDER BY valid_from, kid').all() as Row[])
            : (prepare('SELECT * FROM signing_keys WHERE org_id = ? ORDER BY valid_from, kid').all(orgId) as Row[])
          ).map(toSigningKey),
        ),
      update: (kid, patch) =>
        write(() => {
          if (patch.validTo !== undefined) prepare('UPDATE signing_keys SET valid_to = ? WHERE kid = ?').run(patch.validTo, kid);
          if (patch.revokedAt !== undefined) prepare('UPDATE signing_keys SET revoked_at = ? WHERE kid = ?').run(patch.revokedAt, kid);
        }),
      rewrap: (kid, from, to) =>
        write(() => prepare('UPDATE signing_keys SET encrypted_private_key = ? WHERE kid = ? AND encrypted_private_key = ?').run(to, kid, from).changes === 1),
    },
    media: {
      insert: (m) =>
        write(() => {
          prepare(
            `INSERT INTO media (id, org_id, target_kind, target_id, attaches_to, sha256, media_type, bytes, width, height, renditions, evidence,
               event_id, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          ).run(
            m.id, m.orgId, m.targetKind, m.targetId, m.attachesTo, m.sha256, m.mediaType, m.bytes, m.width, m.height, json(m.renditions),
            json(m.evidence), m.eventId, m.createdBy, m.createdAt,
          );
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM media WHERE id = ?').get(id), toMedia)),
      listFor: (targetId) => run(() => (prepare('SELECT * FROM media WHERE target_id = ? ORDER BY id').all(targetId) as Row[]).map(toMedia)),
    },
    products: {
      insert: (p) =>
        write(() => {
          const { id, orgId, gtin, createdAt, updatedAt, ...doc } = p;
          prepare('INSERT INTO products (id, org_id, gtin, doc, created_at, updated_at) VALUES (?,?,?,?,?,?)').run(id, orgId, gtin, json(doc), createdAt, updatedAt);
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM products WHERE id = ?').get(id), toProduct)),
      findByGtin: (gtin) => run(() => mapOne(prepare('SELECT * FROM products WHERE gtin = ?').get(gtin), toProduct)),
      list: (orgIds, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM products WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toProduct), page.limit)),
      update: (id, patch) =>
        write(() => {
          const current = mapOne(prepare('SELECT * FROM products WHERE id = ?').get(id), toProduct);
          if (!current) return;
          const { id: _id, orgId: _org, gtin: _gtin, createdAt: _created, updatedAt, ...doc } = { ...current, ...patch };
          prepare('UPDATE products SET doc = ?, updated_at = ? WHERE id = ?').run(json(doc), updatedAt, id);
        }),
    },
    listings: {
      insert: (l) =>
        write(() => {
          const { id, orgId, productId, createdAt, ...doc } = l;
          prepare('INSERT INTO listings (id, org_id, product_id, doc, created_at) VALUES (?,?,?,?,?)').run(id, orgId, productId, json(doc), createdAt);
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM listings WHERE id = ?').get(id), toListing)),
      list: (orgIds, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM listings WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toListing), page.limit)),
      listForProduct: (productId) => run(() => (prepare('SELECT * FROM listings WHERE product_id = ? ORDER BY id').all(productId) as Row[]).map(toListing)),
      remove: (id) =>
        write(() => {
          prepare('DELETE FROM listings WHERE id = ?').run(id);
        }),
    },
    captureJobs: {
      insert: (j) =>
        write(() => {
          prepare(
            `INSERT INTO capture_jobs (id, org_id, submitted_by, created_at, finished_at, running, success, event_count, event_ids, errors)
             VALUES (?,?,?,?,?,?,?,?,?,?)`,
          ).run(j.id, j.orgId, j.submittedBy, j.createdAt, j.finishedAt, j.running ? 1 : 0, j.success ? 1 : 0, j.eventCount, json(j.eventIds), json(j.errors));
        }),
      findById: (id) => run(() => mapOne(prepare('SELECT * FROM capture_jobs WHERE id = ?').get(id), toCaptureJob)),
      finish: (id, o) =>
        write(() => {
          const info = prepare('UPDATE capture_jobs SET running = 0, finished_at = ?, success = ?, event_ids = ?, errors = ? WHERE id = ? AND running = 1').run(
            o.finishedAt, o.success ? 1 : 0, json(o.eventIds), json(o.errors), id,
          );
          return info.changes === 1;
        }),
      list: (orgIds, page) =>
        run(() => pageOf(newestFirst(`SELECT * FROM capture_jobs WHERE org_id IN (${placeholders(orgIds)})`, orgIds, page).map(toCaptureJob), page.limit)),
      listRunning: () => run(() => (prepare('SELECT id FROM capture_jobs WHERE running = 1 ORDER BY id').all() as Row[]).map((r) => r.id as string)),
    },
    audit: {
      insert: (a) =>
        write(() => {
          prepare('INSERT INTO audit_log (id, org_id, actor_user_id, actor_api_key_id, action, target_id, details, at) VALUES (?,?,?,?,?,?,?,?)').run(
            a.id, a.orgId, a.actorUserId, a.actorApiKeyId, a.action, a.targetId, json(a.details), a.at,
          );
        }),
      list: (orgId, page) => run(() => pageOf(newestFirst('SELECT * FROM audit_log WHERE org_id = ?', [orgId], page).map(toAudit), page.limit)),
    },
    idempotency: {
      claim: (r: IdempotencyRecord) =>
        write(() => {
          const inserted = prepare(
              `INSERT OR IGNORE INTO idempotency_keys (scope, key, request_hash, state, status, body, location, created_at)
               VALUES (?,?,?,?,?,?,?,?)`,
            )
            .run(r.scope, r.key, r.requestHash, r.state, r.status, json(r.body ?? null), r.location, r.createdAt);
          if (inserted.changes === 1) return null;
          const row = prepare('SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?').get(r.scope, r.key) as Row;
          return {
            scope: row.scope as string,
            key: row.key as string,
            requestHash: row.request_hash as string,
            state: row.state as IdempotencyRecord['state'],
            status: row.status as number | null,
            body: parse(row.body),
            location: row.location as string | null,
            createdAt: row.created_at as string,
          };
        }),
      complete: (scope, key, status, body, location) =>
        write(() => {
          prepare("UPDATE idempotency_keys SET state = 'done', status = ?, body = ?, location = ? WHERE scope = ? AND key = ?").run(
            status, json(body), location, scope, key,
          );
        }),
      release: (scope, key) =>
        write(() => {
          prepare("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'pending'").run(scope, key);
        }),
    },
    log: {
      // Inside a transaction (BEGIN IMMEDIATE on the one connection), nothing else appends between this read and the insert.
      nextLeafIndex: () => run(() => (prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS n FROM log_leaves').get() as Row).n as number),
      appendLeaf: (index, eventHash, nodes) =>
        write(() => {
          prepare('INSERT INTO log_leaves (leaf_index, event_hash) VALUES (?, ?)').run(index, eventHash);
          const insert = prepare('INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)');
          for (const n of nodes) insert.run(n.level, n.index, n.hash);
        }),
      size: () => run(() => (prepare('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS n FROM log_leaves').get() as Row).n as number),
      leafIndexOf: (eventHash) => run(() => ((prepare('SELECT leaf_index FROM log_leaves WHERE event_hash = ?').get(eventHash) as Row | undefined)?.leaf_index as number | undefined) ?? null),
      findNodes: (refs) =>
        run(() => {
          const select = prepare('SELECT level, idx, hash FROM log_nodes WHERE level = ? AND idx = ?');
          return refs.flatMap((r) => {
            const row = select.get(r.level, r.index) as Row | undefined;
            return row ? [{ level: row.level as number, index: row.idx as number, hash: row.hash as string }] : [];
          });
        }),
      insertCheckpoint: (c) =>
        write(
          () =>
            prepare('INSERT OR IGNORE INTO log_checkpoints (tree_size, root_hash, note, issued_at) VALUES (?, ?, ?, ?)').run(c.treeSize, c.rootHash, c.note, c.issuedAt)
              .changes === 1,
        ),
      latestCheckpoint: () => run(() => mapOne(prepare('SELECT * FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1').get(), toCheckpoint)),
      findCheckpoint: (treeSize) => run(() => mapOne(prepare('SELECT * FROM log_checkpoints WHERE tree_size = ?').get(treeSize), toCheckpoint)),
      signingKey: () =>
        run(() =>
          mapOne(prepare('SELECT * FROM log_keys').get(), (r) => ({
            kid: r.kid as string,
            publicKey: r.public_key as string,
            encryptedPrivateKey: r.encrypted_private_key as string,
            createdAt: r.created_at as string,
          })),
        ),
      insertSigningKey: (k) =>
        write(
          () =>
            prepare('INSERT OR IGNORE INTO log_keys (kid, public_key, encrypted_private_key, created_at) VALUES (?, ?, ?, ?)').run(k.kid, k.publicKey, k.encryptedPrivateKey, k.createdAt)
              .changes === 1,
        ),
      rewrapSigningKey: (kid, from, to) =>
        write(() => prepare('UPDATE log_keys SET encrypted_private_key = ? WHERE kid = ? AND encrypted_private_key = ?').run(to, kid, from).changes === 1),
      unloggedEventHashes: (limit) =>
        run(() =>
          (
            prepare('SELECT e.hash FROM events e LEFT JOIN log_leaves l ON l.event_hash = e.hash WHERE l.leaf_index IS NULL ORDER BY e.seq LIMIT ?')
              .all(limit) as Row[]
          ).map((r) => r.hash as string),
        ),
    },
    scans: {
      insertMany: (scans) =>
        write(() => {
          const insert = prepare('INSERT INTO scans (batch_id, at, client_type) VALUES (?, ?, ?)');
          // One commit for all the rows (a savepoint when already inside `transaction`), not one per row.
          db.transaction(() => {
            for (const scan of scans) insert.run(scan.batchId, scan.at, scan.clientType);
          })();
        }),
      countFor: (batchId, window) =>
        run(() => {
          const where = 'FROM scans WHERE batch_id = ? AND at >= ? AND at < ?';
          const args = [batchId, window.from, window.to];
          const counts: ScanCounts = { total: 0, byClientType: zeroClientTypeCounts(), byDay: [] };
          for (const r of prepare(`SELECT client_type, COUNT(*) AS n ${where} GROUP BY client_type`).all(...args) as Row[]) {
            counts.total += r.n as number;
            if (isClientType(r.client_type)) counts.byClientType[r.client_type] += r.n as number;
          }
          counts.byDay = (
            prepare(`SELECT date(at, '+${SCAN_DAY_UTC_OFFSET_MINUTES} minutes') AS day, COUNT(*) AS n ${where} GROUP BY day ORDER BY day`).all(...args) as Row[]
          ).map((r) => ({ day: r.day as string, count: r.n as number }));
          return counts;
        }),
    },
  };
}

function toCheckpoint(r: Row): CheckpointRecord {
  return { treeSize: r.tree_size as number, rootHash: r.root_hash as string, note: r.note as string, issuedAt: r.issued_at as string };
}

function mapOne<T>(row: unknown, map: (r: Row) => T): T | null {
  return row === undefined ? null : map(row as Row);
}

/** JSON arrays of identifier URIs (strings) and of quantity elements (their `epcClass`) that MATCH_epc and MATCH_anyEPC look in. */
const EPC_PATHS = { lists: ['$.epcList', '$.childEPCs'], quantities: ['$.quantityList', '$.childQuantityList'] };
const ANY_EPC_PATHS = {
  lists: [...EPC_PATHS.lists, '$.inputEPCList', '$.outputEPCList'],
  quantities: [...EPC_PATHS.quantities, '$.inputQuantityList', '$.outputQuantityList'],
};

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
const given = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

function epcMatchSql(paths: { lists: string[]; quantities: string[] }, n: number, parentId: boolean): string {
  const parts = [
    ...paths.lists.map((p) => `EXISTS (SELECT 1 FROM json_each(e.body, '${p}') j WHERE j.value IN (${marks(n)}))`),
    ...paths.quantities.map((p) => `EXISTS (SELECT 1 FROM json_each(e.body, '${p}') j WHERE json_extract(j.value, '$.epcClass') IN (${marks(n)}))`),
    ...(parentId ? [`json_extract(e.body, '$.parentID') IN (${marks(n)})`] : []),
  ];
  return `(${parts.join(' OR ')})`;
}

/**
 * The EPCIS query as one SQL statement: visibility (recorded by the scope, linked to a lot whose
 * chain of custody includes it, or to a plot it owns), then the filters; event times are compared
 * as instants with julianday(), which understands the offsets our eventTimes carry.
 */
function eventQuerySql(q: EventQuery): string {
  const n = marks(q.scopeOrgIds.length || 1);
  const where = [
    'e.seq > ?',
    `(e.org_id IN (${n})
      OR EXISTS (SELECT 1 FROM event_links l JOIN batch_access a ON a.batch_id = l.target_id
                 WHERE l.event_seq = e.seq AND l.role <> 'plot' AND a.org_id IN (${n}))
      OR EXISTS (SELECT 1 FROM event_links l JOIN plots p ON p.id = l.target_id
                 WHERE l.event_seq = e.seq AND l.role = 'plot' AND p.org_id IN (${n})))`,
  ];
  if (given(q.types)) where.push(`e.type IN (${marks(q.types.length)})`);
  if (q.eventTimeFrom) where.push('julianday(e.event_time) >= julianday(?)');
  if (q.eventTimeBefore) where.push('julianday(e.event_time) < julianday(?)');
  if (given(q.epcs)) where.push(epcMatchSql(EPC_PATHS, q.epcs.length, false));
  if (given(q.anyEpcs)) where.push(epcMatchSql(ANY_EPC_PATHS, q.anyEpcs.length, true));
  if (given(q.bizSteps)) where.push(`json_extract(e.body, '$.bizStep') IN (${marks(q.bizSteps.length)})`);
  if (given(q.bizLocations)) where.push(`json_extract(e.body, '$.bizLocation.id') IN (${marks(q.bizLocations.length)})`);
  return `SELECT e.* FROM events e WHERE ${where.join(' AND ')} ORDER BY e.seq LIMIT ?`;
}

function eventQueryArgs(q: EventQuery, page: PageRequest): unknown[] {
  const after = page.after ? Number(page.after) : 0;
  const scope = q.scopeOrgIds.length ? q.scopeOrgIds : [''];
  const args: unknown[] = [Number.isFinite(after) ? after : 0, ...scope, ...scope, ...scope];
  if (given(q.types)) args.push(...q.types);
  if (q.eventTimeFrom) args.push(q.eventTimeFrom);
  if (q.eventTimeBefore) args.push(q.eventTimeBefore);
  const epcArgs = (values: string[], paths: { lists: string[]; quantities: string[] }, parentId: boolean) => {
    for (let i = 0; i < paths.lists.length + paths.quantities.length + (parentId ? 1 : 0); i++) args.push(...values);
  };
  if (given(q.epcs)) epcArgs(q.epcs, EPC_PATHS, false);
  if (given(q.anyEpcs)) epcArgs(q.anyEpcs, ANY_EPC_PATHS, true);
  if (given(q.bizSteps)) args.push(...q.bizSteps);
  if (given(q.bizLocations)) args.push(...q.bizLocations);
  args.push(page.limit + 1);
  return args;
}
