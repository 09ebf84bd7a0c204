import { z } from 'zod';
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

export function zodIssuesToFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return {
        path: formatPath(issue.path, prefix) || '(body)',
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`,
      };
    }
    return { path: formatPath(issue.path, prefix) || '(body)', message: issue.message };
  });
}

/** Parses `input` with `schema`, throwing a 400 ValidationError that names every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssuesToFieldErrors(result.error, prefix));
  return result.data;
}
