import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const SECRET_NAMES = ['JWT_SECRET', 'KEY_ENCRYPTION_KEY'] as const;
type SecretName = (typeof SECRET_NAMES)[number];

const secret = z.string().min(32, 'must be at least 32 characters');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+)$/, 'must be sqlite:<path> or mongodb://…')
    .default('sqlite:./data/trace.db'),
  DATA_DIR: z.string().min(1).optional(),
  PUBLIC_BASE_URL: z.url().optional(),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DEMO_SEED: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Login attempts per client IP per window: generous, since a carrier's NAT puts many farmers behind one address. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Failed logins per account per window, from any address: what stops password guessing. */
  LOGIN_ACCOUNT_FAILURE_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Upload requests per caller (API key, user, else client IP) a minute, on every upload route. */
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Seconds a JSON body may take to arrive once its headers have (408 past it). */
  BODY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  VERIFY_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** QR images and label sheets rendered per client a minute: a new size, ECC or logo is a fresh render. */
  QR_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** Digital Link resolutions (origin pages, linksets, redirects) per client a minute: generous, a shop's Wi-Fi is one address. */
  RESOLVER_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  MEDIA_MAX_FILE_MB: z.coerce.number().positive().max(100).default(15),
  MEDIA_MAX_FILES: z.coerce.number().int().min(1).max(50).default(10),
  MEDIA_MAX_PIXELS: z.coerce.number().int().min(1_000_000).max(200_000_000).default(40_000_000),
  MEDIA_MAX_CONCURRENT_UPLOADS: z.coerce.number().int().min(1).max(64).default(4),
  /** The EU information system's 25 MB per geolocation file (decimal, the stricter reading). */
  EUDR_MAX_FILE_BYTES: z.coerce.number().int().min(1000).max(25_000_000).default(25_000_000),
  /** The transparency log's checkpoint origin (and key name); by default the public host and path + `/log`. */
  LOG_ORIGIN: z.string().regex(/^[^\s+]+$/, 'no spaces or "+"').max(200).optional(),
  /** How often the server issues a checkpoint when the log has grown; 0 turns the timer off. */
  LOG_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Events one EPCIS capture document may hold (the binding's GS1-EPCIS-Capture-Limit). */
  EPCIS_CAPTURE_MAX_EVENTS: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Bytes one EPCIS capture document may take (GS1-EPCIS-Capture-File-Size-Limit). */
  EPCIS_CAPTURE_MAX_BYTES: z.coerce.number().int().min(10_000).max(200_000_000).default(16_000_000),
  JWT_SECRET: secret.optional(),
  KEY_ENCRYPTION_KEY: secret.optional(),
  /** While KEY_ENCRYPTION_KEY is being rotated: the old one, which still unwraps keys not yet re-wrapped. */
  KEY_ENCRYPTION_KEY_PREVIOUS: secret.optional(),
});

/** Every environment variable the service reads (tests strip them from child processes). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export type Database = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string };

export interface Config {
  port: number;
  env: 'development' | 'test' | 'production';
  database: Database;
  dataDir: string;
  publicBaseUrl: string;
  demoSeed: boolean;
  logLevel: string;
  tokenTtlSeconds: number;
  rateLimits: Record<'login' | 'loginAccountFailures' | 'verify' | 'qr' | 'resolver' | 'upload', { max: number; windowSeconds: number }>;
  bodyTimeoutSeconds: number;
  /** Reverse proxies in front of the service whose X-Forwarded-For is believed (a hop count, never "all"). */
  trustProxy: number;
  media: { maxFileBytes: number; maxFiles: number; maxPixels: number; maxConcurrentUploads: number };
  eudrMaxFileBytes: number;
  log: { origin: string; checkpointIntervalSeconds: number };
  epcisCapture: { maxEvents: number; maxBytes: number };
  secrets: Record<SecretName, string> & { KEY_ENCRYPTION_KEY_PREVIOUS: string | null };
}

export class ConfigError extends Error {}

/** loadConfig for process entry points: an invalid configuration prints its message and exits 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  return exitOnConfigError(loadConfig);
}

/** loadStorageConfig for the backup and restore CLIs, exiting 78 like loadConfigOrExit. */
export function loadStorageConfigOrExit(): Pick<Config, 'database' | 'dataDir'> {
  return exitOnConfigError(loadStorageConfig);
}

function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
}

export function parseDatabaseUrl(url: string): Database {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', path: url.slice('sqlite:'.length) };
  return { kind: 'mongodb', uri: url };
}

/**
 * Reads and validates the environment. In development and test, secrets that are not set are
 * generated once and kept in <dataDir>/secrets.json (mode 0600); production refuses to start
 * without them, naming the missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(setVariables(env));
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  const e = parsed.data;
  const { database, dataDir } = storageOf(e);
  const secrets = resolveSecrets(e, e.NODE_ENV, dataDir);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    env: e.NODE_ENV,
    database,
    dataDir,
    publicBaseUrl,
    demoSeed: e.DEMO_SEED === '1' && e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    rateLimits: {
      login: { max: e.LOGIN_RATE_LIMIT, windowSeconds: e.LOGIN_RATE_WINDOW_SECONDS },
      loginAccountFailures: { max: e.LOGIN_ACCOUNT_FAILURE_LIMIT, windowSeconds: e.LOGIN_RATE_WINDOW_SECONDS },
      verify: { max: e.VERIFY_RATE_LIMIT, windowSeconds: 60 },
      qr: { max: e.QR_RATE_LIMIT, windowSeconds: 60 },
      resolver: { max: e.RESOLVER_RATE_LIMIT, windowSeconds: 60 },
      upload: { max: e.UPLOAD_RATE_LIMIT, windowSeconds: 60 },
    },
    bodyTimeoutSeconds: e.BODY_TIMEOUT_SECONDS,
    trustProxy: e.TRUST_PROXY,
    media: { maxFileBytes: Math.round(e.MEDIA_MAX_FILE_MB * 1024 * 1024), maxFiles: e.MEDIA_MAX_FILES, maxPixels: e.MEDIA_MAX_PIXELS, maxConcurrentUploads: e.MEDIA_MAX_CONCURRENT_UPLOADS },
    eudrMaxFileBytes: e.EUDR_MAX_FILE_BYTES,
    log: { origin: e.LOG_ORIGIN ?? defaultLogOrigin(publicBaseUrl), checkpointIntervalSeconds: e.LOG_CHECKPOINT_INTERVAL_SECONDS },
    epcisCapture: { maxEvents: e.EPCIS_CAPTURE_MAX_EVENTS, maxBytes: e.EPCIS_CAPTURE_MAX_BYTES },
    secrets: { ...secrets, KEY_ENCRYPTION_KEY_PREVIOUS: e.KEY_ENCRYPTION_KEY_PREVIOUS ?? null },
  };
}

/**
 * The database and the data folder alone, read without touching secrets.json: restore must not
 * generate secrets into the empty folder it is about to fill (nor backup into the one it reads).
 */
export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'database' | 'dataDir'> {
  const parsed = EnvSchema.pick({ DATABASE_URL: true, DATA_DIR: true }).safeParse(setVariables(env));
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  return storageOf(parsed.data);
}

/** An empty variable (a blank line in a compose file) means "not set", not "empty". */
function setVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

function invalidConfiguration(error: z.ZodError): ConfigError {
  const lines = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

function storageOf(e: { DATABASE_URL: string; DATA_DIR?: string | undefined }): Pick<Config, 'database' | 'dataDir'> {
  const database = parseDatabaseUrl(e.DATABASE_URL);
  const dataDir = path.resolve(e.DATA_DIR ?? (database.kind === 'sqlite' && database.path !== ':memory:' ? path.dirname(database.path) : './data'));
  return { database, dataDir };
}

/** A signed-note origin is a schema-less URL: `trace.example.vn/log`. */
function defaultLogOrigin(publicBaseUrl: string): string {
  const url = new URL(publicBaseUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/log`;
}

function resolveSecrets(
  given: Partial<Record<SecretName, string>>,
  nodeEnv: Config['env'],
  dataDir: string,
): Record<SecretName, string> {
  const missing = SECRET_NAMES.filter((name) => !given[name]);
  if (missing.length === 0) return { JWT_SECRET: given.JWT_SECRET!, KEY_ENCRYPTION_KEY: given.KEY_ENCRYPTION_KEY! };
  if (nodeEnv === 'production') {
    throw new ConfigError(
      `${missing.join(' and ')} must be set in production (at least 32 random characters each, ` +
        `e.g. \`openssl rand -base64 48\`); the service never runs in production with generated or default secrets.`,
    );
  }
  const file = path.join(dataDir, 'secrets.json');
  let stored: Partial<Record<SecretName, string>> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<SecretName, string>>;
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    // Written whole under another name, flushed, then renamed: a process killed on its first start
    // never leaves a truncated secrets.json that would keep every later start from reading it.
    const temporary = `${file}.${process.pid}.tmp`;
    const handle = openSync(temporary, 'w', 0o600);
    try {
      writeFileSync(handle, JSON.stringify(stored, null, 2) + '\n');
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }
  const result = {} as Record<SecretName, string>;
  for (const name of SECRET_NAMES) result[name] = given[name] ?? (stored[name] as string);
  return result;
}
