import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import type { MediaLimits } from '../../media/media-pipeline.js';
import type { OrganizationLogoService } from './logo-service.js';
import { Organization, OrganizationCreate, PinReset, User, UserCreate } from './schema.js';
import type { OrganizationService } from './service.js';

export function organizationRoutes(api: ApiRouter, organizations: OrganizationService, logos: OrganizationLogoService, uploadLimits: MediaLimits): void {
  api.route(
    {
      method: 'post',
      path: '/api/v1/organizations',
      summary: 'Register a member farm household of the caller’s cooperative',
      tag: 'organizations',
      auth: 'token',
      body: OrganizationCreate,
      responses: [{ status: 201, description: 'Created', schema: Organization }],
    },
    async ({ body, actor }) => {
      const org = await organizations.createMember(actor, body);
      return { status: 201, body: org, location: `/api/v1/organizations/${org.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/organizations',
      summary: 'The caller’s organization and the member households it acts for',
      tag: 'organizations',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of organizations', schema: listResponseSchema(Organization) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await organizations.list(actor, toPageRequest(query)), (o) => o) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/organizations/:id',
      summary: 'One organization in the caller’s scope',
      tag: 'organizations',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Organization', schema: Organization }],
    },
    async ({ params, actor }) => ({ status: 200, body: await organizations.get(actor, params.id) }),
  );

  api.route(
    {
      method: 'put',
      path: '/api/v1/organizations/:id/logo',
      summary: 'Set the logo drawn on the organization’s QR codes (multipart, field "file": one PNG, JPEG or WebP, judged by content; stored as a 256 px square PNG)',
      tag: 'organizations',
      auth: 'token',
      params: IdParams,
      // One file; the same size, pixel and concurrency limits as photos.
      upload: { field: 'file', maxFiles: 1, maxFileBytes: uploadLimits.maxFileBytes, maxConcurrent: uploadLimits.maxConcurrentUploads },
      responses: [{ status: 200, description: 'The organization with its new logoSha256', schema: Organization }],
    },
    async ({ params, actor, files }) => ({ status: 200, body: await logos.set(actor, params.id, files) }),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/v1/organizations/:id/logo',
      summary: 'Remove the organization’s logo (its codes are drawn plain again)',
      tag: 'organizations',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 204, description: 'Removed' }],
    },
    async ({ params, actor }) => {
      await logos.clear(actor, params.id);
      return { status: 204 };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/users',
      summary: 'Create a user in the caller’s organization or a member household: email and password, or (farmers) phone and PIN, or both',
      tag: 'organizations',
      auth: 'token',
      body: UserCreate,
      // The body holds a password or PIN: no hash of it is kept for replays (a 6-digit PIN's would
      // be guessed from it at once). A repeated create is still refused, as a taken email or phone.
      idempotent: false,
      responses: [{ status: 201, description: 'Created', schema: User }],
    },
    async ({ body, actor }) => {
      const user = await organizations.createUser(actor, body);
      return { status: 201, body: user, location: `/api/v1/users/${user.id}` };
    },
  );

  api.route(
    {
      method: 'put',
      path: '/api/v1/users/:id/pin',
      summary: 'Set a new PIN for a farmer’s phone login (an admin’s reset; the old PIN stops working, the new one is never shown again)',
      tag: 'organizations',
      auth: 'token',
      params: IdParams,
      body: PinReset,
      responses: [{ status: 200, description: 'The user (without any PIN)', schema: User }],
    },
    async ({ params, body, actor }) => ({ status: 200, body: await organizations.resetPin(actor, params.id, body.pin) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/users/:id',
      summary: 'One user of the caller’s organization or its member households',
      tag: 'organizations',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'User', schema: User }],
    },
    async ({ params, actor }) => ({ status: 200, body: await organizations.getUser(actor, params.id) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/users',
      summary: 'Users of the caller’s organization and its member households',
      tag: 'organizations',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of users', schema: listResponseSchema(User) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await organizations.listUsers(actor, toPageRequest(query)), (u) => u) }),
  );
}
