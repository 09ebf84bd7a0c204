import type { Actor } from '../../core/auth.js';
import { lotDigitalLink } from '../../domain/gs1/digital-link.js';
import type { QrLogo } from '../../qr/qr-code.js';
import type { BatchRecord, Store } from '../../store/port.js';
import type { BatchService } from '../batches/lifecycle-service.js';
import type { OrganizationLogoService } from '../organizations/logo-service.js';

/** What a lot's code encodes and draws. */
export interface LotCode {
  link: string;
  logo: QrLogo | null;
}

/** What a lot's label says besides its code. */
export interface LotLabel extends LotCode {
  productName: string;
  lotNumber: string;
  gtin: string | null;
}

/**
 * The lot behind QR codes and label sheets: who may see it (public when published, the lot's chain
 * otherwise), its Digital Link, the logo to draw, and the names to print.
 */
export class QrService {
  constructor(
    private readonly store: Store,
    private readonly batches: BatchService,
    private readonly logos: OrganizationLogoService,
    private readonly publicBaseUrl: string,
  ) {}

  /** `actor` null: published lots only. With `withLogo`, 409 when the lot's owner has no logo. */
  async code(actor: Actor | null, batchId: string, withLogo: boolean): Promise<LotCode> {
    const batch = actor ? await this.batches.get(actor, batchId) : await this.batches.getPublished(batchId);
    return this.codeOf(batch, withLogo);
  }

  /** Only the lot's chain of custody prints labels. The product name is the Vietnamese name of the lot's GTIN product when there is one, else the lot's own product text. */
  async label(actor: Actor, batchId: string, withLogo: boolean): Promise<LotLabel> {
    // Labels are printed by the lot's chain of custody, not by anyone who can read a published lot.
    const batch = await this.batches.getInChain(actor, batchId);
    const product = batch.gtin ? await this.store.products.findByGtin(batch.gtin) : null;
    return { ...(await this.codeOf(batch, withLogo)), productName: product?.name.vi ?? batch.product, lotNumber: batch.lotNumber, gtin: batch.gtin };
  }

  private async codeOf(batch: BatchRecord, withLogo: boolean): Promise<LotCode> {
    return { link: lotDigitalLink(this.publicBaseUrl, batch), logo: withLogo ? await this.logos.forLotOwner(batch.orgId) : null };
  }
}
