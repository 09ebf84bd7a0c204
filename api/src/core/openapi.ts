import { z } from 'zod';
import type { ApiRouter, RouteSpec } from './api-router.js';
import { FIELD_ERROR_CODES, PROBLEM_CODES } from '../domain/problem-codes.js';

const PARAMS_SCHEMA = { type: 'object', additionalProperties: { type: ['string', 'number'] }, description: 'The values the code’s message is written with' };

/** RFC 9457 problem details with the stable codes of docs/errors.md. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: [...PROBLEM_CODES] },
    params: PARAMS_SCHEMA,
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'code', 'message'],
        properties: { path: { type: 'string' }, code: { type: 'string', enum: [...FIELD_ERROR_CODES] }, message: { type: 'string' }, params: PARAMS_SCHEMA },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The multipart body of an upload route: its repeatable file field (binary parts, OpenAPI 3.1 style). */
function uploadSchema(upload: NonNullable<RouteSpec<undefined, undefined, undefined>['upload']>): Record<string, unknown> {
  return {
    type: 'object',
    required: [upload.field],
    properties: { [upload.field]: { type: 'array', minItems: 1, maxItems: upload.maxFiles, items: { type: 'string', contentMediaType: 'application/octet-stream' } } },
    additionalProperties: false,
  };
}

/** OpenAPI 3.1 document generated from the routes' zod schemas (JSON Schema 2020-12 throughout). */
export function buildOpenApi(routers: ApiRouter[], info: { title: string; version: string; serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routers.flatMap((r) => r.specs)) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    if (spec.params) {
      const props = (jsonSchema(spec.params, 'input').properties ?? {}) as Record<string, unknown>;
      for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'path', required: true, schema });
    }
    if (spec.query) {
      const s = jsonSchema(spec.query, 'input');
      const required = new Set((s.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema });
      }
    }
    if (spec.method === 'post' && spec.auth === 'token') {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } });
    }
    const responses: Record<string, unknown> = {};
    for (const r of spec.responses) {
      responses[String(r.status)] = {
        description: r.description,
        ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } } : {}),
      };
    }
    responses['4XX'] = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.auth === 'token' ? { security: [{ bearer: [] }] } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
      ...(spec.upload ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: uploadSchema(spec.upload) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Login token (JWT) or API key (ftk_…)' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  };
}
