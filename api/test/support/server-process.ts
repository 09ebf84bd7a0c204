import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.js';

/** The project's root, where `npm start` runs. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The server as a child process (by default `node --import tsx api/src/server.ts`), answering at `base`. */
export interface ServerProcess {
  child: ChildProcess;
  base: string;
  exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns the server with `env` (on top of a clean environment and a free PORT), without waiting
 * for it; `command` runs it another way (`['npm', 'start']`, the Dockerfile's CMD).
 */
export async function spawnServerProcess(env: Record<string, string>, command: string[] = [process.execPath, '--import', 'tsx', 'api/src/server.ts']): Promise<ServerProcess> {
  const port = await freePort();
  const [file, ...args] = command;
  const child = spawn(file!, args, {
    cwd: ROOT,
    env: childEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, base: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** Waits until the server answers /healthz (45 s at most, or `timeoutMs`); throws with its output if it exits or never answers. */
export async function untilHealthy(server: ServerProcess, timeoutMs = 45_000): Promise<ServerProcess> {
  let gone: Exit | null = null;
  void server.exited.then((e) => (gone = e));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited early (${JSON.stringify(gone)}):\n${server.output()}`);
    try {
      if ((await fetch(`${server.base}/healthz`)).status === 200) return server;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  server.child.kill('SIGKILL');
  throw new Error(`the server did not answer /healthz in time:\n${server.output()}`);
}

/** Starts the server with `env` and waits until it answers. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return untilHealthy(await spawnServerProcess(env));
}

/** Kills (SIGKILL) those of `servers` still running and waits for them. */
export async function stopAll(servers: ServerProcess[]): Promise<void> {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
}

/** A cooperative and its first admin on the database at `databaseUrl`, made as an operator would: `npm run admin -- create-org`. */
export function createCooperativeWithCli(databaseUrl: string, org: { slug: string; name: string; province: string; adminEmail: string; adminPassword: string }): void {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/admin.ts', 'create-org', '--type', 'cooperative', '--slug', org.slug, '--name', org.name, '--province', org.province, '--admin-email', org.adminEmail, '--admin-name', 'Quản trị viên'],
    { cwd: ROOT, env: childEnv({ DATABASE_URL: databaseUrl, NODE_ENV: 'development', ADMIN_PASSWORD: org.adminPassword }), encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`admin create-org failed:\n${run.stdout}\n${run.stderr}`);
}
