import { requireRole, type Actor } from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../core/errors.js';
import type { BlobStore } from '../../media/blob-store.js';
import { renderLogo } from '../../media/logo-rendition.js';
import type { QrLogo } from '../../qr/qr-code.js';
import type { OrganizationRecord, Store } from '../../store/port.js';
import type { OrganizationService } from './service.js';

/**
 * Organizations' logos, drawn in the centre of their lots' QR codes. The stored logo is the
 * normalized square PNG (see media/logo-rendition.ts) in the blob store's `logos` bucket, named
 * by its hash; the organization records that hash. A replaced logo's blob stays: another
 * organization may use the same bytes, and it is a few kilobytes.
 */
export class OrganizationLogoService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly organizations: OrganizationService,
    private readonly maxPixels: number,
  ) {}

  /** Sets the logo: admins only, of the organization itself or of the cooperative it belongs to (who act for it). */
  async set(actor: Actor, orgId: string, files: Array<{ bytes: Uint8Array }>): Promise<OrganizationRecord> {
    await this.authorize(actor, orgId);
    const [file, ...extra] = files;
    if (!file) throw ValidationError.field('file', 'file-required', 'send the logo image in the field "file"');
    if (extra.length > 0) throw ValidationError.field('file', 'one-file-only', 'send one logo image');
    const logo = await renderLogo(file.bytes, 'file', this.maxPixels);
    // Blob first: a record never names bytes that are not there; an unused blob is harmless.
    await this.blobs.put('logos', logo.sha256, logo.png);
    await this.store.transaction(async (tx) => {
      await tx.organizations.setLogo(orgId, logo.sha256);
      await recordAudit(tx, { actor, action: 'organization.logo_changed', targetId: orgId, details: { sha256: logo.sha256 } });
    });
    return this.organizations.get(actor, orgId);
  }

  async clear(actor: Actor, orgId: string): Promise<void> {
    await this.authorize(actor, orgId);
    await this.store.transaction(async (tx) => {
      await tx.organizations.setLogo(orgId, null);
      await recordAudit(tx, { actor, action: 'organization.logo_removed', targetId: orgId });
    });
  }

  /**
   * The logo printed on a lot's codes: its owning organization's, or, for a member farm household
   * with none, its cooperative's (households sell under the cooperative's name). 409 naming
   * `logo` when neither has one, so a label is never printed without the logo that was asked for.
   */
  async forLotOwner(ownerOrgId: string): Promise<QrLogo> {
    const owner = await this.store.organizations.findById(ownerOrgId);
    let sha256 = owner?.logoSha256 ?? null;
    if (!sha256 && owner?.parentId) sha256 = (await this.store.organizations.findById(owner.parentId))?.logoSha256 ?? null;
    if (!sha256) {
      throw new ConflictError('The organization that owns this lot has no logo on file; its admin can upload one with PUT /api/v1/organizations/{id}/logo.', 'logo', 'logo-missing');
    }
    const hash = sha256;
    return {
      sha256: hash,
      png: async () => {
        const bytes = await this.blobs.read('logos', hash);
        if (!bytes) throw new Error(`the logo blob ${hash} is missing from the logos bucket`);
        return bytes;
      },
    };
  }

  /** 404 unless the organization is visible to the actor; 403 unless the actor is an admin acting for it. */
  private async authorize(actor: Actor, orgId: string): Promise<void> {
    await this.organizations.get(actor, orgId);
    requireRole(actor, ['admin'], 'change an organization’s logo');
    if (!actor.scopeOrgIds.includes(orgId)) throw new ForbiddenError('not-organization-admin', 'Only admins of this organization (or of its cooperative) may change its logo.');
  }
}
