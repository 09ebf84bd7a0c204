/**
 * The one error hierarchy. Services throw AppErrors; the store throws its own storage-level errors,
 * which `fromStorageError` turns into the AppError they stand for. The problem middleware turns
 * them into RFC 9457 application/problem+json responses. Anything else that escapes is a 500.
 */
import { UniquenessViolation } from '../store/store-errors.js';

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
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

export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(options: {
    status: number;
    type: string;
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
    this.title = options.title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  /** The same failure under another problem type (e.g. an EPCIS exception type). */
  withType(type: string): AppError {
    return new AppError({
      status: this.status,
      type,
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
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail?: string) {
    super({
      status: 400,
      type: problemType('validation-error'),
      title: 'The request is not valid',
      detail: detail ?? errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; '),
      errors,
    });
  }

  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'A valid bearer token or API key is required.') {
    super({
      status: 401,
      type: problemType('unauthorized'),
      title: 'Authentication required',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super({ status: 403, type: problemType('forbidden'), title: 'Not allowed', detail });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super({ status: 404, type: problemType('not-found'), title: 'Not found', detail: `${what} was not found.` });
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, path?: string) {
    super({
      status: 409,
      type: problemType('conflict'),
      title: 'Conflict',
      detail,
      ...(path ? { errors: [{ path, message: detail }] } : {}),
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
      title: 'Request timeout',
      detail: `The request body did not arrive within ${seconds} s; send it again.`,
      errors: [{ path: '(body)', message: `not received within ${seconds} s` }],
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super({
      status: 415,
      type: problemType('unsupported-media-type'),
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
      title: 'Too many requests',
      detail: `Too many requests; try again in ${retryAfterSeconds} s.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
