/**
 * The closed vocabularies of the service: every value a field of this kind may take. Schemas
 * validate against them, the storage port types its records with them, and every screen's
 * message table is typed against them, so adding a value shows each place that must name it.
 */

export const ORGANIZATION_TYPES = ['cooperative', 'farm_household', 'processor', 'trader', 'certification_body'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const ROLES = ['admin', 'operator', 'farmer', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

export const CERTIFICATION_SCHEMES = ['VietGAP', 'organic', 'RainforestAlliance', '4C', 'OCOP', 'GlobalGAP', 'other'] as const;
export type CertificationScheme = (typeof CERTIFICATION_SCHEMES)[number];

export const MARKETPLACES = ['shopee', 'lazada', 'tiktok_shop', 'tiki', 'postmart', 'voso', 'own_shop', 'amazon', 'other'] as const;
export type MarketplaceName = (typeof MARKETPLACES)[number];

/**
 * Crops the console offers when a plot is registered. Plots may name other crops (the API takes
 * free text), which screens then show as they are.
 */
export const CROPS = ['coffee-robusta', 'coffee-arabica', 'tea', 'cashew', 'rubber', 'pepper', 'durian', 'macadamia'] as const;
export type Crop = (typeof CROPS)[number];

export const AVAILABILITIES = ['in_stock', 'out_of_stock', 'preorder', 'backorder'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Steps a lot goes through; which of them are processing steps is the event model's business. */
export const STEP_TYPES = [
  'drying',
  'fermenting',
  'hulling',
  'sorting',
  'roasting',
  'grinding',
  'packing',
  'storage',
  'shipping',
  'receiving',
  'inspection',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.logo_changed',
  'organization.logo_removed',
  'user.created',
  'user.pin_reset',
  'batch.published',
  'batch.unpublished',
  'api_key.created',
  'api_key.revoked',
  'signing_key.rotated',
  'signing_key.revoked',
  'signing_key.rewrapped',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
