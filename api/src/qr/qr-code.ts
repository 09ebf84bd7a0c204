import QRCode from 'qrcode';
import { TtlCache } from '../core/ttl-cache.js';
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

const cache = new TtlCache<Promise<Buffer | string>>({ ttlMs: Infinity, maxEntries: CACHE_ENTRIES });

const cached = <T extends Buffer | string>(key: string, render: () => Promise<T>): Promise<T> => cache.shared(key, render) as Promise<T>;

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
