import { z } from 'zod';
import { isFieldErrorCode, type ErrorParams, type FieldErrorCode } from '../domain/problem-codes.js';
import { ValidationError, type FieldError } from './errors.js';

/** Dotted path with [n] for array indices, e.g. `geometry.coordinates[0][3]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * A refinement's message with its field-error code, for `.refine(check, refinement(…))` and
 * `ctx.addIssue({ code: 'custom', path, ...refinement(…) })`: zod keeps `params` on the issue,
 * and `zodIssuesToFieldErrors` answers with the code and the other params.
 */
export function refinement(code: FieldErrorCode, message: string, params?: ErrorParams): { message: string; params: ErrorParams & { code: FieldErrorCode } } {
  return { message, params: { ...params, code } };
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function numberParam(value: unknown): number | string {
  return typeof value === 'bigint' ? String(value) : (value as number);
}

/** The code and params of one zod issue (zod's issue kinds, or the code a refinement carries). */
function codeOf(issue: z.core.$ZodIssue, input: unknown): Pick<FieldError, 'code' | 'params'> {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? { code: 'required' } : { code: 'invalid-type', params: { expected: issue.expected } };
    case 'too_small':
      return { code: 'too-small', params: { minimum: numberParam(issue.minimum), origin: issue.origin } };
    case 'too_big':
      return { code: 'too-big', params: { maximum: numberParam(issue.maximum), origin: issue.origin } };
    case 'invalid_format':
      return { code: 'invalid-format', params: { format: issue.format } };
    case 'not_multiple_of':
      return { code: 'not-multiple-of', params: { divisor: numberParam(issue.divisor) } };
    case 'unrecognized_keys':
      return { code: 'unknown-field', params: { fields: issue.keys.join(', ') } };
    case 'invalid_value':
      return { code: 'invalid-value', params: { values: issue.values.map(String).join(', ') } };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, string | number>;
      if (isFieldErrorCode(code)) return Object.keys(params).length ? { code, params } : { code };
      return { code: 'invalid-value' };
    }
    default:
      return { code: 'invalid-value' };
  }
}

export function zodIssuesToFieldErrors(error: z.ZodError, prefix = '', input?: unknown): FieldError[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path, prefix) || '(body)';
    const { code, params } = codeOf(issue, input);
    const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message;
    return { path, code, message, ...(params ? { params } : {}) };
  });
}

/** Parses `input` with `schema`, throwing a 400 ValidationError that names every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssuesToFieldErrors(result.error, prefix, input));
  return result.data;
}
