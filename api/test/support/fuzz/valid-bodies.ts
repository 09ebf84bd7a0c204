import { squarePlot } from '../harness.js';
import type { HostileJson } from './hostile-values.js';

/** Real ids to put in the bodies, and a provenance bundle for the verifier. */
export interface BodyIngredients {
  plotIds: string[];
  batchIds: string[];
  productIds: string[];
  bundle: HostileJson;
}

const isoDate = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const vietnamTime = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00';

/**
 * A body each JSON route accepts (given a caller allowed to), keyed like `POST /api/v1/plots`;
 * `unique` keeps names and lot numbers apart between cases. The fuzzer mutates these; a route
 * missing here is fuzzed from `{}` only.
 */
export function validBodies(ingredients: BodyIngredients, unique: number): Record<string, HostileJson> {
  const { plotIds, batchIds, productIds, bundle } = ingredients;
  const tag = `FZ${unique}`;
  return {
    'POST /api/v1/auth/login': { email: 'coop@demo.test', password: 'demo-password' },
    'POST /api/v1/auth/phone-login': { phone: '0912 345 678', pin: '582046' },
    'POST /api/v1/api-keys': { name: `fuzz ${tag}` },
    'POST /api/v1/organizations': { slug: `ho-fuzz-${unique}`, name: `Hộ ${tag}`, address: { province: 'Đắk Lắk', commune: 'Xã Ea Tóh', street: 'Thôn 5' } },
    'POST /api/v1/users': { email: `fuzz-${unique}@demo.test`, name: `Người ${tag}`, password: 'a-long-enough-password', role: 'operator' },
    'POST /api/v1/plots': { name: `Rẫy ${tag}`, crops: ['coffee-robusta'], geometry: squarePlot(0.5 + (unique % 1000) * 0.002) as unknown as HostileJson, declaredAreaHa: 1 },
    'POST /api/v1/batches': { plotIds: plotIds.slice(0, 1), product: 'Robusta', variety: 'TR4', harvestedAt: isoDate(10), quantity: { value: 500, unit: 'kg' }, lotNumber: tag },
    'POST /api/v1/batches/merge': { inputs: batchIds.slice(0, 2).map((batchId) => ({ batchId })), product: 'Blend', quantity: { value: 1, unit: 'kg' }, lotNumber: `${tag}-M`, occurredAt: vietnamTime(3) },
    'POST /api/v1/batches/{id}/split': { outputs: [{ quantity: { value: 1, unit: 'kg' }, lotNumber: `${tag}-A` }, { quantity: { value: 1, unit: 'kg' }, lotNumber: `${tag}-B` }], occurredAt: vietnamTime(2) },
    'POST /api/v1/batches/{id}/steps': { type: 'drying', occurredAt: vietnamTime(1), notes: 'Phơi trên giàn' },
    'POST /api/v1/keys/{kid}/revoke': { effectiveAt: vietnamTime(0.5) },
    'POST /api/v1/verify': bundle,
    'POST /epcis/capture': {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: vietnamTime(1),
      epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: vietnamTime(1), eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'storing', disposition: 'in_progress', epcList: [] }] },
    },
    'POST /api/v1/products': { gtin: '08936123450045', name: { vi: `Cà phê ${tag}` }, description: { vi: 'Rang vừa.' }, priceVnd: 85000, stock: 12, batchIds: batchIds.slice(0, 1) },
    'PATCH /api/v1/products/{id}': { stock: 3, priceVnd: 90000 },
    'POST /api/v1/listings': { productId: productIds[0] ?? '', marketplace: 'shopee', url: `https://shopee.vn/fuzz-${unique}` },
  };
}
