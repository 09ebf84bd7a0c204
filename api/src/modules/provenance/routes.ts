import type { RequestHandler } from 'express';
import { READABLE_FROM_ANY_ORIGIN, type ApiRouter } from '../../core/api-router.js';
import { IdParams } from '../../core/schemas.js';
import { Bundle, BundleInput, Jwks, KidParams, PublishedKey, RevokeKey, VerificationReport } from './schema.js';
import type { ProvenanceService } from './service.js';
import { z } from 'zod';

/** The JSON body limit of POST /api/v1/verify: a bundle of a long, merged history is large. */
export const VERIFY_BODY_LIMIT = '20mb';

export function provenanceRoutes(api: ApiRouter, provenance: ProvenanceService, verifyRateLimiter: RequestHandler): void {
  api.route(
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'Every organization’s Ed25519 public keys with validity windows and status',
      tag: 'provenance',
      auth: 'public',
      responses: [{ status: 200, description: 'JWK Set', schema: Jwks, contentType: 'application/jwk-set+json' }],
    },
    async () => ({
      status: 200,
      body: JSON.stringify(await provenance.jwks()),
      contentType: 'application/jwk-set+json',
      headers: { 'Cache-Control': 'public, max-age=300' },
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/keys',
      summary: 'The caller’s organization’s signing keys',
      tag: 'provenance',
      auth: 'token',
      responses: [{ status: 200, description: 'Keys, oldest first (one page: an organization has few)', schema: z.object({ items: z.array(PublishedKey), nextCursor: z.null() }) }],
    },
    async ({ actor }) => ({ status: 200, body: { items: await provenance.listKeys(actor), nextCursor: null } }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/keys/rotate',
      summary: 'Rotate the organization’s signing key (the old key stays valid for what it signed)',
      tag: 'provenance',
      auth: 'token',
      responses: [{ status: 201, description: 'The new current key', schema: PublishedKey }],
    },
    async ({ actor }) => {
      const key = await provenance.rotateKey(actor);
      return { status: 201, body: key, location: `/api/v1/keys` };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/keys/:kid/revoke',
      summary: 'Revoke a signing key from an effective time; a revoked current key is replaced',
      tag: 'provenance',
      auth: 'token',
      params: KidParams,
      body: RevokeKey,
      responses: [{ status: 200, description: 'The revoked key', schema: PublishedKey }],
    },
    async ({ actor, params, body }) => ({ status: 200, body: await provenance.revokeKey(actor, params.kid, body.effectiveAt) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/provenance',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'Self-contained provenance bundle of the lot (public for published lots)',
      tag: 'provenance',
      auth: 'public',
      params: IdParams,
      responses: [{ status: 200, description: 'Bundle', schema: Bundle }],
    },
    async ({ actor, params }) => ({ status: 200, body: await provenance.bundle(actor, params.id) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/verify',
      summary: 'Verify a provenance bundle and report on every event',
      tag: 'provenance',
      auth: 'public',
      body: BundleInput,
      bodyLimit: VERIFY_BODY_LIMIT,
      before: [verifyRateLimiter],
      responses: [{ status: 200, description: 'Report (valid or not)', schema: VerificationReport }],
    },
    async ({ body }) => ({ status: 200, body: await provenance.verify(body) }),
  );
}
