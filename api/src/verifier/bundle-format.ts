/** The provenance bundle as the server builds it and every verifier reads it, and its shape check. */
export const BUNDLE_FORMAT = 'farm-trace/provenance-bundle@2';

/** An Ed25519 public key as served in the JWKS, with its validity window. */
export interface PublishedKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  /** URI of the organization that holds the key (the `ft:recordedBy` of what it signs). */
  org: string;
  /** The key signs events recorded from this time… */
  validFrom: string;
  /** …until it was rotated (null while current). */
  validTo: string | null;
  /** Events recorded at or after this time with this key are invalid. */
  revokedAt: string | null;
  status: 'active' | 'rotated' | 'revoked';
}

export interface ProvenanceBundle {
  format: typeof BUNDLE_FORMAT;
  lot: { id: string; uri: string; digitalLink: string; product: string; lotNumber: string; gtin: string | null };
  /** Hashes of the lot's latest events: where its history ends. */
  heads: string[];
  /** Every event of the lot's ancestry, each as recorded: its hash and its compact JWS. */
  events: Array<{ hash: string; jws: string }>;
  keys: PublishedKey[];
  /** Where the public renditions of the bundle's photos can be fetched, by their SHA-256. */
  media: Array<{ sha256: string; url: string }>;
  /** Where the transparency log holds every event: a signed checkpoint and each event's inclusion proof in it. */
  log: {
    /** The checkpoint, a C2SP signed note. */
    checkpoint: string;
    /** The log's signed-note verifier key (`name+hash+key`). */
    verifierKey: string;
    proofs: Array<{ hash: string; leafIndex: number; hashes: string[] }>;
  };
  generatedAt: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with the bundle's shape, before any of its contents can be checked; empty when nothing. */
export function checkShape(bundle: unknown): string[] {
  if (!isRecord(bundle)) return ['the bundle is not a JSON object'];
  const errors: string[] = [];
  if (bundle.format !== BUNDLE_FORMAT) errors.push(`format must be "${BUNDLE_FORMAT}"`);
  if (!isRecord(bundle.lot) || typeof bundle.lot.uri !== 'string') errors.push('lot.uri is missing');
  if (!Array.isArray(bundle.heads) || bundle.heads.some((h) => typeof h !== 'string')) errors.push('heads must be a list of event hashes');
  if (!Array.isArray(bundle.events) || bundle.events.some((e) => !isRecord(e) || typeof e.hash !== 'string' || typeof e.jws !== 'string')) {
    errors.push('events must be a list of {hash, jws}');
  }
  if (!Array.isArray(bundle.keys) || bundle.keys.some((k) => !isRecord(k) || typeof k.kid !== 'string' || typeof k.x !== 'string')) {
    errors.push('keys must be a list of Ed25519 JWKs with kid');
  }
  const log = bundle.log;
  if (!isRecord(log) || typeof log.checkpoint !== 'string' || typeof log.verifierKey !== 'string' || !Array.isArray(log.proofs)) {
    errors.push('log must hold a checkpoint, the log’s verifierKey and proofs');
  } else if (log.proofs.some((p) => !isRecord(p) || typeof p.hash !== 'string' || typeof p.leafIndex !== 'number' || !Array.isArray(p.hashes) || p.hashes.some((h) => typeof h !== 'string'))) {
    errors.push('log.proofs must be a list of {hash, leafIndex, hashes}');
  }
  return errors;
}
