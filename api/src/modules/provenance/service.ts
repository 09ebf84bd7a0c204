import { requireRole, type Actor } from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { nowIso } from '../../core/ids.js';
import { lotDigitalLink } from '../../domain/gs1/digital-link.js';
import { lotUri, orgUri, type AttachedFile } from '../../domain/event-model.js';
import { renditionUrl } from '../../media/rendition-urls.js';
import type { TransparencyLog } from '../../log/transparency-log.js';
import type { KeyRing } from '../../keys/key-ring.js';
import { base64UrlDecode } from '../../domain/bytes.js';
import { signedAncestry } from '../../provenance/lot-ancestry.js';
import { BUNDLE_FORMAT, type ProvenanceBundle, type PublishedKey } from '../../verifier/bundle-format.js';
import type { VerificationReport } from '../../verifier/report.js';
import { verifyBundle } from '../../verifier/verify-bundle.js';
import type { BatchRecord, EventRecord, OrganizationRecord, SigningKeyRecord, Store } from '../../store/port.js';
import type { BatchService } from '../batches/lifecycle-service.js';

/** Signing keys as the world sees them (JWKS), provenance bundles of lots, and their verification. */
export class ProvenanceService {
  constructor(
    private readonly store: Store,
    private readonly keys: KeyRing,
    private readonly batches: BatchService,
    private readonly log: TransparencyLog,
    private readonly publicBaseUrl: string,
  ) {}

  /** Every organization's public keys with validity windows and status. */
  async jwks(): Promise<{ keys: PublishedKey[] }> {
    const records = await this.store.signingKeys.list(null);
    return { keys: await this.publish(records) };
  }

  async listKeys(actor: Actor): Promise<PublishedKey[]> {
    return this.publish(await this.store.signingKeys.list(actor.orgId));
  }

  async rotateKey(actor: Actor): Promise<PublishedKey> {
    requireRole(actor, ['admin'], 'rotate signing keys');
    const record = await this.store.transaction(async (tx) => {
      const rotated = await this.keys.rotate(tx, actor.orgId, nowIso());
      await recordAudit(tx, { actor, action: 'signing_key.rotated', targetId: rotated.kid });
      return rotated;
    });
    return (await this.publish([record]))[0]!;
  }

  async revokeKey(actor: Actor, kid: string, effectiveAt: string | undefined): Promise<PublishedKey> {
    requireRole(actor, ['admin'], 'revoke signing keys');
    const record = await this.store.transaction(async (tx) => {
      // Taken inside the transaction: events signed by transactions that ran before it keep their validity.
      const now = nowIso();
      const effective = effectiveAt ? new Date(effectiveAt).toISOString() : now;
      if (effective > now) throw ValidationError.field('effectiveAt', 'future-time', 'a revocation cannot take effect in the future');
      const revoked = await this.keys.revoke(tx, actor.orgId, kid, effective, now);
      await recordAudit(tx, { actor, action: 'signing_key.revoked', targetId: kid, details: { effectiveAt: effective } });
      return revoked;
    });
    return (await this.publish([record]))[0]!;
  }

  /**
   * The lot's whole history as a self-contained bundle: every event reachable from the lot's
   * latest event through `prev` (its steps, the lots it was made from, their harvests and plot
   * registrations), each with its JWS, and the public keys that signed them. Published lots are
   * public; private ones need an actor in their chain of custody.
   */
  async bundle(actor: Actor | null, batchId: string): Promise<ProvenanceBundle> {
    const { batch, head, records } = await this.history(actor, batchId);
    const events: ProvenanceBundle['events'] = records.map((r) => ({ hash: r.hash, jws: r.jws }));
    const bodies = records.map((r) => r.body);
    const kids = new Set(records.map((r) => kidOf(r.jws)));
    const keyRecords = (await Promise.all([...kids].map((kid) => this.store.signingKeys.findByKid(kid)))).filter((k): k is SigningKeyRecord => k !== null);
    const media = bodies.flatMap((body) => {
      const details = body['ft:mediaDetails'];
      return Array.isArray(details) ? (details as AttachedFile[]).flatMap((f) => f.renditions.map((r) => ({ sha256: r.sha256, url: renditionUrl(this.publicBaseUrl, r.sha256) }))) : [];
    });
    return {
      format: BUNDLE_FORMAT,
      lot: lotSummary(batch, this.publicBaseUrl),
      heads: [head.hash],
      events,
      keys: await this.publish(keyRecords),
      media,
      log: await this.log.bundleSection(events.map((e) => e.hash)),
      generatedAt: nowIso(),
    };
  }

  /**
   * The lot and its signed history (see signedAncestry), under the bundle's access rule:
   * published lots are public; private ones need an actor in their chain of custody (else 404).
   */
  async history(actor: Actor | null, batchId: string): Promise<{ batch: BatchRecord; head: EventRecord; records: Array<EventRecord & { jws: string }> }> {
    const batch = actor ? await this.batches.get(actor, batchId) : await this.batches.getPublished(batchId);
    const head = await this.store.events.headOf(batch.id);
    if (!head) throw new NotFoundError('History of the lot');
    return { batch, head, records: await signedAncestry(this.store.events, head.hash) };
  }

  verify(bundle: unknown): Promise<VerificationReport> {
    return verifyBundle(bundle);
  }

  private async publish(records: SigningKeyRecord[]): Promise<PublishedKey[]> {
    const orgs = new Map<string, OrganizationRecord | null>();
    const out: PublishedKey[] = [];
    for (const r of records) {
      if (!orgs.has(r.orgId)) orgs.set(r.orgId, await this.store.organizations.findById(r.orgId));
      const org = orgs.get(r.orgId);
      if (!org) continue;
      out.push({
        ...r.publicJwk,
        kid: r.kid,
        alg: 'EdDSA',
        use: 'sig',
        org: orgUri(org),
        validFrom: r.validFrom,
        validTo: r.validTo,
        revokedAt: r.revokedAt,
        status: r.revokedAt ? 'revoked' : r.validTo ? 'rotated' : 'active',
      });
    }
    return out;
  }
}

function kidOf(jws: string): string {
  const header = JSON.parse(new TextDecoder().decode(base64UrlDecode(jws.split('.')[0] ?? ''))) as { kid?: string };
  return header.kid ?? '';
}

export function lotSummary(batch: BatchRecord, publicBaseUrl: string): ProvenanceBundle['lot'] {
  return {
    id: batch.id,
    uri: lotUri(batch),
    digitalLink: lotDigitalLink(publicBaseUrl, batch),
    product: batch.product,
    lotNumber: batch.lotNumber,
    gtin: batch.gtin,
  };
}
