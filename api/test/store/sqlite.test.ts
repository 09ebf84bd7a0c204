import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Store } from '../../src/store/port.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeContract } from './contract.js';

/** A store on a fresh database file in its own temp directory, removed when the store closes. */
async function openFreshSqliteStore(): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-store-'));
  try {
    const store = openSqliteStore(path.join(dir, 'trace.db'));
    return {
      ...store,
      close: async () => {
        try {
          await store.close();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

storeContract('sqlite', openFreshSqliteStore);

describe('SQLite migrations', () => {
  it('when a database from before plot GLNs (version 7) is opened, then its lots are linked to their plots and plots read with a null GLN', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-migrate-'));
    try {
      const file = path.join(dir, 'trace.db');
      const old = new Database(file);
      old.exec(MIGRATIONS.slice(0, 7).join('\n'));
      old.pragma('user_version = 7');
      const now = new Date().toISOString();
      old.prepare("INSERT INTO organizations (id, slug, type, name, province, created_at) VALUES ('o1', 'htx', 'cooperative', 'HTX', 'Đắk Lắk', ?)").run(now);
      old
        .prepare("INSERT INTO plots (id, org_id, name, crops, geometry, certifications, event_id, created_at) VALUES ('p1', 'o1', 'Rẫy', '[]', ?, '[]', 'e1', ?)")
        .run(JSON.stringify({ type: 'Point', coordinates: [108.05, 12.68] }), now);
      const lot = old.prepare(
        `INSERT INTO batches (id, org_id, custodian_org_id, plot_ids, derived_from, product, quantity, lot_number, code, published, created_at)
         VALUES (?, 'o1', 'o1', ?, '[]', 'coffee', '{"value":1,"unit":"kg"}', ?, ?, ?, ?)`,
      );
      lot.run('b1', '["p1"]', 'L1', 'C1', 1, now);
      lot.run('b2', '["p2","p1"]', 'L2', 'C2', 1, now);
      lot.run('b3', '["p1"]', 'L3', 'C3', 0, now);
      old.close();

      const store = openSqliteStore(file);
      try {
        expect((await store.batches.publishedFromPlot('p1', 10)).map((b) => b.id)).to.deep.equal(['b2', 'b1']);
        expect((await store.batches.publishedFromPlot('p2', 10)).map((b) => b.id)).to.deep.equal(['b2']);
        expect((await store.plots.findById('p1'))?.gln).to.equal(null);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a database from before phone logins (version 11) is opened, then its users keep their email and password and read with no phone, and a phone-only user can join them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-migrate-'));
    try {
      const file = path.join(dir, 'trace.db');
      const old = new Database(file);
      old.exec(MIGRATIONS.slice(0, 11).join('\n'));
      old.pragma('user_version = 11');
      const now = new Date().toISOString();
      old.prepare("INSERT INTO organizations (id, slug, type, name, province, created_at) VALUES ('o1', 'ho', 'farm_household', 'Hộ', 'Đắk Lắk', ?)").run(now);
      old.prepare("INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) VALUES ('u1', 'o1', 'a@example.vn', 'An', 'farmer', 'scrypt$x', ?)").run(now);
      old.close();

      const store = openSqliteStore(file);
      try {
        expect(await store.users.findByEmail('a@example.vn')).to.deep.equal({
          id: 'u1', orgId: 'o1', email: 'a@example.vn', phone: null, name: 'An', role: 'farmer', passwordHash: 'scrypt$x', pinHash: null, createdAt: now,
        });
        const farmer = { id: 'u2', orgId: 'o1', email: null, phone: '+84912345678', name: 'Bình', role: 'farmer' as const, passwordHash: null, pinHash: 'scrypt$y', createdAt: now };
        await store.users.insert(farmer);
        expect(await store.users.findByPhone('+84912345678')).to.deep.equal(farmer);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
