import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { squarePlot } from './support/harness.js';
import { createCooperativeWithCli, startServerProcess, stopAll, type Exit, type ServerProcess } from './support/server-process.js';

/**
 * The real server as a child process: an acknowledged write (2xx) survives SIGKILL right after
 * the answer, and SIGTERM shuts the server down cleanly with exit code 0.
 */

const ADMIN_EMAIL = 'admin@durable.example.vn';
const ADMIN_PASSWORD = 'durable-admin-password';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('durability of the real server process', function () {
  this.timeout(60_000);
  let dir: string;
  let children: ServerProcess[];

  const databaseUrl = () => `sqlite:${path.join(dir, 'trace.db')}`;

  /** The server on the test's database file, remembered so that afterEach stops it. */
  async function startServer(): Promise<ServerProcess> {
    const server = await startServerProcess({
      DATABASE_URL: databaseUrl(),
      DEMO_SEED: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      // Fixed, so that bodies holding Digital Links do not depend on the port of each run.
      PUBLIC_BASE_URL: 'http://trace.test',
    });
    children.push(server);
    return server;
  }

  async function kill(server: ServerProcess): Promise<Exit> {
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal).to.equal('SIGKILL');
    return exit;
  }

  async function call(server: ServerProcess, method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.base}${url}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function login(server: ServerProcess): Promise<string> {
    const res = await call(server, 'POST', '/api/v1/auth/login', undefined, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.token as string;
  }

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ft-durable-'));
    children = [];
    createCooperativeWithCli(databaseUrl(), { slug: 'durable-coop', name: 'HTX Bền Vững', province: 'Lâm Đồng', adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  });

  afterEach(async function () {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a plot is acknowledged with 201 and the server is SIGKILLed at once, then a restarted server returns the same plot', async function () {
    const first = await startServer();
    const token = await login(first);
    const created = await call(first, 'POST', '/api/v1/plots', token, { name: 'Rẫy Bảo Lộc', crops: ['coffee-robusta'], geometry: squarePlot(0.1) });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await kill(first);

    const second = await startServer();
    const read = await call(second, 'GET', `/api/v1/plots/${created.body.id as string}`, await login(second));
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal(created.body);
    // The generated secrets were kept too: a token issued before the crash still works.
    expect((await call(second, 'GET', '/api/v1/plots', token)).status).to.equal(200);
  });

  it('when a plot, a lot and a step are acknowledged in a row and the server is SIGKILLed after the last, then all three survive unchanged', async function () {
    const first = await startServer();
    const token = await login(first);
    const plot = await call(first, 'POST', '/api/v1/plots', token, { name: 'Rẫy Di Linh', crops: ['coffee-robusta'], geometry: squarePlot(0.2) });
    expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
    const lot = await call(first, 'POST', '/api/v1/batches', token, {
      plotIds: [plot.body.id],
      product: 'Cà phê Robusta quả tươi',
      harvestedAt: '2025-11-15',
      quantity: { value: 800, unit: 'kg' },
      lotNumber: 'DL-2511-01',
    });
    expect(lot.status, JSON.stringify(lot.body)).to.equal(201);
    const step = await call(first, 'POST', `/api/v1/batches/${lot.body.id as string}/steps`, token, {
      type: 'drying',
      occurredAt: '2025-11-20T07:00:00+07:00',
      notes: 'Phơi giàn',
    });
    expect(step.status, JSON.stringify(step.body)).to.equal(201);
    await kill(first);

    const second = await startServer();
    const again = await login(second);
    const readPlot = await call(second, 'GET', `/api/v1/plots/${plot.body.id as string}`, again);
    expect(readPlot.status).to.equal(200);
    expect(readPlot.body).to.deep.equal(plot.body);
    const readLot = await call(second, 'GET', `/api/v1/batches/${lot.body.id as string}`, again);
    expect(readLot.status).to.equal(200);
    expect(readLot.body).to.deep.equal(lot.body);
    const readStep = await call(second, 'GET', `/api/v1/batches/${lot.body.id as string}/steps/${step.body.id as string}`, again);
    expect(readStep.status).to.equal(200);
    expect(readStep.body).to.deep.equal(step.body);
    const steps = await call(second, 'GET', `/api/v1/batches/${lot.body.id as string}/steps`, again);
    expect((steps.body.items as Array<{ type: string }>).map((s) => s.type)).to.deep.equal(['harvest', 'drying']);
  });

  it('when the server gets SIGTERM, then it shuts down gracefully with exit code 0', async function () {
    const server = await startServer();
    await login(server);
    server.child.kill('SIGTERM');
    const exit = await Promise.race([server.exited, sleep(20_000).then(() => null)]);
    expect(exit, `no exit within 20 s:\n${server.output()}`).to.not.equal(null);
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(server.output()).to.include('stopped');
  });

  it('when the server was stopped with SIGTERM, then a restarted server serves what was written before', async function () {
    const first = await startServer();
    const token = await login(first);
    const plot = await call(first, 'POST', '/api/v1/plots', token, { name: 'Rẫy Lâm Hà', crops: ['coffee-arabica'], geometry: squarePlot(0.3) });
    expect(plot.status).to.equal(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).to.deep.equal({ code: 0, signal: null });

    const second = await startServer();
    const read = await call(second, 'GET', `/api/v1/plots/${plot.body.id as string}`, await login(second));
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal(plot.body);
  });
});
