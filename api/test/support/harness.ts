import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp, buildServices, finishBackgroundWork, type Services } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/port.js';
import { DEMO_PASSWORD, DEMO_PUBLISHED_LOTS, seedDemo } from '../../../seeds/demo.js';

export interface Harness {
  app: Express;
  store: Store;
  services: Services;
  config: Config;
  dir: string;
  /** Logs in and returns an Authorization header value. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

let template: Promise<string> | null = null;

/** Seeds the demo data once per test run into a template folder (database and blobs) that each seeded harness copies. */
function demoTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-template-'));
    const config = testConfig(dir);
    const store = openSqliteStore(path.join(dir, 'trace.db'));
    await seedDemo(buildServices(config, store));
    await store.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return template;
}

export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`,
    PUBLIC_BASE_URL: 'http://trace.test',
    JWT_SECRET: 'test-jwt-secret-of-at-least-32-characters',
    KEY_ENCRYPTION_KEY: 'test-key-encryption-key-of-32-characters',
    ...env,
  });
}

/** A fresh app on a fresh SQLite file in a temp folder; `seed` starts from a copy of the demo data. */
export async function startHarness(options: { seed?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-test-'));
  if (options.seed) {
    const source = await demoTemplate();
    copyFileSync(path.join(source, 'trace.db'), path.join(dir, 'trace.db'));
    cpSync(path.join(source, 'blobs'), path.join(dir, 'blobs'), { recursive: true });
  }
  const config = testConfig(dir, options.env);
  const store = openSqliteStore(path.join(dir, 'trace.db'));
  const logger = createLogger('silent');
  const services = buildServices(config, store, logger);
  // As server.ts does: the landing page lists the demo's lots (when DEMO_SEED is on and they are there).
  const app = buildApp({ config, store, logger, services, demoLots: DEMO_PUBLISHED_LOTS });
  return {
    app,
    store,
    services,
    config,
    dir,
    async login(email, password = DEMO_PASSWORD) {
      const res = await request(app).post('/api/v1/auth/login').send({ email, password }).expect(200);
      return `Bearer ${res.body.token as string}`;
    },
    async close() {
      try {
        await finishBackgroundWork(services);
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A valid polygon of about 1 ha near Krông Năng, shifted by `shift` degrees so each test's plot is distinct. */
export function squarePlot(shift = 0, side = 0.0009): { type: 'Polygon'; coordinates: [number, number][][] } {
  const lon = 108.4 + shift;
  const lat = 12.99;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + side, lat],
        [lon + side, lat + side],
        [lon, lat + side],
        [lon, lat],
      ],
    ],
  };
}
