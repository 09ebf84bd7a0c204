import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import sharp from 'sharp';
import { KeyWrap } from '../src/keys/key-wrap.js';
import { squarePlot } from './support/harness.js';
import { ROOT, startServerProcess, type ServerProcess } from './support/server-process.js';

const JWT_SECRET = 'jwt-secret-that-must-never-be-logged-0123456789';
const KEY_ENCRYPTION_KEY = 'kek-that-must-never-be-logged-0123456789abcdef';
const KEY_ENCRYPTION_KEY_PREVIOUS = 'old-kek-that-must-never-be-logged-0123456789';
const NEW_USER_PASSWORD = 'a-new-farmer-password-never-logged';

/**
 * A full run of the real server at the most verbose log level, through every kind of request that
 * carries a secret (logins, tokens, API keys, passwords of new users, signing, uploads, errors),
 * then a search of everything it wrote for each secret and each private key.
 */
describe('secrets and private keys in the logs', function () {
  this.timeout(120_000);
  let dir: string;
  let server: ServerProcess | null = null;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ft-logs-'));
  });

  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the server runs every credentialed flow at log level trace, then no secret, password, token, API key or private key appears in its output', async () => {
    server = await startServerProcess({
      DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`,
      NODE_ENV: 'development',
      LOG_LEVEL: 'trace',
      JWT_SECRET,
      KEY_ENCRYPTION_KEY,
      KEY_ENCRYPTION_KEY_PREVIOUS,
    });
    const base = server.base;
    const secrets: string[] = [JWT_SECRET, KEY_ENCRYPTION_KEY, KEY_ENCRYPTION_KEY_PREVIOUS, 'demo-password', NEW_USER_PASSWORD];
    const call = async (method: string, url: string, options: { token?: string; json?: unknown; form?: FormData; headers?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: BodyInit | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.form) body = options.form;
      const res = await fetch(`${base}${url}`, { method, headers, body });
      const text = await res.text();
      return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
    };
    const login = async (email: string, password = 'demo-password') => {
      const res = await call('POST', '/api/v1/auth/login', { json: { email, password } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      secrets.push(res.body.token as string);
      return res.body.token as string;
    };

    const coop = await login('coop@demo.test');
    const farmer = await login('farmer@demo.test');
    expect((await call('POST', '/api/v1/auth/login', { json: { email: 'coop@demo.test', password: 'a-wrong-password-guess' } })).status).to.equal(401);
    secrets.push('a-wrong-password-guess');
    expect((await call('GET', '/api/v1/batches', { token: `${coop}x` })).status).to.equal(401);

    const key = await call('POST', '/api/v1/api-keys', { token: coop, json: { name: 'ERP', role: 'admin' } });
    expect(key.status).to.equal(201);
    secrets.push(key.body.token as string);
    expect((await call('GET', '/api/v1/batches', { token: key.body.token })).status).to.equal(200);
    expect((await call('DELETE', `/api/v1/api-keys/${key.body.id as string}`, { token: coop })).status).to.equal(200);
    expect((await call('GET', '/api/v1/batches', { token: key.body.token })).status).to.equal(401);

    const orgs = await call('GET', '/api/v1/organizations', { token: coop });
    const household = (orgs.body.items as Array<{ id: string; type: string }>).find((o) => o.type === 'farm_household')!;
    expect((await call('POST', '/api/v1/users', { token: coop, json: { email: 'new-farmer@demo.test', name: 'Nông dân mới', password: NEW_USER_PASSWORD, role: 'farmer', orgId: household.id } })).status).to.equal(201);
    expect((await call('POST', '/api/v1/users', { token: coop, json: { email: 'short@demo.test', name: 'x', password: 'short', role: 'farmer', orgId: household.id } })).status).to.equal(400);
    await login('new-farmer@demo.test', NEW_USER_PASSWORD);

    const plot = await call('POST', '/api/v1/plots', { token: farmer, json: { name: 'Rẫy nhật ký', crops: ['coffee-robusta'], geometry: squarePlot(0.3) } });
    expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
    const lot = await call('POST', '/api/v1/batches', { token: farmer, json: { plotIds: [plot.body.id], product: 'Cà phê quả tươi', harvestedAt: '2025-11-20', quantity: { value: 500, unit: 'kg' } } });
    expect(lot.status, JSON.stringify(lot.body)).to.equal(201);
    const step = await call('POST', `/api/v1/batches/${lot.body.id as string}/steps`, { token: farmer, json: { type: 'drying', occurredAt: new Date().toISOString() }, headers: { 'idempotency-key': 'log-test-1' } });
    expect(step.status).to.equal(201);
    const form = new FormData();
    form.append('file', new Blob([await sharp({ create: { width: 80, height: 60, channels: 3, background: '#7a5c2e' } }).jpeg().toBuffer()]), 'photo.jpg');
    expect((await call('POST', `/api/v1/batches/${lot.body.id as string}/media`, { token: farmer, form })).status).to.equal(201);
    expect((await call('POST', `/api/v1/batches/${lot.body.id as string}/publish`, { token: coop, json: {} })).status).to.equal(200);
    const bundle = await call('GET', `/api/v1/batches/${lot.body.id as string}/provenance`);
    expect((await call('POST', '/api/v1/verify', { json: bundle.body })).status).to.equal(200);
    const capture = JSON.parse(readFileSync(path.join(ROOT, 'api/test/fixtures/epcis-examples/AssociationEvent-a.jsonld'), 'utf8')) as unknown;
    expect((await call('POST', '/epcis/capture', { token: coop, json: capture })).status).to.equal(202);
    expect((await call('POST', '/api/v1/keys/rotate', { token: coop, json: {} })).status).to.equal(201);
    expect((await call('GET', '/api/v1/exports/eudr.geojson', { token: coop })).status).to.equal(200);
    expect((await call('GET', new URL(lot.body.digitalLink as string).pathname, { headers: { accept: 'text/html' } })).status).to.equal(200);
    expect((await call('GET', '/api/v1/log/checkpoint')).status).to.equal(200);
    expect((await call('POST', '/api/v1/plots', { token: farmer, json: { name: 'x', crops: [], geometry: { type: 'Point', coordinates: [999, 0] } } })).status).to.equal(400);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).to.equal(0);
    // The start banner lists the demo accounts on purpose: public demo credentials, printed only
    // with the demo seed on outside production (start-banner.test.ts). Nothing else may hold one.
    const banner = /\nfarm-trace is running\.\n[\s\S]*?\nDemo accounts[^\n]*\n(?: {2}[^\n]*\n)+/;
    expect(server.output(), 'the start banner').to.match(banner);
    const output = server.output().replace(banner, '\n');
    expect(output.split('\n').length, 'a line for each request').to.be.greaterThan(25);
    expect(output, 'request headers are logged, so a leak would show').to.include('"user-agent"');

    const db = new Database(path.join(dir, 'trace.db'), { readonly: true });
    const wrapped = db.prepare('SELECT kid, encrypted_private_key AS wrapped FROM signing_keys UNION ALL SELECT kid, encrypted_private_key FROM log_keys').all() as Array<{ kid: string; wrapped: string }>;
    const hashes = db.prepare('SELECT password_hash AS hash FROM users UNION ALL SELECT secret_hash FROM api_keys').all() as Array<{ hash: string }>;
    db.close();
    const wrap = new KeyWrap(KEY_ENCRYPTION_KEY, KEY_ENCRYPTION_KEY_PREVIOUS);
    for (const { kid, wrapped: ciphertext } of wrapped) {
      const privateKey = wrap.unwrap(kid, ciphertext);
      secrets.push(ciphertext, privateKey.export({ format: 'jwk' }).d as string, privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'));
    }
    secrets.push(...hashes.map((h) => h.hash));
    expect(wrapped.length).to.be.greaterThan(5);

    const found = secrets.filter((secret) => output.includes(secret));
    expect(found.map((s) => s.slice(0, 12) + '…'), 'secrets found in the server output').to.deep.equal([]);
    expect(output, 'an Authorization header').not.to.match(/"authorization":"(?!\[redacted\])/i);
  });
});
