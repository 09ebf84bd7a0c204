/** Products (trade items) and their marketplace listings: records and repositories. */

import type { Availability, MarketplaceName } from '../../domain/vocabulary.js';
import type { Page, PageRequest } from './pagination.js';

export interface ProductRecord {
  id: string;
  orgId: string;
  /** GTIN-14 of the trade item; one product per GTIN. */
  gtin: string;
  name: { vi: string; en: string | null };
  description: { vi: string; en: string | null };
  brand: string | null;
  googleCategory: number | null;
  netWeight: { value: number; unit: 'g' | 'kg' | 'ml' | 'l' } | null;
  packageWeightKg: number | null;
  dimensionsCm: { length: number; width: number; height: number } | null;
  stock: number;
  /** Integer VND. */
  priceVnd: number | null;
  otherPrices: Array<{ currency: string; amount: number }>;
  ocopStars: number | null;
  /** The lots the product is made from. */
  batchIds: string[];
  createdAt: string;
  updatedAt: string;
}

export type ProductPatch = Partial<Omit<ProductRecord, 'id' | 'orgId' | 'gtin' | 'createdAt'>>;

export interface ListingRecord {
  id: string;
  orgId: string;
  productId: string;
  marketplace: MarketplaceName;
  url: string;
  categoryId: string | null;
  /** Integer VND; the product's price applies when null. */
  priceVnd: number | null;
  availability: Availability;
  createdAt: string;
}

export interface ProductRepository {
  insert(product: ProductRecord): Promise<void>;
  findById(id: string): Promise<ProductRecord | null>;
  findByGtin(gtin: string): Promise<ProductRecord | null>;
  /** Newest first, among products of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<ProductRecord>>;
  update(id: string, patch: ProductPatch): Promise<void>;
}

export interface ListingRepository {
  insert(listing: ListingRecord): Promise<void>;
  findById(id: string): Promise<ListingRecord | null>;
  /** Newest first, among listings of `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<ListingRecord>>;
  listForProduct(productId: string): Promise<ListingRecord[]>;
  remove(id: string): Promise<void>;
}
