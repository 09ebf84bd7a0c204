import { spawnSync } from 'node:child_process';
import { createCipheriv, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp, buildServices, finishBackgroundWork } from '../src/app.js';
import { createLogger } from '../src/core/logger.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { rewrapAllKeys } from '../src/keys/rewrap-keys.js';
import { KeyWrap } from '../src/keys/key-wrap.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { childEnv } from './support/child-env.js';
import { startHarness, testConfig, type Harness } from './support/harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The harness's key-encryption key (see testConfig), then the one it is rotated to. */
const OLD_KEK = 'test-key-encryption-key-of-32-characters';
const NEW_KEK = 'rotated-key-encryption-key-of-32-characters';
const UNRELATED_KEK = 'unrelated-key-encryption-key-of-32-characters';

interface Service {
  app: Express;
  store: Store;
  close(): Promise<void>;
}

/** The service as a process with `env` would run it, on the harness's database. */
function serviceOn(dir: string, env: Record<string, string>): Service {
  const config = testConfig(dir, env);
  const store = openSqliteStore(path.join(dir, 'trace.db'));
  const logger = createLogger('silent');
  const services = buildServices(config, store, logger);
  return {
    app: buildApp({ config, store, logger, services }),
    store,
    async close() {
      await finishBackgroundWork(services);
      await store.close();
    },
  };
}

async function login(app: Express, email: string): Promise<string> {
  const res = await request(app).post('/api/v1/auth/login').send({ email, password: 'demo-password' }).expect(200);
  return `Bearer ${res.body.token as string}`;
}

function wrappedKeys(dir: string): Array<{ kid: string; wrapped: string }> {
  const db = new Database(path.join(dir, 'trace.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT kid, encrypted_private_key AS wrapped FROM signing_keys UNION ALL SELECT kid, encrypted_private_key FROM log_keys').all();
    return rows as Array<{ kid: string; wrapped: string }>;
  } finally {
    db.close();
  }
}

function rewrapCli(dir: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'rewrap-keys'], {
    cwd: ROOT,
    env: childEnv({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`, JWT_SECRET: 'test-jwt-secret-of-at-least-32-characters', ...env }),
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (result.error) throw result.error;
  return result;
}

describe('rotating the key-encryption key', function () {
  this.timeout(120_000);
  let h: Harness;
  let lotId: string;

  before(async () => {
    h = await startHarness({ seed: true });
    const coop = await h.login('coop@demo.test');
    const lots = await request(h.app).get('/api/v1/batches').set('Authorization', coop).expect(200);
    lotId = (lots.body.items as Array<{ id: string; published: boolean }>).find((l) => l.published)!.id;
  });

  after(async () => {
    await h?.close();
  });

  const step = (app: Express, auth: string, notes: string) =>
    request(app).post(`/api/v1/batches/${lotId}/steps`).set('Authorization', auth).send({ type: 'storage', occurredAt: new Date().toISOString(), notes });

  it('when the service restarts with a new KEY_ENCRYPTION_KEY and the old one as KEY_ENCRYPTION_KEY_PREVIOUS, then it keeps signing, re-wrapping runs while it signs, and afterwards the new key alone suffices', async () => {
    const before = wrappedKeys(h.dir);
    expect(before.every((k) => new KeyWrap(OLD_KEK).isCurrent(k.wrapped))).to.equal(true);

    const rotating = serviceOn(h.dir, { KEY_ENCRYPTION_KEY: NEW_KEK, KEY_ENCRYPTION_KEY_PREVIOUS: OLD_KEK });
    try {
      const coop = await login(rotating.app, 'coop@demo.test');
      await step(rotating.app, coop, 'before the re-wrap').expect(201);
      const [result, ...answers] = await Promise.all([
        rewrapAllKeys(rotating.store, new KeyWrap(NEW_KEK, OLD_KEK)),
        ...Array.from({ length: 8 }, (_, i) => step(rotating.app, coop, `during the re-wrap ${i}`)),
      ]);
      expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(201));
      expect(result.rewrapped).to.equal(before.length);
    } finally {
      await rotating.close();
    }

    const after = wrappedKeys(h.dir);
    expect(after.map((k) => k.kid).sort()).to.deep.equal(before.map((k) => k.kid).sort());
    for (const key of after) {
      expect(new KeyWrap(NEW_KEK).isCurrent(key.wrapped), key.kid).to.equal(true);
      expect(() => new KeyWrap(OLD_KEK).unwrap(key.kid, key.wrapped), key.kid).to.throw(/neither KEY_ENCRYPTION_KEY nor KEY_ENCRYPTION_KEY_PREVIOUS/);
    }

    const rotated = serviceOn(h.dir, { KEY_ENCRYPTION_KEY: NEW_KEK });
    try {
      const coop = await login(rotated.app, 'coop@demo.test');
      await step(rotated.app, coop, 'after the rotation').expect(201);
      const bundle = await request(rotated.app).get(`/api/v1/batches/${lotId}/provenance`).expect(200);
      const report = await verifyBundle(bundle.body);
      expect(report.valid, JSON.stringify(report.errors)).to.equal(true);
      const audit = await request(rotated.app).get('/api/v1/audit?limit=500').set('Authorization', coop).expect(200);
      const rewraps = (audit.body.items as Array<{ action: string; actorUserId: string | null }>).filter((e) => e.action === 'signing_key.rewrapped');
      expect(rewraps.length).to.be.greaterThan(0);
      expect(rewraps.every((e) => e.actorUserId === null)).to.equal(true);
    } finally {
      await rotated.close();
    }
  });

  it('when `npm run admin -- rewrap-keys` runs again, then it re-wraps nothing and says so', () => {
    const run = rewrapCli(h.dir, { KEY_ENCRYPTION_KEY: NEW_KEK, KEY_ENCRYPTION_KEY_PREVIOUS: OLD_KEK });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/re-wrapped 0 signing key\(s\) under KEY_ENCRYPTION_KEY; \d+ already were/);
    expect(run.stdout).to.include('KEY_ENCRYPTION_KEY_PREVIOUS can be removed');
  });

  it('when neither configured secret unwraps a key, then rewrap-keys exits 1 naming both variables and changes nothing', () => {
    const before = wrappedKeys(h.dir);
    const run = rewrapCli(h.dir, { KEY_ENCRYPTION_KEY: UNRELATED_KEK, KEY_ENCRYPTION_KEY_PREVIOUS: OLD_KEK });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/error: signing key \S+: wrapped under key-encryption key \S+, which is neither KEY_ENCRYPTION_KEY nor KEY_ENCRYPTION_KEY_PREVIOUS/);
    expect(wrappedKeys(h.dir)).to.deep.equal(before);
  });
});

describe('keys wrapped before rotation existed (format v1)', () => {
  /** The v1 format as the service wrote it: AES-256-GCM under the HKDF of the secret, no key id. */
  function wrapV1(secret: string, kid: string): { wrapped: string; publicX: string } {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kek = Buffer.from(hkdfSync('sha256', secret, 'farm-trace', 'organization signing keys v1', 32));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(Buffer.from(kid));
    const body = Buffer.concat([cipher.update(privateKey.export({ format: 'der', type: 'pkcs8' })), cipher.final()]);
    return { wrapped: ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.'), publicX: publicKey.export({ format: 'jwk' }).x as string };
  }

  it('when a v1 key is unwrapped under either configured secret, then it is the same key, and re-wrapping moves it to the current one', () => {
    const { wrapped, publicX } = wrapV1(OLD_KEK, 'kid-1');
    const rotating = new KeyWrap(NEW_KEK, OLD_KEK);
    expect(rotating.isCurrent(wrapped)).to.equal(false);
    const rewrapped = rotating.rewrap('kid-1', wrapped);
    expect(rotating.isCurrent(rewrapped)).to.equal(true);
    const unwrapped = new KeyWrap(NEW_KEK).unwrap('kid-1', rewrapped);
    expect((unwrapped.export({ format: 'jwk' }) as { d: string }).d).to.be.a('string');
    expect(new KeyWrap(OLD_KEK).unwrap('kid-1', wrapped).export({ format: 'jwk' }).x).to.equal(publicX);
    expect(() => new KeyWrap(NEW_KEK).unwrap('kid-1', wrapped)).to.throw(/neither KEY_ENCRYPTION_KEY nor KEY_ENCRYPTION_KEY_PREVIOUS/);
    expect(() => rotating.unwrap('kid-2', wrapped), 'the kid is authenticated').to.throw();
  });
});
