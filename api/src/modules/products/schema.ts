import { z } from 'zod';
import { refinement } from '../../core/validation.js';
import { Gtin, Id, Text } from '../../core/schemas.js';
import { AVAILABILITIES, MARKETPLACES } from '../../domain/vocabulary.js';

const Localized = (max: number) => z.strictObject({ vi: Text(max), en: Text(max).optional() });
const Vnd = z.number().int('VND prices are whole numbers').min(0).max(1e12);

const ProductFields = {
  name: Localized(150),
  description: Localized(5000),
  brand: Text(70).optional().describe('Marketplaces accept "No Brand" for unbranded farm products'),
  googleCategory: z.number().int().positive().optional().describe('Google product category id'),
  netWeight: z.strictObject({ value: z.number().positive(), unit: z.enum(['g', 'kg', 'ml', 'l']) }).optional(),
  packageWeightKg: z.number().positive().max(1000).optional(),
  dimensionsCm: z.strictObject({ length: z.number().positive().max(1000), width: z.number().positive().max(1000), height: z.number().positive().max(1000) }).optional(),
  stock: z.number().int().min(0).max(1e9),
  priceVnd: Vnd.optional(),
  otherPrices: z.array(z.strictObject({ currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'), amount: z.number().positive() })).max(10),
  ocopStars: z.number().int().min(3).max(5).optional(),
  batchIds: z.array(Id).max(200).describe('Lots the product is made from'),
};

export const ProductCreate = z.strictObject({
  gtin: Gtin,
  ...ProductFields,
  stock: ProductFields.stock.default(0),
  otherPrices: ProductFields.otherPrices.default([]),
  batchIds: ProductFields.batchIds.default([]),
});
export type ProductCreate = z.output<typeof ProductCreate>;

/** The catalog fields a product may be without: an update sends null to remove one. */
export const CLEARABLE_PRODUCT_FIELDS = ['brand', 'googleCategory', 'netWeight', 'packageWeightKg', 'dimensionsCm', 'priceVnd', 'ocopStars'] as const;
type Clearable = (typeof CLEARABLE_PRODUCT_FIELDS)[number];

export const ProductUpdate = z
  .strictObject(
    Object.fromEntries(
      Object.entries(ProductFields).map(([k, v]) => [k, (CLEARABLE_PRODUCT_FIELDS as readonly string[]).includes(k) ? (v as z.ZodType).nullable().optional() : (v as z.ZodType).optional()]),
    ) as { [K in keyof typeof ProductFields]: K extends Clearable ? z.ZodOptional<z.ZodNullable<(typeof ProductFields)[K]>> : z.ZodOptional<(typeof ProductFields)[K]> },
  )
  .refine((p) => Object.keys(p).length > 0, refinement('nothing-to-change', 'nothing to change'));
export type ProductUpdate = z.output<typeof ProductUpdate>;

export const ListingCreate = z.strictObject({
  productId: Id,
  marketplace: z.enum(MARKETPLACES),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  categoryId: Text(64).optional().describe('The marketplace’s leaf category id'),
  priceVnd: Vnd.optional(),
  availability: z.enum(AVAILABILITIES).default('in_stock'),
});
export type ListingCreate = z.output<typeof ListingCreate>;

export const Product = z.object({
  id: z.string(),
  orgId: z.string(),
  gtin: z.string(),
  name: z.object({ vi: z.string(), en: z.string().nullable() }),
  description: z.object({ vi: z.string(), en: z.string().nullable() }),
  brand: z.string().nullable(),
  googleCategory: z.number().nullable(),
  netWeight: z.object({ value: z.number(), unit: z.string() }).nullable(),
  packageWeightKg: z.number().nullable(),
  dimensionsCm: z.object({ length: z.number(), width: z.number(), height: z.number() }).nullable(),
  stock: z.number(),
  priceVnd: z.number().nullable(),
  otherPrices: z.array(z.object({ currency: z.string(), amount: z.number() })),
  ocopStars: z.number().nullable(),
  batchIds: z.array(z.string()),
  digitalLink: z.string(),
  images: z.array(z.object({ mediaId: z.string(), url: z.string(), width: z.number().nullable(), height: z.number().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const Listing = z.object({
  id: z.string(),
  orgId: z.string(),
  productId: z.string(),
  marketplace: z.enum(MARKETPLACES),
  url: z.string(),
  categoryId: z.string().nullable(),
  priceVnd: z.number().nullable(),
  availability: z.enum(AVAILABILITIES),
  createdAt: z.string(),
});

export const Readiness = z.object({
  productId: z.string(),
  gtin: z.string(),
  marketplaces: z.record(
    z.string(),
    z.object({
      ready: z.boolean(),
      missing: z.array(z.string()),
      gaps: z
        .array(z.object({ code: z.string(), limit: z.number().int().optional(), now: z.number().int().optional() }))
        .describe('The same as `missing`, as codes for translating: category, name_too_long, description_too_short, price, stock, package_weight, dimensions, brand, square_image, too_many_images'),
    }),
  ),
});
