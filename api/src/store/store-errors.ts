/**
 * The errors the storage port throws. They say what broke in the data, not how to answer a
 * request: the problem middleware (core) turns them into HTTP problems.
 */

/** The uniqueness rules every adapter enforces (by index name), with the field each protects and why it refuses. */
export const UNIQUE_RULES = {
  organizations_slug: { field: 'slug', message: 'an organization with this slug already exists' },
  organizations_gln: { field: 'gln', message: 'an organization with this GLN already exists' },
  users_email: { field: 'email', message: 'a user with this email already exists' },
  users_phone: { field: 'phone', message: 'a user with this phone number already exists' },
  batches_gtin_lot: { field: 'lotNumber', message: 'a lot with this GTIN and lot number already exists' },
  batches_org_product_lot: { field: 'lotNumber', message: 'this organization already has a lot of this product with this lot number' },
  batches_code: { field: 'code', message: 'a lot with this code already exists' },
  products_gtin: { field: 'gtin', message: 'a product with this GTIN already exists' },
  plots_gln: { field: 'gln', message: 'a plot with this GLN already exists' },
} as const;
export type UniqueRule = keyof typeof UNIQUE_RULES;

/** A write broke a uniqueness rule, or an unnamed one (a reused id): nothing of it was stored. */
export class UniquenessViolation extends Error {
  /** The rule broken, or null for an unnamed one. */
  readonly rule: UniqueRule | null;
  /** The record field the rule protects (null for an unnamed rule). */
  readonly field: string | null;

  constructor(rule: UniqueRule | null) {
    super(rule ? UNIQUE_RULES[rule].message : 'the record already exists');
    this.name = 'UniquenessViolation';
    this.rule = rule;
    this.field = rule ? UNIQUE_RULES[rule].field : null;
  }
}
