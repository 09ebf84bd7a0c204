import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DEMO_ACCOUNTS } from '../../seeds/demo.js';
import { spawnServerProcess, stopAll, untilHealthy, type ServerProcess } from './support/server-process.js';

/** What `npm start` tells the person at the terminal once it listens. */
describe('the start banner', function () {
  this.timeout(240_000);
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await stopAll(servers.splice(0));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-banner-'));
    dirs.push(dir);
    const server = await spawnServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`, DATA_DIR: dir, ...env }, ['npm', 'start']);
    servers.push(server);
    // A first start loads the demo data before it listens: on a busy machine that takes a while.
    await untilHealthy(server, 180_000);
    // The banner follows the "listening" line; /healthz may answer a moment before it is written.
    while (!/listening on/.test(server.output())) await new Promise((resolve) => setTimeout(resolve, 20));
    return server;
  };
  const bannerOf = (output: string) => output.split('\n').filter((line) => !line.startsWith('{') && !line.startsWith('>'));

  it('when `npm start` runs with the demo data, then it prints the landing, console, demo lot and API addresses, which all answer, and every demo account', async () => {
    const server = await start({ NODE_ENV: 'development', DEMO_SEED: '1' });
    const port = new URL(server.base).port;
    let banner = bannerOf(server.output());
    for (let tries = 0; !banner.some((l) => l.startsWith('Demo accounts')) && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      banner = bannerOf(server.output());
    }
    expect(banner).to.include('farm-trace is running.');
    const urls = banner.flatMap((line) => line.match(/http:\/\/localhost:\d+\S*/g) ?? []);
    expect(urls).to.deep.equal([
      `http://localhost:${port}/`,
      `http://localhost:${port}/console`,
      `http://localhost:${port}/01/08936123450021/10/KN25R-A`,
      `http://localhost:${port}/api/v1/openapi.json`,
    ]);
    for (const url of urls) expect((await fetch(url.replace('localhost', '127.0.0.1'))).status, url).to.equal(200);
    for (const account of DEMO_ACCOUNTS) {
      const login = account.email ?? account.phone!;
      const line = banner.find((l) => l.includes(login));
      expect(line, login).to.not.equal(undefined);
      expect(line).to.include(account.password ?? account.pin!);
    }
  });

  it('when `npm start` runs in production or with DEMO_SEED=0, then it prints log lines only', async () => {
    const secrets = { JWT_SECRET: 'a-production-jwt-secret-of-at-least-32-chars', KEY_ENCRYPTION_KEY: 'a-production-key-encryption-key-of-32-chars' };
    for (const env of [{ NODE_ENV: 'production', DEMO_SEED: '1', ...secrets }, { NODE_ENV: 'development', DEMO_SEED: '0' }]) {
      const server = await start(env);
      expect(bannerOf(server.output()).filter((l) => l.trim() !== ''), env.NODE_ENV).to.deep.equal([]);
      await stopAll([server]);
    }
  });
});
