import { isFieldErrorCode, isProblemCode } from '../../../src/domain/problem-codes.js';

/** The answer the service owes any request, however hostile: what the fuzz properties check. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface AnswerRules {
  /** Statuses besides 2xx and 4xx that the route may answer (the resolver's 307). */
  alsoAllowed?: number[];
  /** A 4xx may be an HTML page instead of problem+json (the resolver's pages for browsers). */
  htmlErrorsAllowed?: boolean;
}

/** Why `answer` breaks the contract, or null when it keeps it. */
export function contractViolation(answer: RawAnswer, rules: AnswerRules = {}): string | null {
  const { status } = answer;
  const ok = (status >= 200 && status < 300) || (rules.alsoAllowed ?? []).includes(status);
  if (ok) return null;
  if (status < 400 || status >= 500) return `status ${status} (expected 2xx or 4xx): ${answer.body.toString('utf8').slice(0, 500)}`;
  const contentType = String(answer.headers['content-type'] ?? '');
  if (rules.htmlErrorsAllowed && contentType.startsWith('text/html')) return null;
  if (!contentType.startsWith('application/problem+json')) return `a ${status} with Content-Type "${contentType}" instead of application/problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return `a ${status} whose problem body is not JSON: ${answer.body.toString('utf8').slice(0, 200)}`;
  }
  for (const field of ['type', 'title', 'detail'] as const) {
    if (typeof problem[field] !== 'string' || problem[field] === '') return `a ${status} problem without a "${field}": ${JSON.stringify(problem).slice(0, 300)}`;
  }
  if (problem.status !== status) return `a ${status} problem whose "status" is ${JSON.stringify(problem.status)}`;
  // Every code is one of the closed, documented lists (docs/errors.md; error-codes.test.ts holds the two together).
  if (!isProblemCode(problem.code)) return `a ${status} problem whose "code" ${JSON.stringify(problem.code)} is not a documented problem code`;
  const errors = problem.errors;
  if (String(problem.type).endsWith('/validation-error') && !(Array.isArray(errors) && errors.length > 0)) return `a validation problem without "errors": ${JSON.stringify(problem).slice(0, 300)}`;
  if (errors !== undefined) {
    if (!Array.isArray(errors)) return `"errors" is not an array: ${JSON.stringify(errors).slice(0, 200)}`;
    const bad = errors.find((e: unknown) => typeof (e as { path?: unknown })?.path !== 'string' || typeof (e as { message?: unknown })?.message !== 'string');
    if (bad !== undefined) return `an "errors" item without a string path and message: ${JSON.stringify(bad).slice(0, 200)}`;
    const uncoded = errors.find((e: unknown) => !isFieldErrorCode((e as { code?: unknown })?.code));
    if (uncoded !== undefined) return `an "errors" item whose "code" is not a documented field-error code: ${JSON.stringify(uncoded).slice(0, 200)}`;
  }
  return null;
}

/** Own properties of the built-in prototypes: a pollution shows up as a difference. */
export function prototypeShape(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) => Reflect.ownKeys(proto).map(String).sort().join(',')).join('|');
}
