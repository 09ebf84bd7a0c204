import { PROJECT_NAMESPACE } from './event-model.js';
import { capturedDigitalLinkKey } from './gs1/captured-digital-link.js';
import { epcUriToDigitalLink } from './gs1/epc-uri.js';

/** The lot a GS1 identifier names: by GTIN and lot number, by GTIN and serial, or by our own lot code. */
export type LotKey =
  | { kind: 'gtin-lot'; gtin: string; lotNumber: string; serial: string | null }
  | { kind: 'gtin-serial'; gtin: string; serial: string }
  | { kind: 'code'; code: string };

const OWN_LOT = `${PROJECT_NAMESPACE.iri}lot:`;

/**
 * The lot an identifier names, if it can name one: a GS1 Digital Link URI on any host or an EPC
 * URN (`urn:epc:class:lgtin:…`, `urn:epc:id:sgtin:…`) of a GTIN with a lot number or a serial, or
 * one of our own lot URIs. Other identifiers (SSCCs, GLNs, other systems' URIs) name no lot; a
 * consumer product variant (22) does not change the lot.
 */
export function lotKeyOf(uri: string): LotKey | null {
  if (uri.startsWith(OWN_LOT)) return { kind: 'code', code: uri.slice(OWN_LOT.length) };
  const link = uri.startsWith('urn:epc:') ? epcUriToDigitalLink(uri) : uri;
  const key = link === null ? null : capturedDigitalLinkKey(link);
  if (key?.primaryKey.ai !== '01') return null;
  const qualifier = (ai: string): string | undefined => key.qualifiers.find((q) => q.ai === ai)?.value;
  // A TPX (235) serialises an item by another party's numbering, outside any lot.
  if (qualifier('235') !== undefined) return null;
  const gtin = key.primaryKey.value;
  const lotNumber = qualifier('10');
  const serial = qualifier('21');
  if (lotNumber !== undefined) return { kind: 'gtin-lot', gtin, lotNumber, serial: serial ?? null };
  if (serial !== undefined) return { kind: 'gtin-serial', gtin, serial };
  return null;
}

/** Whether two identifiers' keys name the same lot (an item's lot number counts; its serial does not). */
export function sameLot(a: LotKey, b: LotKey): boolean {
  if (a.kind === 'code' || b.kind === 'code') return a.kind === 'code' && b.kind === 'code' && a.code === b.code;
  if (a.kind === 'gtin-lot' && b.kind === 'gtin-lot') return a.gtin === b.gtin && a.lotNumber === b.lotNumber;
  return false;
}

/** ILMD lot number in its CBV master-data spellings. */
const LOT_NUMBER_KEYS = ['cbvmda:lotNumber', 'urn:epcglobal:cbv:mda:lotNumber', 'urn:epcglobal:cbv:mda#lotNumber'];

/** The lot number an ObjectEvent ADD commissions its items into (its ILMD `lotNumber`), or null. */
export function commissioningLotNumber(event: Record<string, unknown>): string | null {
  if (event.type !== 'ObjectEvent' || event.action !== 'ADD') return null;
  const ilmd = event.ilmd;
  if (!ilmd || typeof ilmd !== 'object') return null;
  for (const key of LOT_NUMBER_KEYS) {
    const value = (ilmd as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return null;
}
