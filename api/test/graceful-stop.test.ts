import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, spawnServerProcess, stopAll, untilHealthy, type Exit, type ServerProcess } from './support/server-process.js';

/**
 * A stop signal reaches the server however it was started: `npm start` (npm runs the script in a
 * shell, which must hand the signal on) and the container image's CMD. The server then finishes
 * the requests it is answering, closes the store and exits 0.
 */

/** The Dockerfile's CMD, exec form, as `docker run` starts it. */
function dockerCmd(): string[] {
  const line = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  if (!line) throw new Error('the Dockerfile has no CMD');
  const command = JSON.parse(line.slice(4)) as string[];
  return command[0] === 'node' ? [process.execPath, ...command.slice(1)] : command;
}

const STARTS: Array<{ name: string; command: () => string[] }> = [
  { name: '`npm start`', command: () => ['npm', 'start'] },
  { name: 'the Dockerfile’s CMD', command: dockerCmd },
];

/**
 * A login whose headers the server has read (it answered `100 Continue`) but whose body is not
 * sent yet: the request is in flight until `finish` sends the body.
 */
async function requestInFlight(base: string): Promise<{ finish(): Promise<{ status: number; body: string }> }> {
  const body = JSON.stringify({ email: 'nobody@example.vn', password: 'not-a-password' });
  const req = http.request(`${base}/api/v1/auth/login`, {
    method: 'POST',
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.once('error', reject);
    });
  });
  await new Promise<void>((resolve, reject) => {
    req.once('continue', resolve);
    req.once('error', reject);
    req.flushHeaders();
  });
  return {
    finish() {
      req.end(body);
      return answered;
    },
  };
}

async function until(condition: () => boolean, what: string, server: ServerProcess): Promise<void> {
  while (!condition()) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the server exited before ${what}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether anything accepts connections on the server's port. */
function listening(base: string): Promise<boolean> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The exit, or null when the process is still running after `ms`. */
function exitWithin(server: ServerProcess, ms: number): Promise<Exit | null> {
  return Promise.race([server.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref())]);
}

describe('graceful stop', function () {
  this.timeout(90_000);
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await stopAll(servers.splice(0));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  for (const start of STARTS) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`when ${start.name} gets ${signal} during a request, then the request completes, the server says it stopped and exits 0, and nothing listens on its port`, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-stop-'));
        dirs.push(dir);
        const server = await spawnServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, 'trace.db')}`, DATA_DIR: dir, DEMO_SEED: '0', NODE_ENV: 'development' }, start.command());
        servers.push(server);
        await untilHealthy(server);

        const inFlight = await requestInFlight(server.base);
        server.child.kill(signal);
        await until(() => server.output().includes('shutting down'), 'it logged the shutdown', server);
        const answer = await inFlight.finish();

        expect(answer.status, answer.body).to.equal(401);
        expect(JSON.parse(answer.body)).to.include({ status: 401 });
        const exit = await exitWithin(server, 30_000);
        expect(exit, `still running 30 s after ${signal}:\n${server.output()}`).to.deep.equal({ code: 0, signal: null });
        const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
        const messages = lines.map((l) => (JSON.parse(l) as { msg?: string; signal?: string }));
        expect(messages.find((m) => m.msg?.startsWith('shutting down'))?.signal).to.equal(signal);
        expect(messages.map((m) => m.msg)).to.include('stopped');
        expect(await listening(server.base)).to.equal(false);
      });
    }
  }
});
