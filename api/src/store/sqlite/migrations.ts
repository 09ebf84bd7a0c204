/**
 * Versioned schema migrations, applied in order inside one transaction each; the applied
 * version is kept in PRAGMA user_version. Append new migrations; never edit applied ones.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: organizations, users, keys, plots, lots, append-only events, idempotency keys */ `
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    province TEXT NOT NULL,
    commune TEXT,
    street TEXT,
    gln TEXT UNIQUE,
    puc_code TEXT,
    packing_house_code TEXT,
    parent_id TEXT REFERENCES organizations(id),
    created_at TEXT NOT NULL
  );
  CREATE INDEX organizations_parent ON organizations(parent_id);

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX users_org ON users(org_id, id);

  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX api_keys_org ON api_keys(org_id, id);

  CREATE TABLE plots (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    crops TEXT NOT NULL,
    geometry TEXT NOT NULL,
    area_ha REAL,
    declared_area_ha REAL,
    certifications TEXT NOT NULL,
    event_id TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX plots_org ON plots(org_id, id);

  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    custodian_org_id TEXT NOT NULL REFERENCES organizations(id),
    pending_receiver_org_id TEXT REFERENCES organizations(id),
    plot_ids TEXT NOT NULL,
    derived_from TEXT NOT NULL,
    product TEXT NOT NULL,
    variety TEXT,
    harvested_at TEXT,
    harvest_period TEXT,
    quantity TEXT NOT NULL,
    lot_number TEXT NOT NULL,
    gtin TEXT,
    code TEXT NOT NULL UNIQUE,
    published INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX batches_gtin_lot ON batches(gtin, lot_number) WHERE gtin IS NOT NULL;
  CREATE UNIQUE INDEX batches_org_product_lot ON batches(org_id, product, lot_number);

  CREATE TABLE batch_access (
    batch_id TEXT NOT NULL REFERENCES batches(id),
    org_id TEXT NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (batch_id, org_id)
  ) WITHOUT ROWID;
  CREATE INDEX batch_access_org ON batch_access(org_id, batch_id);

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    type TEXT NOT NULL,
    step_type TEXT,
    event_time TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    corrects TEXT REFERENCES events(id),
    jws TEXT,
    log_index INTEGER UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE event_links (
    target_id TEXT NOT NULL,
    event_seq INTEGER NOT NULL REFERENCES events(seq),
    role TEXT NOT NULL,
    PRIMARY KEY (target_id, event_seq, role)
  ) WITHOUT ROWID;
  CREATE TRIGGER events_are_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER events_are_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER event_links_are_append_only_u BEFORE UPDATE ON event_links
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER event_links_are_append_only_d BEFORE DELETE ON event_links
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

  CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    location TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  `,
  /* 2: organizations' signing keys */ `
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    public_jwk TEXT NOT NULL,
    encrypted_private_key TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    revoked_at TEXT
  );
  CREATE INDEX signing_keys_org ON signing_keys(org_id, valid_from);
  CREATE UNIQUE INDEX signing_keys_current ON signing_keys(org_id) WHERE valid_to IS NULL AND revoked_at IS NULL;
  `,
  /* 3: photos and documents */ `
  CREATE TABLE media (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    attaches_to TEXT,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    renditions TEXT NOT NULL,
    evidence TEXT NOT NULL,
    event_id TEXT REFERENCES events(id),
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX media_target ON media(target_id, id);
  `,
  /* 4: products and marketplace listings */ `
  CREATE TABLE products (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    gtin TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX products_org ON products(org_id, id);
  CREATE TABLE listings (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX listings_org ON listings(org_id, id);
  CREATE INDEX listings_product ON listings(product_id, id);
  `,
  /* 5: organizations' logos (drawn in the centre of their QR codes) */ `
  ALTER TABLE organizations ADD COLUMN logo_sha256 TEXT;
  `,
  /* 6: scan counts: one row per resolve of a lot's link, with nothing about the client but its
     coarse type (no IP, no User-Agent). No foreign key: a batch of counts must never fail as a
     whole over one row, and the ids come from lots the resolver has just found. The index
     covers both aggregations (by client type, by day) for one lot and time range. */ `
  CREATE TABLE scans (
    batch_id TEXT NOT NULL,
    at TEXT NOT NULL,
    client_type TEXT NOT NULL
  );
  CREATE INDEX scans_batch_at ON scans(batch_id, at, client_type);
  `,
  /* 7: the transparency log: leaves (event hashes) in append order, every perfect subtree's
     hash once complete, issued checkpoints and the log's key. Append-only like events.
     (events.log_index, from migration 2, stays unused: log_leaves says where an event is.) */ `
  CREATE TABLE log_leaves (
    leaf_index INTEGER PRIMARY KEY,
    event_hash TEXT NOT NULL UNIQUE
  );
  CREATE TABLE log_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, idx)
  ) WITHOUT ROWID;
  CREATE TABLE log_checkpoints (
    tree_size INTEGER PRIMARY KEY,
    root_hash TEXT NOT NULL,
    note TEXT NOT NULL,
    issued_at TEXT NOT NULL
  );
  CREATE TABLE log_keys (
    kid TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    encrypted_private_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
  );
  CREATE TRIGGER log_leaves_append_only_u BEFORE UPDATE ON log_leaves BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  CREATE TRIGGER log_leaves_append_only_d BEFORE DELETE ON log_leaves BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  CREATE TRIGGER log_nodes_append_only_u BEFORE UPDATE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  CREATE TRIGGER log_nodes_append_only_d BEFORE DELETE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  CREATE TRIGGER log_checkpoints_append_only_u BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  CREATE TRIGGER log_checkpoints_append_only_d BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
  `,
  /* 8: plots' GLNs (unique among plots, so /414/{gln} names one plot), and which lots came from
     which plot, so the resolver finds a plot's published lots through an index instead of
     scanning every lot's plot_ids. batch_plots mirrors batches.plot_ids, which never changes
     after the lot is written; existing lots are copied in here. */ `
  ALTER TABLE plots ADD COLUMN gln TEXT;
  CREATE UNIQUE INDEX plots_gln ON plots(gln) WHERE gln IS NOT NULL;
  CREATE TABLE batch_plots (
    plot_id TEXT NOT NULL,
    batch_id TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (plot_id, batch_id)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO batch_plots (plot_id, batch_id) SELECT j.value, b.id FROM batches b, json_each(b.plot_ids) j;
  `,
  /* 9: EPCIS queries: events by recording organization in append order, and event_links by
     event (the visibility test joins each candidate event's links to lot access and plots). */ `
  CREATE INDEX events_org_seq ON events(org_id, seq);
  CREATE INDEX event_links_event ON event_links(event_seq, role, target_id);
  `,
  /* 10: EPCIS capture jobs, and the serials captured commissioning events put in a lot (an
     instance identifier, GTIN + serial, then names that lot). */ `
  CREATE TABLE capture_jobs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    submitted_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    running INTEGER NOT NULL,
    success INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    event_ids TEXT NOT NULL,
    errors TEXT NOT NULL
  );
  CREATE INDEX capture_jobs_org ON capture_jobs(org_id, id);
  CREATE INDEX capture_jobs_running ON capture_jobs(id) WHERE running = 1;
  CREATE TABLE lot_serials (
    gtin TEXT NOT NULL,
    serial TEXT NOT NULL,
    batch_id TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (gtin, serial)
  ) WITHOUT ROWID;
  CREATE TRIGGER lot_serials_are_append_only_u BEFORE UPDATE ON lot_serials
    BEGIN SELECT RAISE(ABORT, 'a serial stays in the lot it was commissioned into'); END;
  CREATE TRIGGER lot_serials_are_append_only_d BEFORE DELETE ON lot_serials
    BEGIN SELECT RAISE(ABORT, 'a serial stays in the lot it was commissioned into'); END;
  `,
  /* 11: the audit trail of administrative actions, append-only like the log. */ `
  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    actor_user_id TEXT,
    actor_api_key_id TEXT,
    action TEXT NOT NULL,
    target_id TEXT NOT NULL,
    details TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX audit_log_org ON audit_log(org_id, id);
  CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  `,
  /* 12: phone logins. A user has an email and password, a phone and PIN, or both, so email and
     the password hash may now be null (SQLite cannot drop NOT NULL in place: the table is
     rebuilt; no table refers to users). UNIQUE lets several NULLs through. */ `
  CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    pin_hash TEXT,
    created_at TEXT NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL),
    CHECK ((email IS NULL) = (password_hash IS NULL)),
    CHECK ((phone IS NULL) = (pin_hash IS NULL))
  );
  INSERT INTO users_new (id, org_id, email, name, role, password_hash, created_at)
    SELECT id, org_id, email, name, role, password_hash, created_at FROM users;
  DROP TABLE users;
  ALTER TABLE users_new RENAME TO users;
  CREATE INDEX users_org ON users(org_id, id);
  `,
];
