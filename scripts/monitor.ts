/**
 * `npm run monitor -- <base-url> [--state <file>] [--interval <seconds>] [--once]`
 *
 * Watches a farm-trace transparency log from outside, with no database and no trust in the
 * server: on every poll it fetches the log's verifier key and latest checkpoint, checks the
 * checkpoint's signature, and proves that the log only grew since the checkpoint it kept from
 * the previous poll (RFC 9162 consistency proof). The first run pins the key and origin.
 *
 * State: a JSON file (default `monitor-<host>[_<port>].json` in the current directory) with the
 * pinned key and origin and the last verified checkpoint (its signed note, which is evidence).
 * It is replaced atomically (temp file + rename) after each poll that changed it. Relative paths
 * are taken from the directory `npm run` was started in (INIT_CWD), not the project folder npm
 * runs scripts in.
 *
 * Exit codes:
 *   0  --once: the log is consistent; loop mode: stopped by SIGINT/SIGTERM
 *   1  the log misbehaved: ROLLBACK (smaller tree), FORK (same size, other root, or a failing or
 *      refused consistency proof), KEY CHANGED, ORIGIN CHANGED, BAD SIGNATURE (the checkpoint
 *      does not verify under the pinned key), BAD KEY (on the first run, the served verifier key
 *      is malformed). The state file is left as it was; the signed checkpoints (and proof) that
 *      show the misbehaviour are written next to it (`<state>.evidence.txt`).
 *   2  usage error
 *   3  --once: the log could not be reached (network error, timeout, HTTP 5xx/429, or an
 *      unexpected status from the key or checkpoint endpoint); loop mode logs these and retries
 *   4  the state file cannot be read, parsed or written
 *   5  an unexpected internal error (a bug in the monitor)
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { base64UrlEncode, fromHex, toHex } from '../api/src/domain/bytes.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint, type Ed25519Verify } from '../api/src/log/checkpoint.js';
import { verifyConsistency, type Sha256 } from '../api/src/log/merkle.js';

const USAGE = 'usage: npm run monitor -- <base-url> [--state <file>] [--interval <seconds>] [--once]';
const EXIT = { ok: 0, misbehaviour: 1, usage: 2, network: 3, state: 4, internal: 5 } as const;
const STATE_FORMAT = 'farm-trace/log-monitor@1';
const REQUEST_TIMEOUT_MS = 30_000;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** The log did something an honest append-only log never does. */
class Misbehaviour extends Error {
  constructor(
    readonly kind: 'ROLLBACK' | 'FORK' | 'KEY CHANGED' | 'ORIGIN CHANGED' | 'BAD SIGNATURE' | 'BAD KEY',
    message: string,
    /** Signed notes and proofs that show it, for the evidence file. */
    readonly evidence: string[] = [],
  ) {
    super(message);
  }
}

/** The log could not be asked (transient: retried in loop mode). */
class NetworkTrouble extends Error {}

/** The local state file is unusable. */
class StateTrouble extends Error {}

interface State {
  format: typeof STATE_FORMAT;
  baseUrl: string;
  verifierKey: string;
  origin: string;
  checkpoint: { treeSize: number; rootHash: string; note: string };
  updatedAt: string;
}

const sha256: Sha256 = async (data) => new Uint8Array(createHash('sha256').update(data).digest());

const verifyEd25519: Ed25519Verify = async (publicKey, signature, message) => {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) }, format: 'jwk' });
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
};

function usage(message?: string): never {
  console.error(message ? `monitor: ${message}\n${USAGE}` : USAGE);
  process.exit(EXIT.usage);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      interval: { type: 'string' },
      once: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(EXIT.ok);
}
if (positionals.length !== 1) usage();
let baseUrl: URL;
try {
  baseUrl = new URL(positionals[0]!);
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new Error();
} catch {
  usage(`not an http(s) URL: ${positionals[0]}`);
}
const base = baseUrl.href.replace(/\/+$/, '');
const intervalSeconds = values.interval === undefined ? 60 : Number(values.interval);
if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0 || intervalSeconds > 86_400) usage(`--interval must be a number of seconds above 0, not ${values.interval}`);
const stateFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.state ?? defaultStateFile(baseUrl));
const evidenceFile = `${stateFile}.evidence.txt`;

/** `monitor-<host>_<port>[_<path>].json`: one state file per log, in the current directory. */
function defaultStateFile(url: URL): string {
  const name = `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/_+$/, '');
  return `monitor-${name}.json`;
}

function readState(): State | null {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateTrouble(`cannot read the state file ${stateFile}: ${(error as Error).message}`);
  }
  try {
    const state = JSON.parse(text) as State;
    const c = state.checkpoint;
    if (
      state.format !== STATE_FORMAT ||
      typeof state.verifierKey !== 'string' ||
      typeof state.origin !== 'string' ||
      !c ||
      !Number.isSafeInteger(c.treeSize) ||
      c.treeSize < 0 ||
      typeof c.rootHash !== 'string' ||
      !HEX_HASH.test(c.rootHash) ||
      typeof c.note !== 'string'
    ) {
      throw new Error(`not a ${STATE_FORMAT} file`);
    }
    return state;
  } catch (error) {
    throw new StateTrouble(`the state file ${stateFile} is not usable (${(error as Error).message}); move it away to start over, which trusts the log afresh`);
  }
}

/** Replaces the state file atomically, so a crash or a signal never leaves half a file. */
function writeState(state: State): void {
  const temp = `${stateFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
    renameSync(temp, stateFile);
  } catch (error) {
    throw new StateTrouble(`cannot write the state file ${stateFile}: ${(error as Error).message}`);
  }
}

async function get(route: string, signal: AbortSignal): Promise<Response> {
  const url = `${base}${route}`;
  try {
    return await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]), headers: { 'cache-control': 'no-cache' } });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new NetworkTrouble(`${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

/** A 2xx body; anything else from these endpoints means the log cannot be asked right now. */
async function getText(route: string, signal: AbortSignal): Promise<string> {
  const response = await get(route, signal);
  const text = await response.text().catch((error: unknown) => {
    throw new NetworkTrouble(`${base}${route}: ${(error as Error).message}`);
  });
  if (!response.ok) throw new NetworkTrouble(`${base}${route}: HTTP ${response.status}`);
  return text;
}

const short = (hex: string): string => hex.slice(0, 12);

/** One poll: the checkpoint is signed by the pinned key and extends the kept one. Returns the line to print. */
async function poll(signal: AbortSignal): Promise<string> {
  const served = (await getText('/api/v1/log/vkey', signal)).trim();
  if (state && served !== state.verifierKey) {
    throw new Misbehaviour('KEY CHANGED', `the log now presents verifier key ${served}, not the pinned ${state.verifierKey}`);
  }
  const key = await parseVerifierKey(served, sha256).catch((error: unknown) => {
    // Only on the first run: a pinned key was parsed when it was pinned.
    throw new Misbehaviour('BAD KEY', `the log's verifier key is unusable: ${(error as Error).message}`);
  });
  const note = await getText('/api/v1/log/checkpoint', signal);
  let checkpoint: Checkpoint;
  try {
    checkpoint = await openCheckpoint(note, key, verifyEd25519);
  } catch (error) {
    throw new Misbehaviour('BAD SIGNATURE', `the checkpoint does not verify under the key ${key.name}: ${(error as Error).message}`, [note]);
  }
  const fresh = { treeSize: checkpoint.treeSize, rootHash: toHex(checkpoint.rootHash), note };
  const line = `tree_size=${fresh.treeSize} root=${short(fresh.rootHash)}`;
  const save = () => {
    const next: State = { format: STATE_FORMAT, baseUrl: base, verifierKey: served, origin: checkpoint.origin, checkpoint: fresh, updatedAt: new Date().toISOString() };
    writeState(next);
    state = next;
  };

  if (!state) {
    save();
    return `${line} (first run: pinned key ${key.name}+${toHex(key.keyHash)}, origin ${checkpoint.origin}, state ${stateFile})`;
  }
  if (checkpoint.origin !== state.origin) {
    throw new Misbehaviour('ORIGIN CHANGED', `the checkpoint names origin ${checkpoint.origin}, not the pinned ${state.origin}`, [state.checkpoint.note, note]);
  }
  const kept = state.checkpoint;
  const evidence = [kept.note, note];
  if (fresh.treeSize < kept.treeSize) {
    throw new Misbehaviour('ROLLBACK', `the log's checkpoint has ${fresh.treeSize} leaves, fewer than the ${kept.treeSize} it signed before: history was removed`, evidence);
  }
  if (fresh.treeSize === kept.treeSize) {
    if (fresh.rootHash !== kept.rootHash) {
      throw new Misbehaviour('FORK', `two signed checkpoints of ${fresh.treeSize} leaves with different roots (${short(kept.rootHash)} before, ${short(fresh.rootHash)} now): history was rewritten`, evidence);
    }
    return `${line} (unchanged)`;
  }
  // Any tree extends the empty one; otherwise the log must prove that the new tree extends the kept one.
  if (kept.treeSize > 0) {
    const route = `/api/v1/log/proof/consistency?from=${kept.treeSize}&to=${fresh.treeSize}`;
    const response = await get(route, signal);
    const body = await response.text().catch((error: unknown) => {
      throw new NetworkTrouble(`${base}${route}: ${(error as Error).message}`);
    });
    if (response.status >= 500 || response.status === 429) throw new NetworkTrouble(`${base}${route}: HTTP ${response.status}`);
    const proof = parseProof(body, kept.treeSize, fresh.treeSize);
    if (!response.ok || !proof) {
      throw new Misbehaviour('FORK', `the log did not prove that its tree of ${fresh.treeSize} leaves extends the ${kept.treeSize} it signed before (HTTP ${response.status}: ${body.slice(0, 200).replace(/\s+/g, ' ')})`, [...evidence, body]);
    }
    const consistent = await verifyConsistency(kept.treeSize, fresh.treeSize, fromHex(kept.rootHash), checkpoint.rootHash, proof.map(fromHex), sha256);
    if (!consistent) {
      throw new Misbehaviour('FORK', `the checkpoint of ${fresh.treeSize} leaves is not consistent with the one of ${kept.treeSize} leaves signed before (the consistency proof fails): history was rewritten`, [...evidence, body]);
    }
  }
  save();
  const added = fresh.treeSize - kept.treeSize;
  return `${line} (+${added} ${added === 1 ? 'leaf' : 'leaves'} since tree_size=${kept.treeSize}, consistent)`;
}

function parseProof(body: string, from: number, to: number): string[] | null {
  try {
    const proof = JSON.parse(body) as { from?: unknown; to?: unknown; hashes?: unknown };
    if (proof.from !== from || proof.to !== to || !Array.isArray(proof.hashes) || !proof.hashes.every((h) => typeof h === 'string' && HEX_HASH.test(h))) return null;
    return proof.hashes as string[];
  } catch {
    return null;
  }
}

function writeEvidence(alarm: Misbehaviour): string {
  const text = [`${new Date().toISOString()} ${alarm.kind}: ${alarm.message}`, `log ${base}`, ...alarm.evidence.map((e, i) => `--- ${i + 1} ---\n${e}`)].join('\n\n');
  try {
    writeFileSync(evidenceFile, `${text}\n`);
    return ` (evidence: ${evidenceFile})`;
  } catch {
    return '';
  }
}

let stopping = false;
/** Aborts the poll in flight (a fresh controller per poll, so nothing accumulates on a long-lived signal). */
let inFlight: AbortController | null = null;
let wake: (() => void) | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  // The first signal ends the loop between (or inside) polls; a second one exits at once.
  if (stopping) process.exit(130);
  stopping = true;
  console.error(`monitor: ${signal}: stopping`);
  inFlight?.abort();
  wake?.();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => (clearTimeout(timer), resolve());
  });

const stamp = () => new Date().toISOString();

let state: State | null = null;
try {
  state = readState();
} catch (error) {
  console.error(`monitor: ${(error as Error).message}`);
  process.exit(EXIT.state);
}

while (!stopping) {
  inFlight = new AbortController();
  try {
    console.log(`${stamp()} ok ${await poll(inFlight.signal)}`);
  } catch (error) {
    if (error instanceof Misbehaviour) {
      console.error(`monitor: ${error.kind}: ${error.message} [${base}]${error.evidence.length ? writeEvidence(error) : ''}`);
      process.exit(EXIT.misbehaviour);
    }
    if (error instanceof StateTrouble) {
      console.error(`monitor: ${error.message}`);
      process.exit(EXIT.state);
    }
    if (stopping) break;
    if (!(error instanceof NetworkTrouble)) {
      console.error(`monitor: internal error: ${(error as Error).stack ?? String(error)}`);
      process.exit(EXIT.internal);
    }
    if (values.once) {
      console.error(`monitor: network: cannot reach the log: ${error.message}`);
      process.exit(EXIT.network);
    }
    console.error(`${stamp()} network: cannot reach the log: ${error.message}; retrying in ${intervalSeconds} s`);
  }
  if (values.once) break;
  await sleep(intervalSeconds * 1000);
}
process.exit(EXIT.ok);
