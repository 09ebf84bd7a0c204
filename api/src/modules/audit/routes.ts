import { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import type { AuditService } from './service.js';
import { AUDIT_ACTIONS } from '../../domain/vocabulary.js';

const AuditEntry = z.object({
  id: z.string(),
  orgId: z.string(),
  actorUserId: z.string().nullable().describe('The user who acted; null for an API key or the command line'),
  actorApiKeyId: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  targetId: z.string().describe('The organization, user, API key or signing key (kid) acted on'),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  at: z.string(),
});

export function auditRoutes(api: ApiRouter, audit: AuditService): void {
  api.route(
    {
      method: 'get',
      path: '/api/v1/audit',
      summary: 'The organization’s administrative actions (members, users, API keys, signing keys, logo), newest first; admins only',
      tag: 'auth',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of audit entries', schema: listResponseSchema(AuditEntry) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await audit.list(actor, toPageRequest(query)), (entry) => entry) }),
  );
}
