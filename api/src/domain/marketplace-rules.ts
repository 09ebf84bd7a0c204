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

/** One thing a marketplace still needs: a stable code for translating it, its English words, and the limit it refers to. */
export type Gap =
  | { code: 'category' | 'price' | 'stock' | 'package_weight' | 'dimensions' | 'brand' | 'square_image'; message: string }
  | { code: 'name_too_long' | 'too_many_images'; message: string; limit: number; now: number }
  | { code: 'description_too_short'; message: string; limit: number };

export function marketplaceGaps(p: ProductFacts): Record<string, Gap[]> {
  const report: Record<string, Gap[]> = {};
  for (const [marketplace, rule] of Object.entries(SELLER_MARKETPLACES)) {
    const missing: Gap[] = [];
    if (!p.categoryIds[marketplace]) missing.push({ code: 'category', message: `a ${marketplace} listing with its leaf category id` });
    if (p.name.length > rule.nameMax) missing.push({ code: 'name_too_long', message: `a name of at most ${rule.nameMax} characters (now ${p.name.length})`, limit: rule.nameMax, now: p.name.length });
    if (p.description.trim().length < rule.descriptionMin) missing.push({ code: 'description_too_short', message: `a description of at least ${rule.descriptionMin} characters`, limit: rule.descriptionMin });
    if (p.priceVnd === null || !Number.isInteger(p.priceVnd) || p.priceVnd <= 0) missing.push({ code: 'price', message: 'a price in whole VND' });
    if (p.stock <= 0) missing.push({ code: 'stock', message: 'stock' });
    if (p.packageWeightKg === null) missing.push({ code: 'package_weight', message: 'package weight (kg)' });
    if (p.dimensionsCm === null) missing.push({ code: 'dimensions', message: 'package dimensions (cm)' });
    if (!p.brand) missing.push({ code: 'brand', message: 'a brand (or "No Brand")' });
    const usable = p.images.filter((i) => (i.mediaType === 'image/jpeg' || i.mediaType === 'image/png') && i.width !== null && i.width === i.height);
    if (usable.length === 0) missing.push({ code: 'square_image', message: 'at least one square JPEG or PNG image' });
    if (usable.length > rule.imagesMax) {
      missing.push({ code: 'too_many_images', message: `at most ${rule.imagesMax} images (now ${usable.length} square JPEG/PNG)`, limit: rule.imagesMax, now: usable.length });
    }
    report[marketplace] = missing;
  }
  return report;
}
