import QRCode from 'qrcode';
import { overlayLogoPng, overlayLogoSvg } from './qr-logo.js';

/**
 * QR codes of Digital Link URLs. The quiet zone is the standard's 4 modules; codes are cached by
 * content (text, error correction, width, logo hash), so printing a thousand labels or a thousand
 * scans renders each code once.
 */
export const QR_ERROR_CORRECTION = ['L', 'M', 'Q', 'H'] as const;
export type QrErrorCorrection = (typeof QR_ERROR_CORRECTION)[number];
export const QR_PNG_WIDTH = { min: 64, max: 2048, default: 512 } as const;
const QUIET_ZONE_MODULES = 4;
const CACHE_ENTRIES = 1000;

/** A logo to draw in the centre: named by its hash (the cache key), its bytes read only when a code is rendered. */
export interface QrLogo {
  sha256: string;
  png: () => Promise<Buffer>;
}

/** A logo hides modules, so a code with one is always encoded at H whatever was asked. */
export const effectiveErrorCorrection = (ecc: QrErrorCorrection, logo: QrLogo | null): QrErrorCorrection => (logo ? 'H' : ecc);

const cache = new Map<string, Promise<Buffer | string>>();

function cached<T extends Buffer | string>(key: string, render: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place: the map's insertion order is the eviction order.
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const rendered = render();
  cache.set(key, rendered);
  rendered.catch(() => cache.delete(key));
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return rendered;
}

/** The symbol the renderer draws for these options (the same deterministic encoding), for placing a logo on its modules. */
const symbolOf = (text: string, ecc: QrErrorCorrection) => QRCode.create(text, { errorCorrectionLevel: ecc });

export function qrSvg(text: string, ecc: QrErrorCorrection, logo: QrLogo | null = null): Promise<string> {
  const level = effectiveErrorCorrection(ecc, logo);
  return cached(`svg|${level}|${logo?.sha256 ?? '-'}|${text}`, async () => {
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: level, margin: QUIET_ZONE_MODULES });
    return logo ? overlayLogoSvg(svg, symbolOf(text, level), QUIET_ZONE_MODULES, await logo.png()) : svg;
  });
}

export function qrPng(text: string, ecc: QrErrorCorrection, width: number, logo: QrLogo | null = null): Promise<Buffer> {
  const level = effectiveErrorCorrection(ecc, logo);
  return cached(`png|${level}|${width}|${logo?.sha256 ?? '-'}|${text}`, async () => {
    const png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: level, margin: QUIET_ZONE_MODULES, width });
    return logo ? overlayLogoPng(png, symbolOf(text, level), QUIET_ZONE_MODULES, await logo.png()) : png;
  });
}
