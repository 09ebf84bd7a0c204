import type { Test } from 'supertest';

/**
 * The routes to fuzz, read from the service's OpenAPI document (generated from the ApiRouter's
 * route registry), so a route added to the API is fuzzed without touching the fuzz suite.
 */
export interface RouteParam {
  name: string;
  /** JSON Schema of the parameter; its `enum` values are tried as they are. */
  schema: { enum?: unknown[] };
}

export interface FuzzRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/api/v1/batches/{id}/steps/{stepId}`. */
  template: string;
  pathParams: RouteParam[];
  queryParams: RouteParam[];
  body: 'json' | 'multipart' | 'none';
  key: string;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; schema?: { enum?: unknown[] } }>;
  requestBody?: { content: Record<string, unknown> };
}

export function routesOf(openapi: { paths: Record<string, Record<string, OpenApiOperation>> }): FuzzRoute[] {
  return Object.entries(openapi.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, op]) => {
      const params = (where: string) => (op.parameters ?? []).filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      const content = op.requestBody?.content ?? {};
      return {
        method: method as FuzzRoute['method'],
        template,
        pathParams: params('path'),
        queryParams: params('query'),
        body: 'multipart/form-data' in content ? 'multipart' : 'application/json' in content ? 'json' : 'none',
        key: `${method.toUpperCase()} ${template}`,
      } satisfies FuzzRoute;
    }),
  );
}

/** Real values of path parameters, by the path before the parameter and its name (`/api/v1/plots` + `id`). */
export type KnownValues = Map<string, string[]>;

const knownKey = (prefix: string, name: string) => `${prefix} ${name}`;

/**
 * Values worth trying for `param` of `route`: the schema's enum and the ids of real resources
 * (the list's items carry the parameter's name, e.g. `kid`, or else `id`, e.g. for `{stepId}`).
 */
export function knownValuesFor(route: FuzzRoute, param: RouteParam, known: KnownValues): string[] {
  const prefix = route.template.slice(0, route.template.indexOf(`/{${param.name}}`));
  const ids = known.get(knownKey(prefix, param.name)) ?? known.get(knownKey(prefix, 'id')) ?? [];
  return [...(param.schema.enum ?? []).map(String), ...ids];
}

/** `route.template` with `values` in place of its parameters, each percent-encoded already. */
export function fillTemplate(template: string, encodedValues: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodedValues[i++] ?? '');
}

/**
 * Collects the ids of real resources by reading every list route (GET without a body whose answer
 * holds arrays of objects), parent lists first, so nested lists (a lot's steps) are read with a real parent id.
 */
export async function discoverKnownValues(routes: FuzzRoute[], get: (url: string) => Test): Promise<KnownValues> {
  const known: KnownValues = new Map();
  const lists = routes.filter((r) => r.method === 'get' && !/\{[^}]+\}$/.test(r.template)).sort((a, b) => a.pathParams.length - b.pathParams.length);
  for (const route of lists) {
    const values = route.pathParams.map((p) => knownValuesFor(route, p, known)[0]);
    if (values.some((v) => v === undefined)) continue;
    const res = await get(fillTemplate(route.template, values.map((v) => encodeURIComponent(v!))));
    if (res.status !== 200 || !String(res.headers['content-type']).includes('json')) continue;
    for (const item of objectsIn(res.body, 4)) {
      for (const [name, value] of Object.entries(item)) {
        if (typeof value !== 'string' || !/^(id|[a-z]+Id|kid|captureID|eventID)$/.test(name)) continue;
        const key = knownKey(route.template, name);
        const list = known.get(key) ?? [];
        if (!list.includes(value) && list.length < 20) list.push(value);
        known.set(key, list);
      }
    }
  }
  return known;
}

function objectsIn(value: unknown, depth: number): Array<Record<string, unknown>> {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [v as Record<string, unknown>, ...objectsIn(v, depth - 1)] : []));
  return Object.values(value).flatMap((v) => objectsIn(v, depth - 1));
}
