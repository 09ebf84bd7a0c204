/**
 * What the export writers consume: products, listings and plots already joined and resolved
 * (links absolute, prices integers). The writers stream them out one at a time; nothing holds
 * a whole catalog in memory.
 */

import type { Availability, MarketplaceName } from '../domain/vocabulary.js';
import type { ErrorParams, ExportProblemCode } from '../domain/problem-codes.js';

export interface FeedProduct {
  /** Our product id (UUID); feeds use it as the item id (≤ 50 characters). */
  id: string;
  gtin: string;
  title: string;
  titleEn: string | null;
  description: string;
  descriptionEn: string | null;
  brand: string | null;
  /** Google product category id, when known. */
  googleCategory: number | null;
  /** The product's origin page: its GS1 Digital Link URI. */
  link: string;
  /** Public image URLs, largest rendition of each product photo, in order. */
  imageLinks: string[];
  /** Integer VND. */
  priceVnd: number | null;
  availability: Availability;
  stock: number;
  condition: 'new';
  netWeight: { value: number; unit: 'g' | 'kg' | 'ml' | 'l' } | null;
  packageWeightKg: number | null;
  dimensionsCm: { length: number; width: number; height: number } | null;
  ocopStars: number | null;
}


export interface FeedListing {
  id: string;
  productId: string;
  gtin: string;
  productName: string;
  marketplace: MarketplaceName;
  url: string;
  categoryId: string | null;
  /** Integer VND; the product's price when the listing has none. */
  priceVnd: number | null;
  availability: Availability;
  /** The product's origin page. */
  originLink: string;
}

export interface EudrPlot {
  plotId: string;
  /** The farm household (or organization) that produces on the plot. */
  producerName: string;
  /** ISO 3166-1 alpha-2. */
  producerCountry: 'VN';
  /** Commune, district/province as written on the organization. */
  productionPlace: string;
  /** Hectares: computed from the polygon, declared for points. */
  areaHa: number | null;
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };
  commodities: string[];
  harvestPeriod: { from: string; to: string } | null;
}

/** One reason an item cannot be exported: its code (docs/errors.md), the English text and its values. */
export interface ExportProblem {
  code: ExportProblemCode;
  message: string;
  params?: ErrorParams;
}

/**
 * An item that could not be exported validly, and why; never dropped silently. `reasons` are the
 * English texts, `problems` the same reasons, in the same order, as codes a client translates.
 */
export interface SkippedItem {
  id: string;
  reasons: string[];
  problems: Array<Omit<ExportProblem, 'message'>>;
}

export interface ExportSummary {
  written: number;
  skipped: SkippedItem[];
}
