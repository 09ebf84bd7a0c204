/**
 * What each marketplace needs before a product can be listed there, from their seller
 * product-creation APIs: a leaf category id, a name and description, an integer VND price, stock,
 * package weight and dimensions, a brand (or "No Brand"), and 1–9 square JPEG or PNG images.
 * Returns, per marketplace, what the product still lacks; an empty list means ready.
 */
export interface ProductFacts {
  name: string;
  description: string;
  brand: string | null;
  priceVnd: number | null;
  stock: number;
  packageWeightKg: number | null;
  dimensionsCm: { length: number; width: number; height: number } | null;
  images: Array<{ mediaType: string; width: number | null; height: number | null }>;
  /** Leaf category ids of the product's listings, by marketplace. */
  categoryIds: Partial<Record<string, string | null>>;
}

interface Rule {
  nameMax: number;
  descriptionMin: number;
  imagesMax: number;
}

/** Seller-API limits of the Vietnamese marketplaces (name length, description length, images). */
const SELLER_MARKETPLACES: Record<string, Rule> = {
  shopee: { nameMax: 120, descriptionMin: 100, imagesMax: 9 },
  lazada: { nameMax: 255, descriptionMin: 1, imagesMax: 8 },
  tiktok_shop: { nameMax: 255, descriptionMin: 1, imagesMax: 9 },
  tiki: { nameMax: 255, descriptionMin: 1, imagesMax: 9 },
};

export function marketplaceGaps(p: ProductFacts): Record<string, string[]> {
  const report: Record<string, string[]> = {};
  for (const [marketplace, rule] of Object.entries(SELLER_MARKETPLACES)) {
    const missing: string[] = [];
    if (!p.categoryIds[marketplace]) missing.push(`a ${marketplace} listing with its leaf category id`);
    if (p.name.length > rule.nameMax) missing.push(`a name of at most ${rule.nameMax} characters (now ${p.name.length})`);
    if (p.description.trim().length < rule.descriptionMin) missing.push(`a description of at least ${rule.descriptionMin} characters`);
    if (p.priceVnd === null || !Number.isInteger(p.priceVnd) || p.priceVnd <= 0) missing.push('a price in whole VND');
    if (p.stock <= 0) missing.push('stock');
    if (p.packageWeightKg === null) missing.push('package weight (kg)');
    if (p.dimensionsCm === null) missing.push('package dimensions (cm)');
    if (!p.brand) missing.push('a brand (or "No Brand")');
    const usable = p.images.filter((i) => (i.mediaType === 'image/jpeg' || i.mediaType === 'image/png') && i.width !== null && i.width === i.height);
    if (usable.length === 0) missing.push('at least one square JPEG or PNG image');
    if (usable.length > rule.imagesMax) missing.push(`at most ${rule.imagesMax} images (now ${usable.length} square JPEG/PNG)`);
    report[marketplace] = missing;
  }
  return report;
}
