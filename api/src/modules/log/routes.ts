import { z } from 'zod';
import { refinement } from '../../core/validation.js';
import { READABLE_FROM_ANY_ORIGIN, type ApiRouter } from '../../core/api-router.js';
import type { TransparencyLog } from '../../log/transparency-log.js';

/** Plain decimal digits only: no empty value, hex, exponent, sign or spaces sneaking through a numeric coercion. */
const TreeSize = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'a tree size in plain decimal digits')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), refinement('too-big', 'too large', { maximum: Number.MAX_SAFE_INTEGER }));
const HexHash = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 event hash in lower-case hex');
const Proof = z.object({ hashes: z.array(HexHash) });

/** The transparency log's public face (its routes and bodies are a public contract: docs/transparency-log.md). */
export function logRoutes(api: ApiRouter, log: TransparencyLog): void {
  api.route(
    {
      method: 'get',
      path: '/api/v1/log/checkpoint',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'The latest checkpoint (C2SP signed note), freshly issued when the log has grown (at most one a second)',
      tag: 'log',
      auth: 'public',
      responses: [{ status: 200, description: 'Signed note', contentType: 'text/plain' }],
    },
    async () => ({ status: 200, body: (await log.checkpoint()).note, contentType: 'text/plain; charset=utf-8', headers: { 'Cache-Control': 'no-cache' } }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/log/vkey',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'The log’s signed-note verifier key (name+keyhash+base64 key)',
      tag: 'log',
      auth: 'public',
      responses: [{ status: 200, description: 'Verifier key', contentType: 'text/plain' }],
    },
    async () => ({ status: 200, body: `${await log.verifierKey()}\n`, contentType: 'text/plain; charset=utf-8', headers: { 'Cache-Control': 'public, max-age=3600' } }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/log/proof/inclusion',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'Inclusion proof (RFC 9162) of an event hash in the tree of treeSize leaves (up to the latest checkpoint)',
      tag: 'log',
      auth: 'public',
      query: z.strictObject({ hash: HexHash, treeSize: TreeSize.refine((n) => n >= 1, refinement('too-small', 'at least 1', { minimum: 1 })) }),
      responses: [{ status: 200, description: 'Proof', schema: Proof.extend({ leafIndex: z.number().int(), treeSize: z.number().int() }) }],
    },
    async ({ query }) => ({ status: 200, body: await log.inclusionProof(query.hash, query.treeSize) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/log/proof/consistency',
      headers: READABLE_FROM_ANY_ORIGIN,
      summary: 'Consistency proof (RFC 9162) that the tree of `to` leaves extends the tree of `from` leaves',
      tag: 'log',
      auth: 'public',
      query: z.strictObject({ from: TreeSize, to: TreeSize }),
      responses: [{ status: 200, description: 'Proof', schema: Proof.extend({ from: z.number().int(), to: z.number().int() }) }],
    },
    async ({ query }) => ({ status: 200, body: await log.consistencyProof(query.from, query.to) }),
  );
}
