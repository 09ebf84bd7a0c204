import { requireRole, type Actor } from '../../core/auth.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import { marketplaceGaps, type Gap } from '../../domain/marketplace-rules.js';
import type { ListingRecord, MediaRecord, Page, PageRequest, ProductRecord, Store } from '../../store/port.js';
import { CLEARABLE_PRODUCT_FIELDS, type ListingCreate, type ProductCreate, type ProductUpdate } from './schema.js';

/** Products as a cooperative sells them, their marketplace listings, and what each marketplace still needs. */
export class ProductService {
  constructor(private readonly store: Store) {}

  async create(actor: Actor, input: ProductCreate): Promise<ProductRecord> {
    requireRole(actor, ['operator', 'admin'], 'manage products');
    await this.checkBatches(actor, input.batchIds);
    if (await this.store.products.findByGtin(input.gtin)) throw new ConflictError('a product with this GTIN already exists', 'gtin');
    const now = nowIso();
    const product: ProductRecord = {
      id: newId(),
      orgId: actor.orgId,
      gtin: input.gtin,
      ...this.fields(input),
      stock: input.stock,
      otherPrices: input.otherPrices,
      batchIds: input.batchIds,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.products.insert(product);
    return product;
  }

  async update(actor: Actor, id: string, input: ProductUpdate): Promise<ProductRecord> {
    requireRole(actor, ['operator', 'admin'], 'manage products');
    const current = await this.get(actor, id);
    if (input.batchIds) await this.checkBatches(actor, input.batchIds);
    const patch: Partial<ProductRecord> = { updatedAt: nowIso() };
    if (input.name) patch.name = { vi: input.name.vi, en: input.name.en ?? null };
    if (input.description) patch.description = { vi: input.description.vi, en: input.description.en ?? null };
    for (const key of CLEARABLE_PRODUCT_FIELDS) {
      if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = input[key];
    }
    if (input.stock !== undefined) patch.stock = input.stock;
    if (input.otherPrices !== undefined) patch.otherPrices = input.otherPrices;
    if (input.batchIds !== undefined) patch.batchIds = input.batchIds;
    await this.store.products.update(id, patch);
    return { ...current, ...patch };
  }

  async get(actor: Actor, id: string): Promise<ProductRecord> {
    const product = await this.store.products.findById(id);
    if (!product || !actor.scopeOrgIds.includes(product.orgId)) throw new NotFoundError('Product');
    return product;
  }

  list(actor: Actor, page: PageRequest): Promise<Page<ProductRecord>> {
    return this.store.products.list(actor.scopeOrgIds, page);
  }

  /** The product's photos, in upload order. */
  async images(productId: string): Promise<MediaRecord[]> {
    return (await this.store.media.listFor(productId)).filter((m) => m.mediaType.startsWith('image/'));
  }

  async readiness(actor: Actor, id: string): Promise<{ productId: string; gtin: string; marketplaces: Record<string, { ready: boolean; missing: string[]; gaps: Array<{ code: Gap['code']; limit?: number; now?: number }> }> }> {
    const product = await this.get(actor, id);
    const listings = await this.store.listings.listForProduct(id);
    const gaps = marketplaceGaps({
      name: product.name.vi,
      description: product.description.vi,
      brand: product.brand,
      priceVnd: product.priceVnd,
      stock: product.stock,
      packageWeightKg: product.packageWeightKg,
      dimensionsCm: product.dimensionsCm,
      images: (await this.images(id)).map((m) => ({ mediaType: m.mediaType, width: m.width, height: m.height })),
      categoryIds: Object.fromEntries(listings.map((l) => [l.marketplace, l.categoryId])),
    });
    return {
      productId: id,
      gtin: product.gtin,
      marketplaces: Object.fromEntries(Object.entries(gaps).map(([m, missing]) => [m, { ready: missing.length === 0, missing: missing.map((g) => g.message), gaps: missing.map(({ message: _, ...gap }) => gap) }])),
    };
  }

  async createListing(actor: Actor, input: ListingCreate): Promise<ListingRecord> {
    requireRole(actor, ['operator', 'admin'], 'manage listings');
    const product = await this.store.products.findById(input.productId);
    if (!product || !actor.scopeOrgIds.includes(product.orgId)) throw ValidationError.field('productId', 'no-such-product', 'no such product in your organization');
    const listing: ListingRecord = {
      id: newId(),
      orgId: product.orgId,
      productId: product.id,
      marketplace: input.marketplace,
      url: input.url,
      categoryId: input.categoryId ?? null,
      priceVnd: input.priceVnd ?? null,
      availability: input.availability,
      createdAt: nowIso(),
    };
    await this.store.listings.insert(listing);
    return listing;
  }

  listListings(actor: Actor, page: PageRequest): Promise<Page<ListingRecord>> {
    return this.store.listings.list(actor.scopeOrgIds, page);
  }

  async removeListing(actor: Actor, id: string): Promise<void> {
    requireRole(actor, ['operator', 'admin'], 'manage listings');
    const listing = await this.store.listings.findById(id);
    if (!listing || !actor.scopeOrgIds.includes(listing.orgId)) throw new NotFoundError('Listing');
    await this.store.listings.remove(id);
  }

  private fields(input: ProductCreate): Omit<ProductRecord, 'id' | 'orgId' | 'gtin' | 'stock' | 'otherPrices' | 'batchIds' | 'createdAt' | 'updatedAt'> {
    return {
      name: { vi: input.name.vi, en: input.name.en ?? null },
      description: { vi: input.description.vi, en: input.description.en ?? null },
      brand: input.brand ?? null,
      googleCategory: input.googleCategory ?? null,
      netWeight: input.netWeight ?? null,
      packageWeightKg: input.packageWeightKg ?? null,
      dimensionsCm: input.dimensionsCm ?? null,
      priceVnd: input.priceVnd ?? null,
      ocopStars: input.ocopStars ?? null,
    };
  }

  /** A product may name only lots in the organization's own chain of custody, not any published lot. */
  private async checkBatches(actor: Actor, batchIds: string[]): Promise<void> {
    for (const [index, batchId] of batchIds.entries()) {
      const batch = await this.store.batches.findById(batchId);
      if (!batch || !batch.accessOrgIds.some((id) => actor.scopeOrgIds.includes(id))) {
        throw ValidationError.field(`batchIds[${index}]`, 'no-such-lot', 'no such lot in your chain of custody');
      }
    }
  }
}
