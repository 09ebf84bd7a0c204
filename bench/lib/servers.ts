import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up in 60 s`);
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        cleanup();
        resolve();
        return;
      }
      child.once('exit', () => {
        cleanup();
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** The Express baselines (hello world, JSON POST), in a child process of its own. */
export async function startBaseline(): Promise<RunningServer> {
  const port = await freePort();
  const child = fork(path.join(root, 'bench/baselines/express-baseline.ts'), [], {
    env: { ...process.env, PORT: String(port) },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/hello`, child);
  return { url, pid: child.pid!, stop: stopper(child, () => undefined) };
}

/**
 * The service as `npm start` runs it (demo data on a fresh embedded database), in a child process,
 * with the per-client rate limits raised so the load generator (one client) is not turned away, and
 * request logging at `warn` (the baselines log nothing either).
 */
export async function startService(env: Record<string, string> = {}): Promise<RunningServer & { dataDir: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ft-bench-'));
  const child = fork(path.join(root, 'api/src/server.ts'), [], {
    env: {
      ...process.env,
      PORT: String(port),
      NODE_ENV: 'development',
      DATABASE_URL: `sqlite:${path.join(dataDir, 'trace.db')}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '1000000',
      VERIFY_RATE_LIMIT: '1000000',
      QR_RATE_LIMIT: '1000000',
      RESOLVER_RATE_LIMIT: '1000000',
      ...env,
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, child);
  return { url, pid: child.pid!, dataDir, stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })) };
}
