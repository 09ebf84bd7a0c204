import { z } from 'zod';

export const PublishedKey = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string().describe('RFC 7638 thumbprint'),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
  org: z.string().describe('URI of the organization that holds the key'),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: z.enum(['active', 'rotated', 'revoked']),
});

export const Jwks = z.object({ keys: z.array(PublishedKey) });

export const KidParams = z.strictObject({ kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a kid is a 43-character base64url SHA-256 thumbprint') });

export const RevokeKey = z.strictObject({
  effectiveAt: z.iso.datetime({ offset: true }).optional().describe('From when signatures by this key are invalid; default now; may be in the past'),
});

/** The bundle is checked by the verifier itself, which reports every problem; here it only has to be an object. */
export const BundleInput = z.record(z.string(), z.unknown()).describe('A provenance bundle (docs/provenance-bundle.schema.json)');

export const Bundle = z.object({
  format: z.string(),
  lot: z.object({ id: z.string(), uri: z.string(), digitalLink: z.string(), product: z.string(), lotNumber: z.string(), gtin: z.string().nullable() }),
  heads: z.array(z.string()),
  events: z.array(z.object({ hash: z.string(), jws: z.string() })),
  keys: z.array(PublishedKey),
  media: z.array(z.object({ sha256: z.string(), url: z.string() })),
  log: z.object({
    checkpoint: z.string().describe('C2SP signed note of the log checkpoint the proofs lead to'),
    verifierKey: z.string().describe('The log’s signed-note verifier key'),
    proofs: z.array(z.object({ hash: z.string(), leafIndex: z.number().int(), hashes: z.array(z.string()) })),
  }),
  generatedAt: z.string(),
});

const Failure = z.object({ check: z.string(), message: z.string() });

export const VerificationReport = z.object({
  valid: z.boolean(),
  lot: Bundle.shape.lot.nullable(),
  engine: z.enum(['webcrypto', 'noble']),
  mediaChecked: z.number().int(),
  errors: z.array(z.string()),
  checkpoint: z.object({ origin: z.string(), treeSize: z.number().int(), rootHash: z.string() }).nullable(),
  events: z.array(
    z.object({
      hash: z.string(),
      valid: z.boolean(),
      eventID: z.string().nullable(),
      type: z.string().nullable(),
      stepType: z.string().nullable(),
      eventTime: z.string().nullable(),
      recordedBy: z.string().nullable(),
      kid: z.string().nullable(),
      failures: z.array(Failure),
    }),
  ),
});
