import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { childEnv } from './support/child-env.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/core/logger.js';
import { withCheckDigit } from '../src/domain/gs1/keys.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { testConfig } from './support/harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_ACCOUNTS = ['coop@demo.test', 'farmer@demo.test', 'processor@demo.test', 'inspector@demo.test', 'other-coop@demo.test'];


const testEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => childEnv({ NODE_ENV: 'test', ...extra });

function runScript(script: string, args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: testEnv(env),
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (result.error) throw result.error;
  return result;
}

const describeRun = (r: SpawnSyncReturns<string>) => `exit ${String(r.status)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** An app on an existing database file, as the server would build it. */
function appOn(dir: string): { app: Express; store: Store } {
  const store = openSqliteStore(path.join(dir, 'trace.db'));
  return { app: buildApp({ config: testConfig(dir), store, logger: createLogger('silent') }), store };
}

function createOrgArgs(overrides: Record<string, string> = {}): string[] {
  const values: Record<string, string> = {
    type: 'cooperative',
    slug: 'ea-kar-coffee',
    name: 'Hợp tác xã Cà phê Ea Kar',
    province: 'Đắk Lắk',
    commune: 'Xã Ea Kmút',
    'admin-email': 'Admin@EaKar.example.vn',
    'admin-name': 'Phạm Văn Đức',
    ...overrides,
  };
  return ['create-org', ...Object.entries(values).flatMap(([k, v]) => [`--${k}`, v])];
}

describe('command-line tools', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store | undefined;

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ft-cli-'));
  });

  afterEach(async function () {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const databaseUrl = () => `sqlite:${path.join(dir, 'trace.db')}`;

  describe('admin create-org', function () {
    it('when create-org runs with ADMIN_PASSWORD, then it exits 0 and the admin can log in and act as admin of the new cooperative', async function () {
      const password = 'ea-kar-admin-password-2025';
      const run = runScript('scripts/admin.ts', createOrgArgs(), { DATABASE_URL: databaseUrl(), ADMIN_PASSWORD: password });
      expect(run.status, describeRun(run)).to.equal(0);
      expect(run.stdout).to.include('ea-kar-coffee');
      expect(run.stdout).to.include('admin@eakar.example.vn');
      expect(run.stdout + run.stderr).to.not.include(password);

      const opened = appOn(dir);
      store = opened.store;
      const login = await request(opened.app).post('/api/v1/auth/login').send({ email: 'admin@eakar.example.vn', password });
      expect(login.status, JSON.stringify(login.body)).to.equal(200);
      const auth = `Bearer ${login.body.token as string}`;
      const orgs = await request(opened.app).get('/api/v1/organizations').set('Authorization', auth).expect(200);
      expect(orgs.body.items).to.have.length(1);
      expect(orgs.body.items[0]).to.deep.include({ slug: 'ea-kar-coffee', type: 'cooperative', name: 'Hợp tác xã Cà phê Ea Kar', parentId: null });
      expect(orgs.body.items[0].address).to.deep.equal({ province: 'Đắk Lắk', commune: 'Xã Ea Kmút', street: null });
      // Only an admin may create API keys.
      await request(opened.app).post('/api/v1/api-keys').set('Authorization', auth).send({ name: 'check' }).expect(201);
    });

    it('when create-org runs without ADMIN_PASSWORD, then a generated password is printed once and it works', async function () {
      const run = runScript('scripts/admin.ts', createOrgArgs(), { DATABASE_URL: databaseUrl() });
      expect(run.status, describeRun(run)).to.equal(0);
      const matches = [...run.stdout.matchAll(/admin password \(shown once\): (\S+)/g)];
      expect(matches, run.stdout).to.have.length(1);
      const password = matches[0]![1]!;
      expect(password).to.have.length.of.at.least(12);
      expect(run.stdout.split(password)).to.have.length(2);
      expect(run.stderr).to.not.include(password);

      const opened = appOn(dir);
      store = opened.store;
      await request(opened.app).post('/api/v1/auth/login').send({ email: 'admin@eakar.example.vn', password }).expect(200);
      await request(opened.app).post('/api/v1/auth/login').send({ email: 'admin@eakar.example.vn', password: `${password}x` }).expect(401);
    });

    it('when the GLN has a wrong check digit, then it exits 1 naming gln and writes nothing', async function () {
      const good = withCheckDigit('893612340009');
      const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
      const run = runScript('scripts/admin.ts', createOrgArgs({ gln: bad }), { DATABASE_URL: databaseUrl(), ADMIN_PASSWORD: 'a-long-enough-password' });
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(/\bgln\b/i);
      expect(run.stdout).to.not.match(/^created/m);

      store = openSqliteStore(path.join(dir, 'trace.db'));
      expect(await store.isEmpty()).to.equal(true);
    });

    it('when the GLN check digit is right, then it is kept on the organization', async function () {
      const gln = withCheckDigit('893612340009');
      const run = runScript('scripts/admin.ts', createOrgArgs({ gln }), { DATABASE_URL: databaseUrl(), ADMIN_PASSWORD: 'a-long-enough-password' });
      expect(run.status, describeRun(run)).to.equal(0);
      store = openSqliteStore(path.join(dir, 'trace.db'));
      expect((await store.organizations.findBySlug('ea-kar-coffee'))?.gln).to.equal(gln);
    });

    it('when ADMIN_PASSWORD is shorter than 12 characters, then it exits 1 naming ADMIN_PASSWORD and writes nothing', async function () {
      const run = runScript('scripts/admin.ts', createOrgArgs(), { DATABASE_URL: databaseUrl(), ADMIN_PASSWORD: 'short' });
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.include('ADMIN_PASSWORD');
      store = openSqliteStore(path.join(dir, 'trace.db'));
      expect(await store.isEmpty()).to.equal(true);
    });

    it('when the slug is already taken, then the second run exits 1 naming the conflict and the first admin is unchanged', async function () {
      const env = { DATABASE_URL: databaseUrl(), ADMIN_PASSWORD: 'first-admin-password' };
      expect(runScript('scripts/admin.ts', createOrgArgs(), env).status).to.equal(0);
      const second = runScript('scripts/admin.ts', createOrgArgs({ 'admin-email': 'second@eakar.example.vn' }), {
        ...env,
        ADMIN_PASSWORD: 'second-admin-password',
      });
      expect(second.status, describeRun(second)).to.equal(1);
      expect(second.stderr).to.match(/slug/);
      const opened = appOn(dir);
      store = opened.store;
      await request(opened.app).post('/api/v1/auth/login').send({ email: 'second@eakar.example.vn', password: 'second-admin-password' }).expect(401);
      await request(opened.app).post('/api/v1/auth/login').send({ email: 'admin@eakar.example.vn', password: 'first-admin-password' }).expect(200);
    });
  });

  describe('seed', function () {
    it('when seed runs on an empty database, then it exits 0 and every demo account can log in', async function () {
      const run = runScript('scripts/seed.ts', [], { DATABASE_URL: databaseUrl() });
      expect(run.status, describeRun(run)).to.equal(0);
      expect(run.stdout).to.include('Demo data loaded');
      const opened = appOn(dir);
      store = opened.store;
      for (const email of DEMO_ACCOUNTS) {
        const res = await request(opened.app).post('/api/v1/auth/login').send({ email, password: 'demo-password' });
        expect(res.status, email).to.equal(200);
      }
    });

    it('when seed runs on a database that has data, then it exits 1 saying so and adds nothing', async function () {
      const first = runScript('scripts/seed.ts', [], { DATABASE_URL: databaseUrl() });
      expect(first.status, describeRun(first)).to.equal(0);
      const countOrgs = async () => {
        const s = openSqliteStore(path.join(dir, 'trace.db'));
        try {
          const slugs = ['krong-nang-coffee', 'tan-cuong-tea', 'bmt-roastery'];
          return (await Promise.all(slugs.map((slug) => s.organizations.findBySlug(slug)))).filter(Boolean).length;
        } finally {
          await s.close();
        }
      };
      expect(await countOrgs()).to.equal(3);

      const second = runScript('scripts/seed.ts', [], { DATABASE_URL: databaseUrl() });
      expect(second.status, describeRun(second)).to.equal(1);
      expect(second.stderr).to.include('already has data');
      expect(await countOrgs()).to.equal(3);
    });

    it('when NODE_ENV=production, then seed refuses with exit 1 and loads no demo accounts', async function () {
      const run = runScript('scripts/seed.ts', [], {
        DATABASE_URL: databaseUrl(),
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-jwt-secret-of-at-least-32-chars',
        KEY_ENCRYPTION_KEY: 'a-production-key-encryption-key-of-32-chars',
      });
      expect(run.status, describeRun(run)).to.equal(1);
      expect(run.stderr).to.match(/refus/i);
      expect(run.stderr).to.include('production');
      store = openSqliteStore(path.join(dir, 'trace.db'));
      expect(await store.isEmpty()).to.equal(true);
    });
  });
});
