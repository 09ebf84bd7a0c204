/** Quantities as farmers and mills record them: kilograms, tonnes, or bags of a stated size. */
export type QuantityUnit = 'kg' | 't' | 'bag';

export interface Quantity {
  value: number;
  unit: QuantityUnit;
  /** Kilograms per bag; required when unit is 'bag'. */
  bagKg?: number;
}

/** UN/ECE Recommendation 20 codes, as EPCIS quantity elements use them. */
const UOM: Record<Exclude<QuantityUnit, 'bag'>, string> = { kg: 'KGM', t: 'TNE' };

export function toKilograms(q: Quantity): number {
  if (q.unit === 'kg') return q.value;
  if (q.unit === 't') return q.value * 1000;
  return q.value * (q.bagKg ?? 0);
}

/** The EPCIS quantity of `q`: bags are expressed in kilograms since UN/ECE has no sized bag. */
export function toEpcisQuantity(q: Quantity): { quantity: number; uom: string } {
  if (q.unit === 'bag') return { quantity: toKilograms(q), uom: UOM.kg };
  return { quantity: q.value, uom: UOM[q.unit] };
}
