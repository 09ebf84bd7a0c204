import { createHash } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Actor } from './auth.js';
import { AppError, type FieldError, PayloadTooLargeError, RequestTimeoutError, UnauthorizedError, UnsupportedMediaTypeError, ValidationError, problemType } from './errors.js';
import { parseOrThrow } from './validation.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { IdempotencyRepository } from '../store/port.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

type AuthMode = 'token' | 'public';

export interface RouteSpec<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  A extends AuthMode = AuthMode,
> {
  method: Method;
  /** Express path, e.g. `/api/v1/plots/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** 'token': a bearer token or API key is required; 'public': none is. */
  auth: A;
  body?: B;
  query?: Q;
  params?: P;
  /** JSON body limit for this route (default 1mb). */
  bodyLimit?: string;
  responses: RouteResponse[];
  /** Middleware run once the caller is known (`res.locals.actor`) and before the body is read: rate limiters keyed by caller. */
  before?: RequestHandler[];
  /** Middleware run once the JSON body is parsed: a rate limiter keyed by a field of it (the login's account: email or phone). */
  afterBody?: RequestHandler[];
  /** false: Idempotency-Key is not honoured (the answer carries a secret that must not be stored). */
  idempotent?: boolean;
  /**
   * Problem types of this route's failures by status, instead of the project's (a 400 of the
   * parameters, the body or the service alike): the EPCIS routes answer with the standard's
   * exception types this way.
   */
  problemTypes?: Partial<Record<400 | 404 | 413, string>>;
  /** Headers sent with every answer of this route, errors included (e.g. the EPCIS version headers). */
  headers?: Record<string, string>;
  /** multipart/form-data upload: the repeatable file field and its limits, instead of a JSON body. */
  upload?: { field: string; maxFiles: number; maxFileBytes: number; maxConcurrent: number };
}

/**
 * CORS for the public reads a verifier on another site needs (keys, bundles, the log, EPCIS
 * documents, images): any origin may read them, without credentials. The rest of the API sends
 * no CORS headers, so browsers keep other sites away from it.
 */
export const READABLE_FROM_ANY_ORIGIN: Record<string, string> = { 'Access-Control-Allow-Origin': '*' };

/** A file of a multipart upload, in memory (uploads are bounded by the route's limits). */
export interface UploadedFile {
  bytes: Buffer;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteContext<B, Q, P, A extends AuthMode> {
  body: B;
  query: Q;
  params: P;
  /** Always present on token routes; present on public routes only when a credential was sent. */
  actor: A extends 'token' ? Actor : Actor | null;
  /** The uploaded files of an `upload` route (empty otherwise). */
  files: UploadedFile[];
  req: Request;
}

/** What a handler returns; `undefined` body means no content. */
export interface RouteResult {
  status: number;
  body?: unknown;
  location?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Writes a streamed body (exports) instead of `body`; the response ends when it resolves. */
  stream?: (out: NodeJS.WritableStream) => Promise<unknown>;
}

export type Authenticator = (bearer: string) => Promise<Actor>;

/** A claim still pending after this long belongs to a request that died; a retry may take it over. */
const ABANDONED_CLAIM_MS = 5 * 60_000;

const IdempotencyKey = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const DEFAULT_BODY_LIMIT = '1mb';

/**
 * Declares HTTP routes with their zod schemas. One declaration validates the request
 * (unknown fields rejected by the strict schemas), authenticates, applies Idempotency-Key to
 * POSTs, shapes the response and feeds the OpenAPI document.
 */
export class ApiRouter {
  readonly router: Router = Router();
  readonly specs: Array<RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>> = [];

  constructor(
    private readonly authenticate: Authenticator,
    private readonly idempotency: IdempotencyRepository,
    private readonly limits: {
      /** Run on every upload route before its body is read: uploads per caller. */
      uploadRateLimiter: RequestHandler;
      /** How long a JSON body may take to arrive once its headers have (a slow body gets 408). */
      bodyTimeoutMs: number;
    },
  ) {}

  route<
    A extends AuthMode,
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<B, Q, P, A>, handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>, A>) => Promise<RouteResult>): void {
    this.specs.push(spec as RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>);
    const middleware: RequestHandler[] = [];
    if (spec.headers) {
      const headers = spec.headers;
      middleware.push((_req, res, next) => {
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        next();
      });
    }
    // Credentials are checked before any body is read, so anonymous clients cannot make us buffer uploads.
    middleware.push(async (req, res, next) => {
      res.locals.actor = await this.resolveActor(req, spec.auth);
      next();
    });
    middleware.push(...(spec.before ?? []));
    if (spec.upload) middleware.push(this.limits.uploadRateLimiter, this.uploadGate(spec.upload.maxConcurrent), multipartBody(spec.upload));
    else if (spec.body) middleware.push(jsonBody(spec.bodyLimit ?? DEFAULT_BODY_LIMIT, this.limits.bodyTimeoutMs));
    middleware.push(...(spec.afterBody ?? []));
    middleware.push(async (req, res) => {
      const actor = res.locals.actor as Actor | null;
      const files: UploadedFile[] = ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({ bytes: f.buffer }));
      const params = (spec.params ? parseOrThrow(spec.params, req.params) : undefined) as Infer<P>;
      const query = (spec.query ? parseOrThrow(spec.query, req.query) : undefined) as Infer<Q>;
      const body = (spec.body ? parseOrThrow(spec.body, req.body) : undefined) as Infer<B>;
      const context = { body, query, params, actor, files, req } as RouteContext<Infer<B>, Infer<Q>, Infer<P>, A>;
      const run = () => handler(context);
      const idempotent = spec.method === 'post' && actor !== null && spec.idempotent !== false;
      const result = idempotent ? await this.withIdempotency(req, actor, files, run) : await run();
      await send(res, result);
    });
    const types = spec.problemTypes;
    if (types) {
      const retype: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
        const type = error instanceof AppError ? types[error.status as keyof typeof types] : undefined;
        next(type && error instanceof AppError ? error.withType(type) : error);
      };
      this.router[spec.method](spec.path, ...middleware, retype);
    } else {
      this.router[spec.method](spec.path, ...middleware);
    }
  }

  private uploadsInFlight = 0;

  /**
   * Uploads are buffered and decoded in memory, so only so many run at once across all upload
   * routes; past that a client gets 503 with Retry-After before its body is read.
   */
  private uploadGate(maxConcurrent: number): RequestHandler {
    return (_req, res, next) => {
      if (this.uploadsInFlight >= maxConcurrent) {
        next(
          new AppError({
            status: 503,
            type: problemType('uploads-busy'),
            code: 'uploads-busy',
            params: { maximum: maxConcurrent },
            title: 'Too many uploads at once',
            detail: `At most ${maxConcurrent} uploads are processed at a time; retry shortly.`,
            headers: { 'Retry-After': '5' },
          }),
        );
        return;
      }
      this.uploadsInFlight++;
      res.once('close', () => {
        this.uploadsInFlight--;
      });
      next();
    };
  }

  private async resolveActor(req: Request, auth: AuthMode): Promise<Actor | null> {
    const header = req.get('authorization');
    if (!header) {
      if (auth === 'token') throw new UnauthorizedError();
      return null;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('authorization-malformed', 'The Authorization header must be "Bearer <token>".');
    return this.authenticate(match[1]);
  }

  /**
   * Same key and same request: the stored response is replayed and nothing is written again.
   * Same key, different request: 422. A key whose first request is still running: 409.
   */
  private async withIdempotency(req: Request, actor: Actor, files: UploadedFile[], run: () => Promise<RouteResult>): Promise<RouteResult> {
    const header = req.get('idempotency-key');
    if (header === undefined) return run();
    const key = parseOrThrow(IdempotencyKey, header, 'Idempotency-Key');
    const scope = `${actor.orgId}:${actor.userId ?? actor.apiKeyId}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.baseUrl}${req.path}\n${canonicalJson(req.body ?? null)}`)
      .update(files.map((f) => createHash('sha256').update(f.bytes).digest('hex')).join(','))
      .digest('hex');
    const claim = { scope, key, requestHash, state: 'pending' as const, status: null, body: null, location: null, createdAt: new Date().toISOString() };
    let existing = await this.idempotency.claim(claim);
    if (existing?.state === 'pending' && Date.now() - Date.parse(existing.createdAt) > ABANDONED_CLAIM_MS) {
      await this.idempotency.release(scope, key);
      existing = await this.idempotency.claim(claim);
    }
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new AppError({
          status: 422,
          type: problemType('idempotency-key-reused'),
          code: 'idempotency-key-reused',
          title: 'Idempotency-Key reused',
          detail: 'This Idempotency-Key was already used for a different request; use a new key for a new request.',
          errors: [{ path: 'Idempotency-Key', code: 'idempotency-key-reused', message: 'already used for a different request' }],
        });
      }
      if (existing.state === 'pending') {
        throw new AppError({
          status: 409,
          type: problemType('idempotency-key-in-progress'),
          code: 'idempotency-key-in-progress',
          title: 'Request in progress',
          detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
          headers: { 'Retry-After': '1' },
        });
      }
      return {
        status: existing.status ?? 200,
        body: existing.body,
        ...(existing.location ? { location: existing.location } : {}),
        headers: { 'Idempotent-Replayed': 'true' },
      };
    }
    try {
      const result = await run();
      if (result.status >= 200 && result.status < 300) {
        await this.idempotency.complete(scope, key, result.status, result.body ?? null, result.location ?? null);
      } else {
        await this.idempotency.release(scope, key);
      }
      return result;
    } catch (error) {
      await this.idempotency.release(scope, key);
      throw error;
    }
  }
}

function multipartBody(upload: NonNullable<RouteSpec<undefined, undefined, undefined>['upload']>): RequestHandler {
  const parser = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: upload.maxFileBytes, files: upload.maxFiles, fields: 0, parts: upload.maxFiles, fieldNameSize: 100, headerPairs: 50 },
  }).array(upload.field, upload.maxFiles);
  const megabytes = `${Math.round(upload.maxFileBytes / 1024 / 1024)} MB`;
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new UnsupportedMediaTypeError(`multipart/form-data with the files in the field "${upload.field}"`));
      return;
    }
    parser(req, res, (error?: unknown) => {
      if (!error) return next();
      if (!(error instanceof multer.MulterError)) {
        return next(ValidationError.field('(body)', 'multipart-malformed', `the multipart body is malformed: ${(error as Error).message}`));
      }
      switch (error.code) {
        case 'LIMIT_FILE_SIZE':
          return next(new AppError({ status: 413, type: problemType('payload-too-large'), code: 'file-too-large', params: { limit: megabytes }, title: 'File too large', detail: `Each file may be at most ${megabytes}.`, errors: [{ path: upload.field, code: 'file-too-large', message: `larger than ${megabytes}`, params: { limit: megabytes } }] }));
        case 'LIMIT_FILE_COUNT':
        case 'LIMIT_PART_COUNT':
          return next(new AppError({ status: 413, type: problemType('too-many-files'), code: 'too-many-files', params: { maximum: upload.maxFiles }, title: 'Too many files', detail: `At most ${upload.maxFiles} files per request.`, errors: [{ path: upload.field, code: 'too-many-files', message: `more than ${upload.maxFiles} files`, params: { maximum: upload.maxFiles } }] }));
        case 'LIMIT_UNEXPECTED_FILE':
          return next(ValidationError.field(error.field ?? '(body)', 'unexpected-file-field', `unexpected file field; send files in "${upload.field}"`, { field: upload.field }));
        case 'LIMIT_FIELD_COUNT':
          return next(ValidationError.field(error.field ?? '(body)', 'unexpected-file-field', `only files are accepted, in "${upload.field}"`, { field: upload.field }));
        default:
          return next(ValidationError.field(error.field ?? '(body)', 'multipart-malformed', error.message));
      }
    });
  };
}

/**
 * Deepest JSON body accepted (our documents, EPCIS and provenance bundles included, nest about a
 * dozen levels): what runs after parsing (canonical JSON for Idempotency-Key, schema validators,
 * JSON-LD) recurses, and a body nested thousands deep overflowed its stack into a 500.
 */
export const MAX_JSON_DEPTH = 64;

/** Half of a UTF-16 surrogate pair with no other half: JSON's `\uD800` escapes can write one, no text holds one. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * What makes a parsed body unfit for the code after the parser (canonical JSON for the
 * Idempotency-Key, schema validators, JSON-LD, SQLite text): nesting deeper than `maxDepth`, or a
 * key or string that is not valid Unicode. Iterative, so any depth is safe to ask about.
 */
function bodyShapeProblem(value: unknown, maxDepth: number): FieldError | null {
  const pending: Array<[unknown, number, string]> = [[value, 0, '']];
  while (pending.length > 0) {
    const [item, depth, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return { path: path || '(body)', code: 'not-text', message: 'holds a lone UTF-16 surrogate, which is not text' };
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= maxDepth) return { path: '(body)', code: 'body-too-deep', message: `the body nests deeper than ${maxDepth} levels`, params: { maximum: maxDepth } };
    for (const [key, child] of Object.entries(item)) {
      const childPath = Array.isArray(item) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return { path: path || '(body)', code: 'not-text', message: 'has a key holding a lone UTF-16 surrogate, which is not text' };
      pending.push([child, depth + 1, childPath]);
    }
  }
  return null;
}

function jsonBody(limit: string, timeoutMs: number): RequestHandler {
  const parser = express.json({ limit, strict: false, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    const hasBody = req.headers['content-length'] !== '0' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
    if (hasBody && !req.is('application/json') && !req.is('application/*+json')) {
      next(new UnsupportedMediaTypeError('application/json'));
      return;
    }
    // A client trickling its body holds a connection and a parser; past the timeout it gets 408
    // and the connection is closed (whatever the parser reports after that is dropped).
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      res.setHeader('Connection', 'close');
      next(new RequestTimeoutError(timeoutMs / 1000));
    }, timeoutMs);
    parser(req, res, (error?: unknown) => {
      clearTimeout(timer);
      if (timedOut) return;
      if (!error) {
        const problem = bodyShapeProblem(req.body, MAX_JSON_DEPTH);
        if (problem) return next(new ValidationError([problem]));
        return next();
      }
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') return next(new PayloadTooLargeError(limit));
      if (type === 'entity.parse.failed') return next(ValidationError.field('(body)', 'invalid-json', 'the body is not valid JSON'));
      if (type === 'charset.unsupported' || type === 'encoding.unsupported') return next(new UnsupportedMediaTypeError('UTF-8 JSON'));
      next(error);
    });
  };
}

async function send(res: Response, result: RouteResult): Promise<void> {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.location) res.location(result.location);
  res.status(result.status);
  if (result.stream) {
    if (result.contentType) res.type(result.contentType);
    await result.stream(res);
    res.end();
  } else if (result.body === undefined) {
    res.end();
  } else if (result.contentType) {
    res.type(result.contentType).send(result.body);
  } else {
    res.json(result.body);
  }
}
