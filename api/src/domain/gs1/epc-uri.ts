/**
 * EPC URIs (GS1 EPC Tag Data Standard: `urn:epc:id:…`, `urn:epc:class:lgtin:…`,
 * `urn:epc:idpat:…`) as GS1 Digital Link URIs on id.gs1.org, in the normal form of the CBV 2.0
 * event hash (their URI-escaped components as hash-normal path segments).
 */
import { normalSegment } from './captured-digital-link.js';
import { GS1_RESOLVER } from './digital-link.js';
import { withCheckDigit } from './keys.js';

function gtin14(companyPrefix: string, itemRef: string): string {
  return withCheckDigit(itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1));
}

const DIGITS = /^\d+$/;

/** The Digital Link URI (hash normal form) of an EPC (class / pattern) URI, or null if it has none. */
export function epcUriToDigitalLink(uri: string): string | null {
  const m = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$/i.exec(uri);
  if (!m) return null;
  const [, kind, scheme, rest] = m as unknown as [string, string, string, string];
  const p = rest.split('.');
  const num = (...xs: (string | undefined)[]): boolean => xs.every((x) => x !== undefined && DIGITS.test(x));
  const k = kind.toLowerCase();
  const sch = scheme.toLowerCase();
  if (k === 'class') {
    if (sch === 'lgtin' && p.length >= 3 && num(p[0], p[1]) && p[0]!.length + p[1]!.length === 13)
      return `${GS1_RESOLVER}/01/${gtin14(p[0]!, p[1]!)}/10/${normalSegment(p.slice(2).join('.'))}`;
    return null;
  }
  if (k === 'idpat') {
    // Patterns with every component but the serial given denote the class: the key without serial.
    if (p[p.length - 1] !== '*' || p.slice(0, -1).includes('*')) return null;
    const [a, b, c, d] = p;
    const twelve = num(a, b) && a!.length + b!.length === 12;
    switch (sch) {
      case 'sgtin':
        if (p.length === 3 && num(a, b) && a!.length + b!.length === 13) return `${GS1_RESOLVER}/01/${gtin14(a!, b!)}`;
        break;
      case 'grai':
        if (p.length === 3 && twelve) return `${GS1_RESOLVER}/8003/0${withCheckDigit(a! + b!)}`;
        break;
      case 'gdti':
        if (p.length === 3 && twelve) return `${GS1_RESOLVER}/253/${withCheckDigit(a! + b!)}`;
        break;
      case 'sgcn':
        if (p.length === 3 && twelve) return `${GS1_RESOLVER}/255/${withCheckDigit(a! + b!)}`;
        break;
      case 'cpi':
        if (p.length === 3 && num(a)) return `${GS1_RESOLVER}/8010/${a}${normalSegment(b!)}`;
        break;
      case 'itip':
        if (p.length === 5 && num(a, b, c, d) && a!.length + b!.length === 13) return `${GS1_RESOLVER}/8006/${gtin14(a!, b!)}${c}${d}`;
        break;
    }
    return null;
  }
  const [a, b, c] = p;
  const tail = (from: number): string => normalSegment(p.slice(from).join('.'));
  switch (sch) {
    case 'sgtin':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 13) return `${GS1_RESOLVER}/01/${gtin14(a!, b!)}/21/${tail(2)}`;
      break;
    case 'sscc':
      if (p.length === 2 && num(a, b) && a!.length + b!.length === 17)
        return `${GS1_RESOLVER}/00/${withCheckDigit(b!.slice(0, 1) + a! + b!.slice(1))}`;
      break;
    case 'sgln':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 12) {
        const ext = p.slice(2).join('.');
        return `${GS1_RESOLVER}/414/${withCheckDigit(a! + b!)}${ext === '0' ? '' : `/254/${normalSegment(ext)}`}`;
      }
      break;
    case 'pgln':
      if (p.length === 2 && num(a, b) && a!.length + b!.length === 12) return `${GS1_RESOLVER}/417/${withCheckDigit(a! + b!)}`;
      break;
    case 'gdti':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 12) return `${GS1_RESOLVER}/253/${withCheckDigit(a! + b!)}${tail(2)}`;
      break;
    case 'sgcn':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 12) return `${GS1_RESOLVER}/255/${withCheckDigit(a! + b!)}${tail(2)}`;
      break;
    case 'grai':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 12) return `${GS1_RESOLVER}/8003/0${withCheckDigit(a! + b!)}${tail(2)}`;
      break;
    case 'giai':
      if (p.length >= 2 && num(a)) return `${GS1_RESOLVER}/8004/${a}${tail(1)}`;
      break;
    case 'gsrn':
      if (p.length === 2 && num(a, b) && a!.length + b!.length === 17) return `${GS1_RESOLVER}/8018/${withCheckDigit(a! + b!)}`;
      break;
    case 'gsrnp':
      if (p.length === 2 && num(a, b) && a!.length + b!.length === 17) return `${GS1_RESOLVER}/8017/${withCheckDigit(a! + b!)}`;
      break;
    case 'gsin':
      if (p.length === 2 && num(a, b) && a!.length + b!.length === 16) return `${GS1_RESOLVER}/402/${withCheckDigit(a! + b!)}`;
      break;
    case 'ginc':
      if (p.length >= 2 && num(a)) return `${GS1_RESOLVER}/401/${a}${tail(1)}`;
      break;
    case 'cpi':
      if (p.length >= 3 && num(a)) return `${GS1_RESOLVER}/8010/${a}${normalSegment(b!)}/8011/${tail(2)}`;
      break;
    case 'upui':
      if (p.length >= 3 && num(a, b) && a!.length + b!.length === 13) return `${GS1_RESOLVER}/01/${gtin14(a!, b!)}/235/${tail(2)}`;
      break;
    case 'itip':
      if (p.length >= 5 && num(a, b, c, p[3]) && a!.length + b!.length === 13)
        return `${GS1_RESOLVER}/8006/${gtin14(a!, b!)}${c}${p[3]}/21/${tail(4)}`;
      break;
  }
  return null;
}
