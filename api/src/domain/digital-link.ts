/**
 * GS1 Digital Link URIs for lots (GS1 Digital Link URI Syntax 1.4): `/01/{gtin14}/10/{lot}` on
 * the service's own resolver, or the short `/l/{code}` path for lots without a GTIN.
 */
export function lotDigitalLink(baseUrl: string, lot: { gtin: string | null; lotNumber: string; code: string }): string {
  if (lot.gtin) return `${baseUrl}/01/${lot.gtin}/10/${encodeURIComponent(lot.lotNumber)}`;
  return `${baseUrl}/l/${lot.code}`;
}

/** A trade item's Digital Link (GTIN only): where a product, rather than one lot, resolves. */
export function productDigitalLink(baseUrl: string, gtin: string): string {
  return `${baseUrl}/01/${gtin}`;
}
