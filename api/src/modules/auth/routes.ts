import type { RequestHandler } from 'express';
import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, LoginRequest, LoginResponse, PhoneLoginRequest } from './schema.js';
import type { AuthService } from './service.js';

/**
 * Login limits: attempts per client address, and failed attempts per account from any address.
 * Both logins (email and password, phone and PIN) go through the same two limiters, so a client
 * has one budget whichever it tries, and an account one count of failures.
 */
export interface LoginLimiters {
  perClient: RequestHandler;
  perAccount: RequestHandler;
}

export function authRoutes(api: ApiRouter, auth: AuthService, loginLimiters: LoginLimiters): void {
  api.route(
    {
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Exchange email and password for a short-lived bearer token',
      tag: 'auth',
      auth: 'public',
      body: LoginRequest,
      before: [loginLimiters.perClient],
      afterBody: [loginLimiters.perAccount],
      responses: [{ status: 200, description: 'Token', schema: LoginResponse }],
    },
    async ({ body }) => ({ status: 200, body: await auth.login(body.email, body.password) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/auth/phone-login',
      summary: 'Exchange a phone number and PIN (farmers’ logins, set by their cooperative’s admin) for a short-lived bearer token',
      tag: 'auth',
      auth: 'public',
      body: PhoneLoginRequest,
      before: [loginLimiters.perClient],
      afterBody: [loginLimiters.perAccount],
      responses: [{ status: 200, description: 'Token', schema: LoginResponse }],
    },
    async ({ body }) => ({ status: 200, body: await auth.loginWithPhone(body.phone, body.pin) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/api-keys',
      summary: 'Create an API key for a machine client (the token is shown once)',
      tag: 'auth',
      auth: 'token',
      body: ApiKeyCreate,
      // The answer holds the key's only plaintext copy; it must not be kept for replays.
      idempotent: false,
      responses: [{ status: 201, description: 'Created', schema: ApiKeyCreated }],
    },
    async ({ body, actor }) => {
      const key = await auth.createApiKey(actor, body);
      return { status: 201, body: key, location: `/api/v1/api-keys/${key.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/api-keys',
      summary: 'List the organization’s API keys',
      tag: 'auth',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of keys', schema: listResponseSchema(ApiKey) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await auth.listApiKeys(actor, toPageRequest(query)), (k) => k) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/api-keys/:id',
      summary: 'One API key (never its secret)',
      tag: 'auth',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Key', schema: ApiKey }],
    },
    async ({ params, actor }) => ({ status: 200, body: await auth.getApiKey(actor, params.id) }),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/v1/api-keys/:id',
      summary: 'Revoke an API key',
      tag: 'auth',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Revoked key', schema: ApiKey }],
    },
    async ({ params, actor }) => ({ status: 200, body: await auth.revokeApiKey(actor, params.id) }),
  );
}
