import { Writable } from 'node:stream';
import { AppError, NotFoundError, problemType } from '../../core/errors.js';
import { allPages } from '../../core/pagination.js';
import { productDigitalLink } from '../../domain/gs1/digital-link.js';
import type { EudrPlot, ExportSummary, FeedListing, FeedProduct } from '../../exports/feed-types.js';
import { writeEudrGeoJson } from '../../exports/eudr-geojson.js';
import { writeGoogleMerchantTsv, writeGoogleMerchantXml } from '../../exports/google-merchant.js';
import { writeListingsCsv } from '../../exports/listings-csv.js';
import { writeMetaCatalogCsv } from '../../exports/meta-catalog.js';
import { renditionUrl } from '../../media/rendition-urls.js';
import type { BatchRecord, OrganizationRecord, Page, PageRequest, Store } from '../../store/port.js';

export const EXPORT_FORMATS = ['google-merchant.xml', 'google-merchant.tsv', 'meta-catalog.csv', 'listings.csv', 'eudr.geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  'google-merchant.xml': 'application/rss+xml; charset=utf-8',
  'google-merchant.tsv': 'text/tab-separated-values; charset=utf-8',
  'meta-catalog.csv': 'text/csv; charset=utf-8',
  'listings.csv': 'text/csv; charset=utf-8',
  'eudr.geojson': 'application/geo+json',
};

const PAGE = 200;

/** What to export: an organization scope, optionally narrowed to one lot's plots (EUDR). */
export interface ExportScope {
  orgIds: string[];
  batch?: BatchRecord | undefined;
}

/**
 * Streams catalogs and plot geolocation out of the store a page at a time, joined into the shapes
 * the writers take; nothing holds a whole catalog in memory.
 */
export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly publicBaseUrl: string,
    /** Largest EUDR GeoJSON file, in bytes (the EU information system's limit). */
    readonly eudrMaxFileBytes: number,
  ) {}

  /**
   * Writes one export. `skipFirst` drops the first items (the CLI's later EUDR files continue where
   * the previous file stopped); `maxBytes` stops before the item that would pass it (EUDR only).
   */
  async write(
    format: ExportFormat,
    scope: ExportScope,
    out: NodeJS.WritableStream,
    options: { onItem?: () => void; maxBytes?: number; skipFirst?: number } = {},
  ): Promise<ExportSummary & { truncatedAt?: number | null }> {
    const tick = <T>(items: AsyncIterable<T>): AsyncIterable<T> => counted(items, options.onItem, options.skipFirst ?? 0);
    switch (format) {
      case 'google-merchant.xml':
        return writeGoogleMerchantXml(tick(this.products(scope.orgIds)), out, {
          title: 'Farm trace catalog',
          link: this.publicBaseUrl,
          description: 'Products with their origin, from farm-trace',
        });
      case 'google-merchant.tsv':
        return writeGoogleMerchantTsv(tick(this.products(scope.orgIds)), out);
      case 'meta-catalog.csv':
        return writeMetaCatalogCsv(tick(this.products(scope.orgIds)), out);
      case 'listings.csv':
        return writeListingsCsv(tick(this.listings(scope.orgIds)), out);
      case 'eudr.geojson':
        return writeEudrGeoJson(tick(this.plots(scope)), out, { maxBytes: options.maxBytes ?? this.eudrMaxFileBytes });
    }
  }

  /** The validation report of an export, without the export itself: every item, whatever the file-size limit. */
  report(format: ExportFormat, scope: ExportScope): Promise<ExportSummary> {
    return this.write(format, scope, nullSink(), { maxBytes: Number.MAX_SAFE_INTEGER });
  }

  /**
   * Checks that the EUDR file fits the EU limit before anything is sent, so an HTTP client never
   * receives half a file; a larger export is the CLI's job (it splits into numbered files).
   */
  async assertFitsOneEudrFile(scope: ExportScope): Promise<void> {
    const dryRun = await this.write('eudr.geojson', scope, nullSink(), { maxBytes: this.eudrMaxFileBytes });
    if (dryRun.truncatedAt !== null && dryRun.truncatedAt !== undefined) {
      throw new AppError({
        status: 413,
        type: problemType('eudr-file-too-large'),
        code: 'eudr-file-too-large',
        params: { maximumBytes: this.eudrMaxFileBytes },
        title: 'Export too large for one EUDR file',
        detail: `The geolocation data exceeds the EU information system's limit of ${this.eudrMaxFileBytes.toLocaleString('en')} bytes per file. Use the CLI, which splits it into numbered files: npm run export -- --format eudr.geojson --out plots.geojson --org <slug>`,
      });
    }
  }

  /** How many items an export will read (for progress bars). */
  async count(format: ExportFormat, scope: ExportScope): Promise<number> {
    if (format === 'eudr.geojson' && scope.batch) return scope.batch.plotIds.length;
    const list: (page: PageRequest) => Promise<Page<{ id: string }>> =
      format === 'listings.csv'
        ? (page) => this.store.listings.list(scope.orgIds, page)
        : format === 'eudr.geojson'
          ? (page) => this.store.plots.list(scope.orgIds, page)
          : (page) => this.store.products.list(scope.orgIds, page);
    let n = 0;
    for await (const _ of allPages(list, PAGE)) n++;
    return n;
  }

  private async *products(orgIds: string[]): AsyncIterable<FeedProduct> {
    for await (const p of allPages((page) => this.store.products.list(orgIds, page), PAGE)) {
      const images = (await this.store.media.listFor(p.id)).filter((m) => m.mediaType.startsWith('image/') && m.renditions.length);
      yield {
        id: p.id,
        gtin: p.gtin,
        title: p.name.vi,
        titleEn: p.name.en,
        description: p.description.vi,
        descriptionEn: p.description.en,
        brand: p.brand,
        googleCategory: p.googleCategory,
        link: productDigitalLink(this.publicBaseUrl, p.gtin),
        imageLinks: images.map((m) => renditionUrl(this.publicBaseUrl, m.renditions.at(-1)!.sha256)),
        priceVnd: p.priceVnd,
        availability: p.stock > 0 ? 'in_stock' : 'out_of_stock',
        stock: p.stock,
        condition: 'new',
        netWeight: p.netWeight,
        packageWeightKg: p.packageWeightKg,
        dimensionsCm: p.dimensionsCm,
        ocopStars: p.ocopStars,
      };
    }
  }

  private async *listings(orgIds: string[]): AsyncIterable<FeedListing> {
    for await (const l of allPages((page) => this.store.listings.list(orgIds, page), PAGE)) {
      const product = await this.store.products.findById(l.productId);
      // Listings reference their product by a foreign key and products are never deleted.
      if (!product) throw new NotFoundError(`Product ${l.productId} of listing ${l.id}`);
      yield {
        id: l.id,
        productId: product.id,
        gtin: product.gtin,
        productName: product.name.vi,
        marketplace: l.marketplace,
        url: l.url,
        categoryId: l.categoryId,
        priceVnd: l.priceVnd ?? product.priceVnd,
        availability: l.availability,
        originLink: productDigitalLink(this.publicBaseUrl, product.gtin),
      };
    }
  }

  private async *plots(scope: ExportScope): AsyncIterable<EudrPlot> {
    const orgs = new Map<string, OrganizationRecord | null>();
    const org = async (id: string) => {
      if (!orgs.has(id)) orgs.set(id, await this.store.organizations.findById(id));
      return orgs.get(id) ?? null;
    };
    const source = scope.batch
      ? (async function* (store: Store, ids: string[]) {
          for (const id of ids) {
            const plot = await store.plots.findById(id);
            if (plot) yield plot;
          }
        })(this.store, scope.batch.plotIds)
      : allPages((page) => this.store.plots.list(scope.orgIds, page), PAGE);
    const period = scope.batch ? (scope.batch.harvestPeriod ?? (scope.batch.harvestedAt ? { from: scope.batch.harvestedAt, to: scope.batch.harvestedAt } : null)) : null;
    for await (const plot of source) {
      const producer = await org(plot.orgId);
      if (!producer) throw new NotFoundError('Organization of a plot');
      yield {
        plotId: plot.id,
        producerName: producer.name,
        producerCountry: 'VN',
        productionPlace: [producer.address.commune, producer.address.province].filter(Boolean).join(', '),
        areaHa: plot.areaHa,
        geometry: plot.geometry,
        commodities: plot.crops,
        harvestPeriod: period,
      };
    }
  }
}

async function* counted<T>(items: AsyncIterable<T>, onItem: (() => void) | undefined, skipFirst: number): AsyncIterable<T> {
  let index = 0;
  for await (const item of items) {
    onItem?.();
    if (index++ >= skipFirst) yield item;
  }
}

function nullSink(): NodeJS.WritableStream {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
