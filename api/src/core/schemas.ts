import { z } from 'zod';
import { normalizeGtin, validateGln, validateLotNumber, type KeyCheck } from '../domain/gs1/keys.js';
import { normalizeVietnameseMobile } from '../domain/phone-login.js';
import { refinement } from './validation.js';

/** zod types for values that several modules accept: GS1 keys, ids, dates, places. */
function gs1Key(check: (input: string) => KeyCheck) {
  return z.string().transform((value, ctx) => {
    const result = check(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', ...refinement(result.code, result.message, result.params) });
    return z.NEVER;
  });
}

export const Gtin = gs1Key(normalizeGtin).describe('GTIN-8, -12, -13 or -14 with a valid check digit; stored as GTIN-14');
export const Gln = gs1Key(validateGln).describe('13-digit GLN with a valid check digit');
export const LotNumber = gs1Key(validateLotNumber).describe('GS1 AI (10): 1-20 characters of GS1 character set 82');

/** A Vietnamese mobile number as people type it (`0912 345 678`, `+84 912 345 678`…), in its stored form, E.164. */
export const PhoneNumber = z
  .string()
  .max(30)
  .transform((value, ctx) => {
    const phone = normalizeVietnameseMobile(value);
    if (phone) return phone;
    ctx.addIssue({ code: 'custom', ...refinement('phone-invalid', 'not a Vietnamese mobile number (10 digits starting 03, 05, 07, 08 or 09, or +84 and 9 digits)') });
    return z.NEVER;
  })
  .describe('Vietnamese mobile number, spaces, dots and hyphens allowed (0912 345 678, +84 912 345 678); stored as E.164 (+84912345678)');

export const Id = z.string().uuid();
export const IdParams = z.strictObject({ id: Id });

export const Slug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const Text = (max: number) => z.string().trim().min(1).max(max);

export const IsoDate = z.iso.date();

/**
 * ISO 8601 date-time. Without an offset it is taken as Vietnam time (+07:00), the default
 * time zone of the service; the value is kept as written otherwise.
 */
export const IsoDateTimeWithOffset = z.iso
  .datetime({ offset: true, local: true })
  .transform((value) => {
    const withSeconds = /T\d{2}:\d{2}$/.test(value) ? `${value}:00` : value;
    return /([+-]\d{2}:\d{2}|Z)$/.test(withSeconds) ? withSeconds : `${withSeconds}+07:00`;
  });

export const Address = z.strictObject({
  province: Text(100),
  commune: Text(100).optional(),
  street: Text(200).optional(),
});

export const Quantity = z
  .strictObject({
    value: z.number().positive().max(1e9),
    unit: z.enum(['kg', 't', 'bag']),
    bagKg: z.number().positive().max(1000).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.unit === 'bag' && q.bagKg === undefined) ctx.addIssue({ code: 'custom', path: ['bagKg'], ...refinement('bag-size-required', 'bags need their size in kg (bagKg)') });
    if (q.unit !== 'bag' && q.bagKg !== undefined) ctx.addIssue({ code: 'custom', path: ['bagKg'], ...refinement('bag-size-not-applicable', 'bagKg applies only to unit "bag"') });
  });

export const Place = z
  .strictObject({
    name: Text(200).optional(),
    gln: Gln.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .refine((p) => (p.lat === undefined) === (p.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] });
