import { NotFoundError } from '../../core/errors.js';
import { lotDigitalLink, productDigitalLink } from '../../domain/digital-link.js';
import type { ParsedDigitalLink } from '../../domain/digital-link-syntax.js';
import type { BatchRecord, EventRecord, OrganizationRecord, ProductRecord, Store } from '../../store/port.js';

/** GS1 Web Vocabulary link types, as RFC 9264 linkset relation URIs. */
const GS1 = 'https://gs1.org/voc/';

export interface LinkTarget {
  href: string;
  title: string;
  type?: string;
  hreflang?: string[];
}

export interface ResolvedLot {
  batch: BatchRecord;
  owner: OrganizationRecord | null;
  product: ProductRecord | null;
  events: EventRecord[];
  /** Link relation (`gs1:pip`, …) → targets. */
  links: Record<string, LinkTarget[]>;
}

/** Finds the published lot a Digital Link names and the links a resolver offers for it. */
export class ResolverService {
  constructor(
    private readonly store: Store,
    private readonly publicBaseUrl: string,
  ) {}

  async byDigitalLink(parsed: ParsedDigitalLink): Promise<ResolvedLot> {
    const lotNumber = parsed.qualifiers.find((q) => q.ai === '10')?.value;
    if (parsed.primaryKey.ai !== '01' || !lotNumber) throw new NotFoundError('Nothing registered at this Digital Link');
    const batch = await this.store.batches.findByGtinLot(parsed.primaryKey.value, lotNumber);
    if (!batch || !batch.published) {
      const product = await this.store.products.findByGtin(parsed.primaryKey.value);
      throw new NotFoundError(
        product
          ? `Lot ${lotNumber} of ${product.name.vi} is not registered: the code on this package may not be genuine. The product: ${productDigitalLink(this.publicBaseUrl, product.gtin)}`
          : 'This lot',
      );
    }
    return this.resolve(batch);
  }

  async byCode(code: string): Promise<ResolvedLot> {
    const batch = await this.store.batches.findByCode(code);
    if (!batch || !batch.published) throw new NotFoundError('This lot');
    return this.resolve(batch);
  }

  private async resolve(batch: BatchRecord): Promise<ResolvedLot> {
    const owner = await this.store.organizations.findById(batch.orgId);
    const product = batch.gtin ? await this.store.products.findByGtin(batch.gtin) : null;
    const events = (await this.store.events.listFor(batch.id, { limit: 500 })).items;
    const page = lotDigitalLink(this.publicBaseUrl, batch);
    const links: Record<string, LinkTarget[]> = {
      [`${GS1}pip`]: [{ href: page, title: `${batch.product}: nguồn gốc / origin`, type: 'text/html', hreflang: ['vi', 'en'] }],
      [`${GS1}traceability`]: [
        { href: `${this.publicBaseUrl}/api/v1/batches/${batch.id}/provenance`, title: 'Signed provenance bundle', type: 'application/json' },
      ],
    };
    if (product) {
      const listings = await this.store.listings.listForProduct(product.id);
      if (listings.length) links[`${GS1}hasRetailers`] = listings.map((l) => ({ href: l.url, title: l.marketplace, type: 'text/html' }));
    }
    return { batch, owner, product, events, links };
  }
}
