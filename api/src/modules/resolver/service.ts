import { AppError, NotFoundError, problemType } from '../../core/errors.js';
import { locationDigitalLink, lotDigitalLink, productDigitalLink, type ParsedDigitalLink } from '../../domain/gs1/digital-link.js';
import { plotOf } from '../../domain/signed-plot.js';
import { base64UrlDecode } from '../../domain/bytes.js';
import { verifyBundle } from '../../verifier/verify-bundle.js';
import type { BatchRecord, ListingRecord, MediaRecord, OrganizationRecord, PlotRecord, ProductRecord, Store } from '../../store/port.js';
import type { ProvenanceService } from '../provenance/service.js';

/** GS1 Web Vocabulary link types, as RFC 9264 linkset relation URIs. */
export const GS1_VOC = 'https://gs1.org/voc/';

export interface LinkTarget {
  href: string;
  title: string;
  type?: string;
  hreflang?: string[];
}

/** Link relation (`https://gs1.org/voc/pip`, …) → targets, in the order a linkset lists them. */
export type Links = Record<string, LinkTarget[]>;

/** A signed event of the lot's history, as its JWS payload says it. */
export interface SignedEvent {
  hash: string;
  body: Record<string, unknown>;
}

export interface LotOrigin {
  kind: 'lot';
  batch: BatchRecord;
  /** An item serial (AI 21) from the scanned URI: items are not registered one by one, so it is only shown. */
  serial: string | null;
  /** The scanned URI's GS1 data attributes (17 expiry, 3103 net weight, …), shown as printed on the pack. */
  attributes: Array<{ ai: string; value: string }>;
  owner: OrganizationRecord | null;
  product: ProductRecord | null;
  productPhotos: MediaRecord[];
  listings: ListingRecord[];
  /** Every event of the lot's ancestry, decoded from the signed bundle. */
  events: SignedEvent[];
  /** The organizations the events name (recorders, farmers, receivers), by their URI. */
  organizations: Record<string, OrganizationRecord>;
  /** The cooperative of each farm household among them, by the household's id. */
  memberOf: Record<string, OrganizationRecord>;
  verification: { valid: boolean; events: number; signers: number; problems: string[]; checkedAt: string };
  links: Links;
  publicBaseUrl: string;
}

export interface ProductOrigin {
  kind: 'product';
  product: ProductRecord;
  owner: OrganizationRecord | null;
  photos: MediaRecord[];
  listings: ListingRecord[];
  links: Links;
  publicBaseUrl: string;
}

export interface LocationOrigin {
  kind: 'location';
  organization: OrganizationRecord;
  parent: OrganizationRecord | null;
  links: Links;
  publicBaseUrl: string;
}

/** A plot (growing area) reached by its GLN: public only once a lot from it is published. */
export interface PlotOrigin {
  kind: 'plot';
  plot: PlotRecord;
  /** The household (or organization) that works the plot: the page shows its province, and names it as its cooperative's member. */
  farmer: OrganizationRecord | null;
  /** The cooperative of that household, by the household's id (as LotOrigin.memberOf). */
  memberOf: Record<string, OrganizationRecord>;
  /** Published lots harvested from the plot (or blended or split from such lots), newest first. */
  lots: BatchRecord[];
  links: Links;
  publicBaseUrl: string;
}

export type Resolution = LotOrigin | ProductOrigin | LocationOrigin | PlotOrigin;

/**
 * A resolver miss that knows more than "not found": the GTIN is ours but this lot or serial is
 * not, so the code on the pack may be counterfeit. The page says so and points to the product.
 */
export class UnregisteredItemError extends AppError {
  constructor(
    readonly product: ProductRecord,
    readonly productLink: string,
    readonly item: { lot?: string | undefined; serial?: string | undefined },
  ) {
    const itemLabel = item.lot ? `Lot ${item.lot}` : `Serial ${item.serial}`;
    super({
      status: 404,
      type: problemType('not-registered'),
      code: 'not-registered',
      title: 'Not registered',
      detail: `${itemLabel} of ${product.name.vi} is not registered: the code on this package may not be genuine. The product: ${productLink}`,
      extensions: { product: productLink },
    });
  }
}

const PAGE_EVENTS_LIMIT = 2000;
/** A plot's page lists at most this many of its published lots (newest first). */
export const PLOT_PAGE_LOTS_LIMIT = 50;

/** Finds what a Digital Link names (a published lot, a product, a location) and everything its public page shows. */
export class ResolverService {
  constructor(
    private readonly store: Store,
    private readonly provenance: ProvenanceService,
    private readonly publicBaseUrl: string,
  ) {}

  /** The resolver description file (GS1 resolver standard, `/.well-known/gs1resolver`). */
  description(): Record<string, unknown> {
    return {
      name: 'farm-trace GS1 Digital Link resolver',
      resolverRoot: this.publicBaseUrl,
      supportedPrimaryKeys: ['01', '414'],
      supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:' }],
      linkTypeDefaultCanBeLinkset: true,
      linkTypeDefaultCanBeAll: true,
      supportedContextValuesEnumerated: [],
      supportedLanguages: ['vi', 'en'],
    };
  }

  async byDigitalLink(parsed: ParsedDigitalLink): Promise<Resolution> {
    const { primaryKey, qualifiers, attributes } = parsed;
    if (primaryKey.ai === '414') return this.location(primaryKey.value);
    if (primaryKey.ai !== '01') throw new NotFoundError('Nothing registered at this Digital Link');
    const lotNumber = qualifiers.find((q) => q.ai === '10')?.value;
    const serial = qualifiers.find((q) => q.ai === '21')?.value ?? null;
    if (!lotNumber && !serial) return this.product(primaryKey.value);
    const batch = lotNumber ? await this.store.batches.findByGtinLot(primaryKey.value, lotNumber) : null;
    if (!batch?.published) {
      const product = await this.store.products.findByGtin(primaryKey.value);
      if (product) throw new UnregisteredItemError(product, productDigitalLink(this.publicBaseUrl, product.gtin), { lot: lotNumber, serial: serial ?? undefined });
      throw new NotFoundError(lotNumber ? `Lot ${lotNumber}` : `Serial ${serial}`);
    }
    return this.lot(batch, serial, attributes);
  }

  async byCode(code: string): Promise<LotOrigin> {
    const batch = await this.store.batches.findByCode(code);
    if (!batch?.published) throw new NotFoundError('This lot');
    return this.lot(batch, null, []);
  }

  private async lot(batch: BatchRecord, serial: string | null, attributes: LotOrigin['attributes']): Promise<LotOrigin> {
    const [owner, product, bundle] = await Promise.all([
      this.store.organizations.findById(batch.orgId),
      batch.gtin ? this.store.products.findByGtin(batch.gtin) : null,
      this.provenance.bundle(null, batch.id),
    ]);
    const [report, productPhotos, listings] = await Promise.all([
      verifyBundle(bundle),
      product ? this.store.media.listFor(product.id) : [],
      product ? this.store.listings.listForProduct(product.id) : [],
    ]);
    const events = bundle.events.slice(0, PAGE_EVENTS_LIMIT).map(({ hash, jws }) => ({ hash, body: decodePayload(jws) }));
    const organizations = await this.organizationsNamedIn(events);
    const memberOf = await this.cooperativesOf(Object.values(organizations));
    const page = lotDigitalLink(this.publicBaseUrl, batch);
    const hasCertifications = events.some((e) => plotOf(e.body)?.certifications?.length) || (product?.ocopStars ?? 0) > 0;
    const hasPlots = events.some((e) => plotOf(e.body));

    const links: Links = {
      [`${GS1_VOC}pip`]: [
        { href: page, title: `${batch.product}: nguồn gốc`, type: 'text/html', hreflang: ['vi'] },
        { href: `${page}?lang=en`, title: `${batch.product}: origin`, type: 'text/html', hreflang: ['en'] },
      ],
      [`${GS1_VOC}defaultLink`]: [{ href: page, title: `${batch.product}: nguồn gốc / origin`, type: 'text/html' }],
      [`${GS1_VOC}traceability`]: [{ href: `${this.publicBaseUrl}/api/v1/batches/${batch.id}/provenance`, title: 'Signed provenance bundle', type: 'application/json' }],
    };
    if (hasCertifications) links[`${GS1_VOC}certificationInfo`] = [{ href: `${page}#certifications`, title: 'Certifications and their validity', type: 'text/html' }];
    if (hasPlots) links[`${GS1_VOC}sustainabilityInfo`] = [{ href: `${page}#plots`, title: 'Plots of origin: geometry and area (EUDR)', type: 'text/html' }];
    if (product) {
      links[`${GS1_VOC}masterData`] = [{ href: productDigitalLink(this.publicBaseUrl, product.gtin), title: product.name.vi, type: 'text/html' }];
      if (listings.length) links[`${GS1_VOC}hasRetailers`] = listings.map(retailerLink);
    }

    return {
      kind: 'lot',
      batch,
      serial,
      attributes,
      owner,
      product,
      productPhotos: productPhotos.filter((m) => m.renditions.length),
      listings,
      events,
      organizations,
      memberOf,
      verification: {
        valid: report.valid,
        events: report.events.length,
        signers: new Set(report.events.map((e) => e.recordedBy)).size,
        problems: [...report.errors, ...report.events.flatMap((e) => e.failures.map((f) => `${f.check}: ${f.message}`))].slice(0, 5),
        checkedAt: new Date().toISOString(),
      },
      links,
      publicBaseUrl: this.publicBaseUrl,
    };
  }

  private async product(gtin: string): Promise<ProductOrigin> {
    const product = await this.store.products.findByGtin(gtin);
    // A product's catalog is private until one of its lots is published.
    const lots = product ? await Promise.all(product.batchIds.map((id) => this.store.batches.findById(id))) : [];
    if (!product || !lots.some((lot) => lot?.published)) throw new NotFoundError('This product');
    const [owner, photos, listings] = await Promise.all([
      this.store.organizations.findById(product.orgId),
      this.store.media.listFor(product.id),
      this.store.listings.listForProduct(product.id),
    ]);
    const page = productDigitalLink(this.publicBaseUrl, gtin);
    const links: Links = {
      [`${GS1_VOC}pip`]: [
        { href: page, title: product.name.vi, type: 'text/html', hreflang: ['vi'] },
        { href: `${page}?lang=en`, title: product.name.en ?? product.name.vi, type: 'text/html', hreflang: ['en'] },
      ],
      [`${GS1_VOC}defaultLink`]: [{ href: page, title: product.name.vi, type: 'text/html' }],
      [`${GS1_VOC}masterData`]: [{ href: page, title: product.name.vi, type: 'text/html' }],
    };
    if (listings.length) links[`${GS1_VOC}hasRetailers`] = listings.map(retailerLink);
    return { kind: 'product', product, owner, photos: photos.filter((m) => m.renditions.length), listings, links, publicBaseUrl: this.publicBaseUrl };
  }

  /** `/414/{gln}`: an organization's location, else a plot (growing area) with that GLN. */
  private async location(gln: string): Promise<LocationOrigin | PlotOrigin> {
    const [organization, plot] = await Promise.all([this.store.organizations.findByGln(gln), this.store.plots.findByGln(gln)]);
    // A farm household's address is its home: it is shown only on the pages of its published lots.
    if (!organization || organization.type === 'farm_household') {
      if (plot) return this.plot(plot, gln);
      throw new NotFoundError('This location');
    }
    const parent = organization.parentId ? await this.store.organizations.findById(organization.parentId) : null;
    const page = locationDigitalLink(this.publicBaseUrl, gln);
    const links: Links = {
      [`${GS1_VOC}pip`]: [
        { href: page, title: organization.name, type: 'text/html', hreflang: ['vi'] },
        { href: `${page}?lang=en`, title: organization.name, type: 'text/html', hreflang: ['en'] },
      ],
      [`${GS1_VOC}defaultLink`]: [{ href: page, title: organization.name, type: 'text/html' }],
    };
    return { kind: 'location', organization, parent, links, publicBaseUrl: this.publicBaseUrl };
  }

  private async plot(plot: PlotRecord, gln: string): Promise<PlotOrigin> {
    const [lots, farmer] = await Promise.all([this.store.batches.publishedFromPlot(plot.id, PLOT_PAGE_LOTS_LIMIT), this.store.organizations.findById(plot.orgId)]);
    // Like every other private record, a plot is public only through a published lot made from it.
    if (!lots.length) throw new NotFoundError('This location');
    const page = locationDigitalLink(this.publicBaseUrl, gln);
    const links: Links = {
      [`${GS1_VOC}pip`]: [
        { href: page, title: plot.name, type: 'text/html', hreflang: ['vi'] },
        { href: `${page}?lang=en`, title: plot.name, type: 'text/html', hreflang: ['en'] },
      ],
      [`${GS1_VOC}defaultLink`]: [{ href: page, title: plot.name, type: 'text/html' }],
    };
    return { kind: 'plot', plot, farmer, memberOf: await this.cooperativesOf(farmer ? [farmer] : []), lots, links, publicBaseUrl: this.publicBaseUrl };
  }

  private async organizationsNamedIn(events: SignedEvent[]): Promise<Record<string, OrganizationRecord>> {
    const uris = new Set<string>();
    for (const { body } of events) {
      for (const uri of [body['ft:recordedBy'], plotOf(body)?.farmer]) if (typeof uri === 'string') uris.add(uri);
      for (const d of (body.destinationList as Array<{ destination?: unknown }> | undefined) ?? []) if (typeof d.destination === 'string') uris.add(d.destination);
    }
    const found: Record<string, OrganizationRecord> = {};
    await Promise.all(
      [...uris].map(async (uri) => {
        const org = await this.organizationByUri(uri);
        if (org) found[uri] = org;
      }),
    );
    return found;
  }

  private async cooperativesOf(orgs: OrganizationRecord[]): Promise<Record<string, OrganizationRecord>> {
    const out: Record<string, OrganizationRecord> = {};
    await Promise.all(
      orgs.map(async (org) => {
        const parent = org.type === 'farm_household' && org.parentId ? await this.store.organizations.findById(org.parentId) : null;
        if (parent) out[org.id] = parent;
      }),
    );
    return out;
  }

  private organizationByUri(uri: string): Promise<OrganizationRecord | null> {
    const gln = /^https:\/\/id\.gs1\.org\/417\/(\d{13})$/.exec(uri)?.[1];
    if (gln) return this.store.organizations.findByGln(gln);
    const slug = /^urn:farm-trace:epcis:org:(.+)$/.exec(uri)?.[1];
    return slug ? this.store.organizations.findBySlug(slug) : Promise.resolve(null);
  }
}

function retailerLink(listing: ListingRecord): LinkTarget {
  return { href: listing.url, title: listing.marketplace, type: 'text/html' };
}

function decodePayload(jws: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64UrlDecode(jws.split('.')[1] ?? ''))) as Record<string, unknown>;
}
