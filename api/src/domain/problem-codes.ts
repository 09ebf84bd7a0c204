/**
 * The stable machine codes the API puts beside its English text: one `code` per problem and one
 * per field error, with the values that parameterise it (`params`), so a client can say the same
 * thing in its own language. Both lists are closed: the server can only throw a code listed here,
 * every code is documented in docs/errors.md (a test holds the two together), and the console's
 * message tables are typed by these unions, so a code without a translation does not compile.
 *
 * Browser-safe (no I/O): the console and the office import the types.
 */

/**
 * Problem codes. A problem code is at least as fine as the problem `type` (`/problems/<slug>`):
 * most codes equal their type's slug; a type that covers distinct causes a client would word
 * differently (401 `unauthorized`, 403 `forbidden`) has one code per cause.
 */
export const PROBLEM_CODES = [
  'validation-failed',
  'bad-request',
  'unauthorized',
  'wrong-credentials',
  'wrong-phone-or-pin',
  'token-invalid',
  'api-key-invalid',
  'authorization-malformed',
  'role-not-allowed',
  'not-lot-custodian',
  'not-lot-owner',
  'not-step-recorder',
  'not-a-cooperative',
  'not-organization-admin',
  'not-found',
  'not-registered',
  'conflict',
  'lot-in-transit',
  'not-shipped-to-you',
  'logo-missing',
  'no-phone-login',
  'idempotency-key-in-progress',
  'idempotency-key-reused',
  'request-timeout',
  'payload-too-large',
  'file-too-large',
  'too-many-files',
  'too-many-pixels',
  'capture-limit-exceeded',
  'eudr-file-too-large',
  'unsupported-media-type',
  'headers-too-large',
  'digital-link-syntax',
  'rate-limited',
  'uploads-busy',
  'capture-busy',
  'capture-interrupted',
  'not-ready',
  'internal',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Field-error codes: what is wrong with one field, named by its path. */
export const FIELD_ERROR_CODES = [
  // Any field (zod's issue kinds)
  'required',
  'invalid-type',
  'too-small',
  'too-big',
  'invalid-format',
  'invalid-value',
  'unknown-field',
  'not-multiple-of',
  'given-twice',
  'listed-twice',
  'nothing-to-change',
  'duplicate',
  // Logins
  'phone-invalid',
  'pin-not-six-digits',
  'pin-repeated',
  'pin-sequence',
  'pin-phone-digits',
  'login-required',
  'required-with',
  'phone-login-farmers-only',
  'no-phone-login',
  // The body itself
  'invalid-json',
  'body-too-deep',
  'not-text',
  'body-timeout',
  'multipart-malformed',
  'unexpected-file-field',
  'file-required',
  'one-file-only',
  'file-too-large',
  'too-many-files',
  'file-empty',
  'file-unsupported-type',
  'file-truncated',
  'image-undecodable',
  'image-too-many-pixels',
  'idempotency-key-reused',
  // GS1 keys
  'gtin-format',
  'gtin-check-digit',
  'gln-format',
  'gln-check-digit',
  'lot-number-length',
  'gs1-charset-82',
  'digital-link-syntax',
  'no-such-link',
  // Plot geometry (EUDR)
  'plot-geometry-required',
  'plot-geometry-type',
  'plot-position-format',
  'plot-position-not-finite',
  'plot-longitude-range',
  'plot-latitude-range',
  'plot-ring-missing',
  'plot-holes',
  'plot-ring-format',
  'plot-ring-too-many-positions',
  'plot-ring-too-few-positions',
  'plot-ring-not-closed',
  'plot-ring-too-few-distinct',
  'plot-ring-repeats-position',
  'plot-self-intersecting',
  'plot-no-area',
  'point-plot-too-large',
  'point-plot-needs-area',
  // Records a field names
  'no-such-organization',
  'not-your-organization',
  'must-be-farm-household',
  'member-of-cooperative-only',
  'role-for-certification-bodies',
  'role-for-farm-households',
  'no-such-plot',
  'no-such-product',
  'no-such-lot',
  'no-such-step',
  'already-yours',
  'receiver-required',
  'receiver-not-allowed',
  'not-shipped-to-you',
  'lot-in-transit',
  'not-lot-custodian',
  'logo-missing',
  // Time
  'future-time',
  'ends-before-start',
  'harvest-time-choice',
  'window-reversed',
  'window-too-long',
  // Quantities
  'quantity-exceeds-input',
  'merge-heavier-than-inputs',
  'parts-heavier-than-lot',
  'bag-size-required',
  'bag-size-not-applicable',
  // Certificates
  'ocop-stars-required',
  'stars-only-for-ocop',
  // Queries
  'page-token-invalid',
  'unknown-business-step',
  // EPCIS capture
  'capture-behaviour-unsupported',
  'epcis-document-type',
  'epcis-not-allowed',
  'epcis-schema',
  'epcis-context',
  'epcis-too-deep',
  'epcis-too-many-events',
  'epcis-duplicate-event',
  'epcis-event-hash',
  'epcis-already-commissioned',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/**
 * Why an export skipped an item (a product, a listing, a plot): what only new data can repair.
 * They come back beside the English reasons in an export's report (`skipped[].problems`).
 */
export const EXPORT_PROBLEM_CODES = [
  'id-empty',
  'id-too-long',
  'title-empty',
  'description-empty',
  'link-invalid',
  'link-too-long',
  'no-image',
  'no-usable-image',
  'no-price',
  'price-invalid',
  'gtin-invalid',
  'availability-invalid',
  'availability-needs-date',
  'condition-unsupported',
  'no-brand',
  'brand-placeholder',
  'brand-too-long',
  'url-invalid',
  'origin-link-invalid',
  'plot-id-empty',
  'producer-name-empty',
  'producer-country-invalid',
  'production-place-empty',
  'area-invalid',
  'plot-geometry-invalid',
  'point-needs-area',
  'point-plot-too-large',
] as const;
export type ExportProblemCode = (typeof EXPORT_PROBLEM_CODES)[number];

/** The values a code's message is written with (a limit, the expected check digit…). */
export type ErrorParams = Record<string, string | number>;

/** One failing field: its path, the English message, and the code and values to translate it. */
export interface FieldError {
  path: string;
  code: FieldErrorCode;
  message: string;
  params?: ErrorParams;
}

const PROBLEM_CODE_SET: ReadonlySet<string> = new Set(PROBLEM_CODES);
const FIELD_ERROR_CODE_SET: ReadonlySet<string> = new Set(FIELD_ERROR_CODES);

export const isProblemCode = (value: unknown): value is ProblemCode => typeof value === 'string' && PROBLEM_CODE_SET.has(value);
export const isFieldErrorCode = (value: unknown): value is FieldErrorCode => typeof value === 'string' && FIELD_ERROR_CODE_SET.has(value);
