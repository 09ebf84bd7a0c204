/**
 * The one error hierarchy. Services throw AppErrors; the store throws its own storage-level errors,
 * which `fromStorageError` turns into the AppError they stand for. The problem middleware turns
 * them into RFC 9457 application/problem+json responses. Anything else that escapes is a 500.
 */
import type { ErrorParams, FieldError, FieldErrorCode, ProblemCode } from '../domain/problem-codes.js';
import { UniquenessViolation } from '../store/store-errors.js';

export type { ErrorParams, FieldError, FieldErrorCode, ProblemCode } from '../domain/problem-codes.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The stable machine code (docs/errors.md); `params` holds the values its message is written with. */
  code: ProblemCode;
  params?: ErrorParams;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Problem type URIs are relative references to /problems/<slug> on the service itself. */
export const problemType = (slug: string): string => `/problems/${slug}`;

/**
 * The EPCIS 2.0 REST binding names its own problem types (`epcisException:QueryParameterException`,
 * `epcisException:NoSuchResourceException`, …). EPCIS routes declare which of these their 400s,
 * 404s and 413s carry (the router retypes the usual errors below), so there is one error hierarchy.
 */
export const epcisExceptionType = (name: string): string => `epcisException:${name}`;

/**
 * Every AppError names a problem `code` from the closed list in domain/problem-codes.ts (each code
 * is documented, with its status and params, in docs/errors.md) and every field error a field-error
 * code; the English `detail` and `message` stay beside them for people reading raw responses.
 */
export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: ProblemCode;
  readonly params: ErrorParams | undefined;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(options: {
    status: number;
    type: string;
    code: ProblemCode;
    params?: ErrorParams;
    title: string;
    detail: string;
    errors?: FieldError[];
    headers?: Record<string, string>;
    extensions?: Record<string, unknown>;
  }) {
    super(options.detail);
    this.name = new.target.name;
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.params = options.params;
    this.title = options.title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  /** The same failure (and the same code) under another problem type (e.g. an EPCIS exception type). */
  withType(type: string): AppError {
    return new AppError({
      status: this.status,
      type,
      code: this.code,
      ...(this.params ? { params: this.params } : {}),
      title: this.title,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      headers: this.headers,
      extensions: this.extensions,
    });
  }

  toProblem(): ProblemDetails {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.params ? { params: this.params } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail?: string) {
    super({
      status: 400,
      type: problemType('validation-error'),
      code: 'validation-failed',
      title: 'The request is not valid',
      detail: detail ?? errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; '),
      errors,
    });
  }

  static field(path: string, code: FieldErrorCode, message: string, params?: ErrorParams): ValidationError {
    return new ValidationError([{ path, code, message, ...(params ? { params } : {}) }]);
  }
}

type UnauthorizedCode = Extract<ProblemCode, 'unauthorized' | 'wrong-credentials' | 'wrong-phone-or-pin' | 'token-invalid' | 'api-key-invalid' | 'authorization-malformed'>;

export class UnauthorizedError extends AppError {
  constructor(code: UnauthorizedCode = 'unauthorized', detail = 'A valid bearer token or API key is required.') {
    super({
      status: 401,
      type: problemType('unauthorized'),
      code,
      title: 'Authentication required',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

type ForbiddenCode = Extract<ProblemCode, 'role-not-allowed' | 'not-lot-custodian' | 'not-lot-owner' | 'not-step-recorder' | 'not-a-cooperative' | 'not-organization-admin'>;

export class ForbiddenError extends AppError {
  constructor(code: ForbiddenCode, detail: string, params?: ErrorParams) {
    super({ status: 403, type: problemType('forbidden'), code, ...(params ? { params } : {}), title: 'Not allowed', detail });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super({ status: 404, type: problemType('not-found'), code: 'not-found', title: 'Not found', detail: `${what} was not found.` });
  }
}

type ConflictCode = Extract<ProblemCode & FieldErrorCode, 'lot-in-transit' | 'logo-missing' | 'no-phone-login'> | 'conflict';

/**
 * 409: the request clashes with what is stored. A record that already exists is code `conflict`
 * with a `duplicate` field error on the field it repeats; other clashes have their own code, the
 * same for the problem and its field error.
 */
export class ConflictError extends AppError {
  constructor(detail: string, path?: string, code: ConflictCode = 'conflict') {
    super({
      status: 409,
      type: problemType('conflict'),
      code,
      title: 'Conflict',
      detail,
      ...(path ? { errors: [{ path, code: code === 'conflict' ? 'duplicate' : code, message: detail }] } : {}),
    });
  }
}

/**
 * The AppError a storage-level error stands for (a broken uniqueness rule is a 409 naming the
 * field the rule protects); any other error is returned as it is.
 */
export function fromStorageError(error: unknown): unknown {
  if (error instanceof UniquenessViolation) return new ConflictError(error.message, error.field ?? undefined);
  return error;
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super({
      status: 413,
      type: problemType('payload-too-large'),
      code: 'payload-too-large',
      params: { limit },
      title: 'Payload too large',
      detail: `The request body exceeds the limit of ${limit} for this route.`,
    });
  }
}

export class RequestTimeoutError extends AppError {
  constructor(seconds: number) {
    super({
      status: 408,
      type: problemType('request-timeout'),
      code: 'request-timeout',
      params: { seconds },
      title: 'Request timeout',
      detail: `The request body did not arrive within ${seconds} s; send it again.`,
      errors: [{ path: '(body)', code: 'body-timeout', message: `not received within ${seconds} s`, params: { seconds } }],
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super({
      status: 415,
      type: problemType('unsupported-media-type'),
      code: 'unsupported-media-type',
      params: { expected },
      title: 'Unsupported media type',
      detail: `This route takes ${expected}.`,
    });
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super({
      status: 429,
      type: problemType('rate-limited'),
      code: 'rate-limited',
      params: { retryAfterSeconds },
      title: 'Too many requests',
      detail: `Too many requests; try again in ${retryAfterSeconds} s.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
